/**
 * Reads what conflict detection needs from an org, streamed: REST query (queryMore pages)
 * when a query returns few rows, Bulk API 2.0 query when it returns many. Bulk results come
 * as CSV text; they are turned back into typed values (booleans, numbers, null) here, so the
 * rest of the engine sees one record shape. Every record is checked with zod on the way in.
 */
import type { Connection } from '@salesforce/core';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { SalesforceId, SfDate, parseRecord } from '../domain/records.js';
import { queryByIds, queryRecords, type QueryConnection } from '../salesforce/query.js';
import type { RuleAccount, RuleLineItem, RuleOpportunity } from './rules.js';
import type { CustomerFields } from './normalize.js';

/** Rows above which a query goes through Bulk API 2.0 instead of REST. */
export const DEFAULT_BULK_THRESHOLD = 10_000;

const nullableString = z.string().nullable().optional();
const nullableId = SalesforceId.nullable().optional();

export const ScanAccount = z.object({
  Id: SalesforceId,
  Name: z.string(),
  Type: nullableString,
  Website: nullableString,
  Phone: nullableString,
  BillingPostalCode: nullableString,
  BillingCountry: nullableString,
  Direct_Only__c: z.boolean().nullable().optional()
});
export type ScanAccount = z.infer<typeof ScanAccount> & RuleAccount & CustomerFields;

export const ScanOpportunity = z.object({
  Id: SalesforceId,
  Name: nullableString,
  AccountId: nullableId,
  IsClosed: z.boolean().nullable().optional(),
  CreatedDate: nullableString,
  Channel__c: nullableString,
  Registered_Partner__c: nullableId,
  Registration_Status__c: nullableString,
  Registration_Date__c: SfDate.nullable().optional(),
  Registration_Expires__c: SfDate.nullable().optional()
});
export type ScanOpportunity = z.infer<typeof ScanOpportunity> & RuleOpportunity;

export const ScanLineItem = z.object({
  Id: SalesforceId.optional(),
  OpportunityId: SalesforceId,
  Product2Id: SalesforceId,
  UnitPrice: z.number()
});
export type ScanLineItem = z.infer<typeof ScanLineItem> & RuleLineItem;

export const ACCOUNT_FIELDS = 'Id, Name, Type, Website, Phone, BillingPostalCode, BillingCountry, Direct_Only__c';
export const OPPORTUNITY_FIELDS =
  'Id, Name, AccountId, IsClosed, CreatedDate, Channel__c, Registered_Partner__c, Registration_Status__c, Registration_Date__c, Registration_Expires__c';
export const LINE_ITEM_FIELDS = 'Id, OpportunityId, Product2Id, UnitPrice';

const BOOLEAN_FIELDS = new Set(['IsClosed', 'Direct_Only__c']);
const NUMBER_FIELDS = new Set(['UnitPrice', 'Score__c']);

/** A Bulk API 2.0 CSV row as the REST API would have returned it. */
export function fromBulkRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === '' || value === undefined) out[key] = null;
    else if (BOOLEAN_FIELDS.has(key) && typeof value === 'string') out[key] = value.toLowerCase() === 'true';
    else if (NUMBER_FIELDS.has(key) && typeof value === 'string') out[key] = Number(value);
    else out[key] = value;
  }
  return out;
}

export interface ReadOptions {
  bulkThreshold?: number;
  /** Progress: called with the object name and the rows read so far. */
  onRows?: (sobject: string, rows: number) => void;
}

/** How many rows a query (without LIMIT) would return. */
async function countRows(conn: Connection, from: string, where?: string): Promise<number> {
  const result = await conn.query(`SELECT COUNT() FROM ${from}${where ? ` WHERE ${where}` : ''}`);
  return result.totalSize;
}

const QueryJobInfo = z.looseObject({ id: z.string(), state: z.string(), errorMessage: z.string().nullable().optional() });

/** Rows per result page asked of a Bulk API 2.0 query job. */
export const BULK_QUERY_PAGE = 50_000;

