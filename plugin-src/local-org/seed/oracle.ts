/**
 * The labelled answer for conflict detection: the rules of engagement (issue 6) applied to
 * one customer's opportunities using the TRUE customer (the generator knows which account
 * records are one company), not fuzzy matching. A detector under test is measured against
 * this: what it should find when its matching is perfect.
 *
 * Semantics, as the rules are written:
 * - only open opportunities (IsClosed false) take part;
 * - the channel of an opportunity is its registered partner, or "Direct" when Channel__c is
 *   Direct or it has no registered partner;
 * - Duplicate Registration: two Submitted/Approved registrations by different partners whose
 *   registration dates are at most `registrationProtectionDays` apart; Opportunity__c is the
 *   later one (tie: later Id), Conflicting_Opportunity__c the earlier;
 * - Direct vs Partner: an open direct opportunity and an Approved registration with
 *   Registration_Expires__c ≥ as-of; Opportunity__c the direct one;
 * - Protected Account: a Submitted/Approved registration on a customer one of whose records
 *   has Direct_Only__c (when `protectDirectOnlyAccounts`);
 * - Price: two open opportunities in different channels with line items of the same product
 *   whose UnitPrice differs by more than `priceVariancePct` % of the lower; Opportunity__c the
 *   lower-priced one; one conflict per opportunity pair and product.
 * The generator never plants values on a boundary (a gap of exactly the window, an expiry on
 * the as-of date), so either reading of "within" gives the same answer.
 */

export const CONFLICT_TYPES = ['Duplicate Registration', 'Direct vs Partner', 'Protected Account', 'Price'] as const;
export type ConflictType = (typeof CONFLICT_TYPES)[number];

export interface RulesOfEngagement {
  registrationProtectionDays: number;
  priceVariancePct: number;
  protectDirectOnlyAccounts: boolean;
}

export const DEFAULT_RULES: RulesOfEngagement = { registrationProtectionDays: 90, priceVariancePct: 10, protectDirectOnlyAccounts: true };

export interface OracleLineItem {
  Product2Id: string;
  UnitPrice: number;
}

export interface OracleOpportunity {
  Id: string;
  AccountId: string;
  IsClosed: boolean;
  Channel__c: string | null;
  Registered_Partner__c: string | null;
  Registration_Status__c: string | null;
  Registration_Date__c: string | null;
  Registration_Expires__c: string | null;
  lineItems: readonly OracleLineItem[];
}

export interface OracleAccount {
  Id: string;
  Direct_Only__c: boolean;
}

export interface ExpectedConflict {
  type: ConflictType;
  clusterId: number;
  accountId: string;
  opportunityId: string;
  conflictingOpportunityId: string | null;
  partnerId: string | null;
  productId?: string;
}

const REGISTERED = new Set(['Submitted', 'Approved']);

function channelOf(o: OracleOpportunity): string {
  return o.Channel__c === 'Direct' || !o.Registered_Partner__c ? 'Direct' : o.Registered_Partner__c;
}

function days(a: string, b: string): number {
  return Math.round((Date.parse(a) - Date.parse(b)) / 86400000);
}

/** Every conflict the rules find among one customer's records. `asOf` is YYYY-MM-DD. */
export function expectedConflicts(
  clusterId: number,
  accounts: readonly OracleAccount[],
  opportunities: readonly OracleOpportunity[],
  rules: RulesOfEngagement,
  asOf: string
): ExpectedConflict[] {
  const open = opportunities.filter((o) => !o.IsClosed);
  const out: ExpectedConflict[] = [];
  const registered = open.filter((o) => o.Registered_Partner__c && REGISTERED.has(o.Registration_Status__c ?? '') && o.Registration_Date__c);

  for (let i = 0; i < registered.length; i++) {
    for (let j = i + 1; j < registered.length; j++) {
      const a = registered[i];
      const b = registered[j];
      if (a.Registered_Partner__c === b.Registered_Partner__c) continue;
      const gap = days(a.Registration_Date__c as string, b.Registration_Date__c as string);
      if (Math.abs(gap) > rules.registrationProtectionDays) continue;
      const [winner, later] = gap < 0 || (gap === 0 && a.Id < b.Id) ? [a, b] : [b, a];
      out.push({ type: 'Duplicate Registration', clusterId, accountId: later.AccountId, opportunityId: later.Id, conflictingOpportunityId: winner.Id, partnerId: later.Registered_Partner__c });
    }
  }

  const approved = open.filter((o) => o.Registered_Partner__c && o.Registration_Status__c === 'Approved' && o.Registration_Expires__c && o.Registration_Expires__c >= asOf);
  for (const d of open) {
    if (channelOf(d) !== 'Direct') continue;
    for (const p of approved) {
      out.push({ type: 'Direct vs Partner', clusterId, accountId: d.AccountId, opportunityId: d.Id, conflictingOpportunityId: p.Id, partnerId: p.Registered_Partner__c });
    }
  }

  if (rules.protectDirectOnlyAccounts && accounts.some((a) => a.Direct_Only__c)) {
    for (const p of registered) {
      out.push({ type: 'Protected Account', clusterId, accountId: p.AccountId, opportunityId: p.Id, conflictingOpportunityId: null, partnerId: p.Registered_Partner__c });
    }
  }

  for (let i = 0; i < open.length; i++) {
    for (let j = i + 1; j < open.length; j++) {
      const a = open[i];
      const b = open[j];
      if (channelOf(a) === channelOf(b)) continue;
      for (const la of a.lineItems) {
        for (const lb of b.lineItems) {
          if (la.Product2Id !== lb.Product2Id) continue;
          const lo = Math.min(la.UnitPrice, lb.UnitPrice);
          if (Math.abs(la.UnitPrice - lb.UnitPrice) <= (lo * rules.priceVariancePct) / 100) continue;
          const [low, high] = la.UnitPrice < lb.UnitPrice ? [a, b] : [b, a];
          out.push({
            type: 'Price',
            clusterId,
            accountId: low.AccountId,
            opportunityId: low.Id,
            conflictingOpportunityId: high.Id,
            partnerId: low.Registered_Partner__c ?? high.Registered_Partner__c,
            productId: la.Product2Id
          });
        }
      }
    }
  }
  return out;
}
