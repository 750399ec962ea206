/**
 * The incremental sync jobs: each reads only what changed since its watermark
 * (SystemModstamp), and each run is recorded in the org as a Channel_Sync_Run__c row.
 */
import type { Connection } from '@salesforce/core';

export const SYNC_JOB_NAMES = ['conflicts', 'mdf', 'ownership-drift'] as const;
export type SyncJobName = (typeof SYNC_JOB_NAMES)[number];

export interface SyncContext {
  conn: Connection;
  /** Records changed after this instant are read; null reads everything (`--full` or a first run). */
  since: Date | null;
  /** When this run started (the as-of date of time-based rules). */
  now: Date;
  /** Apply the fixes a job proposes (ownership-drift), rather than only reporting them. */
  fix: boolean;
  /** Where a job may write files (plans, reports) for this run. */
  workDir: string;
  /** Progress of long work, in the user's words. */
  progress: (message: string) => void;
}

export interface SyncJobOutcome {
  recordsRead: number;
  recordsChanged: number;
  errors: number;
  /** What a person should know about the errors; never a secret. */
  errorSummary?: string;
  /** Job-specific findings for --json and the screen (counts, files). */
  details: Record<string, unknown>;
}

export interface SyncJob {
  name: SyncJobName;
  /**
   * Objects whose changes the job reads. Changes to them made by someone else while the job
   * ran keep the watermark at the run's start, so nothing is missed; the job's own writes do not.
   */
  watches: readonly string[];
  run(ctx: SyncContext): Promise<SyncJobOutcome>;
}
