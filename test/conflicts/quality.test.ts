/**
 * Precision and recall of customer matching and of conflict detection against a labelled data
 * set: customers with realistic spellings, planted conflicts of all four types and near-miss
 * negatives, whose expected answers the generator wrote down from what it planted.
 */
import { describe, expect, it } from '@jest/globals';
import { clusterCustomers } from '../../plugin-src/conflicts/matching.js';
import { computeConflicts } from '../../plugin-src/conflicts/scan.js';
import { generateSynthetic, pairsOf, precisionRecall, type ExpectedConflict } from '../../plugin-src/conflicts/synthetic.js';
import { CONFLICT_TYPES } from '../../plugin-src/conflicts/defaults.js';

const conflictId = (c: ExpectedConflict): string =>
  [c.type, c.opportunityId, c.type === 'Protected Account' ? '' : c.conflictingOpportunityId ?? '', c.productId ?? ''].join('|');

describe.each([11, 29])('labelled data set (seed %i, 2 000 customers)', (seed) => {
  const data = generateSynthetic({ customers: 2000, seed });

  it('matches customers with precision and recall ≥ 0.95', () => {
    const clusters = clusterCustomers(data.accounts);
    const truth = new Map<string, string[]>();
    for (const [account, customer] of data.customerOf) truth.set(customer, [...(truth.get(customer) ?? []), account]);
    const pr = precisionRecall(pairsOf(clusters.members.values()), pairsOf(truth.values()));
    if (process.env.CONFLICTS_REPORT) console.log(`seed ${seed} customers`, pr);
    expect(pr.expected).toBeGreaterThan(1000);
    expect(pr.precision).toBeGreaterThanOrEqual(0.95);
    expect(pr.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('finds the planted conflicts of every type with precision and recall ≥ 0.95, and none of the near misses', () => {
    const { conflicts } = computeConflicts({ accounts: data.accounts, opportunities: data.opportunities, lineItems: data.lineItems }, data.asOf);
    const overall = precisionRecall(conflicts.map(conflictId), data.expected.map(conflictId));
    if (process.env.CONFLICTS_REPORT) console.log(`seed ${seed} conflicts`, overall);
    expect(overall.precision).toBeGreaterThanOrEqual(0.95);
    expect(overall.recall).toBeGreaterThanOrEqual(0.95);
    for (const type of CONFLICT_TYPES) {
      const expected = data.expected.filter((c) => c.type === type);
      expect(expected.length).toBeGreaterThan(20);
      const pr = precisionRecall(conflicts.filter((c) => c.type === type).map(conflictId), expected.map(conflictId));
      expect({ type, ok: pr.precision >= 0.95 && pr.recall >= 0.95 }).toEqual({ type, ok: true });
    }
    // the negatives were planted too: scenarios that must produce nothing
    expect(data.scenarios['duplicate-outside-window']).toBeGreaterThan(10);
    expect(data.scenarios['price-within-variance']).toBeGreaterThan(10);
  });
});
