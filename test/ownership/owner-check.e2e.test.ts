/**
 * The owner check of apply/undo against the local org, through the ways it reads owners:
 * exceptions only (accounts leaving one owner), the window's owners when the exceptions are
 * too many, and the plan files' digests checked before anything is sent. Whatever the way,
 * the outcome must be the same: drifted and deleted records left alone and in drift.csv.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLocalOrg, type TestOrg } from '../helpers/local-org.js';
import { applyPlan, runOwnershipPlan, PlanError } from '../../plugin-src/ownership/apply.js';
import { loadBook, owners, planAliceToBob, USERS } from './apply-fixtures.js';

let work: string;
let n = 0;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'owner-check-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const planDir = (): string => join(work, `plan-${++n}`);

function journal(dir: string, file = 'journal.jsonl'): Array<Record<string, unknown>> {
  const path = join(dir, file);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function csvRows(path: string): string[][] {
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(1).filter(Boolean).map((l) => l.split(','));
}

/** Who owns each account, in the order given. */
function accountOwners(org: TestOrg, ids: readonly string[]): string[] {
  return ids.map((id) => owners(org.db, 'Account', [id]).get(id) ?? '');
}

describe('apply: the owner check', () => {
  it('asks only for the exceptions and still leaves drifted, deleted and already-moved accounts alone', async () => {
    const org = await withLocalOrg();
    try {
      // Given a plan moving Alice's 60 accounts to Bob (no cascade)
      const book = loadBook(org.db, 60);
      const dir = planDir();
      await planAliceToBob(org, dir, []);
      // and, since the plan was made, one account given to Erin, one already to Bob, one deleted
      const ctx = { userId: org.userId };
      org.db.update('Account', book.accounts[3], { OwnerId: USERS.erin }, ctx);
      org.db.update('Account', book.accounts[25], { OwnerId: USERS.bob }, ctx);
      org.db.delete('Account', book.accounts[47], ctx);

      // When it is applied as a large plan is (owners checked window by window of 20)
      const result = await applyPlan(await org.connection(), { planDir: dir, batchSize: 20, bulkOwnerCheckFrom: 1, orgId: org.orgId });

      // Then every window was checked by its exceptions
      expect(journal(dir).find((e) => e.type === 'run-finished')?.ownerChecks).toEqual({ exceptions: 3, byOwner: 0, byId: 0 });
      // and the outcome is exact: 57 moved, the deleted and Erin's in drift.csv, Bob's skipped, nothing failed
      expect(result.status).toBe('Succeeded');
      expect(result.objects).toEqual([{ sobject: 'Account', planned: 60, succeeded: 57, failed: 0, drifted: 2, skipped: 1 }]);
      const expected = book.accounts.map((id, i) => (i === 3 ? USERS.erin : i === 47 ? '' : USERS.bob));
      expect(accountOwners(org, book.accounts)).toEqual(expected);
      const drift = csvRows(join(dir, 'drift.csv')).map((r) => [r[1], r[4]]);
      expect(drift.sort()).toEqual(
        [
          [book.accounts[3], USERS.erin],
          [book.accounts[47], '']
        ].sort()
      );
      expect(csvRows(join(dir, 'results', 'failures-Account.csv'))).toEqual([]);
      expect(csvRows(join(dir, 'results', 'success-Account.csv'))).toHaveLength(57);
    } finally {
      await org.close();
    }
  });

  it('reads the window owners instead when the exceptions are too many, with the same outcome', async () => {
    const org = await withLocalOrg();
    try {
      // Given a plan of 40 accounts, four of which were given to Erin since
      const book = loadBook(org.db, 40);
      const dir = planDir();
      await planAliceToBob(org, dir, []);
      const moved = [1, 2, 3, 30];
      for (const i of moved) org.db.update('Account', book.accounts[i], { OwnerId: USERS.erin }, { userId: org.userId });

      // When it is applied with room for fewer than three exceptions per window of 10
      const result = await applyPlan(await org.connection(), { planDir: dir, batchSize: 10, bulkOwnerCheckFrom: 1, exceptionsLimit: 3, orgId: org.orgId });

      // Then the first window (three exceptions) was read by owner, the other three by their exceptions
      const checks = journal(dir).find((e) => e.type === 'run-finished')?.ownerChecks as Record<string, number>;
      expect(checks).toEqual({ exceptions: 3, byOwner: 1, byId: 0 });
      // and Erin's accounts are untouched and reported, the rest moved
      expect(result.objects[0]).toMatchObject({ planned: 40, succeeded: 36, drifted: 4, failed: 0 });
      expect(accountOwners(org, book.accounts)).toEqual(book.accounts.map((_, i) => (moved.includes(i) ? USERS.erin : USERS.bob)));
    } finally {
      await org.close();
    }
  });

  it('stops asking for exceptions after two windows that did not fit', async () => {
    const org = await withLocalOrg();
    try {
      // Given a plan of 40 accounts where every window of 10 has two accounts given to Erin since
      const book = loadBook(org.db, 40);
      const dir = planDir();
      await planAliceToBob(org, dir, []);
      for (const i of [0, 1, 10, 11, 20, 21, 30, 31]) org.db.update('Account', book.accounts[i], { OwnerId: USERS.erin }, { userId: org.userId });

      // When fewer than two exceptions fit
      const result = await applyPlan(await org.connection(), { planDir: dir, batchSize: 10, bulkOwnerCheckFrom: 1, exceptionsLimit: 2, orgId: org.orgId });

      // Then no window fit, and all four were read by owner (the object stopped asking after two misses)
      expect(journal(dir).find((e) => e.type === 'run-finished')?.ownerChecks).toEqual({ exceptions: 0, byOwner: 4, byId: 0 });
      expect(result.objects[0]).toMatchObject({ planned: 40, succeeded: 32, drifted: 8, failed: 0 });
    } finally {
      await org.close();
    }
  });
});

