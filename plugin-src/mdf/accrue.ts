/**
 * Co-op accrual, expiry of unclaimed funds, and the budgets' claimed/paid totals.
 *
 * - Expiry: an Approved request past its Claim_Deadline__c becomes Expired when nothing was
 *   claimed on it (its funds go back to the budget), Closed when something was. A request with
 *   a claim still waiting for review (Submitted) stays Approved and is reported, so the channel
 *   manager decides that claim first.
 * - Accrual: a budget's Accrued_Amount__c = Accrual_Rate__c % × the Amount of Closed Won
 *   opportunities registered by the budget's partner (Registered_Partner__c) whose CloseDate
 *   falls in the budget period, up to the as-of date. Budgets without a rate keep their value.
 * - Totals: a budget's Claimed_Total__c / Paid_Total__c = the sums of its requests'
 *   Claimed_Total__c / Paid_Total__c roll-ups (claims are grandchildren of the budget, which a
 *   roll-up cannot reach).
 *
 * Idempotent: only values that differ from the org are written, so a second run changes
 * nothing. Every change is checked with the validation rules' twins (rules.ts) first; one they
 * refuse is reported and not sent. planAccrual is pure; applyAccrual writes a plan.
 */
import {
  type Budget,
  type Claim,
  type FundRequest,
  type IsoDate,
  type WonOpportunity,
  CLAIMED_CLAIM_STATUSES,
  fromCents,
  toCents
} from './model.js';
import { type RuleViolation, checkBudget, checkRequest } from './rules.js';
import {
  type QueryConnection,
  MDF_API,
  readBudgets,
  readClaims,
  readRequests,
  readWonOpportunitiesByPartner
} from './read.js';

export interface BudgetUpdate {
  budgetId: string;
  budgetName: string | null;
  partnerId: string;
  partnerName: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  /** Percent, or null when the budget does not accrue. */
  accrualRate: number | null;
  /** Closed-won Amount the accrual is based on (0 when the budget does not accrue). */
  wonAmount: number;
  previousAccrued: number;
  accrued: number;
  previousClaimedTotal: number;
  claimedTotal: number;
  previousPaidTotal: number;
  paidTotal: number;
  /** The fields this update writes. */
  fields: Array<'Accrued_Amount__c' | 'Claimed_Total__c' | 'Paid_Total__c'>;
}

export interface RequestExpiry {
  requestId: string;
  requestName: string | null;
  budgetId: string;
  partnerName: string;
  claimDeadline: IsoDate;
  approved: number;
  claimed: number;
  newStatus: 'Expired' | 'Closed';
}

export interface AwaitingClaimReview {
  requestId: string;
  requestName: string | null;
  partnerName: string;
  claimDeadline: IsoDate;
  submittedClaims: number;
}

export interface AccrualFailure {
  sobject: string;
  id: string;
  /** The validation rule (checked before writing) or the org's error code. */
  rule?: string;
  field?: string;
  message: string;
}

export interface AccrualPlan {
  asOf: IsoDate;
  budgets: BudgetUpdate[];
  requests: RequestExpiry[];
  awaitingClaimReview: AwaitingClaimReview[];
  /** Budgets looked at that are already right. */
  unchangedBudgets: number;
  /** Changes the rules refuse (they are not written). */
  refused: AccrualFailure[];
}

export interface AccrualInput {
  /** Budgets whose period has started by the as-of date. */
  budgets: readonly Budget[];
  /** All requests of those budgets, with their Claimed_Total__c / Paid_Total__c roll-ups. */
  requests: readonly FundRequest[];
  /** Claims of the Approved requests past their deadline (others may be left out). */
  claims: readonly Claim[];
  /** Closed-won opportunities registered by the budgets' partners. */
  wonOpportunities: readonly WonOpportunity[];
}

function refusals(id: string, violations: RuleViolation[]): AccrualFailure[] {
  return violations.map((v) => ({
    sobject: v.sobject,
    id,
    rule: v.rule,
    field: v.field,
    message: v.message
  }));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const list = out.get(k) ?? [];
    list.push(item);
    out.set(k, list);
  }
  return out;
}

