import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { makeId } from '../../plugin-src/domain/ids.js';
import { runSyncJob } from '../../plugin-src/sync/runner.js';
import { SyncLockedError, lockKey } from '../../plugin-src/sync/runs.js';
import { ownershipDriftJob } from '../../plugin-src/sync/jobs/ownership-drift.js';
import { fixDriftWithApply } from '../../plugin-src/sync/jobs/drift-fix.js';
import { withLocalOrg, type TestOrg } from '../helpers/local-org.js';

const U = {
  alice: makeId('005', 1, 'SYN'), // KAM, owner of the key account
  bob: makeId('005', 2, 'SYN'), // on the account team
  dave: makeId('005', 3, 'SYN') // neither owner nor on the team
};
const ACCOUNT = makeId('001', 1, 'SYN');
const OTHER_ACCOUNT = makeId('001', 2, 'SYN'); // not a key account: never checked
const OPP_BOB = makeId('006', 1, 'SYN');
const OPP_DAVE = makeId('006', 2, 'SYN');
const OPP_DAVE_CLOSED = makeId('006', 3, 'SYN');
const OPP_OTHER = makeId('006', 4, 'SYN');
const CASE_DAVE = makeId('500', 1, 'SYN');

describe('channel sync: the ownership-drift job', () => {
  let org: TestOrg;
  let conn: Connection;
  let workDir: string;

  beforeAll(async () => {
    org = await withLocalOrg();
    const db = org.db;
    db.load(
      'User',
      Object.entries(U).map(([name, Id]) => ({ Id, Username: `${name}@sync.test`, LastName: name, Email: `${name}@sync.test`, Alias: name, IsActive: true, KAM_Capacity__c: name === 'alice' ? 5 : null }))
    );
    db.load('Account', [
      { Id: ACCOUNT, Name: 'Globex', OwnerId: U.alice, Key_Account__c: true, Key_Account_Tier__c: 'Strategic' },
      { Id: OTHER_ACCOUNT, Name: 'Initech', OwnerId: U.alice, Key_Account__c: false }
    ]);
    db.load('AccountTeamMember', [{ Id: makeId('01M', 1, 'SYN'), AccountId: ACCOUNT, UserId: U.bob, TeamMemberRole: 'Sales Rep', AccountAccessLevel: 'Edit', OpportunityAccessLevel: 'Edit', CaseAccessLevel: 'Read', ContactAccessLevel: 'Read' }]);
    db.load('Opportunity', [
      { Id: OPP_BOB, Name: 'Renewal', AccountId: ACCOUNT, OwnerId: U.bob, StageName: 'Prospecting', CloseDate: '2027-03-31' },
      { Id: OPP_DAVE, Name: 'Expansion', AccountId: ACCOUNT, OwnerId: U.dave, StageName: 'Prospecting', CloseDate: '2027-03-31' },
      { Id: OPP_DAVE_CLOSED, Name: 'Old deal', AccountId: ACCOUNT, OwnerId: U.dave, StageName: 'Closed Won', CloseDate: '2025-03-31' },
      { Id: OPP_OTHER, Name: 'Elsewhere', AccountId: OTHER_ACCOUNT, OwnerId: U.dave, StageName: 'Prospecting', CloseDate: '2027-03-31' }
    ]);
    db.load('OpportunityTeamMember', [{ Id: makeId('00q', 1, 'SYN'), OpportunityId: OPP_DAVE, UserId: U.bob, TeamMemberRole: 'Sales Engineer', OpportunityAccessLevel: 'Read' }]);
    db.load('Case', [{ Id: CASE_DAVE, Subject: 'Outage', AccountId: ACCOUNT, OwnerId: U.dave, Status: 'New' }]);
    db.recalculate();
    conn = await org.connection();
    workDir = mkdtempSync(join(tmpdir(), 'sync-work-'));
  });

  afterAll(async () => {
    await org?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  const run = (opts: { full?: boolean; fix?: boolean } = {}) =>
    runSyncJob(conn, ownershipDriftJob(fixDriftWithApply), { full: opts.full ?? false, fix: opts.fix ?? false, workDir });

  it('finds open children of key accounts owned by neither the owner nor the team, and records the run', async () => {
    // When the job runs for the first time
    const first = await run();
    // Then it reports Dave's open opportunity and case — not Bob's (team), not the closed deal, not a non-key account
    expect(first.status).toBe('Succeeded');
    expect(first.since).toBeNull();
    expect(first.details).toMatchObject({ keyAccountsChecked: 1, drift: 2 });
    const report = readFileSync(first.details.report as string, 'utf8');
    expect(report).toContain(OPP_DAVE);
    expect(report).toContain(CASE_DAVE);
    expect(report).not.toContain(OPP_BOB);
    expect(report).not.toContain(OPP_DAVE_CLOSED);
    expect(report).not.toContain(OPP_OTHER);
    // And the run is in the org with its watermark, the lock released
    const rows = await conn.query<{ Status__c: string; Watermark__c: string | null; Lock_Key__c: string | null; Records_Read__c: number }>(
      `SELECT Status__c, Watermark__c, Lock_Key__c, Records_Read__c FROM Channel_Sync_Run__c WHERE Id = '${first.runId}'`
    );
    expect(rows.records[0]).toMatchObject({ Status__c: 'Succeeded', Lock_Key__c: null });
    expect(rows.records[0].Watermark__c).toBeTruthy();
    // And nothing was changed without --fix
    const opp = await conn.sobject('Opportunity').retrieve(OPP_DAVE);
    expect((opp as unknown as { OwnerId: string }).OwnerId).toBe(U.dave);
  });

  it('reads nothing on a second run when nothing changed', async () => {
    const second = await run();
    expect(second.status).toBe('Succeeded');
    expect(second.since).not.toBeNull();
    expect(second.recordsRead).toBe(0);
    expect(second.recordsChanged).toBe(0);
  });

  it('picks up a change made after the last run', async () => {
    // Given Bob's opportunity is handed to Dave
    await conn.sobject('Opportunity').update({ Id: OPP_BOB, OwnerId: U.dave });
    // When the job runs again
    const third = await run();
    // Then it re-checks that key account only, and sees three drifted records
    expect(third.recordsRead).toBeGreaterThan(0);
    expect(third.details).toMatchObject({ keyAccountsChecked: 1, drift: 3 });
  });

  it('refuses to run while another runner holds the lock, and takes over a dead runner\'s lock', async () => {
    // Given a live run of the same job elsewhere
    const now = new Date().toISOString();
    const held = await conn.sobject('Channel_Sync_Run__c').create({
      Job__c: 'ownership-drift', Status__c: 'Running', Started_At__c: now, Heartbeat_At__c: now, Runner__c: 'ci-runner-7:4242', Lock_Key__c: lockKey('ownership-drift')
    });
    // Then a run is refused, naming the holder
    await expect(run()).rejects.toThrow(SyncLockedError);
    await expect(run()).rejects.toThrow(/ci-runner-7:4242/);
    // Given that runner died an hour ago (its heartbeat is old)
    const old = new Date(Date.now() - 3600_000).toISOString();
    await conn.sobject('Channel_Sync_Run__c').update({ Id: held.id, Heartbeat_At__c: old, Started_At__c: old });
    // Then the next run takes over and the dead run is marked Failed
    const taken = await run();
    expect(taken.status).toBe('Succeeded');
    const dead = (await conn.sobject('Channel_Sync_Run__c').retrieve(held.id)) as unknown as { Status__c: string; Lock_Key__c: string | null };
    expect(dead).toMatchObject({ Status__c: 'Failed', Lock_Key__c: null });
  });

  it('with --fix moves the drifted records to the account owner and keeps the opportunity team', async () => {
    const fixed = await run({ full: true, fix: true });
    expect(fixed.status).toBe('Succeeded');
    expect(fixed.recordsChanged).toBe(3);
    const opps = await conn.query<{ Id: string; OwnerId: string }>(`SELECT Id, OwnerId FROM Opportunity WHERE AccountId = '${ACCOUNT}' AND IsClosed = false`);
    expect(opps.records.map((o) => o.OwnerId)).toEqual([U.alice, U.alice]);
    const kase = (await conn.sobject('Case').retrieve(CASE_DAVE)) as unknown as { OwnerId: string };
    expect(kase.OwnerId).toBe(U.alice);
    // The closed deal and the non-key account's deal stay
    const untouched = await conn.query<{ Id: string; OwnerId: string }>(`SELECT Id, OwnerId FROM Opportunity WHERE Id IN ('${OPP_DAVE_CLOSED}', '${OPP_OTHER}')`);
    expect(untouched.records.every((o) => o.OwnerId === U.dave)).toBe(true);
    // The opportunity team the owner change deleted is back
    const team = await conn.query<{ UserId: string; TeamMemberRole: string }>(`SELECT UserId, TeamMemberRole FROM OpportunityTeamMember WHERE OpportunityId = '${OPP_DAVE}'`);
    expect(team.records).toEqual([expect.objectContaining({ UserId: U.bob, TeamMemberRole: 'Sales Engineer' })]);
    // And a later run finds no drift
    const after = await run({ full: true });
    expect(after.details).toMatchObject({ drift: 0 });
  });
});
