/**
 * `channel ownership apply` / `undo` / `status` against the local org: the records' owners and
 * teams in the org afterwards, the files in the plan directory, the exit codes — including
 * faults (locked rows, refused requests), kill -9 at several points with a re-run, a second
 * concurrent apply, drift, and undo back to the exact before-state.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLocalOrg, type TestOrg } from '../helpers/local-org.js';
import { applyPlan, type OwnershipRunResult } from '../../plugin-src/ownership/apply.js';
import { planStatus } from '../../plugin-src/ownership/status.js';
import { SessionExpiredError } from '../../plugin-src/salesforce/bulk2.js';
import { loadBook, owners, planAliceToBob, teamSnapshot, USERS, type Book } from './apply-fixtures.js';

const ROOT = process.cwd();
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const RUN = join(ROOT, 'bin', 'run.js');

let work: string;
let n = 0;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'lib', 'commands', 'channel', 'ownership', 'apply.js'))) {
    throw new Error('Build the plugin first (npm run build): lib/commands/channel/ownership/apply.js is missing.');
  }
  work = mkdtempSync(join(tmpdir(), 'apply-e2e-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const planDir = (): string => join(work, `plan-${++n}`);

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function startCli(org: TestOrg, args: string[]): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(NODE, [RUN, 'channel', 'ownership', ...args, '--target-org', org.alias], { cwd: ROOT, env: org.env });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

function runStatus(org: TestOrg, dir: string): Promise<Run> {
  return new Promise<Run>((resolve, reject) => {
    const child = spawn(NODE, [RUN, 'channel', 'ownership', 'status', '--plan', dir, '--json'], { cwd: ROOT, env: org.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

interface StatusJson {
  result: {
    apply: { state: string; objects: Array<{ sobject: string; succeeded: number; drifted: number }>; openJobs: unknown[] };
    lock: { alive: boolean | null } | null;
  };
}

function journalLines(dir: string, file = 'journal.jsonl'): Array<Record<string, unknown>> {
  const path = join(dir, file);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

/** Waits until a journal line after the first `from` lines matches. */
async function waitForJournal(dir: string, from: number, match: (e: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (journalLines(dir).slice(from).some(match)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`journal never showed the expected step; last lines: ${JSON.stringify(journalLines(dir).slice(-3))}`);
}

function expectPlannedState(org: TestOrg, book: Book, movedChildren: Array<[string, string[]]>): void {
  for (const [sobject, ids] of [['Account', book.accounts], ...movedChildren] as Array<[string, string[]]>) {
    expect({ sobject, owners: [...new Set(owners(org.db, sobject, ids).values())] }).toEqual({ sobject, owners: [USERS.bob] });
  }
  expect([...new Set(owners(org.db, 'Opportunity', book.closedOpps).values())]).toEqual([USERS.alice]);
  expect([...new Set(owners(org.db, 'Opportunity', book.carolOpps).values())]).toEqual([USERS.carol]);
}

function csvRows(path: string): string[][] {
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(1).filter(Boolean).map((l) => l.split(','));
}

describe('channel ownership apply (end to end)', () => {
  it('moves the accounts and their open children exactly as planned, and the teams are intact afterwards', async () => {
    const org = await withLocalOrg();
    try {
      // Given Alice's 30 accounts with open and closed opportunities, contacts, cases, tasks and teams, and a plan to give them to Bob
      const book = loadBook(org.db, 30);
      const dir = planDir();
      await planAliceToBob(org, dir);
      const accountTeam = teamSnapshot(org.db, 'AccountTeamMember');
      const opportunityTeam = teamSnapshot(org.db, 'OpportunityTeamMember');
      expect(accountTeam).toHaveLength(60);

      // When the plan is applied in jobs of 8 rows
      const result = await applyPlan(await org.connection(), { planDir: dir, batchSize: 8, orgId: org.orgId });

      // Then every planned record belongs to Bob, the closed and Carol's opportunities did not move
      expectPlannedState(org, book, [
        ['Opportunity', book.openOpps],
        ['Contact', book.contacts],
        ['Case', book.cases],
        ['Task', book.tasks]
      ]);
      // and the account and opportunity teams are exactly as before (the owner change deleted them; apply put them back)
      expect(teamSnapshot(org.db, 'AccountTeamMember')).toEqual(accountTeam);
      expect(teamSnapshot(org.db, 'OpportunityTeamMember')).toEqual(opportunityTeam);
      expect(result.status).toBe('Succeeded');
      expect(result.objects).toEqual(
        ['Account', 'Opportunity', 'Contact', 'Case', 'Task'].map((sobject) => ({ sobject, planned: 30, succeeded: 30, failed: 0, drifted: 0, skipped: 0 }))
      );
      expect(result.teamMembersRestored).toBe(90);
      // and the success CSV lists each moved account once with its old and new owner
      const success = csvRows(result.files.successes.Account);
      expect(success.map((r) => r[0]).sort()).toEqual([...book.accounts].sort());
      expect(new Set(success.map((r) => `${r[2]}>${r[3]}`))).toEqual(new Set([`${USERS.alice}>${USERS.bob}`]));
      expect(result.failureFiles).toEqual([]);

      // When it is run again, nothing is sent: every row is found done
      const again = await applyPlan(await org.connection(), { planDir: dir, batchSize: 8, orgId: org.orgId });
      expect(again.objects.map((o) => o.succeeded)).toEqual([30, 30, 30, 30, 30]);
      expect(journalLines(dir).filter((e) => e.type === 'job-created' && e.purpose === 'owner')).toHaveLength(4 * 5);
      expect(teamSnapshot(org.db, 'AccountTeamMember')).toEqual(accountTeam);
    } finally {
      await org.close();
    }
  });

  it('ends with every row moved when 5% of rows are locked and 2% of requests are refused', async () => {
    const org = await withLocalOrg();
    try {
      // Given a plan of 120 accounts and their open opportunities
      const book = loadBook(org.db, 120);
      const dir = planDir();
      await planAliceToBob(org, dir, ['opportunities']);
      const team = teamSnapshot(org.db, 'AccountTeamMember');
      // and an org that answers UNABLE_TO_LOCK_ROW on 5% of rows and 503 REQUEST_LIMIT_EXCEEDED on 2% of requests
      org.faults.set({ lockRowRate: 0.05, requestLimitRate: 0.02, seed: 7 });

      // When the plan is applied (owners read by owner in Bulk queries of 50-row segments, as for large plans)
      const result = await applyPlan(await org.connection(), {
        planDir: dir,
        batchSize: 25,
        bulkOwnerCheckFrom: 1,
        bulkQueryFrom: 1,
        segmentRows: 50,
        retryBaseMs: 20,
        bulk: { retry: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50 } }
      });
      org.faults.set({});

      // Then every row moved, locked rows were sent again in later jobs, and the teams are back
      expect(result.status).toBe('Succeeded');
      expectPlannedState(org, book, [['Opportunity', book.openOpps]]);
      expect(teamSnapshot(org.db, 'AccountTeamMember')).toEqual(team);
      const rounds = journalLines(dir).filter((e) => e.type === 'job-created' && Number(e.round) > 1);
      expect(rounds.length).toBeGreaterThan(0);
      expect(journalLines(dir).filter((e) => e.type === 'job-results').some((e) => Number(e.retryable) > 0)).toBe(true);
    } finally {
      await org.close();
    }
  });

  it('continues exactly after kill -9 after job create, mid-upload, while in progress and during team restore', async () => {
    const org = await withLocalOrg();
    try {
      // Given a plan of 30 accounts with their open opportunities, applied by the CLI in jobs of 5 rows
      const book = loadBook(org.db, 30);
      const dir = planDir();
      await planAliceToBob(org, dir, ['opportunities']);
      const accountTeam = teamSnapshot(org.db, 'AccountTeamMember');
      const opportunityTeam = teamSnapshot(org.db, 'OpportunityTeamMember');
      const args = ['apply', '--plan', dir, '--batch-size', '5', '--json'];

      const killAt = async (match: (e: Record<string, unknown>) => boolean, afterMs = 0, slowFrom?: (e: Record<string, unknown>) => boolean): Promise<void> => {
        org.faults.set({ latencyMs: slowFrom ? 0 : 120 });
        const from = journalLines(dir).length;
        const { child, done } = startCli(org, args);
        if (slowFrom) {
          await waitForJournal(dir, from, slowFrom);
          org.faults.set({ latencyMs: 120 });
        }
        await waitForJournal(dir, from, match);
        if (afterMs) await new Promise((r) => setTimeout(r, afterMs));
        child.kill('SIGKILL');
        const run = await done;
        expect(run.signal).toBe('SIGKILL');
      };
      // When the run is killed right after a job is created,
      await killAt((e) => e.type === 'job-created');
      // killed while a job's CSV is being uploaded (each request takes 120 ms),
      await killAt((e) => e.type === 'job-created', 60);
      // killed while a closed job is processed,
      await killAt((e) => e.type === 'job-closed');
      // and killed while team members are being restored
      await killAt(
        (e) => e.type === 'job-created' && e.purpose === 'team',
        0,
        (e) => e.type === 'object-finished' && e.sobject === 'Opportunity'
      );
      expect(existsSync(join(dir, 'apply.lock'))).toBe(true);

      // Then status, without an org, shows the interrupted run and the dead holder of the lock
      const status = planStatus(dir);
      expect(status.apply.state).toBe('Interrupted');
      expect(status.lock?.alive).toBe(false);

      // When apply is run again to the end
      org.faults.set({});
      const final = await startCli(org, args).done;

      // Then it succeeds, the org is exactly as planned, and no team member exists twice
      expect(final.code).toBe(0);
      const json = JSON.parse(final.stdout) as { status: number; result: OwnershipRunResult };
      expect(json.result.status).toBe('Succeeded');
      expect(json.result.resumed).toBe(true);
      expect(json.result.objects.map((o) => [o.sobject, o.planned, o.succeeded + o.skipped, o.failed, o.drifted])).toEqual([
        ['Account', 30, 30, 0, 0],
        ['Opportunity', 30, 30, 0, 0]
      ]);
      expectPlannedState(org, book, [['Opportunity', book.openOpps]]);
      expect(teamSnapshot(org.db, 'AccountTeamMember')).toEqual(accountTeam);
      expect(teamSnapshot(org.db, 'OpportunityTeamMember')).toEqual(opportunityTeam);
      // and every account appears once in the success CSV
      const ids = csvRows(json.result.files.successes.Account).map((r) => r[0]);
      expect(ids.sort()).toEqual([...book.accounts].sort());
      expect(existsSync(join(dir, 'apply.lock'))).toBe(false);
    } finally {
      await org.close();
    }
  });
});