export function planAccrual(input: AccrualInput, asOf: IsoDate): AccrualPlan {
  const plan: AccrualPlan = {
    asOf,
    budgets: [],
    requests: [],
    awaitingClaimReview: [],
    unchangedBudgets: 0,
    refused: []
  };
  const budgetsById = new Map(input.budgets.map((b) => [b.id, b]));
  const requestsByBudget = groupBy(input.requests, (r) => r.budgetId);
  const claimsByRequest = groupBy(input.claims, (c) => c.requestId);
  const wonByPartner = groupBy(input.wonOpportunities, (o) => o.registeredPartnerId);

  // 1. Expiry, first: an Expired request hands its funds back before the budget is checked.
  const newStatus = new Map<string, FundRequest['status']>();
  for (const r of input.requests) {
    if (r.status !== 'Approved' || r.claimDeadline === null || r.claimDeadline >= asOf) continue;
    const budget = budgetsById.get(r.budgetId);
    if (!budget) continue;
    const claims = claimsByRequest.get(r.id) ?? [];
    const submitted = claims.filter((c) => c.status === 'Submitted').length;
    if (submitted > 0) {
      plan.awaitingClaimReview.push({
        requestId: r.id,
        requestName: r.name ?? null,
        partnerName: budget.partnerName,
        claimDeadline: r.claimDeadline,
        submittedClaims: submitted
      });
      continue;
    }
    let claimedCents = 0;
    for (const c of claims) if (CLAIMED_CLAIM_STATUSES.includes(c.status)) claimedCents += toCents(c.amount);
    const status = claimedCents > 0 ? 'Closed' : 'Expired';
    const violations = checkRequest({ ...r, status }, budget, requestsByBudget.get(r.budgetId) ?? [], claims);
    if (violations.length) {
      plan.refused.push(...refusals(r.id, violations));
      continue;
    }
    newStatus.set(r.id, status);
    plan.requests.push({
      requestId: r.id,
      requestName: r.name ?? null,
      budgetId: r.budgetId,
      partnerName: budget.partnerName,
      claimDeadline: r.claimDeadline,
      approved: r.amountApproved ?? 0,
      claimed: fromCents(claimedCents),
      newStatus: status
    });
  }

  // 2. Accrual and totals per budget.
  for (const b of input.budgets) {
    if (b.periodStart > asOf) continue;
    const requests = (requestsByBudget.get(b.id) ?? []).map((r) =>
      newStatus.has(r.id) ? { ...r, status: newStatus.get(r.id)! } : r
    );
    let accruedCents = toCents(b.accruedAmount);
    let wonCents = 0;
    if (b.accrualRate !== null) {
      const until = b.periodEnd < asOf ? b.periodEnd : asOf;
      for (const o of wonByPartner.get(b.partnerId) ?? []) {
        if (o.closeDate >= b.periodStart && o.closeDate <= until) wonCents += toCents(o.amount);
      }
      accruedCents = Math.round((wonCents * b.accrualRate) / 100);
    }
    let claimedCents = 0;
    let paidCents = 0;
    for (const r of requests) {
      claimedCents += toCents(r.claimedTotal);
      paidCents += toCents(r.paidTotal);
    }
    const fields: BudgetUpdate['fields'] = [];
    if (accruedCents !== toCents(b.accruedAmount)) fields.push('Accrued_Amount__c');
    if (claimedCents !== toCents(b.claimedTotal)) fields.push('Claimed_Total__c');
    if (paidCents !== toCents(b.paidTotal)) fields.push('Paid_Total__c');
    if (fields.length === 0) {
      plan.unchangedBudgets++;
      continue;
    }
    const violations = checkBudget({ ...b, accruedAmount: fromCents(accruedCents) }, requests);
    if (violations.length) {
      plan.refused.push(...refusals(b.id, violations));
      continue;
    }
    plan.budgets.push({
      budgetId: b.id,
      budgetName: b.name ?? null,
      partnerId: b.partnerId,
      partnerName: b.partnerName,
      periodStart: b.periodStart,
      periodEnd: b.periodEnd,
      accrualRate: b.accrualRate,
      wonAmount: fromCents(wonCents),
      previousAccrued: b.accruedAmount,
      accrued: fromCents(accruedCents),
      previousClaimedTotal: b.claimedTotal ?? 0,
      claimedTotal: fromCents(claimedCents),
      previousPaidTotal: b.paidTotal ?? 0,
      paidTotal: fromCents(paidCents),
      fields
    });
  }
  return plan;
}

