/**
 * Runs sync jobs: one lock and one Channel_Sync_Run__c row per job run; the watermark moves
 * only when the run succeeded, so a failed or killed run is simply repeated.
 *
 * Times come from the org, not this machine's clock: SystemModstamp is stamped by the org, so
 * a watermark taken from a local clock that runs late would skip changes.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { soqlString } from '../salesforce/query.js';
import { finishRun, heartbeat, lastWatermark, RUN_OBJECT, startRun } from './runs.js';
import type { SyncJob, SyncJobName, SyncJobOutcome } from './types.js';

export interface SyncRunOptions {
  full: boolean;
  fix: boolean;
  workDir: string;
  progress?: (message: string) => void;
  heartbeatMs?: number;
}

export interface SyncJobResult {
  job: SyncJobName;
  runId: string;
  status: 'Succeeded' | 'Failed';
  since: string | null;
  watermark: string | null;
  recordsRead: number;
  recordsChanged: number;
  errors: number;
  errorSummary?: string;
  details: Record<string, unknown>;
}

/** The org's current time: the SystemModstamp it stamps on a write to our own run row. */
async function orgNow(conn: Connection, runId: string): Promise<Date> {
  await heartbeat(conn, runId, new Date());
  const row = (await conn.sobject(RUN_OBJECT).retrieve(runId)) as unknown as { SystemModstamp: string };
  return new Date(row.SystemModstamp);
}

async function runningUserId(conn: Connection): Promise<string> {
  const username = conn.getUsername();
  const result = await conn.query<{ Id: string }>(
    `SELECT Id FROM User WHERE Username = ${soqlString(username ?? '')} LIMIT 1`
  );
  return result.records[0]?.Id ?? '';
}

/**
 * Did someone other than this runner change what the job watches while it ran? Then the
 * watermark stays at the run's start so the next run reads those changes; otherwise it moves
 * past the job's own writes, so the next run does not read them back.
 */
async function othersChangedDuring(conn: Connection, job: SyncJob, from: Date, me: string): Promise<boolean> {
  for (const sobject of job.watches) {
    const result = await conn.query(
      `SELECT COUNT() FROM ${sobject} WHERE SystemModstamp > ${from.toISOString()} AND LastModifiedById != ${soqlString(me)}`
    );
    if (result.totalSize > 0) return true;
  }
  return false;
}

export async function runSyncJob(conn: Connection, job: SyncJob, options: SyncRunOptions): Promise<SyncJobResult> {
  const progress = options.progress ?? (() => undefined);
  const runId = await startRun(conn, job.name, new Date());
  const started = await orgNow(conn, runId);
  const beat = setInterval(() => void heartbeat(conn, runId, new Date()).catch(() => undefined), options.heartbeatMs ?? 60_000);
  beat.unref();
  const since = options.full ? null : await lastWatermark(conn, job.name);
  const workDir = join(options.workDir, `${job.name}-${runId}`);
  mkdirSync(workDir, { recursive: true });
  let outcome: SyncJobOutcome;
  try {
    progress(`${job.name}: reading changes ${since ? `since ${since.toISOString()}` : '(full run)'}`);
    outcome = await job.run({ conn, since, now: started, fix: options.fix, workDir, progress });
  } catch (error) {
    clearInterval(beat);
    const message = error instanceof Error ? error.message : String(error);
    await finishRun(conn, runId, {
      status: 'Failed',
      finishedAt: new Date(),
      watermark: null,
      recordsRead: 0,
      recordsChanged: 0,
      errors: 1,
      errorSummary: message
    });
    return {
      job: job.name,
      runId,
      status: 'Failed',
      since: since?.toISOString() ?? null,
      watermark: null,
      recordsRead: 0,
      recordsChanged: 0,
      errors: 1,
      errorSummary: message,
      details: {}
    };
  }
  clearInterval(beat);
  const status = outcome.errors > 0 ? 'Failed' : 'Succeeded';
  const me = await runningUserId(conn);
  const watermark = (await othersChangedDuring(conn, job, started, me)) ? started : await orgNow(conn, runId);
  await finishRun(conn, runId, { status, finishedAt: new Date(), watermark, ...outcome });
  return {
    job: job.name,
    runId,
    status,
    since: since?.toISOString() ?? null,
    watermark: status === 'Succeeded' ? watermark.toISOString() : null,
    recordsRead: outcome.recordsRead,
    recordsChanged: outcome.recordsChanged,
    errors: outcome.errors,
    errorSummary: outcome.errorSummary,
    details: outcome.details
  };
}