describe('what a person sees (end to end)', () => {
  it('shows a progress bar per object with its rate, then the summary table', async () => {
    const org = await withLocalOrg();
    try {
      // Given a plan of 4 accounts with their open opportunities
      const book = loadBook(org.db, 4);
      const dir = planDir();
      await planAliceToBob(org, dir, ['opportunities']);

      // When apply runs without --json (no terminal: bars print as lines)
      const run = await startCli(org, ['apply', '--plan', dir]).done;

      // Then each object got its own bar, ending at its total with a rate, on stderr
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/Account {5}\| █+ \| 4\/4 rows \| \d+ rows\/s/);
      expect(run.stderr).toMatch(/Opportunity \| █+ \| 4\/4 rows \| \d+ rows\/s/);
      expect(run.stderr).not.toContain('{rate}');
      // and the summary table is on stdout
      const row = (sobject: string): RegExp => new RegExp(`${sobject}[\\s│]+4[\\s│]+4[\\s│]+0[\\s│]+0[\\s│]+0`);
      expect(run.stdout).toMatch(row('Account'));
      expect(run.stdout).toMatch(row('Opportunity'));
      expectPlannedState(org, book, [['Opportunity', book.openOpps]]);
    } finally {
      await org.close();
    }
  });
});

describe('undo after a killed apply (end to end)', () => {
  it('returns the records the killed run moved, including those of the job it left in the org, teams included', async () => {
    const org = await withLocalOrg();
    try {
      // Given a plan of 20 accounts and their open opportunities, and its apply killed (kill -9)
      // just after its second job was closed: that job is still processed by the org, its results never taken in
      const book = loadBook(org.db, 20);
      const dir = planDir();
      await planAliceToBob(org, dir, ['opportunities']);
      const accountTeam = teamSnapshot(org.db, 'AccountTeamMember');
      const opportunityTeam = teamSnapshot(org.db, 'OpportunityTeamMember');
      org.faults.set({ latencyMs: 120 });
      const { child, done } = startCli(org, ['apply', '--plan', dir, '--batch-size', '5', '--json']);
      await waitForJournal(dir, 0, (e) => e.type === 'job-closed' && journalLines(dir).filter((j) => j.type === 'job-closed').length >= 2);
      child.kill('SIGKILL');
      expect((await done).signal).toBe('SIGKILL');
      org.faults.set({});

      // When undo is run straight away (no second apply)
      const run = await startCli(org, ['undo', '--plan', dir, '--batch-size', '5', '--json']).done;

      // Then the org is exactly as before the plan: owners and teams
      expect(run.code).toBe(0);
      const { result } = JSON.parse(run.stdout) as { result: OwnershipRunResult };
      const account = result.objects.find((o) => o.sobject === 'Account')!;
      expect(account.succeeded).toBeGreaterThanOrEqual(10);
      expect([account.succeeded + account.skipped, account.failed, account.drifted]).toEqual([20, 0, 0]);
      expect([...new Set(owners(org.db, 'Account', book.accounts).values())]).toEqual([USERS.alice]);
      expect([...new Set(owners(org.db, 'Opportunity', book.openOpps).values())]).toEqual([USERS.alice]);
      expect(teamSnapshot(org.db, 'AccountTeamMember')).toEqual(accountTeam);
      expect(teamSnapshot(org.db, 'OpportunityTeamMember')).toEqual(opportunityTeam);
    } finally {
      await org.close();
    }
  });
});