/** Reads what the plan needs: budgets started by the date, their requests, claims of the overdue ones, won deals. */
export async function readAccrualInput(conn: QueryConnection, asOf: IsoDate): Promise<AccrualInput> {
  const budgets = await readBudgets(conn, { startedBy: asOf });
  const requests = await readRequests(
    conn,
    budgets.map((b) => b.id)
  );
  const overdue = requests.filter(
    (r) => r.status === 'Approved' && r.claimDeadline !== null && r.claimDeadline < asOf
  );
  const claims = await readClaims(
    conn,
    overdue.map((r) => r.id)
  );
  const accruing = budgets.filter((b) => b.accrualRate !== null);
  let wonOpportunities: WonOpportunity[] = [];
  if (accruing.length) {
    const from = accruing.reduce(
      (min, b) => (b.periodStart < min ? b.periodStart : min),
      accruing[0].periodStart
    );
    wonOpportunities = await readWonOpportunitiesByPartner(
      conn,
      accruing.map((b) => b.partnerId),
      from,
      asOf
    );
  }
  return { budgets, requests, claims, wonOpportunities };
}

/** What applyAccrual needs from a connection: sObject collection updates (jsforce's sobject().update). */
export interface UpdateConnection {
  sobject(type: string): {
    update(
      records: Array<Record<string, unknown> & { Id: string }>,
      options?: { allOrNone?: boolean }
    ): Promise<unknown>;
  };
}

interface SaveResult {
  id?: string;
  success: boolean;
  errors?: Array<{ statusCode?: string; errorCode?: string; message: string; fields?: string[] }>;
}

const COLLECTION_SIZE = 200;

async function updateAll(
  conn: UpdateConnection,
  sobject: string,
  records: Array<Record<string, unknown> & { Id: string }>
): Promise<AccrualFailure[]> {
  const failures: AccrualFailure[] = [];
  for (let i = 0; i < records.length; i += COLLECTION_SIZE) {
    const part = records.slice(i, i + COLLECTION_SIZE);
    const raw = await conn.sobject(sobject).update(part, { allOrNone: false });
    const results = (Array.isArray(raw) ? raw : [raw]) as SaveResult[];
    results.forEach((res, j) => {
      if (res.success) return;
      for (const e of res.errors?.length
        ? res.errors
        : [{ message: 'The org refused the update without a reason.' }]) {
        failures.push({
          sobject,
          id: part[j].Id,
          rule: e.statusCode ?? e.errorCode,
          field: e.fields?.join(', ') || undefined,
          message: e.message
        });
      }
    });
  }
  return failures;
}

/** Writes a plan: requests' Status__c first (expiry hands funds back), then the budgets. Returns per-record failures. */
export async function applyAccrual(conn: UpdateConnection, plan: AccrualPlan): Promise<AccrualFailure[]> {
  const failures = await updateAll(
    conn,
    MDF_API.request,
    plan.requests.map((r) => ({ Id: r.requestId, Status__c: r.newStatus }))
  );
  const budgetRecords = plan.budgets.map((b) => {
    const values: Record<BudgetUpdate['fields'][number], number> = {
      Accrued_Amount__c: b.accrued,
      Claimed_Total__c: b.claimedTotal,
      Paid_Total__c: b.paidTotal
    };
    return { Id: b.budgetId, ...Object.fromEntries(b.fields.map((f) => [f, values[f]])) };
  });
  failures.push(...(await updateAll(conn, MDF_API.budget, budgetRecords)));
  return failures;
}

/** The `--json` result of `channel mdf accrue`. */
export interface AccrueResult {
  asOf: IsoDate;
  dryRun: boolean;
  budgetsUpdated: BudgetUpdate[];
  requestsExpired: RequestExpiry[];
  requestsClosed: RequestExpiry[];
  awaitingClaimReview: AwaitingClaimReview[];
  unchangedBudgets: number;
  failures: AccrualFailure[];
}

export async function runAccrual(
  conn: QueryConnection & UpdateConnection,
  opts: { asOf: IsoDate; dryRun?: boolean }
): Promise<AccrueResult> {
  const plan = planAccrual(await readAccrualInput(conn, opts.asOf), opts.asOf);
  const failures = [...plan.refused];
  if (!opts.dryRun) failures.push(...(await applyAccrual(conn, plan)));
  const failed = new Set(failures.map((f) => f.id));
  return {
    asOf: opts.asOf,
    dryRun: Boolean(opts.dryRun),
    budgetsUpdated: plan.budgets.filter((b) => !failed.has(b.budgetId)),
    requestsExpired: plan.requests.filter((r) => r.newStatus === 'Expired' && !failed.has(r.requestId)),
    requestsClosed: plan.requests.filter((r) => r.newStatus === 'Closed' && !failed.has(r.requestId)),
    awaitingClaimReview: plan.awaitingClaimReview,
    unchangedBudgets: plan.unchangedBudgets,
    failures
  };
}
