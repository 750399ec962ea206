/**
 * A second, independent labelled data set: the local org's seed generator (helper-built, with
 * its own company names, spellings, near misses, baits and an oracle of the expected
 * conflicts). The scan's engine reads the seeded records as they sit in the org and must find
 * the same customers and conflicts with precision and recall ≥ 0.95.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { computeConflicts } from '../../plugin-src/conflicts/scan.js';
import { clusterCustomers } from '../../plugin-src/conflicts/matching.js';
import { DEFAULT_RULES } from '../../plugin-src/conflicts/defaults.js';
import { pairsOf, precisionRecall } from '../../plugin-src/conflicts/synthetic.js';
import { ACCOUNT_FIELDS, LINE_ITEM_FIELDS, OPPORTUNITY_FIELDS } from '../../plugin-src/conflicts/reader.js';
import { Database } from '../../plugin-src/local-org/database.js';
import { loadForceApp, standardSchema } from '../../plugin-src/local-org/schema.js';
import { seedScenario, type SeedTruth } from '../../plugin-src/local-org/seed/index.js';

type Rec = Record<string, unknown>;
const strip = (rows: Rec[]): Rec[] => rows.map(({ attributes: _a, ...r }) => r);

describe('against the seed generator of the local org (its own labelled truth)', () => {
  let truth: SeedTruth;
  let accounts: Rec[];
  let opportunities: Rec[];
  let lineItems: Rec[];

  beforeAll(async () => {
    const schema = standardSchema();
    await loadForceApp(join(process.cwd(), 'force-app'), schema);
    const db = new Database(schema);
    const summary = seedScenario(db, JSON.stringify({ extends: 'scale:6000', conflicts: { duplicateRegistration: 40, directVsPartner: 40, protectedAccount: 30, price: 40 } }), {
      asOf: '2026-06-30',
      truth: true
    });
    truth = summary.truth as SeedTruth;
    accounts = strip(db.query(`SELECT ${ACCOUNT_FIELDS} FROM Account`).records);
    opportunities = strip(db.query(`SELECT ${OPPORTUNITY_FIELDS} FROM Opportunity WHERE IsClosed = false`).records);
    lineItems = strip(db.query(`SELECT ${LINE_ITEM_FIELDS} FROM OpportunityLineItem`).records);
  });

  it('matches the seeded customers with precision and recall ≥ 0.95', () => {
    const partners = new Set(truth.partnerIds);
    const customers = accounts.filter((a) => !partners.has(String(a.Id))) as { Id: string; Name: string }[];
    const clusters = clusterCustomers(customers);
    const pr = precisionRecall(pairsOf(clusters.members.values()), pairsOf(truth.customers.map((c) => c.accountIds)));
    if (process.env.CONFLICTS_REPORT) console.log('customers', pr);
    expect(pr.expected).toBeGreaterThan(500);
    expect(pr.precision).toBeGreaterThanOrEqual(0.95);
    expect(pr.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('finds the oracle conflicts with precision and recall ≥ 0.95', () => {
    const rules = { ...DEFAULT_RULES, ...truth.rules };
    const { conflicts } = computeConflicts(
      { accounts: accounts as { Id: string; Name: string }[], opportunities: opportunities as { Id: string }[], lineItems: lineItems as { OpportunityId: string; Product2Id: string; UnitPrice: number }[] },
      truth.asOf,
      rules
    );
    const id = (c: { type: string; opportunityId: string; conflictingOpportunityId?: string | null; productId?: string | null }): string =>
      [c.type, c.opportunityId, c.type === 'Protected Account' ? '' : c.conflictingOpportunityId ?? '', c.type === 'Price' ? c.productId ?? '' : ''].join('|');
    const pr = precisionRecall(conflicts.map(id), truth.conflicts.map(id));
    if (process.env.CONFLICTS_REPORT) console.log('conflicts', pr);
    expect(pr.expected).toBeGreaterThan(100);
    expect(pr.precision).toBeGreaterThanOrEqual(0.95);
    expect(pr.recall).toBeGreaterThanOrEqual(0.95);
  });
});
