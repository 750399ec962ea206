/**
 * A small MDF world with numbers worked out by hand, shared by the unit tests.
 *
 * Northwind (partner), budget 2026: 50,000 + 1,000 accrued (2% of 50,000 closed-won).
 *   R1 Approved  12,000 asked / 10,000 approved, campaign C1, deadline 2026-12-10
 *      claims: 4,000 Paid, 1,500 Approved, 700 Submitted, 300 Rejected
 *   R2 Approved   8,000 / 8,000, campaign C2, deadline 2027-02-28   claims: 8,000 Paid
 *   R3 Closed     6,000 / 5,000, campaign C3, deadline 2026-06-30   claims: 2,000 Paid
 *   R4 Expired    3,000 / 3,000, deadline 2026-05-31                 no claims
 *   R5 Submitted  4,000 asked
 *   R6 Rejected   9,000 asked, campaign C4
 *   R7 Draft      2,500 asked
 * Won deals: C1 60,000 (+ one lost, not counted), C2 10,000, C3 2,000, C4 50,000 (rejected
 * request: not counted).
 * As of 2026-11-25, 30 days:
 *   requested 33,000 (R5 4,000 + R1 12,000 + R2 8,000 + R4 3,000 + R3 6,000)
 *   approved 23,000 (R1 + R2 + R3; Expired R4 handed back)   remaining 51,000 − 23,000 = 28,000
 *   claimed 15,500 (5,500 + 8,000 + 2,000)   paid 14,000   utilization 15,500 / 51,000 = 30.39%
 *   at risk 4,500 (R1: 10,000 − 5,500, deadline in 15 days)   ROI 72,000 / 14,000 = 5.14
 * Acme (partner), budget 2026: 20,000, no requests: everything 0, ROI null.
 * Northwind budget 2025 (ended): R8 Approved 1,000, deadline 2026-12-01, nothing claimed →
 *   still claimable, so it is in the report: at risk 1,000.
 * Acme budget 2025 (ended), nothing claimable → not in the report.
 */
import { makeId } from '../../plugin-src/domain/ids.js';
import type { Budget, Claim, FundRequest, WonOpportunity } from '../../plugin-src/mdf/model.js';
import type { MdfData } from '../../plugin-src/mdf/figures.js';

let seq = 1;
const id = (prefix: string): string => makeId(prefix, seq++, 'TST');

export const NORTHWIND = id('001');
export const ACME = id('001');
export const CAMPAIGNS = { C1: id('701'), C2: id('701'), C3: id('701'), C4: id('701') };

export const BUDGETS = {
  northwind2026: {
    id: id('a00'),
    partnerId: NORTHWIND,
    partnerName: 'Northwind',
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
    amount: 50_000,
    accrualRate: 2,
    accruedAmount: 1_000
  },
  acme2026: {
    id: id('a00'),
    partnerId: ACME,
    partnerName: 'Acme',
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
    amount: 20_000,
    accrualRate: null,
    accruedAmount: 0
  },
  northwind2025: {
    id: id('a00'),
    partnerId: NORTHWIND,
    partnerName: 'Northwind',
    periodStart: '2025-01-01',
    periodEnd: '2025-12-31',
    amount: 5_000,
    accrualRate: null,
    accruedAmount: 0
  },
  acme2025: {
    id: id('a00'),
    partnerId: ACME,
    partnerName: 'Acme',
    periodStart: '2025-01-01',
    periodEnd: '2025-12-31',
    amount: 5_000,
    accrualRate: null,
    accruedAmount: 0
  }
} satisfies Record<string, Budget>;

function request(
  budget: Budget,
  name: string,
  status: FundRequest['status'],
  amountRequested: number,
  amountApproved: number | null,
  claimDeadline: string | null,
  campaignId: string | null = null
): FundRequest {
  return {
    id: id('a01'),
    name,
    budgetId: budget.id,
    status,
    activityType: 'Webinar',
    amountRequested,
    amountApproved,
    campaignId,
    startDate: '2026-03-01',
    endDate: '2026-03-31',
    claimDeadline
  };
}

const nw = BUDGETS.northwind2026;
export const REQUESTS = {
  R1: request(nw, 'R1', 'Approved', 12_000, 10_000, '2026-12-10', CAMPAIGNS.C1),
  R2: request(nw, 'R2', 'Approved', 8_000, 8_000, '2027-02-28', CAMPAIGNS.C2),
  R3: request(nw, 'R3', 'Closed', 6_000, 5_000, '2026-06-30', CAMPAIGNS.C3),
  R4: request(nw, 'R4', 'Expired', 3_000, 3_000, '2026-05-31'),
  R5: request(nw, 'R5', 'Submitted', 4_000, null, null),
  R6: request(nw, 'R6', 'Rejected', 9_000, null, null, CAMPAIGNS.C4),
  R7: request(nw, 'R7', 'Draft', 2_500, null, null),
  R8: {
    ...request(BUDGETS.northwind2025, 'R8', 'Approved', 1_000, 1_000, '2026-12-01'),
    startDate: '2025-10-01',
    endDate: '2025-10-31'
  },
  R9: {
    ...request(BUDGETS.acme2025, 'R9', 'Closed', 1_000, 1_000, '2026-01-31'),
    startDate: '2025-10-01',
    endDate: '2025-10-31'
  }
} satisfies Record<string, FundRequest>;

function claim(req: FundRequest, status: Claim['status'], amount: number, claimDate: string): Claim {
  return { id: id('a02'), requestId: req.id, status, amount, claimDate };
}

export const CLAIMS = {
  r1Paid: claim(REQUESTS.R1, 'Paid', 4_000, '2026-04-15'),
  r1Approved: claim(REQUESTS.R1, 'Approved', 1_500, '2026-05-02'),
  r1Submitted: claim(REQUESTS.R1, 'Submitted', 700, '2026-11-20'),
  r1Rejected: claim(REQUESTS.R1, 'Rejected', 300, '2026-05-03'),
  r2Paid: claim(REQUESTS.R2, 'Paid', 8_000, '2026-10-01'),
  r3Paid: claim(REQUESTS.R3, 'Paid', 2_000, '2026-06-20'),
  r9Paid: claim(REQUESTS.R9, 'Paid', 1_000, '2025-12-20')
} satisfies Record<string, Claim>;

function won(
  campaignId: string | null,
  amount: number,
  closeDate: string,
  registeredPartnerId: string | null = null
): WonOpportunity {
  return { id: id('006'), amount, closeDate, campaignId, registeredPartnerId };
}

export const WON = {
  c1: won(CAMPAIGNS.C1, 60_000, '2026-07-01'),
  c2: won(CAMPAIGNS.C2, 10_000, '2026-10-15'),
  c3: won(CAMPAIGNS.C3, 2_000, '2026-08-01'),
  c4: won(CAMPAIGNS.C4, 50_000, '2026-08-01')
};

export function mdfWorld(): MdfData {
  return {
    budgets: Object.values(BUDGETS),
    requests: Object.values(REQUESTS),
    claims: Object.values(CLAIMS),
    wonOpportunities: Object.values(WON)
  };
}
