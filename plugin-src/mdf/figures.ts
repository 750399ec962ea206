/**
 * MDF figures per partner and budget period, as of a date. Pure: takes the budgets,
 * requests, claims and won opportunities, returns numbers a channel manager reads.
 *
 * As of a date D:
 * - the budgets shown are those whose period contains D, and earlier ones that still hold
 *   claimable funds on D (an Approved request with a claim deadline on or after D);
 * - claims dated after D and opportunities closed after D are not counted yet;
 * - funds at risk are those on Approved requests whose claim deadline falls in [D, D + N days].
 */
import {
  type Budget,
  type Claim,
  type FundRequest,
  type IsoDate,
  type WonOpportunity,
  CLAIMED_CLAIM_STATUSES,
  COMMITTED_REQUEST_STATUSES,
  REQUESTED_REQUEST_STATUSES,
  addDays,
  fromCents,
  round2,
  toCents
} from './model.js';

export const DEFAULT_EXPIRING_WITHIN_DAYS = 30;

export interface MdfData {
  budgets: readonly Budget[];
  requests: readonly FundRequest[];
  claims: readonly Claim[];
  /** Closed-won opportunities whose campaign is one of the requests' campaigns. */
  wonOpportunities: readonly WonOpportunity[];
}

export interface FiguresOptions {
  asOf: IsoDate;
  /** Days ahead in which a claim deadline makes unclaimed funds "at risk" (default 30). */
  expiringWithinDays?: number;
  /** Only this partner's budgets (18-character id). */
  partnerId?: string;
}

/** One row of `channel mdf report`: a partner's budget for one period. Amounts in the org's currency. */
export interface PartnerFigures {
  partnerId: string;
  partnerName: string;
  budgetId: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  /** Amount__c. */
  budget: number;
  /** Accrued_Amount__c. */
  accrued: number;
  /** Amount_Requested__c of Submitted, Approved, Expired and Closed requests (Requested_Total__c). */
  requested: number;
  /** Amount_Approved__c of Approved and Closed requests (Approved_Total__c). */
  approved: number;
  /** Approved and Paid claims. */
  claimed: number;
  /** Paid claims. */
  paid: number;
  /** budget + accrued − approved (Remaining__c). */
  remaining: number;
  /** claimed / (budget + accrued) × 100, two decimals. */
  utilizationPct: number;
  /** approved − claimed on Approved requests whose claim deadline falls within the window. */
  atRisk: number;
  /** Closed-won Amount of opportunities on the requests' campaigns ÷ paid, two decimals; null when nothing is paid. */
  roi: number | null;
}

/** A request whose unclaimed funds expire soon (the "expiring funds" list of the report). */
export interface ExpiringFunds {
  partnerId: string;
  partnerName: string;
  budgetId: string;
  requestId: string;
  requestName: string;
  activityType: string | null;
  claimDeadline: IsoDate;
  daysLeft: number;
  approved: number;
  claimed: number;
  atRisk: number;
}

interface Indexed {
  requestsByBudget: Map<string, FundRequest[]>;
  claimsByRequest: Map<string, Claim[]>;
}

function index(data: MdfData): Indexed {
  const requestsByBudget = new Map<string, FundRequest[]>();
  for (const r of data.requests) {
    const list = requestsByBudget.get(r.budgetId) ?? [];
    list.push(r);
    requestsByBudget.set(r.budgetId, list);
  }
  const claimsByRequest = new Map<string, Claim[]>();
  for (const c of data.claims) {
    const list = claimsByRequest.get(c.requestId) ?? [];
    list.push(c);
    claimsByRequest.set(c.requestId, list);
  }
  return { requestsByBudget, claimsByRequest };
}

function countsAsOf(claim: Claim, asOf: IsoDate): boolean {
  return claim.claimDate === null || claim.claimDate <= asOf;
}

/** Cents claimed (Approved + Paid) on one request as of the date. */
function claimedCents(claims: readonly Claim[] | undefined, asOf: IsoDate): number {
  let cents = 0;
  for (const c of claims ?? []) {
    if (CLAIMED_CLAIM_STATUSES.includes(c.status) && countsAsOf(c, asOf)) cents += toCents(c.amount);
  }
  return cents;
}

function stillClaimable(req: FundRequest, claims: readonly Claim[] | undefined, asOf: IsoDate): boolean {
  return (
    req.status === 'Approved' &&
    req.claimDeadline !== null &&
    req.claimDeadline >= asOf &&
    toCents(req.amountApproved) > claimedCents(claims, asOf)
  );
}

