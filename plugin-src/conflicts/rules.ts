/**
 * The four conflict rules of engagement, applied to the open opportunities of each customer
 * (a cluster of matching account records). Pure and dependency-free: built into the LWC
 * module `c/conflictRules` too.
 *
 * 1. Duplicate Registration — two registrations (Submitted/Approved) by different partners on
 *    one customer, registration dates within the protection window. The earlier registration
 *    wins (tie: earlier CreatedDate, then smaller id); Opportunity = the later one,
 *    Conflicting Opportunity = the winner.
 * 2. Direct vs Partner — an open direct opportunity (Channel Direct, or no registered partner)
 *    on a customer a partner holds an Approved, unexpired registration for
 *    (Registration_Expires__c ≥ as-of). Opportunity = the direct one.
 * 3. Protected Account — a registration (Submitted/Approved) on a customer any of whose
 *    account records is Direct_Only__c. Account = the direct-only record.
 * 4. Price — two open opportunities of one customer in different channels (direct vs partner
 *    or two partners) with line items of one product whose unit prices differ by more than
 *    priceVariancePct % of the lower price. Opportunity = the lower-priced one.
 */
import { DEFAULT_RULES, ruleSummary, type ConflictType, type RulesOfEngagement } from './defaults.js';

export interface RuleAccount {
  Id: string;
  Name?: string | null;
  Direct_Only__c?: boolean | null;
}

export interface RuleOpportunity {
  Id: string;
  Name?: string | null;
  AccountId?: string | null;
  IsClosed?: boolean | null;
  CreatedDate?: string | null;
  Channel__c?: string | null;
  Registered_Partner__c?: string | null;
  Registration_Status__c?: string | null;
  Registration_Date__c?: string | null;
  Registration_Expires__c?: string | null;
}

export interface RuleLineItem {
  OpportunityId: string;
  Product2Id: string;
  UnitPrice: number;
}

export type Severity = 'High' | 'Medium' | 'Low';

export interface DetectedConflict {
  type: ConflictType;
  /** The customer account the conflict is about (Account__c). */
  accountId: string;
  /** The deal that loses or breaks the rule (Opportunity__c). */
  opportunityId: string;
  /** The other deal (Conflicting_Opportunity__c): the winner, the holder, the other price. */
  conflictingOpportunityId?: string;
  /** The partner involved (Partner__c). */
  partnerId?: string;
  /** Price conflicts: the product. */
  productId?: string;
  /** How sure the customer match is (1 = same account record). */
  score: number;
  severity: Severity;
  /** The rule and its configured numbers (≤ 80 characters, Rule__c). */
  rule: string;
  /** Why this conflict, in words a rep reads. */
  reason: string;
}

/** Who is the same customer: the result of matching, or "each account is its own". */
export interface CustomerResolver {
  clusterOf(accountId: string): string;
  score(a: string, b: string): number;
}

export interface RuleInput {
  accounts: Iterable<RuleAccount>;
  opportunities: Iterable<RuleOpportunity>;
  lineItems?: Iterable<RuleLineItem>;
  customers?: CustomerResolver;
  /** Names of partners and accounts for the reason texts (id → name). */
  names?: Map<string, string>;
}

const REGISTERED = new Set(['Submitted', 'Approved']);
const DAY_MS = 86_400_000;

/** Days from date a to date b (YYYY-MM-DD or ISO date-time; the date part counts). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b.slice(0, 10)) - Date.parse(a.slice(0, 10))) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date.slice(0, 10)) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Today's date (UTC) as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The registration date of an opportunity: Registration_Date__c, else its CreatedDate. */
export function registrationDate(o: RuleOpportunity): string | undefined {
  return o.Registration_Date__c ?? (o.CreatedDate ? o.CreatedDate.slice(0, 10) : undefined);
}

