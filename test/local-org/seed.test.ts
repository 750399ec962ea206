import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Database, type Row } from '../../plugin-src/local-org/database.js';
import { clusterCustomers } from '../../plugin-src/conflicts/matching.js';
import { computeConflicts } from '../../plugin-src/conflicts/scan.js';
import { loadForceApp, standardSchema, type Schema } from '../../plugin-src/local-org/schema.js';
import {
  DEMO_SCENARIO,
  DEMO_TERRITORY_MOVE,
  DEMO_USERS,
  NEGATIVE_PLANTS,
  POSITIVE_PLANTS,
  ScenarioError,
  clusterIndex,
  generateCustomers,
  generateScenario,
  resolveScenario,
  seedScenario,
  type SeedSummary
} from '../../plugin-src/local-org/seed/index.js';

const AS_OF = '2026-11-25';
const FORCE_APP = join(process.cwd(), 'force-app');
const PARTNER_TYPE = 'Channel Partner / Reseller';

async function orgSchema(): Promise<Schema> {
  const schema = standardSchema();
  await loadForceApp(FORCE_APP, schema);
  return schema;
}

function rows(db: Database, sobject: string): Row[] {
  return [...db.export(sobject)].filter((r) => !r.IsDeleted);
}

function fingerprint(scenario: string, seed?: number): { hash: string; rows: number } {
  const spec = resolveScenario(scenario);
  const { batches } = generateScenario(seed === undefined ? spec : { ...spec, seed }, { asOf: AS_OF });
  const h = createHash('sha256');
  let n = 0;
  for (const b of batches) {
    h.update(b.sobject);
    for (const r of b.rows) {
      h.update(JSON.stringify(r));
      n++;
    }
  }
  return { hash: h.digest('hex'), rows: n };
}

/** Every reference field of every seeded row points at an existing record of an object it may reference. */
function danglingReferences(db: Database, schema: Schema): string[] {
  const ids = new Map<string, Set<string>>();
  const objects = [...schema.objects.values()].filter((o) => db.count(o.name) > 0);
  for (const o of objects) ids.set(o.name, new Set(rows(db, o.name).map((r) => String(r.Id))));
  const problems: string[] = [];
  for (const o of objects) {
    const refs = [...o.fields.values()].filter((f) => f.type === 'reference' && !f.calculated && f.referenceTo?.length);
    for (const r of rows(db, o.name)) {
      for (const f of refs) {
        const v = r[f.name];
        if (v === null || v === undefined) continue;
        const ok = (f.referenceTo ?? []).some((target) => ids.get(schema.get(target)?.name ?? target)?.has(String(v)));
        if (!ok) problems.push(`${o.name} ${String(r.Id)}.${f.name} = ${String(v)} (expected ${(f.referenceTo ?? []).join('/')})`);
      }
    }
  }
  return problems;
}

describe('seed generator: determinism', () => {
  it('Given the same scenario, seed and as-of date, When generated twice, Then every record is identical', () => {
    const a = fingerprint('demo');
    const b = fingerprint('demo');
    expect(a.rows).toBeGreaterThan(1500);
    expect(b).toEqual(a);
  });

  it('Given another seed, When generated, Then the records differ', () => {
    expect(fingerprint('demo', 7).hash).not.toBe(fingerprint('demo').hash);
  });

  it('Given scale:2000, When generated twice, Then the streams are identical', () => {
    expect(fingerprint('scale:2000')).toEqual(fingerprint('scale:2000'));
  });
});

