import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The plugin runs standalone through bin/run.js, as a user without the sf CLI would run it.
describe('bin/run.js', () => {
  it('lists the channel topic and its subtopics in --help', () => {
    const home = mkdtempSync(join(tmpdir(), 'channel-ops-home-'));
    try {
      // Given a built plugin (npm test builds first) and the system node on PATH
      // When a user asks for help
      const run = spawnSync('./bin/run.js', ['channel', '--help'], {
        encoding: 'utf8',
        env: { ...process.env, HOME: home, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true' }
      });
      // Then it exits 0 and names the commands' topics
      expect(run.stderr).not.toMatch(/Error/);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/ownership/);
      expect(run.stdout).toMatch(/conflicts/);
      expect(run.stdout).toMatch(/mdf/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
