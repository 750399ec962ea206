/**
 * End to end against the local org: MDF records with hand-worked numbers are inserted through
 * the API, `channel mdf accrue` and `channel mdf report` run as a user runs them (bin/run.js in
 * a child process, its own sf auth store), and the org's validation rules refuse over-claiming,
 * late claims and over-approval with the deployed rules' messages.
 *
 * Northwind's 2026 budget (50,000 at 2% accrual) as of 2026-11-25:
 *   deals registered by Northwind, closed won in 2026 by the as-of date: 30,000 + 20,000 → accrued 1,000
 *   R1 Approved 10,000 of 12,000, C1, deadline 2026-12-10: claims 4,000 Paid, 1,500 Approved, 700 Submitted, 300 Rejected
 *   R2 Approved 8,000 of 8,000, C2, deadline 2027-02-28: 8,000 Paid
 *   R3 Approved 5,000 of 6,000, C3, deadline 2026-06-30: 2,000 Paid            → accrue closes it
 *   R4 Approved 3,000 of 3,000, deadline 2026-05-31, nothing claimed          → accrue expires it
 *   R5 Submitted 4,000; R6 Rejected 9,000 (C4); R7 Draft 2,500
 *   won on campaigns: C1 60,000 (+ a lost one), C2 10,000, C3 2,000, C4 50,000 (rejected request)
 * → requested 33,000, approved 23,000, claimed 15,500, paid 14,000, remaining 28,000,
 *   utilization 30.39%, at risk 4,500 (R1), ROI 72,000 / 14,000 = 5.14.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type jsforce from 'jsforce';
import { NODE, startE2eOrg, type E2eOrg } from './e2e-org.js';
import { readMdfData, type QueryConnection } from '../../plugin-src/mdf/read.js';
import { checkClaim, checkRequest } from '../../plugin-src/mdf/rules.js';
import type { PartnerFigures } from '../../plugin-src/mdf/figures.js';
import type { AccrueResult } from '../../plugin-src/mdf/accrue.js';
import type { MdfReportResult } from '../../plugin-src/mdf/report.js';

const ROOT = process.cwd();
const BIN = join(ROOT, 'bin/run.js');
const AS_OF = '2026-11-25';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(org: E2eOrg, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    // async spawn: the org serves from this process, so it must keep running meanwhile
    const child = spawn(NODE, [BIN, ...args, '--target-org', org.alias], { env: org.env, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function runJson<T>(
  org: E2eOrg,
  args: string[]
): Promise<{ code: number | null; result: T; run: Run }> {
  const run = await runCli(org, [...args, '--json']);
  let parsed: { result: T };
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    throw new Error(`Not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return { code: run.code, result: parsed.result, run };
}

interface SaveError {
  errorCode?: string;
  name?: string;
  message: string;
}

describe('MDF end to end on the local org', () => {
  let org: E2eOrg;
  let conn: jsforce.Connection;
  let dir: string;
  const ids: Record<string, string> = {};

  async function create(key: string, sobject: string, fields: Record<string, unknown>): Promise<string> {
    const res = (await conn.sobject(sobject).create(fields)) as {
      id: string;
      success: boolean;
      errors?: unknown[];
    };
    if (!res.success) throw new Error(`${key}: ${JSON.stringify(res.errors)}`);
    ids[key] = res.id;
    return res.id;
  }

  /** Tries an insert the org should refuse; returns the error. */
  async function refused(sobject: string, fields: Record<string, unknown>): Promise<SaveError> {
    try {
      const res = (await conn.sobject(sobject).create(fields)) as {
        success: boolean;
        errors?: Array<{ statusCode: string; message: string }>;
      };
      if (res.success) throw new Error(`${sobject} was saved but should have been refused`);
      return { errorCode: res.errors?.[0]?.statusCode, message: res.errors?.[0]?.message ?? '' };
    } catch (e) {
      return e as SaveError;
    }
  }

  const count = async (soql: string): Promise<number> => (await conn.query(soql)).totalSize;

  beforeAll(async () => {
    for (const f of ['lib/commands/channel/mdf/report.js', 'lib/commands/channel/mdf/accrue.js']) {
      if (!existsSync(join(ROOT, f)))
        throw new Error(`${f} is missing: run \`npm run build\` first (npm test does).`);
    }
    dir = mkdtempSync(join(tmpdir(), 'mdf-e2e-'));
    org = await startE2eOrg();
    conn = org.conn;

    const partner = { Type: 'Channel Partner / Reseller' };
    await create('northwind', 'Account', { Name: 'Northwind Traders', ...partner });
    await create('acme', 'Account', { Name: 'Acme Resellers', ...partner });
    await create('customer', 'Account', { Name: 'Contoso Ltd', Type: 'Customer - Channel' });
    for (const c of ['C1', 'C2', 'C3', 'C4']) await create(c, 'Campaign', { Name: `Campaign ${c}` });

    await create('nw2026', 'MDF_Budget__c', {
      Name: 'Northwind FY2026',
      Partner__c: ids.northwind,
      Period_Start__c: '2026-01-01',
      Period_End__c: '2026-12-31',
      Amount__c: 50_000,
      Accrual_Rate__c: 2
    });
    await create('acme2026', 'MDF_Budget__c', {
      Name: 'Acme FY2026',
      Partner__c: ids.acme,
      Period_Start__c: '2026-01-01',
      Period_End__c: '2026-12-31',
      Amount__c: 20_000
    });

    const request = (
      key: string,
      status: string,
      requested: number,
      approved: number | null,
      deadline: string | null,
      campaign?: string
    ) =>
      create(key, 'MDF_Request__c', {
        Budget__c: ids.nw2026,
        Status__c: status,
        Activity_Type__c: 'Webinar',
        Amount_Requested__c: requested,
        Amount_Approved__c: approved,
        Claim_Deadline__c: deadline,
        Campaign__c: campaign ? ids[campaign] : null,
        Start_Date__c: '2026-03-01',
        End_Date__c: '2026-03-31'
      });
    await request('R1', 'Approved', 12_000, 10_000, '2026-12-10', 'C1');
    await request('R2', 'Approved', 8_000, 8_000, '2027-02-28', 'C2');
    await request('R3', 'Approved', 6_000, 5_000, '2026-06-30', 'C3');
    await request('R4', 'Approved', 3_000, 3_000, '2026-05-31');
    await request('R5', 'Submitted', 4_000, null, null);
    await request('R6', 'Rejected', 9_000, null, null, 'C4');
    await request('R7', 'Draft', 2_500, null, null);

    const claim = (key: string, req: string, status: string, amount: number, date: string) =>
      create(key, 'MDF_Claim__c', {
        Request__c: ids[req],
        Status__c: status,
        Amount__c: amount,
        Claim_Date__c: date
      });
    await claim('r1Paid', 'R1', 'Paid', 4_000, '2026-04-15');
    await claim('r1Approved', 'R1', 'Approved', 1_500, '2026-05-02');
    await claim('r1Submitted', 'R1', 'Submitted', 700, '2026-11-20');
    await claim('r1Rejected', 'R1', 'Rejected', 300, '2026-05-03');
    await claim('r2Paid', 'R2', 'Paid', 8_000, '2026-10-01');
    await claim('r3Paid', 'R3', 'Paid', 2_000, '2026-06-20');

    const opp = (key: string, fields: Record<string, unknown>) =>
      create(key, 'Opportunity', { AccountId: ids.customer, StageName: 'Closed Won', ...fields });
    // registered by Northwind: accrual base
    await opp('reg1', {
      Name: 'Reg 1',
      Amount: 30_000,
      CloseDate: '2026-02-10',
      Registered_Partner__c: ids.northwind,
      Channel__c: 'Partner'
    });
    await opp('reg2', {
      Name: 'Reg 2',
      Amount: 20_000,
      CloseDate: '2026-09-30',
      Registered_Partner__c: ids.northwind,
      Channel__c: 'Partner'
    });
    await opp('reg3', {
      Name: 'Reg later',
      Amount: 99_000,
      CloseDate: '2026-12-01',
      Registered_Partner__c: ids.northwind
    });
    await opp('reg4', {
      Name: 'Reg lost',
      Amount: 77_000,
      CloseDate: '2026-03-01',
      StageName: 'Closed Lost',
      Registered_Partner__c: ids.northwind
    });
    await opp('reg5', {
      Name: 'Reg 2025',
      Amount: 55_000,
      CloseDate: '2025-12-31',
      Registered_Partner__c: ids.northwind
    });
    // on the funded campaigns: ROI base
    await opp('won1', { Name: 'Won C1', Amount: 60_000, CloseDate: '2026-07-01', CampaignId: ids.C1 });
    await opp('lost1', {
      Name: 'Lost C1',
      Amount: 99_999,
      CloseDate: '2026-07-02',
      CampaignId: ids.C1,
      StageName: 'Closed Lost'
    });
    await opp('won2', { Name: 'Won C2', Amount: 10_000, CloseDate: '2026-10-15', CampaignId: ids.C2 });
    await opp('won3', { Name: 'Won C3', Amount: 2_000, CloseDate: '2026-08-01', CampaignId: ids.C3 });
    await opp('won4', { Name: 'Won C4', Amount: 50_000, CloseDate: '2026-08-01', CampaignId: ids.C4 });
  });

  afterAll(async () => {
    await org?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accrue --dry-run shows the changes and writes nothing', async () => {
    const { code, result } = await runJson<AccrueResult>(org, [
      'channel',
      'mdf',
      'accrue',
      '--as-of',
      AS_OF,
      '--dry-run'
    ]);
    expect(code).toBe(0);
    expect(result.dryRun).toBe(true);
    expect(result.budgetsUpdated.map((b) => [b.partnerName, b.accrued])).toEqual([
      ['Northwind Traders', 1_000]
    ]);
    expect(result.requestsExpired.map((r) => r.requestId)).toEqual([ids.R4]);
    expect(result.requestsClosed.map((r) => r.requestId)).toEqual([ids.R3]);
    const budget = await conn.sobject('MDF_Budget__c').retrieve(ids.nw2026);
    expect(budget.Accrued_Amount__c ?? 0).toBe(0);
    expect(await count(`SELECT Id FROM MDF_Request__c WHERE Status__c IN ('Expired', 'Closed')`)).toBe(0);
  });

  it('accrue sets the accrual, closes and expires overdue requests, and a second run changes nothing', async () => {
    // When accrue runs as of 2026-11-25
    const first = await runJson<AccrueResult>(org, ['channel', 'mdf', 'accrue', '--as-of', AS_OF]);
    expect(first.code).toBe(0);
    expect(first.result.failures).toEqual([]);
    expect(first.result.budgetsUpdated).toEqual([
      expect.objectContaining({
        budgetId: ids.nw2026,
        wonAmount: 50_000,
        previousAccrued: 0,
        accrued: 1_000,
        claimedTotal: 15_500,
        paidTotal: 14_000,
        fields: ['Accrued_Amount__c', 'Claimed_Total__c', 'Paid_Total__c']
      })
    ]);
    // Then the org holds the accrual and the new statuses, and the formula follows
    const budget = await conn.sobject('MDF_Budget__c').retrieve(ids.nw2026);
    expect(budget).toMatchObject({
      Accrued_Amount__c: 1_000,
      Approved_Total__c: 23_000,
      Remaining__c: 28_000,
      Claimed_Total__c: 15_500,
      Paid_Total__c: 14_000
    });
    const statuses = await conn.query<{ Id: string; Status__c: string }>(
      `SELECT Id, Status__c FROM MDF_Request__c WHERE Id IN ('${ids.R3}', '${ids.R4}') ORDER BY Name`
    );
    expect(Object.fromEntries(statuses.records.map((r) => [r.Id, r.Status__c]))).toEqual({
      [ids.R3]: 'Closed',
      [ids.R4]: 'Expired'
    });

    // When it runs again, nothing changes, in the result or in the org
    const stamp = async () =>
      (
        await conn.query<{ Id: string; SystemModstamp: string }>(
          'SELECT Id, SystemModstamp FROM MDF_Budget__c ORDER BY Id'
        )
      ).records
        .concat(
          (
            await conn.query<{ Id: string; SystemModstamp: string }>(
              'SELECT Id, SystemModstamp FROM MDF_Request__c ORDER BY Id'
            )
          ).records
        )
        .map((r) => `${r.Id}:${r.SystemModstamp}`);
    const before = await stamp();
    const second = await runJson<AccrueResult>(org, ['channel', 'mdf', 'accrue', '--as-of', AS_OF]);
    expect(second.code).toBe(0);
    expect(second.result).toMatchObject({
      budgetsUpdated: [],
      requestsExpired: [],
      requestsClosed: [],
      failures: [],
      unchangedBudgets: 2
    });
    expect(await stamp()).toEqual(before);
  });

  it('report --json gives exactly the hand-worked figures, and writes the CSV and the HTML report', async () => {
    const csv = join(dir, 'mdf.csv');
    const html = join(dir, 'mdf.html');
    const { code, result } = await runJson<MdfReportResult>(org, [
      'channel',
      'mdf',
      'report',
      '--as-of',
      AS_OF,
      '--csv',
      csv,
      '--html',
      html
    ]);
    expect(code).toBe(0);
    const expected: PartnerFigures[] = [
      {
        partnerId: ids.acme,
        partnerName: 'Acme Resellers',
        budgetId: ids.acme2026,
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        budget: 20_000,
        accrued: 0,
        requested: 0,
        approved: 0,
        claimed: 0,
        paid: 0,
        remaining: 20_000,
        utilizationPct: 0,
        atRisk: 0,
        roi: null
      },
      {
        partnerId: ids.northwind,
        partnerName: 'Northwind Traders',
        budgetId: ids.nw2026,
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        budget: 50_000,
        accrued: 1_000,
        requested: 33_000,
        approved: 23_000,
        claimed: 15_500,
        paid: 14_000,
        remaining: 28_000,
        utilizationPct: 30.39,
        atRisk: 4_500,
        roi: 5.14
      }
    ];
    expect(result.partners).toEqual(expected);
    // the remaining figure is the org's own Remaining__c formula
    expect((await conn.sobject('MDF_Budget__c').retrieve(ids.nw2026)).Remaining__c).toBe(
      result.partners[1].remaining
    );
    expect(result.expiring.map((e) => [e.requestId, e.daysLeft, e.atRisk])).toEqual([[ids.R1, 15, 4_500]]);

    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(
      `${ids.northwind},Northwind Traders,${ids.nw2026},2026-01-01,2026-12-31,50000,1000,33000,23000,15500,14000,28000,30.39,4500,5.14`
    );
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<title>MDF report — as of 2026-11-25</title>');
    expect(page).toContain(
      'aria-label="Northwind Traders: 30.4% of 51,000 claimed; paid 14,000, approved 23,000, remaining 28,000"'
    );
    expect(page).not.toMatch(/<script|<link|src=/);

    // On screen: a table; --partner narrows it to one partner
    const table = await runCli(org, [
      'channel',
      'mdf',
      'report',
      '--as-of',
      AS_OF,
      '--partner',
      ids.northwind
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Northwind Traders[^\n]*50,000\.00[^\n]*30\.4%[^\n]*4,500\.00[^\n]*5\.14x/);
    expect(table.stdout).not.toContain('Acme');
  });

  it('rejects a bad --as-of with a clear message and a non-zero exit', async () => {
    const run = await runCli(org, ['channel', 'mdf', 'report', '--as-of', "2026-13-01' OR Id != null"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/is not a date\. Use YYYY-MM-DD/);
  });

  it('the org refuses over-claiming with the validation rule message, as the TypeScript twin does', async () => {
    const data = await readMdfData(conn as unknown as QueryConnection, { asOf: AS_OF });
    const r1 = data.requests.find((r) => r.id === ids.R1)!;
    const r1Claims = data.claims.filter((c) => c.requestId === ids.R1);
    const before = await count('SELECT Id FROM MDF_Claim__c');

    // Given R1 with 10,000 approved and 5,500 claimed: a claim of 4,500.01 is too much
    const submitted = {
      Request__c: ids.R1,
      Status__c: 'Submitted',
      Amount__c: 4_500.01,
      Claim_Date__c: '2026-11-24'
    };
    const e1 = await refused('MDF_Claim__c', submitted);
    expect(e1.errorCode ?? e1.name).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    const twin1 = checkClaim(
      { id: 'new', requestId: ids.R1, status: 'Submitted', amount: 4_500.01, claimDate: '2026-11-24' },
      r1,
      r1Claims,
      AS_OF
    );
    expect(twin1.map((v) => v.rule)).toEqual(['Claim_Within_Remaining_Approved']);
    expect(e1.message).toContain(twin1[0].message);

    // A paid claim that takes the claimed total over the approved amount fails on the request's rule
    const e2 = await refused('MDF_Claim__c', { ...submitted, Status__c: 'Paid' });
    expect(e2.errorCode ?? e2.name).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    const twin2 = checkClaim(
      { id: 'new', requestId: ids.R1, status: 'Paid', amount: 4_500.01, claimDate: '2026-11-24' },
      r1,
      r1Claims,
      AS_OF
    );
    expect(twin2.map((v) => v.rule)).toEqual(['Claims_Within_Approved_Amount']);
    expect(e2.message).toContain(twin2[0].message);

    // Then nothing was saved, and exactly the rest (4,500.00) is accepted
    expect(await count('SELECT Id FROM MDF_Claim__c')).toBe(before);
    await create('r1Rest', 'MDF_Claim__c', { ...submitted, Amount__c: 4_500 });
    await conn.sobject('MDF_Claim__c').destroy(ids.r1Rest);
  });

  it('the org refuses a claim after the deadline and a claim on a request that is not approved', async () => {
    const data = await readMdfData(conn as unknown as QueryConnection, { asOf: AS_OF });
    const r1 = data.requests.find((r) => r.id === ids.R1)!;
    const late = await refused('MDF_Claim__c', {
      Request__c: ids.R1,
      Status__c: 'Submitted',
      Amount__c: 100,
      Claim_Date__c: '2026-12-11'
    });
    expect(late.errorCode ?? late.name).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    const twin = checkClaim(
      { id: 'new', requestId: ids.R1, status: 'Submitted', amount: 100, claimDate: '2026-12-11' },
      r1,
      [],
      AS_OF
    );
    expect(twin.map((v) => v.rule)).toEqual(['Claim_Within_Deadline']);
    expect(late.message).toContain(twin[0].message);

    // R4 was expired by accrue: no new claims on it, even before its (past) deadline
    const onExpired = await refused('MDF_Claim__c', {
      Request__c: ids.R4,
      Status__c: 'Submitted',
      Amount__c: 100,
      Claim_Date__c: '2026-05-01'
    });
    expect(onExpired.errorCode ?? onExpired.name).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(onExpired.message).toContain('Claims can only be submitted on an approved MDF request.');
  });

  it('the org refuses approving more than the budget has left, as the TypeScript twin does', async () => {
    const data = await readMdfData(conn as unknown as QueryConnection, { asOf: AS_OF });
    const budget = data.budgets.find((b) => b.id === ids.nw2026)!;
    const requests = data.requests.filter((r) => r.budgetId === ids.nw2026);
    // 51,000 − 23,000 approved = 28,000 left
    const fields = {
      Budget__c: ids.nw2026,
      Status__c: 'Approved',
      Amount_Requested__c: 30_000,
      Amount_Approved__c: 28_000.01
    };
    const e = await refused('MDF_Request__c', fields);
    expect(e.errorCode ?? e.name).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    const twin = checkRequest(
      {
        id: 'new',
        budgetId: ids.nw2026,
        status: 'Approved',
        amountRequested: 30_000,
        amountApproved: 28_000.01,
        campaignId: null,
        startDate: null,
        endDate: null,
        claimDeadline: null
      },
      budget,
      requests
    );
    expect(twin.map((v) => v.rule)).toEqual(['Approved_Total_Within_Budget']);
    expect(e.message).toContain(twin[0].message);
    expect(await count(`SELECT Id FROM MDF_Request__c WHERE Amount_Requested__c = 30000`)).toBe(0);
    // exactly what is left is accepted
    await create('big', 'MDF_Request__c', { ...fields, Amount_Approved__c: 28_000 });
    expect((await conn.sobject('MDF_Budget__c').retrieve(ids.nw2026)).Remaining__c).toBe(0);
  });

  it('accrue refuses, without writing, an accrual that would leave a budget below what it approved, and exits non-zero', async () => {
    // Given Globex: 1,000 budget + 500 accrued by hand at a 5% rate, 1,400 approved, and no won deals
    await create('globex', 'Account', { Name: 'Globex Channel', Type: 'Channel Partner / Reseller' });
    await create('globex2026', 'MDF_Budget__c', {
      Name: 'Globex FY2026',
      Partner__c: ids.globex,
      Period_Start__c: '2026-01-01',
      Period_End__c: '2026-12-31',
      Amount__c: 1_000,
      Accrual_Rate__c: 5,
      Accrued_Amount__c: 500
    });
    await create('G1', 'MDF_Request__c', {
      Budget__c: ids.globex2026,
      Status__c: 'Approved',
      Amount_Requested__c: 1_400,
      Amount_Approved__c: 1_400,
      Claim_Deadline__c: '2027-01-31'
    });

    // When accrue runs: the accrual would be 0, leaving 1,000 for 1,400 approved
    const { code, result } = await runJson<AccrueResult>(org, ['channel', 'mdf', 'accrue', '--as-of', AS_OF]);

    // Then it exits non-zero, names the budget and the rule, and leaves the org as it was
    expect(code).toBe(1);
    expect(result.failures).toEqual([
      expect.objectContaining({
        sobject: 'MDF_Budget__c',
        id: ids.globex2026,
        rule: 'Approved_Total_Within_Budget'
      })
    ]);
    expect(result.budgetsUpdated).toEqual([]);
    expect((await conn.sobject('MDF_Budget__c').retrieve(ids.globex2026)).Accrued_Amount__c).toBe(500);
    // and the org itself refuses that change with the same rule
    const e = (await conn
      .sobject('MDF_Budget__c')
      .update({ Id: ids.globex2026, Accrued_Amount__c: 0 })
      .then(
        (r) => r as { success: boolean; errors?: Array<{ statusCode: string; message: string }> },
        (err: SaveError) => ({
          success: false,
          errors: [{ statusCode: err.errorCode ?? err.name ?? '', message: err.message }]
        })
      )) as { success: boolean; errors?: Array<{ statusCode: string; message: string }> };
    expect(e.success).toBe(false);
    expect(e.errors?.[0]).toMatchObject({ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' });
    expect(e.errors?.[0].message).toContain(result.failures[0].message);
  });
});