/** True for a registration that counts: Submitted or Approved, with a partner. */
export function isRegistration(o: RuleOpportunity): boolean {
  return !!o.Registered_Partner__c && REGISTERED.has(o.Registration_Status__c ?? '');
}

/** True for a direct deal: Channel Direct, or no registered partner. */
export function isDirect(o: RuleOpportunity): boolean {
  return o.Channel__c === 'Direct' || !o.Registered_Partner__c;
}

/** The day a registration stops protecting: its expiry date, else registration date + window. */
export function registrationExpiry(o: RuleOpportunity, rules: RulesOfEngagement = DEFAULT_RULES): string | undefined {
  if (o.Registration_Expires__c) return o.Registration_Expires__c;
  const d = registrationDate(o);
  return d ? addDays(d, rules.registrationProtectionDays) : undefined;
}

/**
 * An Approved registration that still protects its deal on the as-of date: the rule reads
 * Registration_Expires__c ≥ as-of, so an approval without an expiry date holds nothing.
 */
export function holdsRegistration(o: RuleOpportunity, asOf: string): boolean {
  if (!o.Registered_Partner__c || o.Registration_Status__c !== 'Approved' || !o.Registration_Expires__c) return false;
  return o.Registration_Expires__c.slice(0, 10) >= asOf.slice(0, 10);
}

/** The protection of one registration as a rep sees it. */
export interface ProtectionStatus {
  state: 'not registered' | 'pending' | 'protected' | 'expiring soon' | 'expired';
  expires?: string;
  daysLeft?: number;
}

export function protectionStatus(o: RuleOpportunity, asOf: string, rules: RulesOfEngagement = DEFAULT_RULES): ProtectionStatus {
  if (!o.Registered_Partner__c || !o.Registration_Status__c) return { state: 'not registered' };
  const expires = registrationExpiry(o, rules);
  const daysLeft = expires ? daysBetween(asOf, expires) : undefined;
  if (o.Registration_Status__c === 'Expired' || (daysLeft !== undefined && daysLeft < 0)) return { state: 'expired', expires, daysLeft };
  if (o.Registration_Status__c !== 'Approved') return { state: o.Registration_Status__c === 'Submitted' ? 'pending' : 'not registered', expires, daysLeft };
  if (daysLeft !== undefined && daysLeft <= rules.expiringWithinDays) return { state: 'expiring soon', expires, daysLeft };
  return { state: 'protected', expires, daysLeft };
}

/** How urgent a conflict is. */
export function severityOf(type: ConflictType, detail: { bothApproved?: boolean; variancePct?: number } = {}, rules: RulesOfEngagement = DEFAULT_RULES): Severity {
  switch (type) {
    case 'Protected Account':
    case 'Direct vs Partner':
      return 'High';
    case 'Duplicate Registration':
      return detail.bothApproved ? 'High' : 'Medium';
    case 'Price':
      return (detail.variancePct ?? 0) > 2 * rules.priceVariancePct ? 'High' : 'Medium';
  }
}

const byRegistration = (a: RuleOpportunity, b: RuleOpportunity): number => {
  const da = registrationDate(a) ?? '';
  const db = registrationDate(b) ?? '';
  if (da !== db) return da < db ? -1 : 1;
  const ca = a.CreatedDate ?? '';
  const cb = b.CreatedDate ?? '';
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0;
};

const EACH_ACCOUNT_ITS_OWN: CustomerResolver = { clusterOf: (id) => id, score: (a, b) => (a === b ? 1 : 0) };

