#!/usr/bin/env node
// Runs the plugin standalone, as oclif plugins do: `./bin/run.js channel ownership plan ...`.
// The Salesforce libraries need Node >= 22. When started by an older system node, hand over
// to the Node 22 the project brings (the `node` devDependency) instead of failing on import.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
const projectNode = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
if (major < 22 && existsSync(projectNode)) {
  const result = spawnSync(projectNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit'
  });
  process.exit(result.status ?? 1);
}

const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