describe('drift, concurrency, undo and status (end to end)', () => {
  let org: TestOrg;
  let book: Book;
  let dir: string;
  let accountTeam: string[];
  let opportunityTeam: string[];

  beforeAll(async () => {
    org = await withLocalOrg();
    book = loadBook(org.db, 40);
    dir = planDir();
    await planAliceToBob(org, dir, ['opportunities', 'contacts']);
    accountTeam = teamSnapshot(org.db, 'AccountTeamMember');
    opportunityTeam = teamSnapshot(org.db, 'OpportunityTeamMember');
  });

  afterAll(async () => {
    await org?.close();
  });

  it('refuses a second apply while one runs; the running one leaves drifted records alone and reports them', async () => {
    // Given an apply of the plan running slowly (every request takes 150 ms)
    org.faults.set({ latencyMs: 150 });
    const from = journalLines(dir).length;
    const first = applyPlan(await org.connection(), { planDir: dir, batchSize: 5, orgId: org.orgId });
    first.catch(() => undefined); // awaited below; a failed assertion must not leave it unhandled
    await waitForJournal(dir, from, (e) => e.type === 'run-started');
    // and, after it started, the owner of two accounts and one opportunity changed by someone else
    org.db.update('Account', book.accounts[38], { OwnerId: USERS.erin }, { userId: org.userId });
    org.db.update('Account', book.accounts[39], { OwnerId: USERS.erin }, { userId: org.userId });
    org.db.update('Opportunity', book.openOpps[39], { OwnerId: USERS.erin }, { userId: org.userId });

    // When a second apply of the same plan starts
    const second = await startCli(org, ['apply', '--plan', dir, '--json']).done;

    // Then it is refused with the holder named, and changes nothing
    expect(second.code).not.toBe(0);
    const err = JSON.parse(second.stdout) as { name: string; message: string; actions?: string[] };
    expect(err.name).toBe('PlanLocked');
    expect(err.message).toContain(`pid ${process.pid} on`);
    expect(journalLines(dir).filter((e) => e.type === 'run-started')).toHaveLength(1);

    // When the first apply runs to its end
    org.faults.set({});
    const result = await first;

    // Then Erin's records stay hers and are listed in drift.csv; the rest moved
    expect(result.status).toBe('Succeeded');
    expect(result.objects.find((o) => o.sobject === 'Account')).toMatchObject({ planned: 40, succeeded: 38, drifted: 2, failed: 0 });
    expect(result.objects.find((o) => o.sobject === 'Opportunity')).toMatchObject({ planned: 40, succeeded: 39, drifted: 1 });
    expect(org.db.retrieve('Account', book.accounts[38])?.OwnerId).toBe(USERS.erin);
    expect(org.db.retrieve('Opportunity', book.openOpps[39])?.OwnerId).toBe(USERS.erin);
    const drift = csvRows(join(dir, 'drift.csv'));
    expect(drift.map((r) => [r[0], r[1], r[4]]).sort()).toEqual(
      [
        ['Account', book.accounts[38], USERS.erin],
        ['Account', book.accounts[39], USERS.erin],
        ['Opportunity', book.openOpps[39], USERS.erin]
      ].sort()
    );
    expect([...new Set(owners(org.db, 'Account', book.accounts.slice(0, 38)).values())]).toEqual([USERS.bob]);

    // and status, without an org, says the apply succeeded with those counts
    const status = await runStatus(org, dir);
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout) as StatusJson;
    expect(s.result.apply.state).toBe('Succeeded');
    expect(s.result.apply.objects.find((o) => o.sobject === 'Account')).toMatchObject({ succeeded: 38, drifted: 2 });
    expect(s.result.apply.openJobs).toEqual([]);
    expect(s.result.lock).toBeNull();
  });

  it('undo gives every record the apply moved back to its old owner, teams included, and reports what it could not undo', async () => {
    // Given the applied plan; Erin's records were never moved by it, and since the apply
    // one account it moved was handed to Erin by hand
    const handedOn = book.accounts[0];
    org.db.update('Account', handedOn, { OwnerId: USERS.erin }, { userId: org.userId });

    // When undo runs
    const run = await startCli(org, ['undo', '--plan', dir, '--batch-size', '15', '--json']).done;

    // Then every record the apply moved is back with Alice; the hand-moved one is reported as
    // drift of the undo, and the ones the apply never moved are skipped (not touched)
    expect(run.code).toBe(0);
    const { result } = JSON.parse(run.stdout) as { result: OwnershipRunResult };
    expect(result.mode).toBe('undo');
    expect(result.objects.find((o) => o.sobject === 'Account')).toMatchObject({ succeeded: 37, drifted: 1, skipped: 2, failed: 0 });
    expect(result.objects.find((o) => o.sobject === 'Opportunity')).toMatchObject({ succeeded: 39, drifted: 0, skipped: 1, failed: 0 });
    expect([...new Set(owners(org.db, 'Account', book.accounts.slice(1, 38)).values())]).toEqual([USERS.alice]);
    expect(org.db.retrieve('Account', handedOn)?.OwnerId).toBe(USERS.erin);
    expect([...new Set(owners(org.db, 'Opportunity', book.openOpps.slice(0, 39)).values())]).toEqual([USERS.alice]);
    expect([...new Set(owners(org.db, 'Contact', book.contacts).values())]).toEqual([USERS.alice]);
    const undoDrift = csvRows(join(dir, 'undo-drift.csv'));
    expect(undoDrift.map((r) => [r[0], r[1], r[4]])).toEqual([['Account', handedOn, USERS.erin]]);
    // and the teams are exactly as before the apply (but for the records moved by hand: that owner change deleted theirs)
    const byHand = [handedOn, book.accounts[38], book.accounts[39], book.openOpps[39]];
    const keep = (line: string): boolean => !byHand.includes(line.split('|')[0]);
    expect(teamSnapshot(org.db, 'AccountTeamMember')).toEqual(accountTeam.filter(keep));
    expect(teamSnapshot(org.db, 'OpportunityTeamMember')).toEqual(opportunityTeam.filter(keep));
    // and once Erin's records go back to Alice by hand, the org is exactly as before the plan
    for (const id of [handedOn, book.accounts[38], book.accounts[39]]) org.db.update('Account', id, { OwnerId: USERS.alice }, { userId: org.userId });
    org.db.update('Opportunity', book.openOpps[39], { OwnerId: USERS.alice }, { userId: org.userId });
    expect([...new Set(owners(org.db, 'Account', book.accounts).values())]).toEqual([USERS.alice]);
  });
});