/** HTTP statuses worth another try: the org is busy or a proxy hiccuped. */
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * One result page, tried again (up to 5 times, with backoff) when the connection drops
 * (a kept-alive socket closed by the server while the previous page was parsed) or the org
 * answers busy; result pages can be fetched again by their locator.
 */
async function fetchPage(url: string, token: string, jobId: string): Promise<{ res: Response; text: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/csv' } });
      const text = await res.text();
      if (res.ok) return { res, text };
      if (!RETRY_STATUSES.has(res.status) || attempt >= 5) throw new Error(`Bulk query job ${jobId}: results answered ${res.status}: ${text.slice(0, 300)}`);
    } catch (e) {
      if (attempt >= 5 || (e as Error).message.startsWith('Bulk query job')) throw e;
    }
    await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
  }
}

/**
 * A Bulk API 2.0 query job driven step by step: create, poll until JobComplete, then fetch the
 * result pages one at a time by Sforce-Locator (each page is a CSV with its own header row) and
 * hand the rows on page by page, so memory holds one page. (jsforce's bulk2.query pipes every
 * page into one CSV parser, which breaks on the second page's header.)
 */
export async function* bulkQuery(conn: Connection, soql: string, pollIntervalMs = 300): AsyncGenerator<Record<string, unknown>> {
  const base = `/services/data/v${conn.getApiVersion()}/jobs/query`;
  const job = QueryJobInfo.parse(await conn.request({ method: 'POST', url: base, body: JSON.stringify({ operation: 'query', query: soql }), headers: { 'Content-Type': 'application/json' } }));
  let info = job;
  const started = Date.now();
  while (info.state !== 'JobComplete') {
    if (info.state === 'Failed' || info.state === 'Aborted') throw new Error(`Bulk query job ${job.id} ended ${info.state}: ${info.errorMessage ?? 'no message'}`);
    if (Date.now() - started > 60 * 60_000) throw new Error(`Bulk query job ${job.id} did not complete within an hour (state ${info.state}).`);
    await new Promise((r) => setTimeout(r, pollIntervalMs));
    info = QueryJobInfo.parse(await conn.request(`${base}/${job.id}`));
  }
  const instance = conn.instanceUrl.replace(/\/+$/, '');
  let locator: string | null = null;
  for (;;) {
    const url: string = `${instance}${base}/${job.id}/results?maxRecords=${BULK_QUERY_PAGE}${locator ? `&locator=${encodeURIComponent(locator)}` : ''}`;
    const { res, text } = await fetchPage(url, conn.accessToken ?? '', job.id);
    const rows = parseCsv(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
    for (const row of rows) yield row;
    const next: string | null = res.headers.get('sforce-locator');
    if (!next || next === 'null') break;
    locator = next;
  }
  try {
    await conn.request({ method: 'DELETE', url: `${base}/${job.id}` });
  } catch {
    // a job left behind is removed by Salesforce after 7 days
  }
}

/**
 * The rows of `SELECT fields FROM sobject WHERE where`, one by one: REST when there are at
 * most `bulkThreshold` rows, else one Bulk API 2.0 query job whose result pages are streamed.
 */
export async function* streamQuery(conn: Connection, sobject: string, fields: string, where: string | undefined, options: ReadOptions = {}): AsyncGenerator<Record<string, unknown>> {
  const soql = `SELECT ${fields} FROM ${sobject}${where ? ` WHERE ${where}` : ''}`;
  const threshold = options.bulkThreshold ?? DEFAULT_BULK_THRESHOLD;
  const rows = await countRows(conn, sobject, where);
  let n = 0;
  if (rows <= threshold) {
    for await (const r of queryRecords<Record<string, unknown>>(conn as unknown as QueryConnection, soql)) {
      if (++n % 5000 === 0) options.onRows?.(sobject, n);
      yield r;
    }
  } else {
    for await (const r of bulkQuery(conn, soql)) {
      if (++n % 50_000 === 0) options.onRows?.(sobject, n);
      yield fromBulkRow(r);
    }
  }
  options.onRows?.(sobject, n);
}

/** Everything the rules need, read from the org. */
export interface ScanInput {
  accounts: ScanAccount[];
  opportunities: ScanOpportunity[];
  lineItems: ScanLineItem[];
  /** Names of partners and products for reason texts. */
  names: Map<string, string>;
  read: { accounts: number; opportunities: number; lineItems: number };
}

/**
 * Reads the open opportunities, then the accounts that can take part in a conflict (accounts
 * of open opportunities and direct-only accounts) and the line items of open opportunities.
 * Other accounts cannot be in a conflict, so they are not kept in memory.
 */
export async function readScanInput(conn: Connection, options: ReadOptions = {}): Promise<ScanInput> {
  const opportunities: ScanOpportunity[] = [];
  const accountIds = new Set<string>();
  const partnerIds = new Set<string>();
  for await (const raw of streamQuery(conn, 'Opportunity', OPPORTUNITY_FIELDS, 'IsClosed = false', options)) {
    const o = parseRecord(ScanOpportunity, 'Opportunity', raw) as ScanOpportunity;
    if (o.IsClosed) continue;
    opportunities.push(o);
    if (o.AccountId) accountIds.add(o.AccountId);
    if (o.Registered_Partner__c) partnerIds.add(o.Registered_Partner__c);
  }

  const accounts: ScanAccount[] = [];
  const names = new Map<string, string>();
  const keep = (raw: Record<string, unknown>): void => {
    const a = parseRecord(ScanAccount, 'Account', raw) as ScanAccount;
    if (partnerIds.has(a.Id)) names.set(a.Id, a.Name);
    if (accountIds.has(a.Id) || a.Direct_Only__c) accounts.push(a);
  };
  const totalAccounts = await countRows(conn, 'Account');
  let readAccounts = 0;
  const wanted = accountIds.size + partnerIds.size;
  if (wanted * 20 < totalAccounts && wanted <= 20_000) {
    // few accounts matter: fetch them by id, and the direct-only ones by filter
    for await (const raw of queryByIds<Record<string, unknown>>(conn as unknown as QueryConnection, { select: ACCOUNT_FIELDS, from: 'Account' }, [...accountIds, ...partnerIds])) {
      readAccounts++;
      keep(raw);
    }
    const seen = new Set(accounts.map((a) => a.Id));
    for await (const raw of streamQuery(conn, 'Account', ACCOUNT_FIELDS, 'Direct_Only__c = true', options)) {
      readAccounts++;
      if (!seen.has(String(raw.Id))) keep(raw);
    }
  } else {
    for await (const raw of streamQuery(conn, 'Account', ACCOUNT_FIELDS, undefined, options)) {
      readAccounts++;
      keep(raw);
    }
  }

  const openIds = new Set(opportunities.map((o) => o.Id));
  const lineItems: ScanLineItem[] = [];
  let readItems = 0;
  const productIds = new Set<string>();
  const takeItem = (raw: Record<string, unknown>): void => {
    readItems++;
    const li = parseRecord(ScanLineItem, 'OpportunityLineItem', raw) as ScanLineItem;
    if (!openIds.has(li.OpportunityId)) return;
    lineItems.push(li);
    productIds.add(li.Product2Id);
  };
  if (openIds.size <= 5_000) {
    for await (const raw of queryByIds<Record<string, unknown>>(conn as unknown as QueryConnection, { select: LINE_ITEM_FIELDS, from: 'OpportunityLineItem', idField: 'OpportunityId' }, openIds)) takeItem(raw);
  } else {
    for await (const raw of streamQuery(conn, 'OpportunityLineItem', LINE_ITEM_FIELDS, undefined, options)) takeItem(raw);
  }
  if (productIds.size > 0 && productIds.size <= 20_000) {
    for await (const raw of queryByIds<{ Id: string; Name: string }>(conn as unknown as QueryConnection, { select: 'Id, Name', from: 'Product2' }, productIds)) {
      names.set(String(raw.Id), String(raw.Name));
    }
  }
  return { accounts, opportunities, lineItems, names, read: { accounts: readAccounts, opportunities: opportunities.length, lineItems: readItems } };
}
