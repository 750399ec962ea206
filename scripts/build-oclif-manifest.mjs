#!/usr/bin/env node
/**
 * Writes oclif.manifest.json (part of `npm run build`, after tsc): with it, oclif loads only
 * the command being run instead of importing every command at start-up. It is what the oclif
 * CLI's `manifest` command writes, made with @oclif/core's own Plugin loader (no extra dependency).
 * Generated, not committed (.gitignore); a stale one only lists commands, so rebuild after adding one.
 */
import { writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'oclif.manifest.json');
rmSync(file, { force: true });
const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true, isRoot: true });
try {
  await plugin.load();
  writeFileSync(file, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
  console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`);
} catch (e) {
  // A command that does not load (mid-edit): no manifest, so oclif finds commands itself (slower start).
  rmSync(file, { force: true });
  console.warn(`oclif.manifest.json not written (${e instanceof Error ? e.message.split('\n')[0] : String(e)}): commands are found at start-up instead.`);
}
