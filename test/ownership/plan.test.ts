/**
 * The ownership planner against the local org (in-process server, real HTTP, real SOQL), with an
 * exactly known fixture: what moves, what stays, what is refused and why.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { buildPlan, PlanError, type PlanContext, type PlanOrg, type PlanRequest } from '../../plugin-src/ownership/plan.js';
import { parsePlanManifest } from '../../plugin-src/ownership/plan-manifest.js';
import { withLocalOrg, type TestOrg } from '../helpers/local-org.js';
import { loadPlanFixture, type PlanFixture } from './plan-fixture.js';

let org: TestOrg;
let conn: Connection;
let fx: PlanFixture;
let work: string;

function planOrg(c: Connection): PlanOrg {
  return {
    query: (soql, options) => c.query(soql, options as never) as never,
    queryMore: (locator, options) => c.queryMore(locator, options as never) as never,
    describe: (sobject) => c.describe(sobject) as never
  };
}

function ctx(extra: Partial<PlanContext> = {}): PlanContext {
  return { org: planOrg(conn), orgId: org.orgId, username: org.username, ...extra };
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

/** Rows of a plan CSV as objects (plan files hold ids and plain words only). */
function rows(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

async function planError(request: PlanRequest, extra: Partial<PlanContext> = {}): Promise<PlanError> {
  try {
    await buildPlan(ctx(extra), request);
  } catch (e) {
    if (e instanceof PlanError) return e;
    throw e;
  }
  throw new Error('expected the plan to be refused');
}


beforeAll(async () => {
  org = await withLocalOrg();
  fx = loadPlanFixture(org.db);
  conn = await org.connection();
  work = mkdtempSync(join(tmpdir(), 'plan-test-'));
});

afterAll(async () => {
  await org?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('planning from a CSV', () => {
  it('moves the accounts and exactly the old owner\'s open children, sorted by account, with the teams captured', async () => {
    // Given a file moving two of rep's accounts to dave (in reverse order, to check sorting)
    const a = fx.accounts;
    const file = csv(`AccountId,NewOwnerId\n${a['Plain Three']},${fx.users.dave}\n${a['Key One']},${fx.users.dave}\n`);
    const dir = outDir();
    // When the plan is built
    const summary = await buildPlan(ctx(), { file, outputDir: dir });
    // Then plan.json is a valid manifest that lists the objects in apply order
    const manifest = parsePlanManifest(readFileSync(join(dir, 'plan.json'), 'utf8'));
    expect(manifest.orgId).toBe(org.orgId);
    expect(manifest.objects.map((o) => o.sobject)).toEqual(['Account', 'Opportunity', 'Contact', 'Case', 'Task', 'Event']);
    expect(manifest.checks).toMatchObject({ errors: [], noOpRows: 0, inputRows: 2 });
    expect(summary.counts).toMatchObject({ Account: 2, Opportunity: 4, Contact: 4, Case: 2, Task: 2, Event: 2, AccountTeamMember: 2, OpportunityTeamMember: 2 });

    const moved = [a['Key One'], a['Plain Three']].sort();
    expect(rows(join(dir, 'Account.csv'))).toEqual(moved.map((id) => ({ Id: id, OldOwnerId: fx.users.rep, NewOwnerId: fx.users.dave, AccountId: id })));
    for (const sobject of ['Opportunity', 'Contact', 'Case', 'Task', 'Event'] as const) {
      const got = rows(join(dir, `${sobject}.csv`));
      const expected = ['Key One', 'Plain Three']
        .flatMap((name) => fx.moving[name][sobject].map((id) => ({ Id: id, OldOwnerId: fx.users.rep, NewOwnerId: fx.users.dave, AccountId: a[name] })))
        .sort((x, y) => (x.AccountId + x.Id < y.AccountId + y.Id ? -1 : 1));
      expect(got).toEqual(expected);
      // none of the records that must stay is in the plan
      expect(got.filter((r) => fx.staying.includes(r.Id))).toEqual([]);
    }
    const team = rows(join(dir, 'AccountTeamMember.csv'));
    expect(team.map((t) => t.Id).sort()).toEqual([...fx.accountTeam['Key One'], ...fx.accountTeam['Plain Three']].sort());
    expect(team[0]).toMatchObject({ UserId: fx.users.other, TeamMemberRole: 'Sales Rep', AccountAccessLevel: 'Edit', ContactAccessLevel: 'Edit' });
    const oppTeam = rows(join(dir, 'OpportunityTeamMember.csv'));
    expect(oppTeam.map((t) => t.Id).sort()).toEqual([...fx.opportunityTeam['Key One'], ...fx.opportunityTeam['Plain Three']].sort());
    // and no working directory is left beside the plan
    expect(readdirSync(work).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('reads the file sf data update bulk takes (Id,OwnerId), with BOM, CRLF, 15-char ids, usernames and a no-op row counted', async () => {
    const a = fx.accounts;
    const file = csv(`\uFEFFId,OwnerId\r\n${a['Bulk 05'].slice(0, 15)},${fx.users.alice.slice(0, 15)}\r\n${a['Dave Owns']},${fx.users.dave}\r\n`);
    const dir = outDir();
    const summary = await buildPlan(ctx(), { file, outputDir: dir, cascade: [] });
    expect(summary.manifest.checks.noOpRows).toBe(1);
    // (with the file's digest, so that apply can tell it is the file plan wrote)
    const sha256 = createHash('sha256').update(readFileSync(join(dir, 'Account.csv'))).digest('hex');
    expect(summary.manifest.objects).toEqual([{ sobject: 'Account', file: 'Account.csv', rows: 1, sha256 }]);
    expect(rows(join(dir, 'Account.csv'))).toEqual([{ Id: a['Bulk 05'], OldOwnerId: fx.users.rep, NewOwnerId: fx.users.alice, AccountId: a['Bulk 05'] }]);
    expect(summary.manifest.checks.warnings.map((w) => w.code)).toContain('NO_OP_ROWS');

    const byName = csv(`AccountId,NewOwnerUsername\n${a['Bulk 06']},${fx.usernames.bob.toUpperCase()}\n`);
    const s2 = await buildPlan(ctx(), { file: byName, outputDir: outDir(), cascade: ['contacts'] });
    expect(s2.manifest.objects.map((o) => [o.sobject, o.rows])).toEqual([['Account', 1], ['Contact', 2]]);
    expect(rows(s2.files.Account)[0].NewOwnerId).toBe(fx.users.bob);
  });

  it('gives the same, sorted files when the work is split into many chunks and sort runs', async () => {
    // Given every Bulk account in a shuffled file
    const names = Object.keys(fx.accounts).filter((k) => k.startsWith('Bulk'));
    const shuffled = [...names].sort((x, y) => (fx.accounts[x].split('').reverse().join('') < fx.accounts[y].split('').reverse().join('') ? -1 : 1));
    const text = `AccountId,NewOwnerId\n${shuffled.map((k) => `${fx.accounts[k]},${fx.users.dave}`).join('\n')}\n`;
    const small = await buildPlan(ctx({ chunkSize: 3, sortRunSize: 2 }), { file: csv(text), outputDir: outDir() });
    const big = await buildPlan(ctx(), { file: csv(text), outputDir: outDir() });
    for (const sobject of ['Account', 'Opportunity', 'Contact', 'Case', 'Task', 'Event', 'AccountTeamMember', 'OpportunityTeamMember']) {
      const s = readFileSync(small.files[sobject], 'utf8');
      expect(s).toBe(readFileSync(big.files[sobject], 'utf8'));
      const keys = rows(small.files[sobject]).map((r) => `${r.AccountId ?? ''}${r.Id}`);
      if (sobject !== 'OpportunityTeamMember') expect(keys).toEqual([...keys].sort());
    }
    expect(small.counts.Account).toBe(names.length);
  });

  it('refuses a file with bad rows, reporting every problem with its row, and writes nothing', async () => {
    const a = fx.accounts;
    const unknownAccount = '001PLN000000zzzzAAA'.slice(0, 15);
    const file = csv(
      [
        'AccountId,NewOwnerId',
        `${a['Bulk 07']},${fx.users.dave}`, // 2 fine
        `001XYZ,${fx.users.dave}`, // 3 malformed id
        `${unknownAccount},${fx.users.dave}`, // 4 unknown account
        `${a['Bulk 07']},${fx.users.alice}`, // 5 duplicate of row 2
        `${a['Bulk 08']},${fx.users.carol}`, // 6 inactive owner
        `"=HYPERLINK(""http://x.example"",""x"")",${fx.users.dave}`, // 7 formula
        `${a['Bulk 09']},005PLN000000zzz`, // 8 unknown user
        `${a['Bulk 10']},${fx.accounts['Bulk 11']}` // 9 not a user id
      ].join('\n')
    );
    const dir = outDir();
    const e = await planError({ file, outputDir: dir });
    expect(e.kind).toBe('ChecksFailed');
    const found = e.issues.map((i) => [i.row, i.code]);
    expect(found).toEqual(
      expect.arrayContaining([
        [3, 'MALFORMED_ID'],
        [4, 'UNKNOWN_ACCOUNT'],
        [5, 'DUPLICATE_ACCOUNT'],
        [6, 'INACTIVE_USER'],
        [7, 'FORMULA_CELL'],
        [8, 'UNKNOWN_USER'],
        [9, 'NOT_A_USER_ID']
      ])
    );
    expect(e.totalIssues).toBe(7);
    expect(e.issues.find((i) => i.code === 'DUPLICATE_ACCOUNT')!.message).toMatch(/Row 5: account .* is already moved by row 2/);
    expect(e.issues.find((i) => i.code === 'INACTIVE_USER')!.message).toMatch(/Row 6, NewOwnerId: carol@plan-fixture.test .* is inactive/);
    // Then there is no plan directory and no leftover working directory
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(work).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('refuses malformed CSV and missing columns with the row named', async () => {
    const e1 = await planError({ file: csv(`AccountId,NewOwnerId\n${fx.accounts['Bulk 05']},"${fx.users.dave}\n`), outputDir: outDir() });
    expect(e1.kind).toBe('InvalidCsv');
    expect(e1.message).toMatch(/row 2/);
    const e2 = await planError({ file: csv(`Account,Owner\nx,y\n`), outputDir: outDir() });
    expect(e2.kind).toBe('MissingColumns');
    const e4 = await planError({ file: csv(`AccountId;NewOwnerId\n${fx.accounts['Bulk 05']};${fx.users.dave}\n`), outputDir: outDir() });
    expect([e4.kind, e4.message]).toEqual(['MissingColumns', expect.stringMatching(/separated by semicolons/)]);
    const e3 = await planError({ file: csv('AccountId,NewOwnerId\n'), outputDir: outDir() });
    expect(e3.kind).toBe('InvalidCsv');
  });

  it('checks KAM capacity of key accounts: not a KAM, over capacity, and --allow-over-capacity', async () => {
    const a = fx.accounts;
    // bob has no KAM capacity; alice may own 2 and owns 1 key account already
    const toBob = await planError({ file: csv(`AccountId,NewOwnerId\n${a['Key One']},${fx.users.bob}\n`), outputDir: outDir() });
    expect(toBob.issues.map((i) => [i.row, i.code])).toEqual([[2, 'NOT_A_KAM']]);
    const both = csv(`AccountId,NewOwnerId\n${a['Key One']},${fx.users.alice}\n${a['Key Two']},${fx.users.alice}\n${a['Plain Three']},${fx.users.alice}\n`);
    const over = await planError({ file: both, outputDir: outDir() });
    expect(over.issues.map((i) => i.code)).toEqual(['OVER_CAPACITY']);
    expect(over.issues[0].message).toMatch(/Rows 2, 3: alice@plan-fixture.test .* may own 2 key account\(s\) .* but would own 3 \(1 now \+ 2 moved in − 0 moved out\)/);
    // one key account fits
    const one = await buildPlan(ctx(), { file: csv(`AccountId,NewOwnerId\n${a['Key Two']},${fx.users.alice}\n`), outputDir: outDir(), cascade: [] });
    expect(one.counts.Account).toBe(1);
    // and with --allow-over-capacity the plan is written with a warning
    const allowed = await buildPlan(ctx(), { file: both, outputDir: outDir(), cascade: [], allowOverCapacity: true });
    expect(allowed.counts.Account).toBe(3);
    expect(allowed.manifest.checks.warnings.map((w) => w.code)).toContain('OVER_CAPACITY');
  });

  it('never overwrites an existing plan directory', async () => {
    const dir = outDir();
    await buildPlan(ctx(), { file: csv(`AccountId,NewOwnerId\n${fx.accounts['Bulk 12']},${fx.users.dave}\n`), outputDir: dir, cascade: [] });
    const e = await planError({ file: csv(`AccountId,NewOwnerId\n${fx.accounts['Bulk 12']},${fx.users.dave}\n`), outputDir: dir });
    expect(e.kind).toBe('OutputDirNotEmpty');
  });
});

describe('planning from a rule', () => {
  it('moves the accounts of --from-user that match --where, by username and email', async () => {
    const dir = outDir();
    const summary = await buildPlan(ctx(), { fromUser: fx.usernames.rep, toUser: 'shared@mail.plan-fixture.test', where: "Industry = 'Energy'", outputDir: dir });
    expect(rows(summary.files.Account)).toEqual([{ Id: fx.accounts['Energy Four'], OldOwnerId: fx.users.rep, NewOwnerId: fx.users.dave, AccountId: fx.accounts['Energy Four'] }]);
    expect(rows(summary.files.Opportunity).map((r) => r.Id).sort()).toEqual([...fx.moving['Energy Four'].Opportunity].sort());
    expect(summary.manifest.inputs).toMatchObject({ file: null, fromUser: fx.usernames.rep, where: "Industry = 'Energy'" });
  });

  it('refuses --where with a second statement or a subquery, an inactive --to-user and an empty match', async () => {
    const base = { fromUser: fx.users.rep, toUser: fx.users.dave };
    const e1 = await planError({ ...base, where: "Name = 'x'; DELETE FROM Account", outputDir: outDir() });
    expect([e1.kind, e1.message]).toEqual(['InvalidWhere', expect.stringMatching(/;/)]);
    const e2 = await planError({ ...base, where: 'Id IN (SELECT AccountId FROM Contact)', outputDir: outDir() });
    expect([e2.kind, e2.issues[0].code]).toEqual(['InvalidWhere', 'SUBQUERY']);
    const e3 = await planError({ fromUser: fx.users.rep, toUser: fx.usernames.carol, outputDir: outDir() });
    expect(e3.issues.map((i) => i.code)).toEqual(['INACTIVE_USER']);
    const e4 = await planError({ ...base, where: "Name = 'No Such Account'", outputDir: outDir() });
    expect(e4.kind).toBe('NoAccountsMatch');
    const e5 = await planError({ fromUser: 'nobody@nowhere.test', toUser: fx.users.dave, outputDir: outDir() });
    expect(e5.kind).toBe('UserNotFound');
  });
});