describe('seed generator: the demo org', () => {
  let schema: Schema;
  let db: Database;
  let summary: SeedSummary;
  const byHandle = (h: keyof typeof DEMO_USERS): string => summary.users[h];

  beforeAll(async () => {
    schema = await orgSchema();
    db = new Database(schema);
    summary = seedScenario(db, 'demo', { asOf: AS_OF });
  });

  it('has the named users: admin, 4 active KAMs with capacity, reps, an inactive rep and an inactive KAM', () => {
    const users = rows(db, 'User');
    expect(users).toHaveLength(14);
    const u = (name: string): Row => users.find((x) => x.Username === name) as Row;
    expect(u(DEMO_USERS.admin).Id).toBe(summary.adminUserId);
    expect(users.filter((x) => x.IsActive && typeof x.KAM_Capacity__c === 'number')).toHaveLength(4);
    expect(u(DEMO_USERS.alice).KAM_Capacity__c).toBe(5);
    expect(u(DEMO_USERS.lena).KAM_Capacity__c).toBe(1);
    expect(users.filter((x) => !x.IsActive).map((x) => x.Username).sort()).toEqual([DEMO_USERS.peter, DEMO_USERS.oliver].sort());
    expect(new Set(users.map((x) => x.Username)).size).toBe(14);
  });

  it('has 10 partners and 200 customer accounts, key accounts within KAM capacity, direct-only accounts', () => {
    const accounts = rows(db, 'Account');
    const partners = accounts.filter((a) => a.Type === PARTNER_TYPE);
    expect(partners).toHaveLength(10);
    expect(accounts.length - partners.length).toBe(200);
    const key = accounts.filter((a) => a.Key_Account__c);
    expect(key.length).toBe(12);
    for (const a of key) expect(['Strategic', 'Key', 'Growth']).toContain(a.Key_Account_Tier__c);
    for (const a of accounts.filter((x) => !x.Key_Account__c)) expect(a.Key_Account_Tier__c).toBeNull();
    const keyOwned = (h: keyof typeof DEMO_USERS): number => key.filter((a) => a.OwnerId === byHandle(h)).length;
    expect([keyOwned('alice'), keyOwned('hiro'), keyOwned('sofia'), keyOwned('lena'), keyOwned('peter'), keyOwned('bob')]).toEqual([2, 3, 3, 1, 1, 2]);
    // Alice can take Bob's two key accounts (2 + 2 ≤ 5): the README move fits her capacity
    expect(keyOwned('alice') + keyOwned('bob')).toBeLessThanOrEqual(5);
    expect(accounts.filter((a) => a.Direct_Only__c).length).toBeGreaterThan(0);
    expect(accounts.filter((a) => a.OwnerId === byHandle('oliver')).length).toBeGreaterThan(0);
  });

  it('gives the territory move (Bob → Alice) accounts with open and closed children and teams', () => {
    expect(DEMO_TERRITORY_MOVE).toEqual({ fromUser: DEMO_USERS.bob, toUser: DEMO_USERS.alice });
    const bob = byHandle('bob');
    const bobAccounts = new Set(rows(db, 'Account').filter((a) => a.OwnerId === bob).map((a) => String(a.Id)));
    expect(bobAccounts.size).toBeGreaterThan(20);
    const of = (sobject: string): Row[] => rows(db, sobject).filter((r) => bobAccounts.has(String(r.AccountId)));
    const opps = of('Opportunity');
    expect(opps.filter((o) => !o.IsClosed && o.OwnerId === bob).length).toBeGreaterThan(0);
    expect(opps.filter((o) => !o.IsClosed && o.OwnerId !== bob).length).toBeGreaterThan(0);
    expect(opps.filter((o) => o.IsClosed).length).toBeGreaterThan(0);
    expect(of('Contact').length).toBeGreaterThan(0);
    expect(of('Case').filter((c) => !c.IsClosed).length).toBeGreaterThan(0);
    expect(of('Case').filter((c) => c.IsClosed).length).toBeGreaterThan(0);
    expect(of('Task').filter((t) => !t.IsClosed && t.OwnerId === bob).length).toBeGreaterThan(0);
    expect(of('Task').filter((t) => t.IsClosed).length).toBeGreaterThan(0);
    expect(of('Event').filter((e) => !e.IsClosed).length).toBeGreaterThan(0);
    expect(of('AccountTeamMember').length).toBeGreaterThan(0);
    const bobOpps = new Set(opps.map((o) => String(o.Id)));
    expect(rows(db, 'OpportunityTeamMember').filter((m) => bobOpps.has(String(m.OpportunityId))).length).toBeGreaterThan(0);
  });

  it('keeps referential integrity: every reference points at an existing record of the right object', () => {
    expect(danglingReferences(db, schema)).toEqual([]);
    const partners = new Set(rows(db, 'Account').filter((a) => a.Type === PARTNER_TYPE).map((a) => a.Id));
    for (const o of rows(db, 'Opportunity')) {
      if (o.Registered_Partner__c) {
        expect(partners.has(o.Registered_Partner__c)).toBe(true);
        expect(o.Channel__c).toBe('Partner');
      } else {
        expect(o.Channel__c).toBe('Direct');
        expect(o.Registration_Status__c).toBeNull();
      }
      expect(partners.has(o.AccountId)).toBe(false);
    }
    for (const b of rows(db, 'MDF_Budget__c')) expect(partners.has(b.Partner__c)).toBe(true);
    // team members never duplicate a user on one record, and the owner is not on the team
    const owner = new Map(rows(db, 'Account').map((a) => [a.Id, a.OwnerId]));
    const seen = new Set<string>();
    for (const m of rows(db, 'AccountTeamMember')) {
      const k = `${String(m.AccountId)}/${String(m.UserId)}`;
      expect(seen.has(k)).toBe(false);
      seen.add(k);
      expect(m.UserId).not.toBe(owner.get(m.AccountId));
    }
  });

  it('writes only fields the org knows', () => {
    expect(summary.unknownFields).toEqual({});
  });

  it('keeps opportunity data consistent: line items priced, amounts summed, registrations dated', () => {
    const items = rows(db, 'OpportunityLineItem');
    const amount = new Map<unknown, number>();
    for (const li of items) {
      expect(li.UnitPrice as number).toBeGreaterThan(0);
      amount.set(li.OpportunityId, (amount.get(li.OpportunityId) ?? 0) + (li.TotalPrice as number));
    }
    for (const o of rows(db, 'Opportunity')) {
      expect(o.Amount as number).toBeCloseTo(amount.get(o.Id) ?? 0, 1);
      if (o.Registration_Expires__c) expect(String(o.Registration_Expires__c) >= String(o.Registration_Date__c)).toBe(true);
      if (o.Registration_Status__c === 'Approved' || o.Registration_Status__c === 'Submitted') expect(o.Registration_Date__c).not.toBeNull();
    }
    const priced = new Set(rows(db, 'Opportunity').filter((o) => o.CampaignId).map((o) => o.Id));
    expect(priced.size).toBeGreaterThan(0);
  });

  it('seeds MDF budgets, requests and claims that respect every MDF rule', () => {
    const budgets = new Map(rows(db, 'MDF_Budget__c').map((b) => [b.Id, b]));
    const requests = rows(db, 'MDF_Request__c');
    const claims = rows(db, 'MDF_Claim__c');
    expect(budgets.size).toBe(20);
    expect(requests.length).toBeGreaterThan(20);
    expect(claims.length).toBeGreaterThan(10);
    const approvedPerBudget = new Map<unknown, number>();
    for (const r of requests) {
      expect(r.Amount_Requested__c as number).toBeGreaterThan(0);
      expect(String(r.End_Date__c) >= String(r.Start_Date__c)).toBe(true);
      if (r.Amount_Approved__c !== null) {
        expect(r.Amount_Approved__c as number).toBeGreaterThan(0);
        expect(r.Amount_Approved__c as number).toBeLessThanOrEqual(r.Amount_Requested__c as number);
        approvedPerBudget.set(r.Budget__c, (approvedPerBudget.get(r.Budget__c) ?? 0) + (r.Amount_Approved__c as number));
      }
      if (r.Status__c === 'Approved') expect(r.Amount_Approved__c).not.toBeNull();
    }
    for (const [id, total] of approvedPerBudget) {
      const b = budgets.get(id) as Row;
      expect(total).toBeLessThanOrEqual((b.Amount__c as number) + (b.Accrued_Amount__c as number));
      expect(db.retrieve('MDF_Budget__c', String(id), ['Remaining__c'])!.Remaining__c as number).toBeGreaterThanOrEqual(0);
    }
    const byRequest = new Map(requests.map((r) => [r.Id, r]));
    const claimed = new Map<unknown, number>();
    for (const c of claims) {
      const r = byRequest.get(c.Request__c) as Row;
      expect(r.Status__c).toBe('Approved');
      expect(c.Amount__c as number).toBeGreaterThan(0);
      expect(String(c.Claim_Date__c) <= String(r.Claim_Deadline__c)).toBe(true);
      expect(String(c.Claim_Date__c) <= AS_OF).toBe(true);
      claimed.set(c.Request__c, (claimed.get(c.Request__c) ?? 0) + (c.Amount__c as number));
    }
    for (const [id, total] of claimed) expect(total).toBeLessThanOrEqual((byRequest.get(id) as Row).Amount_Approved__c as number);
    // the budget's claimed/paid totals equal the sum over its requests (kept by accrue and sync)
    for (const b of budgets.values()) {
      const mine = requests.filter((r) => r.Budget__c === b.Id);
      expect(b.Claimed_Total__c).toBeCloseTo(mine.reduce((n, r) => n + ((r.Claimed_Total__c as number) ?? 0), 0), 2);
      expect(b.Paid_Total__c).toBeCloseTo(mine.reduce((n, r) => n + ((r.Paid_Total__c as number) ?? 0), 0), 2);
    }
    // funds at risk and an approved request past its deadline with nothing claimed exist
    expect(requests.some((r) => r.Status__c === 'Approved' && String(r.Claim_Deadline__c) > AS_OF && String(r.Claim_Deadline__c) <= '2026-12-25')).toBe(true);
    expect(requests.some((r) => r.Status__c === 'Approved' && String(r.Claim_Deadline__c) < AS_OF && !claimed.has(r.Id))).toBe(true);
  });

  it('passes the org\'s own validation rules when each MDF record is saved again', () => {
    const ctx = { userId: summary.adminUserId, now: new Date(`${AS_OF}T12:00:00Z`) };
    for (const b of rows(db, 'MDF_Budget__c')) db.update('MDF_Budget__c', String(b.Id), { Amount__c: b.Amount__c }, ctx);
    for (const r of rows(db, 'MDF_Request__c')) db.update('MDF_Request__c', String(r.Id), { Amount_Requested__c: r.Amount_Requested__c }, ctx);
    for (const c of rows(db, 'MDF_Claim__c')) db.update('MDF_Claim__c', String(c.Id), { Amount__c: c.Amount__c }, ctx);
    for (const o of rows(db, 'Opportunity').filter((x) => x.Registration_Date__c)) db.update('Opportunity', String(o.Id), { Registration_Date__c: o.Registration_Date__c }, ctx);
    expect(rows(db, 'MDF_Claim__c').length).toBeGreaterThan(0);
  });

  it('labels the truth: the issue\'s variants are one customer each, look-alikes are not', () => {
    const truth = summary.truth!;
    const names = (key: string): string[] => {
      const c = truth.customers.find((x) => x.key === key)!;
      return c.accountIds.map((id) => String(rows(db, 'Account').find((a) => a.Id === id)!.Name));
    };
    expect(names('acme')).toEqual(['ACME, Inc.', 'Acme Incorporated', 'acme inc']);
    expect(names('mueller')).toEqual(['Müller GmbH', 'Mueller GmbH']);
    expect(names('iberica')).toEqual(['Compañía Ibérica S.L.', 'Compania Iberica SL']);
    const cluster = clusterIndex(truth);
    const acme = truth.customers.find((x) => x.key === 'acme')!;
    const tools = truth.customers.find((x) => x.key === 'acme-tools')!;
    const foods = truth.customers.find((x) => x.key === 'acme-foods')!;
    expect(new Set(acme.accountIds.map((id) => cluster.get(id))).size).toBe(1);
    expect(cluster.get(tools.accountIds[0])).not.toBe(cluster.get(foods.accountIds[0]));
    expect(truth.nearMisses).toEqual(expect.arrayContaining([{ clusterId: foods.clusterId, of: tools.clusterId, kind: 'descriptor' }]));
    expect(new Set(truth.nearMisses.map((n) => n.kind))).toEqual(new Set(['descriptor', 'country', 'generic']));
    // every customer account is in exactly one cluster, partners in none
    const customerAccounts = rows(db, 'Account').filter((a) => a.Type !== PARTNER_TYPE);
    expect(cluster.size).toBe(customerAccounts.length);
  });

  it('writes realistic variants: the same company\'s records share a domain and a phone number, written differently', () => {
    const truth = summary.truth!;
    const accounts = new Map(rows(db, 'Account').map((a) => [a.Id, a]));
    const multi = truth.customers.filter((c) => c.accountIds.length > 1);
    expect(multi.length).toBeGreaterThan(25);
    const variations = new Set(multi.flatMap((c) => c.variations.flat()));
    for (const v of ['legal', 'case', 'diacritics', 'punctuation', 'typo']) expect(variations).toContain(v);
    const domain = (w: unknown): string | null => (typeof w === 'string' && w ? w.toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').split(/[/?]/)[0] : null);
    const lastDigits = (p: unknown): string | null => (typeof p === 'string' && p ? p.replace(/\D/g, '').slice(-6) : null);
    let differentWebsite = 0;
    let differentPhone = 0;
    for (const c of multi) {
      const recs = c.accountIds.map((id) => accounts.get(id) as Row);
      const domains = new Set(recs.map((r) => domain(r.Website)).filter(Boolean));
      expect(domains.size).toBeLessThanOrEqual(1);
      const phones = new Set(recs.map((r) => lastDigits(r.Phone)).filter(Boolean));
      expect(phones.size).toBeLessThanOrEqual(1);
      if (new Set(recs.map((r) => r.Website).filter(Boolean)).size > 1) differentWebsite++;
      if (new Set(recs.map((r) => r.Phone).filter(Boolean)).size > 1) differentPhone++;
      // each duplicate keeps at least one strong clue
      for (const r of recs) expect(Boolean(r.Website) || Boolean(r.Phone)).toBe(true);
    }
    expect(differentWebsite).toBeGreaterThan(5);
    expect(differentPhone).toBeGreaterThan(5);
  });

  it('plants exactly the asked conflicts, and the rules find nothing else (negatives and baits stay clean)', () => {
    const truth = summary.truth!;
    const count = (kind: string): number => truth.plants.filter((p) => p.kind === kind).length;
    expect(POSITIVE_PLANTS.map(count)).toEqual([DEMO_SCENARIO.conflicts.duplicateRegistration, DEMO_SCENARIO.conflicts.directVsPartner, DEMO_SCENARIO.conflicts.protectedAccount, DEMO_SCENARIO.conflicts.price]);
    for (const k of NEGATIVE_PLANTS) expect(count(k)).toBe(2);
    const typeOf: Record<string, string> = { duplicateRegistration: 'Duplicate Registration', directVsPartner: 'Direct vs Partner', protectedAccount: 'Protected Account', price: 'Price' };
    for (const p of truth.plants) {
      const found = truth.conflicts.filter((c) => c.clusterId === p.clusterId);
      if (p.conflict) {
        expect(found.length).toBeGreaterThan(0);
        expect(new Set(found.map((c) => c.type))).toEqual(new Set([typeOf[p.kind]]));
        for (const c of found) expect(p.opportunityIds).toContain(c.opportunityId);
      } else {
        expect(found).toEqual([]);
      }
    }
    const plantedClusters = new Set(truth.plants.filter((p) => p.conflict).map((p) => p.clusterId));
    for (const c of truth.conflicts) expect(plantedClusters.has(c.clusterId)).toBe(true);
    // at least one conflict of each type spans two differently written records of one customer
    const cluster = clusterIndex(truth);
    const oppAccount = new Map(rows(db, 'Opportunity').map((o) => [o.Id, o.AccountId]));
    const crossRecord = truth.conflicts.filter((c) => c.conflictingOpportunityId && oppAccount.get(c.opportunityId) !== oppAccount.get(c.conflictingOpportunityId));
    expect(new Set(crossRecord.map((c) => c.type))).toEqual(new Set(['Duplicate Registration', 'Direct vs Partner', 'Price']));
    for (const c of crossRecord) expect(cluster.get(String(oppAccount.get(c.opportunityId)))).toBe(cluster.get(String(oppAccount.get(c.conflictingOpportunityId))));
  });
});

describe('seed generator: the labelled truth against the conflict scan', () => {
  it('Given the demo org, When the project\'s matcher and rules run over it, Then they find the labelled customers and conflicts', async () => {
    const db = new Database(await orgSchema());
    const truth = seedScenario(db, 'demo', { asOf: AS_OF }).truth!;
    const partners = new Set(truth.partnerIds);
    const accounts = rows(db, 'Account').filter((a) => !partners.has(a.Id as string)) as never[];

    // pairwise customer matching against the clusters
    const predicted = clusterCustomers(accounts);
    const trueCluster = clusterIndex(truth);
    const ids = [...trueCluster.keys()];
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const same = trueCluster.get(ids[i]) === trueCluster.get(ids[j]);
        const said = predicted.clusterOf.get(ids[i]) === predicted.clusterOf.get(ids[j]);
        if (same && said) tp++;
        else if (said) fp++;
        else if (same) fn++;
      }
    }
    expect(tp / (tp + fp)).toBeGreaterThanOrEqual(0.95);
    expect(tp / (tp + fn)).toBeGreaterThanOrEqual(0.95);

    // conflicts: the scan's findings against the planted ones
    const key = (c: { type: string; opportunityId: string; conflictingOpportunityId?: string | null }): string => `${c.type}|${c.opportunityId}|${c.conflictingOpportunityId ?? ''}`;
    const { conflicts } = computeConflicts({ accounts, opportunities: rows(db, 'Opportunity') as never[], lineItems: rows(db, 'OpportunityLineItem') as never[] }, AS_OF);
    const expected = new Set(truth.conflicts.map(key));
    const found = new Set(conflicts.map(key));
    const hits = [...found].filter((k) => expected.has(k)).length;
    expect(hits / found.size).toBeGreaterThanOrEqual(0.95);
    expect(hits / expected.size).toBeGreaterThanOrEqual(0.95);
  });
});

