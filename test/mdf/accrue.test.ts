import { describe, it, expect } from '@jest/globals';
import { type AccrualInput, type AccrualPlan, planAccrual } from '../../plugin-src/mdf/accrue.js';
import type { Budget, FundRequest, WonOpportunity } from '../../plugin-src/mdf/model.js';
import { makeId } from '../../plugin-src/domain/ids.js';
import { BUDGETS, CLAIMS, NORTHWIND, ACME, REQUESTS } from './fixtures.js';

const deal = (n: number, partner: string | null, amount: number, closeDate: string): WonOpportunity => ({
  id: makeId('006', 9000 + n, 'ACR'),
  amount,
  closeDate,
  campaignId: null,
  registeredPartnerId: partner
});

/** The org as the accrual sees it, with the roll-ups the org would compute. */
function input(): AccrualInput {
  const withRollups = (r: FundRequest): FundRequest => {
    const claims = Object.values(CLAIMS).filter((c) => c.requestId === r.id);
    const sum = (statuses: string[]) =>
      claims.filter((c) => statuses.includes(c.status)).reduce((s, c) => s + (c.amount ?? 0), 0);
    return { ...r, claimedTotal: sum(['Approved', 'Paid']), paidTotal: sum(['Paid']) };
  };
  const budgets: Budget[] = Object.values(BUDGETS).map((b) => ({ ...b, claimedTotal: 0, paidTotal: 0 }));
  return {
    budgets,
    requests: Object.values(REQUESTS).map(withRollups),
    claims: Object.values(CLAIMS),
    wonOpportunities: [
      deal(1, NORTHWIND, 30_000, '2026-02-10'),
      deal(2, NORTHWIND, 20_000, '2026-09-30'),
      deal(3, NORTHWIND, 99_000, '2026-12-01'), // after the as-of date
      deal(4, NORTHWIND, 7_000, '2025-12-31'), // in the 2025 period, which has no rate
      deal(5, ACME, 40_000, '2026-05-05') // Acme has no rate
    ]
  };
}

/** Applies a plan to the in-memory org, as the org would after the writes. */
function apply(before: AccrualInput, plan: AccrualPlan): AccrualInput {
  const budgets = before.budgets.map((b) => {
    const u = plan.budgets.find((x) => x.budgetId === b.id);
    return u ? { ...b, accruedAmount: u.accrued, claimedTotal: u.claimedTotal, paidTotal: u.paidTotal } : b;
  });
  const requests = before.requests.map((r) => {
    const u = plan.requests.find((x) => x.requestId === r.id);
    return u ? { ...r, status: u.newStatus } : r;
  });
  return { ...before, budgets, requests };
}

describe('MDF accrual and expiry', () => {
  it('accrues the rate on closed-won deals the partner registered in the period, up to the as-of date', () => {
    // Given Northwind 2026 at 2% with 50,000 won in the period by 2026-11-25 (99,000 closes later)
    const plan = planAccrual(input(), '2026-11-25');
    const nw = plan.budgets.find((b) => b.budgetId === BUDGETS.northwind2026.id);
    // Then its accrued amount is 2% × 50,000 = 1,000 — already stored, so only the totals change
    expect(nw).toMatchObject({
      wonAmount: 50_000,
      previousAccrued: 1_000,
      accrued: 1_000,
      claimedTotal: 15_500,
      paidTotal: 14_000
    });
    expect(nw?.fields).toEqual(['Claimed_Total__c', 'Paid_Total__c']);
    // and a rate change is picked up: 3.5% × 50,000 = 1,750
    const i = input();
    const higher = {
      ...i,
      budgets: i.budgets.map((b) => (b.id === BUDGETS.northwind2026.id ? { ...b, accrualRate: 3.5 } : b))
    };
    const p2 = planAccrual(higher, '2026-11-25');
    expect(p2.budgets.find((b) => b.budgetId === BUDGETS.northwind2026.id)).toMatchObject({ accrued: 1_750 });
    // budgets without a rate keep their accrued amount
    expect(plan.budgets.find((b) => b.budgetId === BUDGETS.acme2026.id)).toBeUndefined();
  });

  it('expires overdue approved requests with nothing claimed, closes partly claimed ones, waits on submitted claims', () => {
    // As of 2026-12-11: R1 (deadline 12-10) has a Submitted claim; R8 (12-01) has nothing claimed
    const plan = planAccrual(input(), '2026-12-11');
    expect(plan.requests.map((r) => [r.requestName, r.newStatus])).toEqual([['R8', 'Expired']]);
    expect(plan.awaitingClaimReview.map((r) => [r.requestName, r.submittedClaims])).toEqual([['R1', 1]]);
    // Once the submitted claim is approved, R1 closes (5,500 + 700 claimed of 10,000)
    const i = input();
    const reviewed = {
      ...i,
      claims: i.claims.map((c) =>
        c.id === CLAIMS.r1Submitted.id ? { ...c, status: 'Approved' as const } : c
      )
    };
    const p2 = planAccrual(reviewed, '2026-12-11');
    expect(p2.requests.map((r) => [r.requestName, r.newStatus, r.claimed])).toEqual([
      ['R1', 'Closed', 6_200],
      ['R8', 'Expired', 0]
    ]);
    expect(p2.awaitingClaimReview).toEqual([]);
  });

  it('is idempotent: once applied, a second plan changes nothing', () => {
    const first = planAccrual(input(), '2026-12-11');
    expect(first.budgets.length + first.requests.length).toBeGreaterThan(0);
    const after = apply(input(), first);
    const second = planAccrual(after, '2026-12-11');
    expect(second.budgets).toEqual([]);
    expect(second.requests).toEqual([]);
    expect(second.unchangedBudgets).toBe(after.budgets.filter((b) => b.periodStart <= '2026-12-11').length);
  });

  it('refuses, without writing, an accrual that would leave less than is already approved', () => {
    // Northwind 2026 approved 23,000 on 20,000 + accrual; with 2% of 50,000 it holds 21,000
    const i = input();
    const smaller = {
      ...i,
      budgets: i.budgets.map((b) =>
        b.id === BUDGETS.northwind2026.id ? { ...b, amount: 20_000, accruedAmount: 5_000 } : b
      )
    };
    const plan = planAccrual(smaller, '2026-11-25');
    expect(plan.budgets.find((b) => b.budgetId === BUDGETS.northwind2026.id)).toBeUndefined();
    expect(plan.refused).toEqual([
      expect.objectContaining({
        sobject: 'MDF_Budget__c',
        id: BUDGETS.northwind2026.id,
        rule: 'Approved_Total_Within_Budget'
      })
    ]);
  });

  it('leaves budgets whose period has not started alone', () => {
    const i = input();
    const future: Budget = {
      ...BUDGETS.northwind2026,
      id: makeId('a00', 777, 'ACR'),
      periodStart: '2027-01-01',
      periodEnd: '2027-12-31',
      accruedAmount: 0
    };
    const plan = planAccrual({ ...i, budgets: [...i.budgets, future] }, '2026-11-25');
    expect(plan.budgets.map((b) => b.budgetId)).not.toContain(future.id);
  });
});
