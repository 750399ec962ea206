/**
 * The conflicts and mdf sync jobs on the seeded demo org, and `channel sync run/status` as a
 * user runs them (bin/run.js in a child process), including a run killed mid-way.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { scanConflicts } from '../../plugin-src/conflicts/scan.js';
import { runSyncJob } from '../../plugin-src/sync/runner.js';
import { conflictsJob } from '../../plugin-src/sync/jobs/conflicts.js';
import { mdfJob } from '../../plugin-src/sync/jobs/mdf.js';
import { withLocalOrg, type TestOrg } from '../helpers/local-org.js';
import { jsonResult, runPlugin, startPlugin } from '../helpers/run-plugin.js';


describe('channel sync: conflicts and mdf jobs, and the commands', () => {
  let org: TestOrg;
  let conn: Connection;
  let workDir: string;

  beforeAll(async () => {
    org = await withLocalOrg({ seed: 'demo' });
    conn = await org.connection();
    workDir = mkdtempSync(join(tmpdir(), 'sync-jobs-'));
  });

  afterAll(async () => {
    await org?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  const openConflictKeys = async (): Promise<string[]> =>
    (await conn.query<{ Conflict_Key__c: string }>("SELECT Conflict_Key__c FROM Channel_Conflict__c WHERE Status__c = 'Open'")).records
      .map((r) => r.Conflict_Key__c)
      .sort();

  it('conflicts: a first run writes what the scan finds, a second reads nothing, a change is picked up incrementally', async () => {
    const opts = { full: false, fix: false, workDir };
    // When the job runs for the first time (full scan)
    const first = await runSyncJob(conn, conflictsJob(), opts);
    expect(first.status).toBe('Succeeded');
    expect(first.details.mode).toBe('full scan');
    const afterFirst = await openConflictKeys();
    expect(afterFirst.length).toBeGreaterThan(0);

    // When nothing changed
    const second = await runSyncJob(conn, conflictsJob(), opts);
    expect(second.recordsRead).toBe(0);
    expect(second.recordsChanged).toBe(0);

    // Given one conflicting deal is lost
    const victim = (
      await conn.query<{ Opportunity__c: string }>("SELECT Opportunity__c FROM Channel_Conflict__c WHERE Status__c = 'Open' LIMIT 1")
    ).records[0].Opportunity__c;
    await conn.sobject('Opportunity').update({ Id: victim, StageName: 'Closed Lost' });
    // When the job runs again
    const third = await runSyncJob(conn, conflictsJob(), opts);
    // Then it checked only the touched deal and auto-resolved its conflicts
    expect(third.details.mode).toBe('incremental');
    expect(third.details.opportunitiesChecked).toBe(1);
    expect(third.details.autoResolved).toBeGreaterThan(0);
    const victimOpen = await conn.query(
      `SELECT Id FROM Channel_Conflict__c WHERE Status__c = 'Open' AND (Opportunity__c = '${victim}' OR Conflicting_Opportunity__c = '${victim}')`
    );
    expect(victimOpen.totalSize).toBe(0);
    // And the org now holds exactly what a full scan finds
    const scan = await scanConflicts(conn, { asOf: new Date().toISOString().slice(0, 10) });
    const expected = scan.conflicts.filter((c) => c.existingStatus === null || c.existingStatus === 'Open').map((c) => c.key).sort();
    expect(await openConflictKeys()).toEqual(expected);
  });

  it('mdf: runs the accrual when partner deals change, and reads nothing when nothing did', async () => {
    const opts = { full: false, fix: false, workDir };
    const first = await runSyncJob(conn, mdfJob(), opts);
    expect(first.status).toBe('Succeeded');
    const second = await runSyncJob(conn, mdfJob(), opts);
    expect(second.recordsRead).toBe(0);
    expect(second.recordsChanged).toBe(0);
    // Given a budget with an accrual rate and a new closed-won deal of its partner in its period
    const budget = (
      await conn.query<{ Id: string; Partner__c: string; Period_Start__c: string; Accrued_Amount__c: number | null; Accrual_Rate__c: number }>(
        'SELECT Id, Partner__c, Period_Start__c, Accrued_Amount__c, Accrual_Rate__c FROM MDF_Budget__c WHERE Accrual_Rate__c != null ORDER BY Period_Start__c DESC LIMIT 1'
      )
    ).records[0];
    const account = (await conn.query<{ Id: string }>("SELECT Id FROM Account WHERE Type != 'Channel Partner / Reseller' LIMIT 1")).records[0];
    const closeDate = budget.Period_Start__c;
    await conn.sobject('Opportunity').create({
      Name: 'Co-op accrual probe', AccountId: account.Id, StageName: 'Closed Won', CloseDate: closeDate, Amount: 10000,
      Channel__c: 'Partner', Registered_Partner__c: budget.Partner__c
    });
    // When the job runs
    const third = await runSyncJob(conn, mdfJob(), opts);
    // Then the budget's accrual grew by rate % of the deal
    expect(third.status).toBe('Succeeded');
    expect(third.recordsChanged).toBeGreaterThan(0);
    const after = (await conn.sobject('MDF_Budget__c').retrieve(budget.Id)) as unknown as { Accrued_Amount__c: number };
    expect(after.Accrued_Amount__c).toBeCloseTo((budget.Accrued_Amount__c ?? 0) + (10000 * budget.Accrual_Rate__c) / 100, 2);
  });

  it('channel sync run --json runs every job; channel sync status lists the runs', async () => {
    const run = await runPlugin(['channel', 'sync', 'run', '--target-org', org.alias, '--work-dir', workDir, '--json'], org.env);
    expect(run.code).toBe(0);
    const result = jsonResult<{ status: string; jobs: { job: string; status: string }[] }>(run);
    expect(result.status).toBe('Succeeded');
    expect(result.jobs.map((j) => j.job)).toEqual(['conflicts', 'mdf', 'ownership-drift']);
    const status = await runPlugin(['channel', 'sync', 'status', '--target-org', org.alias, '--job', 'mdf', '--json'], org.env);
    expect(status.code).toBe(0);
    const runs = jsonResult<{ runs: { job: string; status: string }[] }>(status).runs;
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.every((r) => r.job === 'mdf')).toBe(true);
  });

  it('a run killed mid-way leaves a lock that the next run takes over, and the repeat succeeds', async () => {
    // Given a slow org, and a run killed once it has taken the lock
    await fetch(`${org.instanceUrl}/__local/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 150 }) });
    const { child, done } = startPlugin(['channel', 'sync', 'run', '--target-org', org.alias, '--job', 'conflicts', '--full', '--work-dir', workDir, '--json'], org.env);
    let running = 0;
    for (let i = 0; i < 200 && running === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      running = (await conn.query("SELECT Id FROM Channel_Sync_Run__c WHERE Job__c = 'conflicts' AND Status__c = 'Running'")).totalSize;
    }
    expect(running).toBe(1);
    child.kill('SIGKILL');
    await done;
    await fetch(`${org.instanceUrl}/__local/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({}) });
    // When the job is run again
    const again = await runPlugin(['channel', 'sync', 'run', '--target-org', org.alias, '--job', 'conflicts', '--work-dir', workDir, '--json'], org.env);
    // Then it takes over the dead run's lock and succeeds; the dead run is marked Failed
    expect(again.code).toBe(0);
    const runs = await conn.query<{ Status__c: string; Lock_Key__c: string | null }>("SELECT Status__c, Lock_Key__c FROM Channel_Sync_Run__c WHERE Job__c = 'conflicts'");
    expect(runs.records.filter((r) => r.Status__c === 'Running')).toHaveLength(0);
    expect(runs.records.filter((r) => r.Lock_Key__c !== null)).toHaveLength(0);
    expect(runs.records.some((r) => r.Status__c === 'Failed')).toBe(true);
  });
});
