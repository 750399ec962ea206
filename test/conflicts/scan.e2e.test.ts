/**
 * End to end against the local org: seed customers with planted conflicts, run
 * `channel conflicts scan` and `check` as a user would (bin/run.js in a child process), and
 * check Channel_Conflict__c in the org afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateSynthetic, type SyntheticData } from '../../plugin-src/conflicts/synthetic.js';
import { withLocalOrg, type TestOrg } from '../helpers/local-org.js';

const root = process.cwd();
const node = join(root, 'node_modules', '.bin', 'node');

interface ConflictRow {
  Id: string;
  Conflict_Key__c: string;
  Status__c: string;
  Type__c: string;
  Opportunity__c: string;
  Conflicting_Opportunity__c: string | null;
  Resolution__c: string | null;
}

interface Run {
  code: number | null;
  // the --json envelope: { status, result: ConflictsScanResult | ConflictsCheckResult } or { status, message }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: { status: number; result: Record<string, any>; message?: string };
  stderr: string;
}

function runCli(org: TestOrg, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [join(root, 'bin', 'run.js'), 'channel', 'conflicts', ...args, '--target-org', org.alias, '--json'], { env: org.env, cwd: root });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, json: JSON.parse(out), stderr: err });
      } catch {
        reject(new Error(`not JSON (exit ${code}): ${out}\n${err}`));
      }
    });
  });
}

function loadInto(org: TestOrg, data: SyntheticData): void {
  const owner = org.userId;
  org.db.load('Account', [...data.partners, ...data.accounts].map((a) => ({ ...a, OwnerId: owner })));
  org.db.load('Product2', data.products.map((Id, i) => ({ Id, Name: `Product ${i + 1}`, IsActive: true })));
  org.db.load(
    'Opportunity',
    data.opportunities.map((o) => ({ ...o, OwnerId: owner, StageName: o.IsClosed ? 'Closed Won' : o.StageName }))
  );
  org.db.load('OpportunityLineItem', data.lineItems.map((l) => ({ ...l, TotalPrice: l.UnitPrice * l.Quantity })));
  org.db.recalculate();
}

const conflictRows = (org: TestOrg): ConflictRow[] =>
  org.db.query('SELECT Id, Conflict_Key__c, Status__c, Type__c, Opportunity__c, Conflicting_Opportunity__c, Resolution__c FROM Channel_Conflict__c').records as unknown as ConflictRow[];

describe('channel conflicts scan / check against the local org', () => {
  let org: TestOrg;
  let data: SyntheticData;
  let dir: string;

  beforeAll(async () => {
    org = await withLocalOrg();
    data = generateSynthetic({ customers: 60, seed: 3, partners: 6 });
    loadInto(org, data);
    dir = await mkdtemp(join(tmpdir(), 'conflicts-e2e-'));
  });
  afterAll(async () => {
    await org?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('finds the planted conflicts on a dry run, writes nothing to the org, and writes the CSV', async () => {
    // Given an org with planted conflicts and no Channel_Conflict__c
    // When the ops user scans without --write
    const csv = join(dir, 'conflicts.csv');
    const run = await runCli(org, ['scan', '--as-of', data.asOf, '--output', csv]);
    // Then the planted conflicts are reported, and the org holds no conflict record
    expect(run.code).toBe(0);
    const found = new Set((run.json.result.conflicts as { type: string; opportunityId: string }[]).map((c) => `${c.type}|${c.opportunityId}`));
    const planted = data.expected.map((e) => `${e.type}|${e.opportunityId}`);
    const hits = planted.filter((p) => found.has(p)).length;
    expect(planted.length).toBeGreaterThan(10);
    expect(hits / planted.length).toBeGreaterThanOrEqual(0.95);
    expect(run.json.result.dryRun).toBe(true);
    expect(run.json.result.written).toMatchObject({ created: 0, updated: 0, autoResolved: 0 });
    expect(conflictRows(org)).toHaveLength(0);
    const text = await readFile(csv, 'utf8');
    expect(text.split('\n')[0]).toBe('Type,Key,Severity,AccountId,OpportunityId,ConflictingOpportunityId,PartnerId,ProductId,Score,Rule,Reason,StatusInOrg');
    expect(text.trim().split('\n')).toHaveLength(run.json.result.conflicts.length + 1);
  });

  it('--write creates one Channel_Conflict__c per conflict, and a re-run creates no duplicates', async () => {
    // first run: reads and writes through Bulk API 2.0 jobs (thresholds 0), the re-run through REST
    const first = await runCli(org, ['scan', '--as-of', data.asOf, '--write', '--bulk-threshold', '0', '--bulk-write-threshold', '0']);
    expect(first.code).toBe(0);
    const n = first.json.result.conflicts.length;
    expect(first.json.result.written).toMatchObject({ created: n, updated: 0, autoResolved: 0, failed: 0 });
    const rows = conflictRows(org);
    expect(rows).toHaveLength(n);
    expect(rows.every((r) => r.Status__c === 'Open')).toBe(true);
    expect(new Set(rows.map((r) => r.Conflict_Key__c)).size).toBe(n);

    const second = await runCli(org, ['scan', '--as-of', data.asOf, '--write']);
    expect(second.code).toBe(0);
    expect(second.json.result.written).toMatchObject({ created: 0, updated: n, autoResolved: 0 });
    expect(conflictRows(org)).toHaveLength(n);
  });

  it('leaves conflicts people resolved untouched and auto-resolves a conflict that no longer holds', async () => {
    const rows = conflictRows(org);
    // Given a rep resolved one conflict, and another conflict's deal was closed
    const resolved = rows.find((r) => r.Type__c === 'Duplicate Registration') as ConflictRow;
    org.db.update('Channel_Conflict__c', resolved.Id, { Status__c: 'Resolved', Resolution__c: 'Agreed with both partners' }, { userId: org.userId });
    const gone = rows.find((r) => r.Type__c === 'Direct vs Partner' && r.Id !== resolved.Id) as ConflictRow;
    org.db.update('Opportunity', gone.Opportunity__c, { StageName: 'Closed Lost' }, { userId: org.userId });
    expect(org.db.retrieve('Opportunity', gone.Opportunity__c, ['IsClosed'])?.IsClosed).toBe(true);

    // When the scan runs again with --write
    const run = await runCli(org, ['scan', '--as-of', data.asOf, '--write']);
    expect(run.code).toBe(0);

    // Then the resolved conflict keeps its status and note, the gone one is Auto-Resolved
    const after = new Map(conflictRows(org).map((r) => [r.Id, r]));
    expect(after.get(resolved.Id)).toMatchObject({ Status__c: 'Resolved', Resolution__c: 'Agreed with both partners' });
    expect(after.get(gone.Id)?.Status__c).toBe('Auto-Resolved');
    expect(run.json.result.written.autoResolved).toBeGreaterThanOrEqual(1);
    expect(run.json.result.written.untouched).toBeGreaterThanOrEqual(1);
    expect(after.size).toBe(rows.length);

    // And when the deal is reopened, the next scan puts the same conflict back to Open (no new record)
    org.db.update('Opportunity', gone.Opportunity__c, { StageName: 'Prospecting' }, { userId: org.userId });
    const again = await runCli(org, ['scan', '--as-of', data.asOf, '--write']);
    expect(again.json.result.written.created).toBe(0);
    const reopened = new Map(conflictRows(org).map((r) => [r.Id, r]));
    expect(reopened.get(gone.Id)?.Status__c).toBe('Open');
    expect(reopened.get(resolved.Id)?.Status__c).toBe('Resolved');
    expect(reopened.size).toBe(rows.length);
  });

  it('check --opportunity shows the conflicts of one deal, with their status in the org', async () => {
    const planted = data.expected.find((e) => e.type === 'Price') as { opportunityId: string; conflictingOpportunityId?: string };
    const started = Date.now();
    const run = await runCli(org, ['check', '--opportunity', planted.opportunityId, '--as-of', data.asOf]);
    expect(run.code).toBe(0);
    const conflicts = run.json.result.conflicts as { type: string; opportunityId: string; conflictingOpportunityId: string; existingStatus: string }[];
    expect(conflicts).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'Price', opportunityId: planted.opportunityId, conflictingOpportunityId: planted.conflictingOpportunityId, existingStatus: 'Open' })])
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('rejects a bad config naming the key, and a missing opportunity, with non-zero exits', async () => {
    const { writeFile } = await import('node:fs/promises');
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ priceVariancePct: -5, matching: { treshold: 0.9 } }));
    const run = await runCli(org, ['scan', '--config', bad]);
    expect(run.code).not.toBe(0);
    expect(run.json.message).toContain('priceVariancePct');
    expect(run.json.message).toContain('matching.treshold');
    const missing = await runCli(org, ['check', '--opportunity', '006000000000000AAA']);
    expect(missing.code).not.toBe(0);
    expect(missing.json.message).toContain('006000000000000AAA');
  });
});
