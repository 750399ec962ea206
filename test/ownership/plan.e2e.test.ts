/**
 * `channel ownership plan` run as a user runs it: bin/run.js in a child process (after
 * `npm run build`) against the local org, with a throw-away auth store. Asserts the exit code,
 * what is printed, the plan files — and that bad input leaves no plan directory behind.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlanManifest } from '../../plugin-src/ownership/plan-manifest.js';
import { withLocalOrg, type TestOrg } from '../helpers/local-org.js';
import { loadPlanFixture, type PlanFixture } from './plan-fixture.js';

const ROOT = process.cwd();
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const RUN = join(ROOT, 'bin', 'run.js');

let org: TestOrg;
let fx: PlanFixture;
let work: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runPlan(args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(NODE, [RUN, 'channel', 'ownership', 'plan', '--target-org', org.alias, ...args], { cwd: ROOT, env: org.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

let n = 0;
function csv(text: string): string {
  const file = join(work, `moves-${++n}.csv`);
  writeFileSync(file, text);
  return file;
}
function outDir(): string {
  return join(work, `plan-${++n}`);
}
function planRows(file: string): string[][] {
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(','));
}
function owners(): Map<string, unknown> {
  const all = org.db.query('SELECT Id, OwnerId FROM Account').records;
  return new Map(all.map((r) => [String(r.Id), r.OwnerId]));
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'lib', 'commands', 'channel', 'ownership', 'plan.js'))) {
    throw new Error('Build the plugin first (npm run build): lib/commands/channel/ownership/plan.js is missing.');
  }
  org = await withLocalOrg();
  fx = loadPlanFixture(org.db);
  work = mkdtempSync(join(tmpdir(), 'plan-e2e-'));
});

afterAll(async () => {
  await org?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('channel ownership plan (end to end)', () => {
  it('writes a plan of the accounts and the old owner\'s open children, and a --json result with counts and paths', async () => {
    // Given a moves file in the format sf data update bulk takes
    const a = fx.accounts;
    const file = csv(`Id,OwnerId\n${a['Bulk 05']},${fx.users.dave}\n${a['Key One']},${fx.users.dave}\n`);
    const dir = outDir();
    const before = owners();
    // When the user plans it with --json
    const run = await runPlan(['--file', file, '--output-dir', dir, '--json']);
    // Then it succeeds and says what it wrote
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { status: number; result: { counts: Record<string, number>; files: Record<string, string>; planDir: string; inputRows: number } };
    expect(out.status).toBe(0);
    expect(out.result.planDir).toBe(dir);
    expect(out.result.inputRows).toBe(2);
    expect(out.result.counts).toMatchObject({ Account: 2, Opportunity: 4, Contact: 4, Case: 2, Task: 2, Event: 2, AccountTeamMember: 2, OpportunityTeamMember: 2 });
    const manifest = parsePlanManifest(readFileSync(out.result.files.manifest, 'utf8'));
    expect(manifest.objects.map((o) => [o.sobject, o.rows])).toEqual([['Account', 2], ['Opportunity', 4], ['Contact', 4], ['Case', 2], ['Task', 2], ['Event', 2]]);
    // the cascade holds exactly the open children owned by the old owner
    for (const sobject of ['Opportunity', 'Contact', 'Case', 'Task', 'Event'] as const) {
      const ids = planRows(out.result.files[sobject]).map((r) => r[0]).sort();
      expect(ids).toEqual([...fx.moving['Bulk 05'][sobject], ...fx.moving['Key One'][sobject]].sort());
    }
    // no secret in the plan directory
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8')).not.toContain(org.accessToken);
    // and nothing changed in the org
    expect(owners()).toEqual(before);
  });

  it('prints a summary table for people', async () => {
    const run = await runPlan(['--from-user', fx.usernames.rep, '--to-user', fx.usernames.dave, '--where', "Industry = 'Energy'", '--cascade', 'contacts,opportunities', '--output-dir', outDir()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Records to move/);
    expect(run.stdout).toMatch(/Opportunity\s*│?\s*2/);
    expect(run.stdout).toMatch(/channel ownership apply --plan/);
  });

  const refused: Array<[string, () => string[], RegExp[]]> = [
    ['a malformed CSV (unclosed quote)', () => ['--file', csv(`AccountId,NewOwnerId\n${fx.accounts['Bulk 06']},"${fx.users.dave}\n`)], [/row 2/]],
    [
      'unknown ids, an inactive owner and a =HYPERLINK(...) cell',
      () => [
        '--file',
        csv(
          `AccountId,NewOwnerUsername\n${fx.accounts['Bulk 06']},${fx.usernames.dave}\n001PLN0000zzzzz,${fx.usernames.dave}\n` +
            `${fx.accounts['Bulk 07']},${fx.usernames.carol}\n${fx.accounts['Bulk 08']},"=HYPERLINK(""http://x.example"",""x"")"\n${fx.accounts['Bulk 09']},ghost@nowhere.test\n`
        )
      ],
      [
        /Row 3: account 001PLN0000zzzzz\w* does not exist/,
        /Row 4, NewOwnerUsername: carol@plan-fixture.test .* is inactive/,
        /Row 5, NewOwnerUsername: the cell starts with '='/,
        /Row 6, NewOwnerUsername: no user with username ghost@nowhere.test/
      ]
    ],
    ['a --where with ; DELETE', () => ['--from-user', fx.users.rep, '--to-user', fx.users.dave, '--where', "Name = 'x'; DELETE FROM Account"], [/contains ";"/]],
    ['a --where with a subquery', () => ['--from-user', fx.users.rep, '--to-user', fx.users.dave, '--where', 'Id IN (SELECT AccountId FROM Contact)'], [/subquery/]]
  ];
  it.each(refused)('refuses %s with a clear error naming the row or flag, a non-zero exit and no plan directory', async (_what, args, messages) => {
    const dir = outDir();
    const before = owners();
    const run = await runPlan([...args(), '--output-dir', dir, '--json']);
    expect(run.code).not.toBe(0);
    const out = JSON.parse(run.stdout) as { status: number; message: string; actions?: string[]; data?: { issues: Array<{ row?: number | null; code: string }> } };
    expect(out.status).not.toBe(0);
    for (const m of messages) expect(out.message).toMatch(m);
    // the problems also come as data, one per problem, for scripts
    expect(out.data?.issues).toHaveLength(messages.length);
    expect(out.actions?.length).toBeGreaterThan(0);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(work).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(owners()).toEqual(before);
  });
});