describe('rows that fail for good (end to end)', () => {
  it('exits non-zero naming the failure CSV, with the reason per row; after the fix a re-run moves exactly those rows', async () => {
    const org = await withLocalOrg();
    try {
      // Given a plan giving 6 accounts to Bob, and Bob deactivated after the plan was made
      const book = loadBook(org.db, 6);
      const dir = planDir();
      await planAliceToBob(org, dir, []);
      org.db.update('User', USERS.bob, { IsActive: false }, { userId: org.userId });

      // When apply runs
      const run = await startCli(org, ['apply', '--plan', dir, '--json']).done;

      // Then it exits 1, says Failed, and the failure CSV gives each row's error and what to do
      expect(run.code).toBe(1);
      const { status, result } = JSON.parse(run.stdout) as { status: number; result: OwnershipRunResult };
      expect(status).toBe(1);
      expect(result.status).toBe('Failed');
      expect(result.objects[0]).toMatchObject({ sobject: 'Account', planned: 6, succeeded: 0, failed: 6 });
      expect(result.failureFiles).toEqual([join(dir, 'results', 'failures-Account.csv')]);
      const failures = readFileSync(result.failureFiles[0], 'utf8');
      expect(failures.split('\n')[0]).toBe('Id,AccountId,PreviousOwnerId,PlannedOwnerId,ErrorCode,Error,WhatToDo,JobId');
      expect(csvRows(result.failureFiles[0]).map((r) => r[4])).toEqual(Array(6).fill('INACTIVE_OWNER_OR_USER'));
      expect(failures).toContain('Activate the user or plan another owner');
      expect([...new Set(owners(org.db, 'Account', book.accounts).values())]).toEqual([USERS.alice]);

      // When Bob is active again and apply runs again
      org.db.update('User', USERS.bob, { IsActive: true }, { userId: org.userId });
      const again = await applyPlan(await org.connection(), { planDir: dir });

      // Then the six accounts move and the failure CSV is empty again
      expect(again.status).toBe('Succeeded');
      expect(again.objects[0]).toMatchObject({ succeeded: 6, failed: 0 });
      expect([...new Set(owners(org.db, 'Account', book.accounts).values())]).toEqual([USERS.bob]);
      expect(csvRows(join(dir, 'results', 'failures-Account.csv'))).toEqual([]);
    } finally {
      await org.close();
    }
  });

  it('stops with a clear error when the session expires and cannot be refreshed; a re-run after logging in continues', async () => {
    const org = await withLocalOrg();
    try {
      // Given a plan of 12 accounts and a session that expires after a few requests
      const book = loadBook(org.db, 12);
      const dir = planDir();
      await planAliceToBob(org, dir, []);
      const conn = await org.connection();
      org.faults.set({ sessionExpiresAfter: 6 });

      // When apply runs in jobs of 3 rows
      const failure = applyPlan(conn, { planDir: dir, batchSize: 3, jobConcurrency: 1 });

      // Then it stops with SessionExpiredError saying how to log in again, and releases the plan
      await expect(failure).rejects.toBeInstanceOf(SessionExpiredError);
      await expect(failure).rejects.toThrow(/expired and could not be refreshed.*Log in to the org again/s);
      expect(existsSync(join(dir, 'apply.lock'))).toBe(false);

      // When the session is good again and apply runs again
      org.faults.set({});
      const again = await applyPlan(await org.connection(), { planDir: dir, batchSize: 3 });

      // Then every account has moved exactly once
      expect(again.status).toBe('Succeeded');
      expect([...new Set(owners(org.db, 'Account', book.accounts).values())]).toEqual([USERS.bob]);
      expect(csvRows(join(dir, 'results', 'success-Account.csv')).map((r) => r[0]).sort()).toEqual([...book.accounts].sort());
    } finally {
      await org.close();
    }
  });
});