describe('seed generator: scale scenarios', () => {
  it('Given scale:2000, When seeded, Then 2000 accounts with about 1 contact, 0.5 opportunities and 0.3 cases each, all references intact', async () => {
    const schema = await orgSchema();
    const db = new Database(schema);
    const summary = seedScenario(db, 'scale:2000', { asOf: AS_OF });
    expect(db.count('Account')).toBe(2000);
    const ratio = (o: string): number => db.count(o) / 2000;
    expect(ratio('Contact')).toBeGreaterThan(0.85);
    expect(ratio('Contact')).toBeLessThan(1.2);
    expect(ratio('Opportunity')).toBeGreaterThan(0.4);
    expect(ratio('Opportunity')).toBeLessThan(0.65);
    expect(ratio('Case')).toBeGreaterThan(0.22);
    expect(ratio('Case')).toBeLessThan(0.4);
    expect(summary.counts.Account).toBe(2000);
    expect(summary.unknownFields).toEqual({});
    expect(danglingReferences(db, schema)).toEqual([]);
    expect(summary.truth!.conflicts.length).toBeGreaterThan(0);
    // the named users exist in every scenario
    expect(rows(db, 'User').filter((u) => String(u.Username).startsWith('kam.alice@'))).toHaveLength(1);
  });

  it('Given an org whose running user exists already, When seeded, Then that user is reused, not duplicated', async () => {
    const db = new Database(await orgSchema());
    db.load('User', [{ Id: '005LOC000000001AAA', Username: DEMO_USERS.admin, LastName: 'Admin', Email: DEMO_USERS.admin, IsActive: true }]);
    const summary = seedScenario(db, '{"extends":"demo","accounts":30,"partners":3}', { asOf: AS_OF });
    expect(summary.adminUserId).toBe('005LOC000000001AAA');
    // the other named users keep the ids they have in any demo org
    expect(summary.users.alice).toBe(seedScenario(new Database(await orgSchema()), 'demo', { asOf: AS_OF }).users.alice);
    expect(JSON.parse(JSON.stringify(summary)).truth).toMatch(/customers/);
    expect(rows(db, 'User').filter((u) => u.Username === DEMO_USERS.admin)).toHaveLength(1);
    expect(rows(db, 'Campaign').every((c) => c.OwnerId === '005LOC000000001AAA' || c.OwnerId === summary.users.ines)).toBe(true);
  });

  it('Given a chunk size, When generated, Then accounts stream in bounded batches, each followed by its children', () => {
    const { batches } = generateScenario('{"extends":"scale:3000","chunkSize":500}', { asOf: AS_OF });
    const seen = new Set<string>();
    let accountBatches = 0;
    for (const b of batches) {
      if (b.sobject === 'Account') {
        accountBatches++;
        expect(b.rows.length).toBeLessThanOrEqual(500 + 3);
        for (const r of b.rows) seen.add(String(r.Id));
      }
      if (b.sobject === 'Contact' || b.sobject === 'Case' || b.sobject === 'AccountTeamMember') {
        // parents are always loaded before their children
        for (const r of b.rows) expect(seen.has(String(r.AccountId))).toBe(true);
      }
    }
    expect(accountBatches).toBeGreaterThanOrEqual(6);
    expect(seen.size).toBe(3000);
  });

  it('streams customers without a database: generateCustomers gives labelled clusters', () => {
    const clusters = [...generateCustomers({ seed: 3, accounts: 500, duplicateRate: 0.3, maxDuplicates: 3, nearMissRate: 0.1 })];
    expect(clusters.reduce((n, c) => n + c.accounts.length, 0)).toBe(500);
    expect(new Set(clusters.flatMap((c) => c.accounts.map((a) => a.row.Id))).size).toBe(500);
    expect(new Set(clusters.map((c) => c.company.domain).filter(Boolean)).size).toBe(clusters.filter((c) => c.company.domain).length);
    const twins = clusters.filter((c) => c.company.nearMissOf !== undefined);
    expect(twins.length).toBeGreaterThan(10);
    for (const t of twins) {
      const of = clusters.find((c) => c.company.clusterId === t.company.nearMissOf)!;
      expect(t.company.brand).toBe(of.company.brand);
      expect(t.company.name).not.toBe(of.company.name);
    }
  });
});