function roundPct(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * Applies the rules to open opportunities. Closed opportunities (IsClosed true) and
 * opportunities without an account are ignored. Deterministic: the same input gives the same
 * conflicts in the same order.
 */
export function detectConflicts(input: RuleInput, asOf: string, rules: RulesOfEngagement = DEFAULT_RULES): DetectedConflict[] {
  const customers = input.customers ?? EACH_ACCOUNT_ITS_OWN;
  const names = input.names ?? new Map<string, string>();
  const nameOf = (id: string | null | undefined): string => (id ? names.get(id) ?? id : '?');
  const day = asOf.slice(0, 10);

  const directOnlyByCluster = new Map<string, string[]>();
  for (const a of input.accounts) {
    if (a.Direct_Only__c) {
      const c = customers.clusterOf(a.Id);
      const list = directOnlyByCluster.get(c);
      if (list) list.push(a.Id);
      else directOnlyByCluster.set(c, [a.Id]);
    }
  }
  const oppsByCluster = new Map<string, RuleOpportunity[]>();
  const openOpps = new Map<string, RuleOpportunity>();
  for (const o of input.opportunities) {
    if (o.IsClosed || !o.AccountId) continue;
    openOpps.set(o.Id, o);
    const c = customers.clusterOf(o.AccountId);
    const list = oppsByCluster.get(c);
    if (list) list.push(o);
    else oppsByCluster.set(c, [o]);
  }
  const pricesByOpp = new Map<string, Map<string, number>>();
  for (const li of input.lineItems ?? []) {
    if (!openOpps.has(li.OpportunityId) || typeof li.UnitPrice !== 'number' || !li.Product2Id) continue;
    let prices = pricesByOpp.get(li.OpportunityId);
    if (!prices) pricesByOpp.set(li.OpportunityId, (prices = new Map()));
    const cur = prices.get(li.Product2Id);
    if (cur === undefined || li.UnitPrice < cur) prices.set(li.Product2Id, li.UnitPrice);
  }

  const out: DetectedConflict[] = [];
  const clusterIds = [...oppsByCluster.keys()].sort();
  for (const cid of clusterIds) {
    const opps = (oppsByCluster.get(cid) as RuleOpportunity[]).sort((a, b) => (a.Id < b.Id ? -1 : 1));
    const registrations = opps.filter(isRegistration).sort(byRegistration);
    const score = (a: RuleOpportunity, b: RuleOpportunity): number => customers.score(a.AccountId as string, b.AccountId as string);

    // 1. Duplicate Registration
    const window = rules.registrationProtectionDays;
    for (let j = 1; j < registrations.length; j++) {
      const later = registrations[j];
      const laterDate = registrationDate(later);
      if (!laterDate) continue;
      for (let i = 0; i < j; i++) {
        const earlier = registrations[i];
        const earlierDate = registrationDate(earlier);
        if (!earlierDate || earlier.Registered_Partner__c === later.Registered_Partner__c) continue;
        const gap = daysBetween(earlierDate, laterDate);
        if (gap > window) continue;
        out.push({
          type: 'Duplicate Registration',
          accountId: later.AccountId as string,
          opportunityId: later.Id,
          conflictingOpportunityId: earlier.Id,
          partnerId: later.Registered_Partner__c as string,
          score: score(later, earlier),
          severity: severityOf('Duplicate Registration', { bothApproved: later.Registration_Status__c === 'Approved' && earlier.Registration_Status__c === 'Approved' }, rules),
          rule: ruleSummary('Duplicate Registration', rules),
          reason:
            `${nameOf(earlier.Registered_Partner__c)} registered this customer on ${earlierDate}` +
            (gap === 0 ? ' (same day, created earlier)' : `, ${gap} day${gap === 1 ? '' : 's'} before ${nameOf(later.Registered_Partner__c)}`) +
            ` (window ${window} days): the earlier registration wins.`
        });
      }
    }

    // 2. Direct vs Partner
    const holders = registrations.filter((o) => holdsRegistration(o, day));
    if (holders.length > 0) {
      for (const direct of opps) {
        if (!isDirect(direct)) continue;
        for (const holder of holders) {
          if (holder.Id === direct.Id) continue;
          const expiry = holder.Registration_Expires__c as string;
          const left = daysBetween(day, expiry);
          out.push({
            type: 'Direct vs Partner',
            accountId: direct.AccountId as string,
            opportunityId: direct.Id,
            conflictingOpportunityId: holder.Id,
            partnerId: holder.Registered_Partner__c as string,
            score: score(direct, holder),
            severity: severityOf('Direct vs Partner', {}, rules),
            rule: ruleSummary('Direct vs Partner', rules),
            reason:
              `${nameOf(holder.Registered_Partner__c)} holds an approved registration for this customer until ${expiry}` +
              (left <= rules.expiringWithinDays ? ` (expires in ${left} day${left === 1 ? '' : 's'})` : '') +
              '; a direct deal competes with it.'
          });
        }
      }
    }

    // 3. Protected Account
    const protectedAccounts = directOnlyByCluster.get(cid);
    if (rules.protectDirectOnlyAccounts && protectedAccounts && protectedAccounts.length > 0) {
      for (const reg of registrations) {
        const own = protectedAccounts.includes(reg.AccountId as string);
        const protectedId = own ? (reg.AccountId as string) : [...protectedAccounts].sort()[0];
        out.push({
          type: 'Protected Account',
          accountId: protectedId,
          opportunityId: reg.Id,
          partnerId: reg.Registered_Partner__c as string,
          score: customers.score(reg.AccountId as string, protectedId),
          severity: severityOf('Protected Account', {}, rules),
          rule: ruleSummary('Protected Account', rules),
          reason: `${nameOf(reg.Registered_Partner__c)} registered a deal on ${own ? 'a' : `${nameOf(protectedId)}, a`} direct-only customer; partners may not register here.`
        });
      }
    }

    // 4. Price
    const byProduct = new Map<string, { opp: RuleOpportunity; price: number; channel: string }[]>();
    for (const o of opps) {
      const prices = pricesByOpp.get(o.Id);
      if (!prices) continue;
      const channel = o.Registered_Partner__c && o.Channel__c !== 'Direct' ? `partner:${o.Registered_Partner__c}` : 'direct';
      for (const [product, price] of prices) {
        const list = byProduct.get(product);
        const entry = { opp: o, price, channel };
        if (list) list.push(entry);
        else byProduct.set(product, [entry]);
      }
    }
    for (const product of [...byProduct.keys()].sort()) {
      const entries = (byProduct.get(product) as { opp: RuleOpportunity; price: number; channel: string }[]).sort(
        (a, b) => a.price - b.price || (a.opp.Id < b.opp.Id ? -1 : 1)
      );
      for (let x = 0; x < entries.length; x++) {
        for (let y = x + 1; y < entries.length; y++) {
          const low = entries[x];
          const high = entries[y];
          if (low.channel === high.channel) continue;
          const diff = high.price - low.price;
          if (diff <= (rules.priceVariancePct / 100) * low.price) continue;
          const variancePct = low.price > 0 ? (diff / low.price) * 100 : Infinity;
          const partnerSide = low.channel !== 'direct' ? low.opp : high.opp;
          const lowChannel = low.channel === 'direct' ? 'direct' : nameOf(low.opp.Registered_Partner__c);
          const highChannel = high.channel === 'direct' ? 'direct' : nameOf(high.opp.Registered_Partner__c);
          out.push({
            type: 'Price',
            accountId: low.opp.AccountId as string,
            opportunityId: low.opp.Id,
            conflictingOpportunityId: high.opp.Id,
            partnerId: (partnerSide.Registered_Partner__c ?? undefined) as string | undefined,
            productId: product,
            score: score(low.opp, high.opp),
            severity: severityOf('Price', { variancePct }, rules),
            rule: ruleSummary('Price', rules),
            reason:
              `${nameOf(product)} at ${low.price} (${lowChannel}) vs ${high.price} (${highChannel}): ` +
              (Number.isFinite(variancePct) ? `${roundPct(variancePct)}%` : 'more than') +
              ` apart, above ${rules.priceVariancePct}%.`
          });
        }
      }
    }
  }
  return out;
}
