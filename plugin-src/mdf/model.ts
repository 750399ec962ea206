/**
 * The MDF (market development funds) model in the users' words: a partner's budget for a
 * period, the requests for funds made against it, and the claims made on approved requests.
 * Plain records, independent of the org's API names (read.ts maps them).
 */

export const REQUEST_STATUSES = ['Draft', 'Submitted', 'Approved', 'Rejected', 'Expired', 'Closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const CLAIM_STATUSES = ['Submitted', 'Approved', 'Rejected', 'Paid'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/**
 * Requests whose approved amount is committed against the budget (the filter of the budget's
 * Approved_Total__c roll-up in force-app). A Closed request keeps its whole approved amount
 * (its claims are settled); an Expired one (nothing claimed by the deadline) hands its funds
 * back to the budget, as do Rejected ones.
 */
export const COMMITTED_REQUEST_STATUSES: readonly RequestStatus[] = ['Approved', 'Closed'];

/** Requests that count as requested (the filter of Requested_Total__c): every one past Draft, except Rejected. */
export const REQUESTED_REQUEST_STATUSES: readonly RequestStatus[] = [
  'Submitted',
  'Approved',
  'Expired',
  'Closed'
];

/** Claims that count as claimed (accepted by the channel manager, paid or not). */
export const CLAIMED_CLAIM_STATUSES: readonly ClaimStatus[] = ['Approved', 'Paid'];

/** A date as YYYY-MM-DD; such strings compare in date order. */
export type IsoDate = string;

export interface Budget {
  id: string;
  name?: string;
  partnerId: string;
  partnerName: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  amount: number;
  /** Percent of the partner's closed-won registered business that accrues to the budget. */
  accrualRate: number | null;
  accruedAmount: number;
  /** Stored Claimed_Total__c / Paid_Total__c (kept equal to the requests' roll-ups by `channel mdf accrue`). */
  claimedTotal?: number;
  paidTotal?: number;
}

export interface FundRequest {
  id: string;
  name?: string;
  budgetId: string;
  status: RequestStatus;
  activityType?: string | null;
  amountRequested: number | null;
  amountApproved: number | null;
  campaignId: string | null;
  startDate: IsoDate | null;
  endDate: IsoDate | null;
  claimDeadline: IsoDate | null;
  /** The request's roll-ups as the org computed them: claims Approved + Paid, and Paid. */
  claimedTotal?: number;
  paidTotal?: number;
}

export interface Claim {
  id: string;
  name?: string;
  requestId: string;
  status: ClaimStatus;
  amount: number | null;
  claimDate: IsoDate | null;
}

/** A closed-won opportunity, as far as MDF cares: its campaign, its registering partner, its value. */
export interface WonOpportunity {
  id: string;
  amount: number | null;
  closeDate: IsoDate;
  campaignId: string | null;
  registeredPartnerId: string | null;
}

// Money is summed in cents so that 0.1 + 0.2 is 0.3, as it is on an invoice.
export function toCents(amount: number | null | undefined): number {
  return Math.round((amount ?? 0) * 100);
}

export function fromCents(cents: number): number {
  return cents / 100;
}

export function sumMoney(amounts: Iterable<number | null | undefined>): number {
  let cents = 0;
  for (const a of amounts) cents += toCents(a);
  return fromCents(cents);
}

export function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today's date in the local time zone as YYYY-MM-DD, as a user reads the calendar (the clock is a parameter so tests can fix it). */
export function today(clock: () => Date = () => new Date()): IsoDate {
  const d = clock();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