describe('seed scenarios: resolution and validation', () => {
  it('reads demo, scale:N, JSON text and JSON files that extend them', () => {
    expect(resolveScenario('demo').accounts).toBe(200);
    for (const n of [0, 3, 10, 100000]) {
      const scale = resolveScenario(`scale:${n}`);
      expect(scale.accounts + scale.partners).toBe(n);
    }
    const inline = resolveScenario('{"extends":"demo","accounts":40,"conflicts":{"price":0.5}}');
    expect(inline.accounts).toBe(40);
    expect(inline.conflicts.price).toBe(0.5);
    expect(inline.conflicts.duplicateRegistration).toBe(DEMO_SCENARIO.conflicts.duplicateRegistration);
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    try {
      const file = join(dir, 'scenario.json');
      writeFileSync(file, JSON.stringify({ extends: 'scale:5000', seed: 9, customers: { duplicateRate: 0.5 } }));
      const fromFile = resolveScenario(file);
      expect(fromFile.seed).toBe(9);
      expect(fromFile.customers.duplicateRate).toBe(0.5);
      expect(fromFile.customers.nearMissRate).toBe(resolveScenario('scale:5000').customers.nearMissRate);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad scenarios with the key named', () => {
    expect(() => resolveScenario('{"extends":"demo","customers":{"duplicateRat":0.1}}')).toThrow(ScenarioError);
    expect(() => resolveScenario('{"extends":"demo","customers":{"duplicateRat":0.1}}')).toThrow(/customers/);
    expect(() => resolveScenario('{"extends":"demo","children":{"closedCaseRate":2}}')).toThrow(/children\.closedCaseRate/);
    expect(() => resolveScenario('{"extends":"demo","conflicts":{"price":2.5}}')).toThrow(/conflicts\.price/);
    expect(() => resolveScenario('{"extends":"nope"}')).toThrow(/extends/);
    expect(() => resolveScenario('no-such-file.json')).toThrow(/demo, scale:N/);
  });
});
