/**
 * `channel conflicts check --opportunity ID`: the rules for one deal, fast. Instead of reading
 * the org it asks only for this customer's candidate records (same website domain, a
 * distinctive word or the beginning of the name), matches them, and applies the rules to the
 * open opportunities of the matching accounts. Writes nothing.
 */
import type { Connection } from '@salesforce/core';
import { parseRecord } from '../domain/records.js';
import { queryByIds, queryRecords, soqlId, soqlString, type QueryConnection } from '../salesforce/query.js';
import { DEFAULT_RULES, type RulesOfEngagement } from './defaults.js';
import { conflictKey } from './keys.js';
import { clusterCustomers } from './matching.js';
import { customerProfile } from './normalize.js';
import { ACCOUNT_FIELDS, LINE_ITEM_FIELDS, OPPORTUNITY_FIELDS, ScanAccount, ScanLineItem, ScanOpportunity } from './reader.js';
import { detectConflicts, protectionStatus, type ProtectionStatus } from './rules.js';
import { CONFLICT_OBJECT, KEY_FIELD, toScanConflict, type ScanConflict } from './scan.js';

export interface CheckResult {
  opportunityId: string;
  opportunityName: string | null;
  accountId: string | null;
  isClosed: boolean;
  /** The account records judged to be the same customer (the opportunity's account first). */
  customerAccounts: { id: string; name: string; score: number }[];
  protection: ProtectionStatus;
  conflicts: ScanConflict[];
}

export class OpportunityNotFoundError extends Error {
  constructor(public readonly opportunityId: string) {
    super(`Opportunity ${opportunityId} was not found.`);
    this.name = 'OpportunityNotFoundError';
  }
}

/** A value for LIKE inside a SOQL string literal: %, _ and \ taken literally. */
function likeValue(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const q = (conn: Connection): QueryConnection => conn as unknown as QueryConnection;

export async function checkOpportunity(conn: Connection, opportunityId: string, asOf: string, rules: RulesOfEngagement = DEFAULT_RULES): Promise<CheckResult> {
  const idLiteral = soqlId(opportunityId);
  let opp: ScanOpportunity | undefined;
  for await (const raw of queryRecords<unknown>(q(conn), `SELECT ${OPPORTUNITY_FIELDS} FROM Opportunity WHERE Id = ${idLiteral}`)) {
    opp = parseRecord(ScanOpportunity, 'Opportunity', raw) as ScanOpportunity;
  }
  if (!opp) throw new OpportunityNotFoundError(opportunityId);
  const base: CheckResult = {
    opportunityId: opp.Id,
    opportunityName: opp.Name ?? null,
    accountId: opp.AccountId ?? null,
    isClosed: !!opp.IsClosed,
    customerAccounts: [],
    protection: protectionStatus(opp, asOf, rules),
    conflicts: []
  };
  if (opp.IsClosed || !opp.AccountId) return base;

  // 1. the opportunity's account and its candidate look-alikes
  const accounts = new Map<string, ScanAccount>();
  for await (const raw of queryRecords<unknown>(q(conn), `SELECT ${ACCOUNT_FIELDS} FROM Account WHERE Id = ${soqlId(opp.AccountId)}`)) {
    const a = parseRecord(ScanAccount, 'Account', raw) as ScanAccount;
    accounts.set(a.Id, a);
  }
  const own = accounts.get(opp.AccountId);
  if (!own) return base;
  const profile = customerProfile(own);
  const filters: string[] = [];
  if (profile.domain) filters.push(`Website LIKE ${soqlString(`%${likeValue(profile.domain)}%`)}`);
  const words = [...profile.name.tokens].filter((t) => t.length >= 4).sort((a, b) => b.length - a.length).slice(0, 2);
  for (const w of words) filters.push(`Name LIKE ${soqlString(`%${likeValue(w)}%`)}`);
  if (profile.name.compact.length >= 4) filters.push(`Name LIKE ${soqlString(`${likeValue(profile.name.compact.slice(0, 3))}%`)}`);
  if (filters.length > 0) {
    const soql = `SELECT ${ACCOUNT_FIELDS} FROM Account WHERE (${filters.join(' OR ')}) AND Id != ${soqlId(own.Id)} LIMIT 2000`;
    for await (const raw of queryRecords<unknown>(q(conn), soql)) {
      const a = parseRecord(ScanAccount, 'Account', raw) as ScanAccount;
      accounts.set(a.Id, a);
    }
  }
  const clusters = clusterCustomers(accounts.values(), rules.matching);
  const cluster = clusters.clusterOf.get(own.Id) as string;
  const customerIds = (clusters.members.get(cluster) ?? [own.Id]).slice().sort((a, b) => (a === own.Id ? -1 : b === own.Id ? 1 : a < b ? -1 : 1));
  base.customerAccounts = customerIds.map((id) => ({ id, name: (accounts.get(id) as ScanAccount).Name, score: clusters.score(own.Id, id) }));

  // 2. the customer's open opportunities, their line items, partner and product names
  const opportunities: ScanOpportunity[] = [];
  for await (const raw of queryByIds<unknown>(q(conn), { select: OPPORTUNITY_FIELDS, from: 'Opportunity', idField: 'AccountId', where: 'IsClosed = false' }, customerIds)) {
    opportunities.push(parseRecord(ScanOpportunity, 'Opportunity', raw) as ScanOpportunity);
  }
  const lineItems: ScanLineItem[] = [];
  for await (const raw of queryByIds<unknown>(q(conn), { select: LINE_ITEM_FIELDS, from: 'OpportunityLineItem', idField: 'OpportunityId' }, opportunities.map((o) => o.Id))) {
    lineItems.push(parseRecord(ScanLineItem, 'OpportunityLineItem', raw) as ScanLineItem);
  }
  const names = new Map<string, string>();
  const lookups = new Set<string>([...opportunities.flatMap((o) => (o.Registered_Partner__c ? [o.Registered_Partner__c] : [])), ...customerIds]);
  for await (const raw of queryByIds<{ Id: string; Name: string }>(q(conn), { select: 'Id, Name', from: 'Account' }, lookups)) names.set(raw.Id, raw.Name);
  const products = new Set(lineItems.map((l) => l.Product2Id));
  if (products.size > 0) for await (const raw of queryByIds<{ Id: string; Name: string }>(q(conn), { select: 'Id, Name', from: 'Product2' }, products)) names.set(raw.Id, raw.Name);

  // 3. the rules, kept to the conflicts this opportunity is part of
  const detected = detectConflicts(
    {
      accounts: [...accounts.values()].filter((a) => clusters.clusterOf.get(a.Id) === cluster),
      opportunities,
      lineItems,
      names,
      customers: { clusterOf: (id) => clusters.clusterOf.get(id) ?? id, score: (a, b) => clusters.score(a, b) }
    },
    asOf,
    rules
  ).filter((c) => c.opportunityId === opp.Id || c.conflictingOpportunityId === opp.Id);
  const keyed = detected.map((c) => ({ ...c, key: conflictKey(c) }));
  const statuses = new Map<string, string | null>();
  if (keyed.length > 0) {
    const keys = keyed.map((c) => soqlString(c.key)).join(',');
    for await (const raw of queryRecords<{ Conflict_Key__c: string; Status__c: string | null }>(q(conn), `SELECT ${KEY_FIELD}, Status__c FROM ${CONFLICT_OBJECT} WHERE ${KEY_FIELD} IN (${keys})`)) {
      statuses.set(raw.Conflict_Key__c, raw.Status__c);
    }
  }
  base.conflicts = keyed.map((c) => toScanConflict(c, statuses.get(c.key) ?? null));
  return base;
}
