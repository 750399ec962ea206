/**
 * `channel ownership plan` on the demo org, as the README's demo runs it: Bob leaves, his
 * accounts go to Alice (a KAM with room). The expected plan is worked out here from the org's
 * records, independently of the planner's queries.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_TERRITORY_MOVE, DEMO_USERS } from '../../plugin-src/local-org/seed/index.js';
import { withLocalOrg, type TestOrg } from '../helpers/local-org.js';

const ROOT = process.cwd();
let org: TestOrg;
let work: string;

function runPlan(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'node'), [join(ROOT, 'bin', 'run.js'), 'channel', 'ownership', 'plan', '--target-org', org.alias, '--json', ...args], { cwd: ROOT, env: org.env });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout }));
  });
}

function userId(username: string): string {
  return String(org.db.query(`SELECT Id FROM User WHERE Username = '${username}'`).records[0].Id);
}

function idsIn(file: string): string[] {
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]).sort();
}

beforeAll(async () => {
  org = await withLocalOrg({ seed: 'demo' });
  work = mkdtempSync(join(tmpdir(), 'plan-demo-'));
});

afterAll(async () => {
  await org?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('channel ownership plan on the demo org', () => {
  it("plans Bob's territory for Alice: his accounts and exactly his open children", async () => {
    const bob = userId(DEMO_TERRITORY_MOVE.fromUser);
    const now = Date.now();
    // Expected, from the records themselves
    const accounts = new Set(org.db.query(`SELECT Id, OwnerId FROM Account`).records.filter((a) => a.OwnerId === bob).map((a) => String(a.Id)));
    const mine = (sobject: string, open: (r: Record<string, unknown>) => boolean): string[] =>
      org.db
        .query(`SELECT Id, OwnerId, AccountId, ${sobject === 'Event' ? 'EndDateTime' : sobject === 'Contact' ? 'Name' : 'IsClosed'} FROM ${sobject}`)
        .records.filter((r) => r.OwnerId === bob && accounts.has(String(r.AccountId)) && open(r))
        .map((r) => String(r.Id))
        .sort();
    const expected = {
      Opportunity: mine('Opportunity', (r) => r.IsClosed === false),
      Contact: mine('Contact', () => true),
      Case: mine('Case', (r) => r.IsClosed === false),
      Task: mine('Task', (r) => r.IsClosed === false),
      Event: mine('Event', (r) => Date.parse(String(r.EndDateTime)) >= now)
    };
    expect(accounts.size).toBeGreaterThan(0);

    const dir = join(work, 'bob-to-alice');
    const run = await runPlan(['--from-user', DEMO_TERRITORY_MOVE.fromUser, '--to-user', DEMO_TERRITORY_MOVE.toUser, '--output-dir', dir]);
    expect(run.code).toBe(0);
    const result = (JSON.parse(run.stdout) as { result: { files: Record<string, string>; counts: Record<string, number> } }).result;
    expect(idsIn(result.files.Account)).toEqual([...accounts].sort());
    for (const [sobject, ids] of Object.entries(expected)) {
      expect(result.counts[sobject]).toBe(ids.length);
      if (ids.length > 0) expect(idsIn(result.files[sobject])).toEqual(ids);
    }
  });

  it('refuses to give Bob\'s key accounts to a KAM who is full, and writes nothing', async () => {
    const dir = join(work, 'bob-to-sofia');
    const run = await runPlan(['--from-user', DEMO_TERRITORY_MOVE.fromUser, '--to-user', DEMO_USERS.sofia, '--output-dir', dir]);
    expect(run.code).toBe(1);
    const message = (JSON.parse(run.stdout) as { message: string }).message;
    expect(message).toMatch(/kam.sofia@channel-ops.local .* may own 3 key account\(s\)/);
    // and it names the key accounts Bob would hand over
    const bob = userId(DEMO_TERRITORY_MOVE.fromUser);
    const bobsKeyAccounts = org.db.query('SELECT Id, OwnerId, Key_Account__c FROM Account').records.filter((a) => a.OwnerId === bob && a.Key_Account__c === true);
    expect(bobsKeyAccounts.length).toBeGreaterThan(0);
    for (const a of bobsKeyAccounts) expect(message).toContain(String(a.Id));
    expect(existsSync(dir)).toBe(false);
  });
});
