/**
 * `channel conflicts scan`: read the org, match customers, apply the rules, and (with write)
 * upsert Channel_Conflict__c by Conflict_Key__c and auto-resolve the Open conflicts that no
 * longer hold. Resolved and Dismissed conflicts are never touched.
 */
import type { Connection } from '@salesforce/core';
import { z } from 'zod';
import { CsvWriter } from '../salesforce/csv.js';
import { CONFLICT_TYPES, DEFAULT_RULES, type ConflictType, type RulesOfEngagement } from './defaults.js';
import { conflictKey } from './keys.js';
import { clusterCustomers, type MatchStats } from './matching.js';
import { readScanInput, streamQuery, type ReadOptions, type ScanInput } from './reader.js';
import { detectConflicts, type DetectedConflict, type RuleAccount, type RuleLineItem, type RuleOpportunity } from './rules.js';
import type { CustomerFields } from './normalize.js';

export const CONFLICT_OBJECT = 'Channel_Conflict__c';
export const KEY_FIELD = 'Conflict_Key__c';
/** Statuses a person set: a scan leaves these conflicts exactly as they are. */
export const PERSON_STATUSES = new Set(['Resolved', 'Dismissed']);

/** One conflict in the `--json` result and the CSV. */
export interface ScanConflict {
  type: ConflictType;
  key: string;
  accountId: string;
  opportunityId: string;
  conflictingOpportunityId: string | null;
  partnerId: string | null;
  productId: string | null;
  score: number;
  severity: string;
  rule: string;
  reason: string;
  /** The status the conflict has in the org before this scan (null: new). */
  existingStatus: string | null;
}

/** A detected conflict as the scan, the check and the sync job report it. */
export function toScanConflict(c: DetectedConflict & { key: string }, existingStatus: string | null): ScanConflict {
  return {
    type: c.type,
    key: c.key,
    accountId: c.accountId,
    opportunityId: c.opportunityId,
    conflictingOpportunityId: c.conflictingOpportunityId ?? null,
    partnerId: c.partnerId ?? null,
    productId: c.productId ?? null,
    score: c.score,
    severity: c.severity,
    rule: c.rule,
    reason: c.reason,
    existingStatus
  };
}

export type ConflictCounts = Record<ConflictType, number> & { total: number };

export interface WriteFailure {
  key: string;
  recordId?: string;
  operation: 'upsert' | 'auto-resolve';
  errors: string;
}

export interface ScanResult {
  asOf: string;
  dryRun: boolean;
  conflicts: ScanConflict[];
  counts: ConflictCounts;
  written: { created: number; updated: number; autoResolved: number; untouched: number; failed: number };
  /** What a write would do (also filled on a dry run). */
  plan: { create: number; update: number; autoResolve: number; keepResolved: number };
  failures: WriteFailure[];
  read: { accounts: number; opportunities: number; lineItems: number; existingConflicts: number };
  matching: MatchStats;
  outputFile?: string;
}

export interface ScanOptions extends ReadOptions {
  rules?: RulesOfEngagement;
  asOf: string;
  write?: boolean;
  output?: string;
  /** Rows above which writes go through a Bulk API 2.0 job instead of composite requests. */
  bulkWriteThreshold?: number;
  now?: Date;
  onStage?: (stage: string) => void;
}

/** Matching + rules + keys over records already read: the pure middle of a scan. */
export function computeConflicts(
  input: { accounts: Iterable<RuleAccount & CustomerFields>; opportunities: Iterable<RuleOpportunity>; lineItems?: Iterable<RuleLineItem>; names?: Map<string, string> },
  asOf: string,
  rules: RulesOfEngagement = DEFAULT_RULES
): { conflicts: (DetectedConflict & { key: string })[]; matching: MatchStats } {
  const accounts = [...input.accounts];
  const clusters = clusterCustomers(accounts, rules.matching);
  const detected = detectConflicts(
    {
      accounts,
      opportunities: input.opportunities,
      lineItems: input.lineItems,
      names: input.names,
      customers: { clusterOf: (id) => clusters.clusterOf.get(id) ?? id, score: (a, b) => clusters.score(a, b) }
    },
    asOf,
    rules
  );
  const byKey = new Map<string, DetectedConflict & { key: string }>();
  for (const c of detected) {
    const key = conflictKey(c);
    if (!byKey.has(key)) byKey.set(key, { ...c, key });
  }
  return { conflicts: [...byKey.values()], matching: clusters.stats };
}

export function countByType(conflicts: readonly { type: ConflictType }[]): ConflictCounts {
  const counts = Object.fromEntries(CONFLICT_TYPES.map((t) => [t, 0])) as ConflictCounts;
  for (const c of conflicts) counts[c.type]++;
  counts.total = conflicts.length;
  return counts;
}