describe('apply: the plan files are checked before anything is sent', () => {
  it('refuses a plan file changed after planning, and sends nothing', async () => {
    const org = await withLocalOrg();
    try {
      // Given a plan whose Account.csv was edited by hand (Carol instead of Bob for one row: still valid ids)
      const book = loadBook(org.db, 10);
      const dir = planDir();
      await planAliceToBob(org, dir, []);
      const file = join(dir, 'Account.csv');
      writeFileSync(file, readFileSync(file, 'utf8').replace(`,${USERS.bob},`, `,${USERS.carol},`));

      // When it is applied
      const run = applyPlan(await org.connection(), { planDir: dir, orgId: org.orgId });

      // Then it is refused, naming the file and what to do, and no job was created
      await expect(run).rejects.toThrow(PlanError);
      await expect(run).rejects.toThrow(/Account\.csv is not the file channel ownership plan wrote .*Re-run channel ownership plan/);
      expect(journal(dir).filter((e) => e.type === 'job-created')).toEqual([]);
      expect(new Set(accountOwners(org, book.accounts))).toEqual(new Set([USERS.alice]));
    } finally {
      await org.close();
    }
  });

  it('reads a plan without digests (an older plan) whole: a damaged row is refused before any job', async () => {
    const org = await withLocalOrg();
    try {
      // Given a plan whose manifest has no digests
      const book = loadBook(org.db, 12);
      const dir = planDir();
      await planAliceToBob(org, dir, []);
      const manifestFile = join(dir, 'plan.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { objects: Array<Record<string, unknown>> };
      for (const o of manifest.objects) delete o.sha256;
      writeFileSync(manifestFile, JSON.stringify(manifest));
      // and its last row damaged
      const file = join(dir, 'Account.csv');
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.replace(/\n([^\n]*)\n$/, (_m, last: string) => `\n${last.replace(USERS.bob, 'not-an-id')}\n`));

      // When it is applied in jobs of 3 rows, it is refused with the row named, before any job
      const run = applyPlan(await org.connection(), { planDir: dir, batchSize: 3, orgId: org.orgId });
      await expect(run).rejects.toThrow(/Account\.csv row 13: NewOwnerId "not-an-id" is not a Salesforce id/);
      expect(journal(dir).filter((e) => e.type === 'job-created')).toEqual([]);
      expect(new Set(accountOwners(org, book.accounts))).toEqual(new Set([USERS.alice]));

      // and once repaired it applies
      writeFileSync(file, text);
      const result = await applyPlan(await org.connection(), { planDir: dir, batchSize: 3, orgId: org.orgId });
      expect(result.objects[0]).toMatchObject({ planned: 12, succeeded: 12 });
    } finally {
      await org.close();
    }
  });
});

describe('undo: only what the apply moved', () => {
  it('leaves a record someone else gave the new owner before the apply', async () => {
    const org = await withLocalOrg();
    try {
      // Given a plan of 10 accounts, one of which someone gave Bob by hand before the apply
      const book = loadBook(org.db, 10);
      const dir = planDir();
      await planAliceToBob(org, dir, []);
      org.db.update('Account', book.accounts[4], { OwnerId: USERS.bob }, { userId: org.userId });
      const applied = await applyPlan(await org.connection(), { planDir: dir, orgId: org.orgId });
      expect(applied.objects[0]).toMatchObject({ succeeded: 9, skipped: 1 });

      // When the plan is undone
      const undone = await runOwnershipPlan(await org.connection(), { planDir: dir, mode: 'undo', orgId: org.orgId });

      // Then the nine the apply moved are Alice's again, and the one it did not move stays Bob's
      expect(undone.status).toBe('Succeeded');
      expect(undone.objects[0]).toMatchObject({ planned: 10, succeeded: 9, skipped: 1, drifted: 0, failed: 0 });
      expect(accountOwners(org, book.accounts)).toEqual(book.accounts.map((_, i) => (i === 4 ? USERS.bob : USERS.alice)));
    } finally {
      await org.close();
    }
  });
});
