#!/usr/bin/env node
// Runs the plugin standalone, as oclif plugins do: `./bin/run.js channel ownership plan ...`.
// The npm `node` devDependency brings Node 22; prefer it when this is run by the system node.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
