#!/usr/bin/env node
/**
 * Builds the conflict engine's pure TypeScript core (plugin-src/conflicts: defaults,
 * normalize, matching, rules) into the LWC service module `c/conflictRules`, and writes the
 * shipped rules of engagement as the static resource ChannelOpsRules.json. One source for the
 * CLI and the components; the generated files are committed because they must deploy.
 *
 *   node scripts/build-lwc-shared.mjs          write the files
 *   node scripts/build-lwc-shared.mjs --check  exit 1 if a committed file is out of date
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'plugin-src/conflicts/lwc-entry.ts');
const bundleDir = join(root, 'force-app/main/default/lwc/conflictRules');
const moduleFile = join(bundleDir, 'conflictRules.js');
const metaFile = join(bundleDir, 'conflictRules.js-meta.xml');
const resourceFile = join(root, 'force-app/main/default/staticresources/ChannelOpsRules.json');

const HEADER = `/* eslint-disable */
/*
 * GENERATED FILE - DO NOT EDIT. Built by scripts/build-lwc-shared.mjs (npm run build:lwc-shared)
 * from plugin-src/conflicts/{defaults,normalize,matching,rules}.ts: the same rules of engagement
 * and customer matching the CLI (channel conflicts scan/check) runs. Edit the TypeScript and rebuild.
 * Bundled libraries (MIT): fastest-levenshtein, @skyra/jaro-winkler.
 */`;

const META = `<?xml version="1.0" encoding="UTF-8"?>
<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>64.0</apiVersion>
    <isExposed>false</isExposed>
    <masterLabel>Conflict Rules (generated)</masterLabel>
    <description>Generated service module: the channel-conflict rules of engagement and customer matching shared with the Channel Ops CLI.</description>
</LightningComponentBundle>
`;

export async function generate() {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    mainFields: ['module', 'main'],
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent'
  });
  const code = result.outputFiles[0].text.replace(/^\/\/ (plugin-src|node_modules)\/.*\n/gm, '');
  const moduleText = `${HEADER}\n${code}`;
  const loaded = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  const resourceText = `${JSON.stringify(loaded.DEFAULT_RULES, null, 2)}\n`;
  return new Map([
    [moduleFile, moduleText],
    [metaFile, META],
    [resourceFile, resourceText]
  ]);
}

async function main() {
  const check = process.argv.includes('--check');
  const files = await generate();
  const stale = [];
  for (const [file, text] of files) {
    let current;
    try {
      current = await readFile(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === text) continue;
    if (check) stale.push(relative(root, file));
    else {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
      console.log(`wrote ${relative(root, file)}`);
    }
  }
  if (check && stale.length > 0) {
    console.error(`Out of date (run npm run build:lwc-shared and commit): ${stale.join(', ')}`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
