/**
 * Channel_Sync_Run__c: the history of sync runs in the org, and the lock that keeps two runs
 * of one job apart. The lock lives in the org (a unique external id, Lock_Key__c) rather than
 * on one machine's disk, so runners on several machines or CI pipelines exclude each other.
 */
import { hostname } from 'node:os';
import type { Connection } from '@salesforce/core';
import { z } from 'zod';
import { soqlString } from '../salesforce/query.js';
import type { SyncJobName } from './types.js';

export const RUN_OBJECT = 'Channel_Sync_Run__c';

/** A lock whose heartbeat is older than this is taken to belong to a runner that died. */
export const DEFAULT_LEASE_MS = 10 * 60 * 1000;

const RunRow = z.object({
  Id: z.string(),
  Name: z.string().nullable().optional(),
  Job__c: z.string().nullable(),
  Status__c: z.string().nullable(),
  Started_At__c: z.string().nullable(),
  Finished_At__c: z.string().nullable().optional(),
  Watermark__c: z.string().nullable().optional(),
  Records_Read__c: z.number().nullable().optional(),
  Records_Changed__c: z.number().nullable().optional(),
  Errors__c: z.number().nullable().optional(),
  Error_Summary__c: z.string().nullable().optional(),
  Runner__c: z.string().nullable().optional(),
  Heartbeat_At__c: z.string().nullable().optional()
});
export type RunRow = z.infer<typeof RunRow>;

const RUN_FIELDS =
  'Id, Name, Job__c, Status__c, Started_At__c, Finished_At__c, Watermark__c, Records_Read__c, Records_Changed__c, Errors__c, Error_Summary__c, Runner__c, Heartbeat_At__c';

export class SyncLockedError extends Error {
  public constructor(
    public readonly job: SyncJobName,
    public readonly holder: RunRow
  ) {
    super(
      `Another run of the ${job} sync job holds the lock (run ${holder.Name ?? holder.Id}, started ${holder.Started_At__c}, by ${holder.Runner__c ?? 'an unknown runner'}).`
    );
    this.name = 'SyncLockedError';
  }
}

export function lockKey(job: SyncJobName): string {
  return `lock:${job}`;
}

export function runnerId(): string {
  return `${hostname()}:${process.pid}`;
}

function isDuplicate(error: unknown): boolean {
  const text = JSON.stringify((error as { data?: unknown })?.data ?? '') + String((error as Error)?.message ?? '');
  return /DUPLICATE_VALUE|duplicate value/i.test(text) || (error as { errorCode?: string })?.errorCode === 'DUPLICATE_VALUE';
}

/** Is the run holding the lock gone? Its heartbeat is past the lease, or it ran here and its process is dead. */
export function isStale(holder: RunRow, now: Date, leaseMs = DEFAULT_LEASE_MS): boolean {
  const beat = Date.parse(holder.Heartbeat_At__c ?? holder.Started_At__c ?? '');
  if (Number.isNaN(beat) || now.getTime() - beat > leaseMs) return true;
  const [host, pid] = (holder.Runner__c ?? '').split(':');
  if (host === hostname() && pid && Number(pid) !== process.pid) {
    try {
      process.kill(Number(pid), 0);
      return false;
    } catch {
      return true;
    }
  }
  return false;
}

async function lockHolder(conn: Connection, job: SyncJobName): Promise<RunRow | undefined> {
  const result = await conn.query(
    `SELECT ${RUN_FIELDS} FROM ${RUN_OBJECT} WHERE Lock_Key__c = ${soqlString(lockKey(job))} LIMIT 1`
  );
  return result.records[0] ? RunRow.parse(result.records[0]) : undefined;
}

/**
 * Starts a run: inserts its row holding the job's lock. A live holder refuses the start; a
 * stale one (its runner died) is marked Failed and its lock released first, so a killed run
 * is simply repeated.
 */
export async function startRun(conn: Connection, job: SyncJobName, now: Date, leaseMs = DEFAULT_LEASE_MS): Promise<string> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const created = await conn.sobject(RUN_OBJECT).create({
        Job__c: job,
        Status__c: 'Running',
        Started_At__c: now.toISOString(),
        Heartbeat_At__c: now.toISOString(),
        Runner__c: runnerId(),
        Lock_Key__c: lockKey(job)
      });
      if (!created.success) throw Object.assign(new Error(JSON.stringify(created.errors)), { data: created.errors });
      return created.id;
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      const holder = await lockHolder(conn, job);
      if (!holder) continue; // released in between: try again
      if (!isStale(holder, now, leaseMs)) throw new SyncLockedError(job, holder);
      await conn.sobject(RUN_OBJECT).update({
        Id: holder.Id,
        Status__c: 'Failed',
        Finished_At__c: now.toISOString(),
        Lock_Key__c: null,
        Error_Summary__c: `Abandoned: runner ${holder.Runner__c ?? 'unknown'} stopped without finishing; a later run took over.`
      });
    }
  }
  const holder = await lockHolder(conn, job);
  throw new SyncLockedError(job, holder ?? RunRow.parse({ Id: '?', Job__c: job, Status__c: 'Running', Started_At__c: null }));
}

export async function heartbeat(conn: Connection, runId: string, now: Date): Promise<void> {
  await conn.sobject(RUN_OBJECT).update({ Id: runId, Heartbeat_At__c: now.toISOString() });
}

export interface RunEnd {
  status: 'Succeeded' | 'Failed';
  finishedAt: Date;
  watermark: Date | null;
  recordsRead: number;
  recordsChanged: number;
  errors: number;
  errorSummary?: string;
}

/** Ends a run and releases the lock. The watermark is written only for a run that succeeded. */
export async function finishRun(conn: Connection, runId: string, end: RunEnd): Promise<void> {
  await conn.sobject(RUN_OBJECT).update({
    Id: runId,
    Status__c: end.status,
    Finished_At__c: end.finishedAt.toISOString(),
    Watermark__c: end.status === 'Succeeded' && end.watermark ? end.watermark.toISOString() : null,
    Records_Read__c: end.recordsRead,
    Records_Changed__c: end.recordsChanged,
    Errors__c: end.errors,
    Error_Summary__c: end.errorSummary ? end.errorSummary.slice(0, 32000) : null,
    Lock_Key__c: null
  });
}

/** The watermark of the job's last successful run, or null when it never succeeded. */
export async function lastWatermark(conn: Connection, job: SyncJobName): Promise<Date | null> {
  const result = await conn.query(
    `SELECT Watermark__c FROM ${RUN_OBJECT} WHERE Job__c = ${soqlString(job)} AND Status__c = 'Succeeded' AND Watermark__c != null ORDER BY Watermark__c DESC LIMIT 1`
  );
  const value = (result.records[0] as { Watermark__c?: string } | undefined)?.Watermark__c;
  return value ? new Date(value) : null;
}

/** The most recent runs, newest first (for `channel sync status`). */
export async function recentRuns(conn: Connection, job: SyncJobName | undefined, limit: number): Promise<RunRow[]> {
  const where = job ? ` WHERE Job__c = ${soqlString(job)}` : '';
  const result = await conn.query(`SELECT ${RUN_FIELDS} FROM ${RUN_OBJECT}${where} ORDER BY Started_At__c DESC LIMIT ${limit}`);
  return result.records.map((r) => RunRow.parse(r));
}
