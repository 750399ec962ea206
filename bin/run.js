#!/usr/bin/env node
// Runs the plugin standalone, as oclif plugins do: `./bin/run.js channel ownership plan ...`.
// The Salesforce libraries need Node >= 22. When started by an older system node, hand over
// to the Node 22 the project brings (the `node` devDependency) instead of failing on import.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
const projectNode = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
if (major < 22 && existsSync(projectNode)) {
  const result = spawnSync(projectNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit'
  });
  process.exit(result.status ?? 1);
}

// @salesforce/core writes its log file through a worker thread that every process then waits
// for at exit (about a second here, for a file that holds only warnings by default). Run
// standalone, the plugin leaves it off unless asked for: SF_LOG_LEVEL or SF_DISABLE_LOG_FILE=false.
// (Under `sf`, the CLI's own settings apply.) Journals and result files are the record of a run.
if (process.env.SF_DISABLE_LOG_FILE === undefined && process.env.SFDX_DISABLE_LOG_FILE === undefined && process.env.SF_LOG_LEVEL === undefined) {
  process.env.SF_DISABLE_LOG_FILE = 'true';
}

// The Salesforce libraries are hundreds of modules: Node's on-disk compile cache (in the OS temp
// directory) saves about a fifth of every start after the first. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.();

const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
