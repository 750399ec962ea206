import { describe, it, expect } from '@jest/globals';
import { computeFigures, expiringFunds, budgetsInScope } from '../../plugin-src/mdf/figures.js';
import { BUDGETS, CLAIMS, NORTHWIND, REQUESTS, WON, mdfWorld } from './fixtures.js';

describe('MDF figures per partner and budget period', () => {
  it('gives the hand-worked figures of the Northwind 2026 budget as of 2026-11-25', () => {
    // Given the MDF world of fixtures.ts
    // When the figures are computed as of 2026-11-25 with the default 30-day window
    const rows = computeFigures(mdfWorld(), { asOf: '2026-11-25' });
    // Then Northwind 2026 has exactly the numbers worked out by hand
    const nw = rows.find((r) => r.budgetId === BUDGETS.northwind2026.id);
    expect(nw).toEqual({
      partnerId: NORTHWIND,
      partnerName: 'Northwind',
      budgetId: BUDGETS.northwind2026.id,
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
    });
  });

  it('covers current budgets and ended ones that still hold claimable funds, sorted by partner then period', () => {
    const rows = computeFigures(mdfWorld(), { asOf: '2026-11-25' });
    expect(rows.map((r) => r.budgetId)).toEqual([
      BUDGETS.acme2026.id,
      BUDGETS.northwind2025.id,
      BUDGETS.northwind2026.id
    ]);
    // Acme 2026 has no requests: zeros, and no ROI because nothing is paid
    expect(rows[0]).toMatchObject({
      budget: 20_000,
      approved: 0,
      claimed: 0,
      remaining: 20_000,
      utilizationPct: 0,
      atRisk: 0,
      roi: null
    });
    // Northwind 2025 ended, but R8 (1,000, nothing claimed) can be claimed until 2026-12-01
    expect(rows[1]).toMatchObject({
      approved: 1_000,
      claimed: 0,
      remaining: 4_000,
      atRisk: 1_000,
      roi: null
    });
  });

  it('counts funds at risk only for deadlines inside the window', () => {
    // A 10-day window ends 2026-12-05: R8 (2026-12-01) is in, R1 (2026-12-10) is out
    const rows = computeFigures(mdfWorld(), { asOf: '2026-11-25', expiringWithinDays: 10 });
    expect(rows.find((r) => r.budgetId === BUDGETS.northwind2026.id)?.atRisk).toBe(0);
    expect(rows.find((r) => r.budgetId === BUDGETS.northwind2025.id)?.atRisk).toBe(1_000);
    // A 100-day window also takes R2, but R2 is fully claimed: nothing more at risk
    const wide = computeFigures(mdfWorld(), { asOf: '2026-11-25', expiringWithinDays: 100 });
    expect(wide.find((r) => r.budgetId === BUDGETS.northwind2026.id)?.atRisk).toBe(4_500);
  });

  it('does not count claims dated or deals closed after the as-of date', () => {
    // As of 2026-09-30: R2's 8,000 paid claim (2026-10-01) and the C2 deal (2026-10-15) are later
    const rows = computeFigures(mdfWorld(), { asOf: '2026-09-30' });
    const nw = rows.find((r) => r.budgetId === BUDGETS.northwind2026.id)!;
    expect(nw.claimed).toBe(7_500);
    expect(nw.paid).toBe(6_000);
    expect(nw.roi).toBe(10.33); // (60,000 + 2,000) / 6,000
    // and a budget not started yet is not shown
    expect(computeFigures(mdfWorld(), { asOf: '2024-12-31' })).toEqual([]);
  });

  it('filters to one partner', () => {
    const rows = computeFigures(mdfWorld(), { asOf: '2026-11-25', partnerId: NORTHWIND });
    expect(rows.every((r) => r.partnerId === NORTHWIND)).toBe(true);
    expect(rows).toHaveLength(2);
  });

  it('adds money in cents, so 0.10 + 0.20 claimed is 0.30', () => {
    const world = mdfWorld();
    const data = {
      ...world,
      claims: [
        { ...CLAIMS.r1Paid, amount: 0.1 },
        { ...CLAIMS.r1Approved, amount: 0.2 }
      ],
      wonOpportunities: [WON.c1]
    };
    const nw = computeFigures(data, { asOf: '2026-11-25' }).find(
      (r) => r.budgetId === BUDGETS.northwind2026.id
    )!;
    expect(nw.claimed).toBe(0.3);
    expect(nw.paid).toBe(0.1);
    expect(nw.atRisk).toBe(9_999.7);
  });

  it('lists expiring funds soonest first with days left', () => {
    const list = expiringFunds(mdfWorld(), { asOf: '2026-11-25' });
    expect(
      list.map((e) => [e.requestName, e.claimDeadline, e.daysLeft, e.approved, e.claimed, e.atRisk])
    ).toEqual([
      ['R8', '2026-12-01', 6, 1_000, 0, 1_000],
      ['R1', '2026-12-10', 15, 10_000, 5_500, 4_500]
    ]);
  });

  it('leaves out an ended budget whose funds can no longer be claimed', () => {
    const inScope = budgetsInScope(mdfWorld(), { asOf: '2026-11-25' }).map((b) => b.id);
    expect(inScope).not.toContain(BUDGETS.acme2025.id);
    // once R8's deadline has passed, Northwind 2025 drops out too
    const later = budgetsInScope(mdfWorld(), { asOf: '2026-12-02' }).map((b) => b.id);
    expect(later).not.toContain(BUDGETS.northwind2025.id);
    expect(REQUESTS.R8.claimDeadline).toBe('2026-12-01');
  });
});
