/**
 * The drift check: before a row is sent, its record's current owner decides what happens.
 *
 * - current owner = the plan's old owner → to do;
 * - current owner = the plan's new owner → already done (by an earlier, interrupted run of the
 *   plan, or by someone else): not sent again — this is what makes a resumed run exact;
 * - anything else (another owner, or the record is gone) → drift: skipped and reported in
 *   drift.csv, never overwritten.
 *
 * For an undo the roles swap: the plan's new owner is the owner to leave, the old one the owner
 * to return to.
 */
import { to18 } from '../domain/ids.js';
import type { Bulk2 } from '../salesforce/bulk2.js';

export type RunMode = 'apply' | 'undo';

/** One row of a plan's `<SObject>.csv`. */
export interface PlanRow {
  Id: string;
  OldOwnerId: string;
  NewOwnerId: string;
  AccountId: string;
}

/** The owner a row leaves in this mode. */
export function fromOwner(row: PlanRow, mode: RunMode): string {
  return mode === 'apply' ? row.OldOwnerId : row.NewOwnerId;
}

/** The owner a row goes to in this mode. */
export function toOwner(row: PlanRow, mode: RunMode): string {
  return mode === 'apply' ? row.NewOwnerId : row.OldOwnerId;
}

export type RowClass = 'todo' | 'done' | 'drift';

export function classifyRow(row: PlanRow, currentOwnerId: string | undefined, mode: RunMode): RowClass {
  if (currentOwnerId === undefined) return 'drift';
  if (currentOwnerId === fromOwner(row, mode)) return 'todo';
  if (currentOwnerId === toOwner(row, mode)) return 'done';
  return 'drift';
}

export interface DriftedRow {
  row: PlanRow;
  /** undefined when the record was not found (deleted, or not visible to the running user). */
  currentOwnerId: string | undefined;
}

export interface SplitRows {
  todo: PlanRow[];
  done: PlanRow[];
  drift: DriftedRow[];
}

/** Splits rows by their records' current owners (a map of Id → OwnerId, 18-char ids). */
export function splitByCurrentOwner(rows: readonly PlanRow[], currentOwners: ReadonlyMap<string, string>, mode: RunMode): SplitRows {
  const out: SplitRows = { todo: [], done: [], drift: [] };
  for (const row of rows) {
    const current = currentOwners.get(row.Id);
    const kind = classifyRow(row, current, mode);
    if (kind === 'drift') out.drift.push({ row, currentOwnerId: current });
    else out[kind].push(row);
  }
  return out;
}

export const DRIFT_CSV_HEADER = ['SObject', 'Id', 'PlannedOldOwnerId', 'PlannedNewOwnerId', 'CurrentOwnerId', 'Note'] as const;

export function driftCells(sobject: string, d: DriftedRow): string[] {
  return [
    sobject,
    d.row.Id,
    d.row.OldOwnerId,
    d.row.NewOwnerId,
    d.currentOwnerId ?? '',
    d.currentOwnerId === undefined
      ? 'Record not found: deleted, or not visible to the running user.'
      : 'Owner changed since the plan was made: left as it is.'
  ];
}

/**
 * Reads the current owners of records by id: `WHERE Id IN (...)` queries of `chunk` ids,
 * `concurrency` at a time. Ids come from a validated plan (18-char ids) and the object name
 * from the plan's fixed list, so nothing user-typed reaches the SOQL text.
 */
export async function readCurrentOwners(bulk: Bulk2, sobject: string, ids: readonly string[], chunk = 500, concurrency = 4): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += chunk) chunks.push(ids.slice(i, i + chunk) as string[]);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) {
      const ids = chunks[next++];
      const soql = `SELECT Id, OwnerId FROM ${sobject} WHERE Id IN ('${ids.join("','")}')`;
      for await (const r of bulk.query(soql)) {
        if (typeof r.Id === 'string' && typeof r.OwnerId === 'string') out.set(to18(r.Id), to18(r.OwnerId));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  return out;
}

/**
 * Reads the current owners of a plan object's records in one Bulk API 2.0 query by owner
 * (`WHERE OwnerId IN (<the plan's old and new owners>)`), keeping only the plan's ids: far
 * fewer requests than id chunks when a plan is large and has few owners. `where` narrows it
 * further (an extra `AND ...` built from validated ids only). Records owned by
 * anybody else are absent, which classifies them as drift (as they are).
 */
export async function readCurrentOwnersByOwner(
  bulk: Bulk2,
  sobject: string,
  planIds: ReadonlySet<string> | undefined,
  ownerIds: readonly string[],
  opts: { ownersPerQuery?: number; useBulk?: boolean; where?: string } = {}
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ownersPerQuery = opts.ownersPerQuery ?? 300;
  for (let i = 0; i < ownerIds.length; i += ownersPerQuery) {
    const owners = ownerIds.slice(i, i + ownersPerQuery);
    const soql = `SELECT Id, OwnerId FROM ${sobject} WHERE OwnerId IN ('${owners.join("','")}')${opts.where ?? ''}`;
    const records = opts.useBulk ? bulk.bulkQuery(soql) : (bulk.query(soql) as AsyncIterable<Record<string, string>>);
    for await (const r of records) {
      const id = r.Id && r.Id.length >= 15 ? to18(r.Id) : undefined;
      if (id && (!planIds || planIds.has(id)) && r.OwnerId) out.set(id, to18(r.OwnerId));
    }
  }
  return out;
}
