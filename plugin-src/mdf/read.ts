/**
 * Reads MDF budgets, requests, claims and won opportunities from an org through a
 * connection. Every record is parsed with zod, so a missing field or a wrong type fails with
 * the object, record id and field named. Ids and dates that reach SOQL are validated first
 * (no SOQL injection through flags).
 */
import { z } from 'zod';
import { SalesforceId, SfDate, parseRecord } from '../domain/records.js';
import { type QueryConnection, collectByIds, queryRecords, soqlId } from '../salesforce/query.js';
import {
  type Budget,
  type Claim,
  type FundRequest,
  type IsoDate,
  type WonOpportunity,
  CLAIM_STATUSES,
  REQUEST_STATUSES,
  isIsoDate
} from './model.js';
import type { MdfData } from './figures.js';

/** What read.ts needs from a connection (jsforce / @salesforce/core's Connection has it). */
export type { QueryConnection } from '../salesforce/query.js';

/** API names of the MDF objects and fields (force-app/main/default/objects). */
export const MDF_API = {
  budget: 'MDF_Budget__c',
  request: 'MDF_Request__c',
  claim: 'MDF_Claim__c',
  requestBudgetField: 'Budget__c',
  claimRequestField: 'Request__c'
} as const;

const money = z
  .number()
  .nullable()
  .optional()
  .transform((v) => v ?? null);
const date = SfDate.nullable()
  .optional()
  .transform((v) => v ?? null);
const text = z
  .string()
  .nullable()
  .optional()
  .transform((v) => v ?? null);

const BudgetRow = z.object({
  Id: SalesforceId,
  Name: text,
  Partner__c: SalesforceId,
  Partner__r: z.object({ Name: z.string().nullable().optional() }).nullable().optional(),
  Period_Start__c: SfDate,
  Period_End__c: SfDate,
  Amount__c: money,
  Accrual_Rate__c: money,
  Accrued_Amount__c: money,
  Claimed_Total__c: money,
  Paid_Total__c: money
});

const RequestRow = z.object({
  Id: SalesforceId,
  Name: text,
  [MDF_API.requestBudgetField]: SalesforceId,
  Status__c: z.enum(REQUEST_STATUSES),
  Activity_Type__c: text,
  Amount_Requested__c: money,
  Amount_Approved__c: money,
  Campaign__c: SalesforceId.nullable()
    .optional()
    .transform((v) => v ?? null),
  Start_Date__c: date,
  End_Date__c: date,
  Claim_Deadline__c: date,
  Claimed_Total__c: money,
  Paid_Total__c: money
});

const ClaimRow = z.object({
  Id: SalesforceId,
  Name: text,
  [MDF_API.claimRequestField]: SalesforceId,
  Status__c: z.enum(CLAIM_STATUSES),
  Amount__c: money,
  Claim_Date__c: date
});

const WonOpportunityRow = z.object({
  Id: SalesforceId,
  Amount: money,
  CloseDate: SfDate,
  CampaignId: SalesforceId.nullable()
    .optional()
    .transform((v) => v ?? null),
  Registered_Partner__c: SalesforceId.nullable()
    .optional()
    .transform((v) => v ?? null)
});

export const BUDGET_FIELDS =
  'Id, Name, Partner__c, Partner__r.Name, Period_Start__c, Period_End__c, Amount__c, Accrual_Rate__c, Accrued_Amount__c, Claimed_Total__c, Paid_Total__c';
export const REQUEST_FIELDS = `Id, Name, ${MDF_API.requestBudgetField}, Status__c, Activity_Type__c, Amount_Requested__c, Amount_Approved__c, Campaign__c, Start_Date__c, End_Date__c, Claim_Deadline__c, Claimed_Total__c, Paid_Total__c`;
export const CLAIM_FIELDS = `Id, Name, ${MDF_API.claimRequestField}, Status__c, Amount__c, Claim_Date__c`;
const OPPORTUNITY_FIELDS = 'Id, Amount, CloseDate, CampaignId, Registered_Partner__c';

function toBudget(raw: unknown): Budget {
  const r = parseRecord(BudgetRow, MDF_API.budget, raw);
  return {
    id: r.Id,
    name: r.Name ?? undefined,
    partnerId: r.Partner__c,
    partnerName: r.Partner__r?.Name ?? r.Partner__c,
    periodStart: r.Period_Start__c,
    periodEnd: r.Period_End__c,
    amount: r.Amount__c ?? 0,
    accrualRate: r.Accrual_Rate__c,
    accruedAmount: r.Accrued_Amount__c ?? 0,
    claimedTotal: r.Claimed_Total__c ?? 0,
    paidTotal: r.Paid_Total__c ?? 0
  };
}

function toRequest(raw: unknown): FundRequest {
  const r = parseRecord(RequestRow, MDF_API.request, raw);
  return {
    id: r.Id,
    name: r.Name ?? undefined,
    budgetId: r[MDF_API.requestBudgetField],
    status: r.Status__c,
    activityType: r.Activity_Type__c,
    amountRequested: r.Amount_Requested__c,
    amountApproved: r.Amount_Approved__c,
    campaignId: r.Campaign__c,
    startDate: r.Start_Date__c,
    endDate: r.End_Date__c,
    claimDeadline: r.Claim_Deadline__c,
    claimedTotal: r.Claimed_Total__c ?? 0,
    paidTotal: r.Paid_Total__c ?? 0
  };
}

