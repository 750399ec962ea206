import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RULES } from '../../plugin-src/conflicts/defaults.js';

const root = process.cwd();

describe('the generated LWC module c/conflictRules and the ChannelOpsRules static resource', () => {
  it('are up to date with the TypeScript sources (npm run build:lwc-shared)', () => {
    const run = spawnSync(join(root, 'node_modules', '.bin', 'node'), [join(root, 'scripts', 'build-lwc-shared.mjs'), '--check'], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('ship the same defaults as the CLI, and the module says it is generated', () => {
    const resource = JSON.parse(readFileSync(join(root, 'force-app/main/default/staticresources/ChannelOpsRules.json'), 'utf8'));
    expect(resource).toEqual(DEFAULT_RULES);
    const code = readFileSync(join(root, 'force-app/main/default/lwc/conflictRules/conflictRules.js'), 'utf8');
    expect(code).toMatch(/^\/\* eslint-disable \*\/\n\/\*\n \* GENERATED FILE - DO NOT EDIT\./);
    expect(code).not.toMatch(/\bfrom\s+['"](node:|zod|fs|crypto)/);
    expect(readFileSync(join(root, 'force-app/main/default/lwc/conflictRules/conflictRules.js-meta.xml'), 'utf8')).toContain('<isExposed>false</isExposed>');
  });
});
