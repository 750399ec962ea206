import { describe, it, expect } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import {
  MDF_RULES,
  checkBudget,
  checkClaim,
  checkRequest,
  remainingFor
} from '../../plugin-src/mdf/rules.js';
import type { Claim, FundRequest } from '../../plugin-src/mdf/model.js';
import { BUDGETS, CLAIMS, REQUESTS } from './fixtures.js';

const OBJECTS = join(process.cwd(), 'force-app/main/default/objects');

function deployedRules(sobject: string): Map<string, { message: string; field?: string; active: boolean }> {
  const dir = join(OBJECTS, sobject, 'validationRules');
  const parser = new XMLParser();
  const out = new Map<string, { message: string; field?: string; active: boolean }>();
  for (const file of readdirSync(dir)) {
    const rule = parser.parse(readFileSync(join(dir, file), 'utf8')).ValidationRule;
    out.set(rule.fullName, {
      message: rule.errorMessage,
      field: rule.errorDisplayField,
      active: rule.active === true
    });
  }
  return out;
}

const names = (v: { rule: string }[]): string[] => v.map((x) => x.rule).sort();

describe('MDF rules (the TypeScript twins of the validation rules)', () => {
  it('use the names, fields and messages of the rules deployed in force-app, and cover every MDF rule', () => {
    const twins = Object.values(MDF_RULES);
    for (const sobject of ['MDF_Budget__c', 'MDF_Request__c', 'MDF_Claim__c'] as const) {
      const deployed = deployedRules(sobject);
      const mine = twins.filter((t) => t.sobject === sobject);
      expect(mine.map((t) => t.rule).sort()).toEqual([...deployed.keys()].sort());
      for (const t of mine) {
        const d = deployed.get(t.rule)!;
        expect({ rule: t.rule, message: t.message, field: t.field, active: true }).toEqual({
          rule: t.rule,
          message: d.message,
          field: d.field,
          active: d.active
        });
      }
    }
  });

  describe('budgets', () => {
    it('accept a valid budget', () => {
      expect(checkBudget(BUDGETS.northwind2026, Object.values(REQUESTS))).toEqual([]);
    });
    it('refuse a zero amount, a rate above 100%, a period that ends before it starts', () => {
      const bad = { ...BUDGETS.northwind2026, amount: 0, accrualRate: 101, periodEnd: '2025-12-31' };
      expect(names(checkBudget(bad))).toEqual([
        'Accrual_Rate_Between_0_And_100',
        'Amount_Must_Be_Positive',
        'Period_End_Not_Before_Start'
      ]);
    });
    it('refuse lowering the funds below what is already approved', () => {
      // approved on Northwind 2026 is 23,000: 22,000 + 0 accrued is too little, 22,000 + 1,000 is enough
      const budgetRequests = Object.values(REQUESTS).filter((r) => r.budgetId === BUDGETS.northwind2026.id);
      expect(
        names(checkBudget({ ...BUDGETS.northwind2026, amount: 22_000, accruedAmount: 0 }, budgetRequests))
      ).toEqual(['Approved_Total_Within_Budget']);
      expect(
        checkBudget({ ...BUDGETS.northwind2026, amount: 22_000, accruedAmount: 1_000 }, budgetRequests)
      ).toEqual([]);
    });
  });

  describe('requests', () => {
    const budget = BUDGETS.northwind2026;
    const budgetRequests = Object.values(REQUESTS).filter((r) => r.budgetId === budget.id);

    it('approve up to exactly the budget remaining (Amount + Accrued − approved total of the others)', () => {
      // remaining for a new request: 51,000 − 23,000 = 28,000
      expect(remainingFor(budget, budgetRequests)).toBe(28_000);
      const asking: FundRequest = { ...REQUESTS.R5, amountRequested: 30_000 };
      expect(
        checkRequest({ ...asking, status: 'Approved', amountApproved: 28_000 }, budget, budgetRequests)
      ).toEqual([]);
      const over = checkRequest(
        { ...asking, status: 'Approved', amountApproved: 28_000.01 },
        budget,
        budgetRequests
      );
      expect(over).toEqual([MDF_RULES.budgetApprovedWithin]);
      expect(over[0].message).toMatch(/more funds than the budget holds/);
    });

    it('leave the request itself out of the approved total when it is edited', () => {
      // R1 (10,000) may grow to 10,000 + 28,000 remaining, not more
      const r1 = { ...REQUESTS.R1, amountRequested: 50_000 };
      expect(checkRequest({ ...r1, amountApproved: 38_000 }, budget, budgetRequests)).toEqual([]);
      expect(names(checkRequest({ ...r1, amountApproved: 38_001 }, budget, budgetRequests))).toEqual([
        'Approved_Total_Within_Budget'
      ]);
    });

    it('refuse approving more than the whole budget, more than requested, or Approved without an amount', () => {
      expect(
        names(
          checkRequest(
            { ...REQUESTS.R5, amountRequested: 60_000, amountApproved: 51_001, status: 'Submitted' },
            budget,
            []
          )
        )
      ).toEqual(['Approved_Not_Above_Budget']);
      expect(names(checkRequest({ ...REQUESTS.R5, amountApproved: 4_001 }, budget, []))).toEqual([
        'Approved_Not_Above_Requested'
      ]);
      expect(names(checkRequest({ ...REQUESTS.R5, status: 'Approved' }, budget, []))).toEqual([
        'Approved_Request_Needs_Amount'
      ]);
    });

    it('refuse amounts that are not positive and end dates before start dates', () => {
      const bad: FundRequest = {
        ...REQUESTS.R7,
        amountRequested: 0,
        amountApproved: -5,
        endDate: '2026-02-28'
      };
      expect(names(checkRequest(bad, budget, []))).toEqual([
        'Amount_Approved_Must_Be_Positive',
        'Amount_Requested_Must_Be_Positive',
        // as in the org: no claims (0) is "more than" an approved amount of −5
        'Claims_Within_Approved_Amount',
        'End_Date_Not_Before_Start'
      ]);
    });

    it('refuse a request whose approved and paid claims total more than its approved amount', () => {
      const claims: Claim[] = [CLAIMS.r1Paid, CLAIMS.r1Approved, CLAIMS.r1Submitted, CLAIMS.r1Rejected];
      expect(checkRequest(REQUESTS.R1, budget, budgetRequests, claims)).toEqual([]);
      // lowering the approval to 5,499 is below the 5,500 claimed (Submitted and Rejected do not count)
      expect(
        names(checkRequest({ ...REQUESTS.R1, amountApproved: 5_499 }, budget, budgetRequests, claims))
      ).toEqual(['Claims_Within_Approved_Amount']);
    });
  });

  describe('claims', () => {
    const r1Claims = [CLAIMS.r1Paid, CLAIMS.r1Approved, CLAIMS.r1Submitted, CLAIMS.r1Rejected];
    const newClaim = (
      amount: number,
      claimDate: string | null,
      status: Claim['status'] = 'Submitted'
    ): Claim => ({
      id: 'new',
      requestId: REQUESTS.R1.id,
      status,
      amount,
      claimDate
    });

    it('accept a claim up to what is left to claim (approved − approved and paid claims)', () => {
      // R1: 10,000 approved − 5,500 claimed = 4,500 left
      expect(checkClaim(newClaim(4_500, '2026-11-30'), REQUESTS.R1, r1Claims, '2026-11-25')).toEqual([]);
      expect(
        names(checkClaim(newClaim(4_500.01, '2026-11-30'), REQUESTS.R1, r1Claims, '2026-11-25'))
      ).toEqual(['Claim_Within_Remaining_Approved']);
    });

    it('refuse approving a claim that takes the claimed total over the approved amount', () => {
      const c = { ...CLAIMS.r1Submitted, amount: 4_600, status: 'Approved' as const };
      expect(names(checkClaim(c, REQUESTS.R1, r1Claims, '2026-11-25'))).toEqual([
        'Claims_Within_Approved_Amount'
      ]);
      expect(checkClaim({ ...c, amount: 4_500 }, REQUESTS.R1, r1Claims, '2026-11-25')).toEqual([]);
    });

    it('refuse a claim after the deadline; a claim without a date is dated today', () => {
      expect(checkClaim(newClaim(10, '2026-12-10'), REQUESTS.R1, r1Claims, '2026-11-25')).toEqual([]);
      expect(names(checkClaim(newClaim(10, '2026-12-11'), REQUESTS.R1, r1Claims, '2026-11-25'))).toEqual([
        'Claim_Within_Deadline'
      ]);
      expect(names(checkClaim(newClaim(10, null), REQUESTS.R1, r1Claims, '2026-12-11'))).toEqual([
        'Claim_Within_Deadline'
      ]);
    });

    it('refuse a new claim on a request that is not Approved, but let settled claims be paid after it closed', () => {
      expect(
        names(
          checkClaim(
            { ...newClaim(10, '2026-06-01'), requestId: REQUESTS.R3.id },
            REQUESTS.R3,
            [CLAIMS.r3Paid],
            '2026-06-01'
          )
        )
      ).toEqual(['Request_Must_Be_Approved']);
      const approvedOnClosed: Claim = { ...CLAIMS.r3Paid, id: 'x', status: 'Paid', amount: 1_000 };
      expect(checkClaim(approvedOnClosed, REQUESTS.R3, [CLAIMS.r3Paid], '2026-06-25')).toEqual([]);
    });

    it('refuse a claim that is not positive', () => {
      expect(names(checkClaim(newClaim(0, '2026-11-30'), REQUESTS.R1, r1Claims, '2026-11-25'))).toEqual([
        'Amount_Must_Be_Positive'
      ]);
    });
  });
});