function toClaim(raw: unknown): Claim {
  const r = parseRecord(ClaimRow, MDF_API.claim, raw);
  return {
    id: r.Id,
    name: r.Name ?? undefined,
    requestId: r[MDF_API.claimRequestField],
    status: r.Status__c,
    amount: r.Amount__c,
    claimDate: r.Claim_Date__c
  };
}

function toWonOpportunity(raw: unknown): WonOpportunity {
  const r = parseRecord(WonOpportunityRow, 'Opportunity', raw);
  return {
    id: r.Id,
    amount: r.Amount,
    closeDate: r.CloseDate,
    campaignId: r.CampaignId,
    registeredPartnerId: r.Registered_Partner__c
  };
}

/** A SOQL date literal; throws on anything that is not YYYY-MM-DD. */
export function soqlDate(value: string): string {
  if (!isIsoDate(value)) throw new Error(`Not a date (YYYY-MM-DD): ${JSON.stringify(value)}`);
  return value;
}

async function queryAll<T>(conn: QueryConnection, soql: string, map: (raw: unknown) => T): Promise<T[]> {
  const out: T[] = [];
  for await (const raw of queryRecords<unknown>(conn, soql)) out.push(map(raw));
  return out;
}

async function queryByIds<T>(
  conn: QueryConnection,
  q: { select: string; from: string; idField: string; where?: string; orderBy?: string },
  ids: readonly string[],
  map: (raw: unknown) => T
): Promise<T[]> {
  if (ids.length === 0) return [];
  return (await collectByIds<unknown>(conn, q, new Set(ids))).map(map);
}

export interface ReadBudgetsOptions {
  /** Budgets whose period has started by this date. */
  startedBy?: IsoDate;
  partnerId?: string;
}

export async function readBudgets(conn: QueryConnection, opts: ReadBudgetsOptions = {}): Promise<Budget[]> {
  const where: string[] = [];
  if (opts.startedBy) where.push(`Period_Start__c <= ${soqlDate(opts.startedBy)}`);
  if (opts.partnerId) where.push(`Partner__c = ${soqlId(opts.partnerId)}`);
  const soql = `SELECT ${BUDGET_FIELDS} FROM ${MDF_API.budget}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY Period_Start__c, Id`;
  return queryAll(conn, soql, toBudget);
}

/** The requests of these budgets, optionally narrowed by a condition composed by the caller. */
export async function readRequests(
  conn: QueryConnection,
  budgetIds: readonly string[],
  where?: string
): Promise<FundRequest[]> {
  return queryByIds(
    conn,
    {
      select: REQUEST_FIELDS,
      from: MDF_API.request,
      idField: MDF_API.requestBudgetField,
      where,
      orderBy: 'ORDER BY Id'
    },
    budgetIds,
    toRequest
  );
}

export async function readClaims(conn: QueryConnection, requestIds: readonly string[]): Promise<Claim[]> {
  return queryByIds(
    conn,
    { select: CLAIM_FIELDS, from: MDF_API.claim, idField: MDF_API.claimRequestField, orderBy: 'ORDER BY Id' },
    requestIds,
    toClaim
  );
}

/** Closed-won opportunities on any of these campaigns. */
export async function readWonOpportunitiesByCampaign(
  conn: QueryConnection,
  campaignIds: readonly string[]
): Promise<WonOpportunity[]> {
  return queryByIds(
    conn,
    {
      select: OPPORTUNITY_FIELDS,
      from: 'Opportunity',
      idField: 'CampaignId',
      where: 'IsWon = true',
      orderBy: 'ORDER BY Id'
    },
    campaignIds,
    toWonOpportunity
  );
}

/** Closed-won opportunities registered by any of these partners, closed within [from, to]. */
export async function readWonOpportunitiesByPartner(
  conn: QueryConnection,
  partnerIds: readonly string[],
  from: IsoDate,
  to: IsoDate
): Promise<WonOpportunity[]> {
  return queryByIds(
    conn,
    {
      select: OPPORTUNITY_FIELDS,
      from: 'Opportunity',
      idField: 'Registered_Partner__c',
      where: `IsWon = true AND CloseDate >= ${soqlDate(from)} AND CloseDate <= ${soqlDate(to)}`,
      orderBy: 'ORDER BY Id'
    },
    partnerIds,
    toWonOpportunity
  );
}

/** Everything the report needs, as of a date. */
export async function readMdfData(
  conn: QueryConnection,
  opts: { asOf: IsoDate; partnerId?: string }
): Promise<MdfData> {
  const budgets = await readBudgets(conn, { startedBy: opts.asOf, partnerId: opts.partnerId });
  const requests = await readRequests(
    conn,
    budgets.map((b) => b.id)
  );
  const claims = await readClaims(
    conn,
    requests.map((r) => r.id)
  );
  const campaignIds = requests.flatMap((r) => (r.campaignId ? [r.campaignId] : []));
  const wonOpportunities = await readWonOpportunitiesByCampaign(conn, campaignIds);
  return { budgets, requests, claims, wonOpportunities };
}