/** The budgets the report covers on a date (see the module comment). */
export function budgetsInScope(data: MdfData, opts: FiguresOptions): Budget[] {
  const { requestsByBudget, claimsByRequest } = index(data);
  return data.budgets
    .filter((b) => !opts.partnerId || b.partnerId === opts.partnerId)
    .filter((b) => {
      if (b.periodStart > opts.asOf) return false;
      if (b.periodEnd >= opts.asOf) return true;
      return (requestsByBudget.get(b.id) ?? []).some((r) =>
        stillClaimable(r, claimsByRequest.get(r.id), opts.asOf)
      );
    })
    .sort(
      (a, b) =>
        a.partnerName.localeCompare(b.partnerName) ||
        a.partnerId.localeCompare(b.partnerId) ||
        a.periodStart.localeCompare(b.periodStart)
    );
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function computeFigures(data: MdfData, opts: FiguresOptions): PartnerFigures[] {
  const { requestsByBudget, claimsByRequest } = index(data);
  const windowEnd = addDays(opts.asOf, opts.expiringWithinDays ?? DEFAULT_EXPIRING_WITHIN_DAYS);
  const wonByCampaign = new Map<string, WonOpportunity[]>();
  for (const o of data.wonOpportunities) {
    if (!o.campaignId || o.closeDate > opts.asOf) continue;
    const list = wonByCampaign.get(o.campaignId) ?? [];
    list.push(o);
    wonByCampaign.set(o.campaignId, list);
  }

  return budgetsInScope(data, opts).map((b) => {
    const requests = requestsByBudget.get(b.id) ?? [];
    let requested = 0;
    let approved = 0;
    let claimed = 0;
    let paid = 0;
    let atRisk = 0;
    const campaigns = new Set<string>();
    for (const r of requests) {
      if (REQUESTED_REQUEST_STATUSES.includes(r.status)) requested += toCents(r.amountRequested);
      const committed = COMMITTED_REQUEST_STATUSES.includes(r.status);
      if (committed) {
        approved += toCents(r.amountApproved);
        if (r.campaignId) campaigns.add(r.campaignId);
      }
      const claims = claimsByRequest.get(r.id) ?? [];
      const onRequest = claimedCents(claims, opts.asOf);
      claimed += onRequest;
      for (const c of claims) if (c.status === 'Paid' && countsAsOf(c, opts.asOf)) paid += toCents(c.amount);
      if (
        r.status === 'Approved' &&
        r.claimDeadline !== null &&
        r.claimDeadline >= opts.asOf &&
        r.claimDeadline <= windowEnd
      ) {
        atRisk += Math.max(0, toCents(r.amountApproved) - onRequest);
      }
    }
    let won = 0;
    const seen = new Set<string>();
    for (const campaignId of campaigns) {
      for (const o of wonByCampaign.get(campaignId) ?? []) {
        if (seen.has(o.id)) continue;
        seen.add(o.id);
        won += toCents(o.amount);
      }
    }
    const funds = toCents(b.amount) + toCents(b.accruedAmount);
    return {
      partnerId: b.partnerId,
      partnerName: b.partnerName,
      budgetId: b.id,
      periodStart: b.periodStart,
      periodEnd: b.periodEnd,
      budget: b.amount,
      accrued: b.accruedAmount,
      requested: fromCents(requested),
      approved: fromCents(approved),
      claimed: fromCents(claimed),
      paid: fromCents(paid),
      remaining: fromCents(funds - approved),
      utilizationPct: funds > 0 ? round2((claimed / funds) * 100) : 0,
      atRisk: fromCents(atRisk),
      roi: paid > 0 ? round2(won / paid) : null
    };
  });
}

/** Approved requests of the covered budgets whose unclaimed funds expire within the window, soonest first. */
export function expiringFunds(data: MdfData, opts: FiguresOptions): ExpiringFunds[] {
  const { requestsByBudget, claimsByRequest } = index(data);
  const windowEnd = addDays(opts.asOf, opts.expiringWithinDays ?? DEFAULT_EXPIRING_WITHIN_DAYS);
  const out: ExpiringFunds[] = [];
  for (const b of budgetsInScope(data, opts)) {
    for (const r of requestsByBudget.get(b.id) ?? []) {
      if (r.status !== 'Approved' || r.claimDeadline === null) continue;
      if (r.claimDeadline < opts.asOf || r.claimDeadline > windowEnd) continue;
      const claimed = claimedCents(claimsByRequest.get(r.id), opts.asOf);
      const atRisk = toCents(r.amountApproved) - claimed;
      if (atRisk <= 0) continue;
      out.push({
        partnerId: b.partnerId,
        partnerName: b.partnerName,
        budgetId: b.id,
        requestId: r.id,
        requestName: r.name ?? r.id,
        activityType: r.activityType ?? null,
        claimDeadline: r.claimDeadline,
        daysLeft: daysBetween(opts.asOf, r.claimDeadline),
        approved: r.amountApproved ?? 0,
        claimed: fromCents(claimed),
        atRisk: fromCents(atRisk)
      });
    }
  }
  return out.sort((a, b) => a.claimDeadline.localeCompare(b.claimDeadline) || b.atRisk - a.atRisk);
}