const ExistingConflict = z.object({ Id: z.string(), Conflict_Key__c: z.string().nullable(), Status__c: z.string().nullable() });

/** Existing conflicts by key (all statuses), through Bulk API 2.0 when there are many. */
export async function readExistingConflicts(conn: Connection, options: ReadOptions = {}): Promise<Map<string, { id: string; status: string | null }>> {
  const out = new Map<string, { id: string; status: string | null }>();
  for await (const raw of streamQuery(conn, CONFLICT_OBJECT, `Id, ${KEY_FIELD}, Status__c`, `${KEY_FIELD} != null`, options)) {
    const r = ExistingConflict.parse(raw);
    if (r.Conflict_Key__c) out.set(r.Conflict_Key__c, { id: r.Id, status: r.Status__c });
  }
  return out;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The Channel_Conflict__c fields of a detected conflict. */
export function conflictRecord(c: ScanConflict, detectedAt?: string): Record<string, unknown> {
  const record: Record<string, unknown> = {
    [KEY_FIELD]: c.key,
    Type__c: c.type,
    Status__c: 'Open',
    Severity__c: c.severity,
    Account__c: c.accountId,
    Opportunity__c: c.opportunityId,
    Conflicting_Opportunity__c: c.conflictingOpportunityId,
    Partner__c: c.partnerId,
    Product__c: c.productId,
    Score__c: c.score,
    Rule__c: truncate(c.rule, 80),
    Reason__c: truncate(c.reason, 255)
  };
  if (detectedAt) record.Detected_At__c = detectedAt;
  return record;
}

interface CompositeResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

const COMPOSITE_BATCH = 200;

function errorText(r: CompositeResult): string {
  return (r.errors ?? []).map((e) => `${e.statusCode ?? 'ERROR'}: ${e.message ?? ''}${e.fields?.length ? ` (${e.fields.join(', ')})` : ''}`).join('; ') || 'unknown error';
}

/** Upserts by Conflict_Key__c through composite/sobjects, 200 records a request. */
export async function upsertComposite(conn: Connection, records: Record<string, unknown>[], failures: WriteFailure[]): Promise<{ created: number; updated: number }> {
  let created = 0;
  let updated = 0;
  const base = `/services/data/v${conn.getApiVersion()}/composite/sobjects/${CONFLICT_OBJECT}/${KEY_FIELD}`;
  for (let i = 0; i < records.length; i += COMPOSITE_BATCH) {
    const batch = records.slice(i, i + COMPOSITE_BATCH);
    const results = (await conn.requestPatch(base, {
      allOrNone: false,
      records: batch.map((r) => ({ attributes: { type: CONFLICT_OBJECT }, ...r }))
    })) as CompositeResult[];
    results.forEach((r, j) => {
      if (r.success) {
        if (r.created) created++;
        else updated++;
      } else failures.push({ key: String(batch[j][KEY_FIELD]), operation: 'upsert', errors: errorText(r) });
    });
  }
  return { created, updated };
}

/** Updates records by Id through composite/sobjects. */
export async function updateComposite(conn: Connection, records: { id: string; key: string; fields: Record<string, unknown> }[], failures: WriteFailure[]): Promise<number> {
  let ok = 0;
  const url = `/services/data/v${conn.getApiVersion()}/composite/sobjects`;
  for (let i = 0; i < records.length; i += COMPOSITE_BATCH) {
    const batch = records.slice(i, i + COMPOSITE_BATCH);
    const results = (await conn.requestPatch(url, {
      allOrNone: false,
      records: batch.map((r) => ({ attributes: { type: CONFLICT_OBJECT }, id: r.id, ...r.fields }))
    })) as CompositeResult[];
    results.forEach((r, j) => {
      if (r.success) ok++;
      else failures.push({ key: batch[j].key, recordId: batch[j].id, operation: 'auto-resolve', errors: errorText(r) });
    });
  }
  return ok;
}

/** Rows above which writes go through one Bulk API 2.0 job instead of composite requests. */
export const BULK_WRITE_THRESHOLD = 2_000;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsv(records: Record<string, unknown>[]): string {
  const header = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return [header.join(','), ...records.map((r) => header.map((h) => csvCell(r[h])).join(','))].join('\n') + '\n';
}

async function bulkWrite(
  conn: Connection,
  operation: 'upsert' | 'update',
  records: Record<string, unknown>[],
  failures: WriteFailure[],
  failureOf: (row: Record<string, unknown>) => Pick<WriteFailure, 'key' | 'recordId' | 'operation'>
): Promise<{ created: number; updated: number }> {
  const result = await conn.bulk2.loadAndWaitForResults({
    object: CONFLICT_OBJECT,
    operation,
    ...(operation === 'upsert' ? { externalIdFieldName: KEY_FIELD } : {}),
    input: toCsv(records),
    pollInterval: 500,
    pollTimeout: 30 * 60_000
  });
  let created = 0;
  let updated = 0;
  for (const r of result.successfulResults) {
    if (String(r.sf__Created).toLowerCase() === 'true') created++;
    else updated++;
  }
  for (const r of [...result.failedResults, ...result.unprocessedRecords] as Record<string, unknown>[]) {
    failures.push({ ...failureOf(r), errors: String(r.sf__Error ?? 'not processed') });
  }
  return { created, updated };
}

/** Runs a scan against an org. */
export async function scanConflicts(conn: Connection, options: ScanOptions): Promise<ScanResult> {
  const rules = options.rules ?? DEFAULT_RULES;
  const stage = options.onStage ?? ((): void => undefined);
  stage('Reading open opportunities, accounts and line items');
  const input: ScanInput = await readScanInput(conn, options);
  stage(`Matching ${input.accounts.length} customer accounts and applying the rules`);
  const { conflicts: detected, matching } = computeConflicts(input, options.asOf, rules);
  stage('Reading existing conflicts');
  const existing = await readExistingConflicts(conn, options);

  const conflicts: ScanConflict[] = detected.map((c) => toScanConflict(c, existing.get(c.key)?.status ?? null));
  const found = new Set(conflicts.map((c) => c.key));
  const toCreate = conflicts.filter((c) => c.existingStatus === null);
  const toUpdate = conflicts.filter((c) => c.existingStatus !== null && !PERSON_STATUSES.has(c.existingStatus));
  const keepResolved = conflicts.length - toCreate.length - toUpdate.length;
  const toAutoResolve = [...existing.entries()].filter(([key, e]) => e.status === 'Open' && !found.has(key));

  const result: ScanResult = {
    asOf: options.asOf,
    dryRun: !options.write,
    conflicts,
    counts: countByType(conflicts),
    written: { created: 0, updated: 0, autoResolved: 0, untouched: keepResolved, failed: 0 },
    plan: { create: toCreate.length, update: toUpdate.length, autoResolve: toAutoResolve.length, keepResolved },
    failures: [],
    read: { ...input.read, existingConflicts: existing.size },
    matching
  };

  if (options.output) {
    stage(`Writing ${options.output}`);
    const header = ['Type', 'Key', 'Severity', 'AccountId', 'OpportunityId', 'ConflictingOpportunityId', 'PartnerId', 'ProductId', 'Score', 'Rule', 'Reason', 'StatusInOrg'];
    const csv = new CsvWriter(options.output, header);
    try {
      for (const c of conflicts) {
        await csv.write([c.type, c.key, c.severity, c.accountId, c.opportunityId, c.conflictingOpportunityId, c.partnerId, c.productId, c.score, c.rule, c.reason, c.existingStatus ?? 'new']);
      }
      await csv.close();
    } catch (e) {
      csv.destroy();
      throw e;
    }
    result.outputFile = options.output;
  }

  if (options.write) {
    const now = (options.now ?? new Date()).toISOString();
    const upserts = [...toCreate.map((c) => conflictRecord(c, now)), ...toUpdate.map((c) => conflictRecord(c))];
    stage(`Writing ${upserts.length} conflicts (${toCreate.length} new)`);
    if (upserts.length > 0) {
      const w =
        upserts.length > (options.bulkWriteThreshold ?? BULK_WRITE_THRESHOLD)
          ? await bulkWrite(conn, 'upsert', upserts, result.failures, (r) => ({ key: String(r[KEY_FIELD] ?? ''), operation: 'upsert' }))
          : await upsertComposite(conn, upserts, result.failures);
      result.written.created = w.created;
      result.written.updated = w.updated;
    }
    if (toAutoResolve.length > 0) {
      stage(`Auto-resolving ${toAutoResolve.length} conflicts that no longer hold`);
      const note = `Auto-resolved: no longer detected by the conflict scan of ${options.asOf}.`;
      const updates = toAutoResolve.map(([key, e]) => ({ id: e.id, key, fields: { Status__c: 'Auto-Resolved', Resolution__c: note, Resolved_At__c: now } }));
      if (updates.length > (options.bulkWriteThreshold ?? BULK_WRITE_THRESHOLD)) {
        const keyOf = new Map(updates.map((u) => [u.id, u.key]));
        const w = await bulkWrite(
          conn,
          'update',
          updates.map((u) => ({ Id: u.id, ...u.fields })),
          result.failures,
          (r) => ({ key: keyOf.get(String(r.Id)) ?? '', recordId: String(r.Id ?? ''), operation: 'auto-resolve' })
        );
        result.written.autoResolved = w.updated + w.created;
      } else {
        result.written.autoResolved = await updateComposite(conn, updates, result.failures);
      }
    }
    result.written.failed = result.failures.length;
  }
  return result;
}
