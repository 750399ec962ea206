/**
 * Applies (or undoes) an ownership plan with Bulk API 2.0 jobs driven step by step.
 *
 * For each object of the plan, in order (Account first; children first for an undo):
 * 1. read the plan's rows in windows of `batchSize`, and for each window read the records'
 *    current owners: old owner → to do, new owner → already done (not sent again), anything
 *    else → drift.csv (never overwritten);
 * 2. send the to-do rows (sorted by parent account, as the plan is) as one update job
 *    `Id,OwnerId`: create → upload → UploadComplete → poll → results;
 * 3. rows that failed for the moment (UNABLE_TO_LOCK_ROW, limits, timeouts, unprocessed) go
 *    to later jobs, with growing delays, a bounded number of rounds; others go to
 *    `results/failures-<SObject>.csv` with Salesforce's error and what to do.
 * Then the captured team members of records that moved are re-inserted where missing.
 *
 * Every step is journaled (journal.jsonl, fsync'd) before the next one starts. A run killed
 * at any moment is continued by running it again: jobs the journal knows are aborted (still
 * Open: their rows are re-derived by the owner check) or waited for and their results taken
 * in; result files are cut back to what the journal committed; and the owner check decides
 * again, row by row, what remains. Nothing is sent twice, nothing is skipped.
 */
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { isSalesforceId, to18 } from '../domain/ids.js';
import { IdSet } from '../domain/id-set.js';
import { csvLine } from '../salesforce/csv.js';
import {
  Bulk2,
  type Bulk2Options,
  type IngestJobInfo,
  type JobStep,
  type OrgSession,
  SalesforceApiError,
  finishJob,
  runIngestJob,
  splitUploads
} from '../salesforce/bulk2.js';
import { Journal, APPLY_JOURNAL_FILE, UNDO_JOURNAL_FILE, pendingJobs, truncateToCommitted, type JournalJob } from './journal.js';
import { acquireLock } from './lock.js';
import type { PlanManifest, PlanObjectEntry } from './plan-manifest.js';
import { DRIFT_CSV_HEADER, classifyRow, driftCells, readCurrentOwners, splitByCurrentOwner, toOwner, fromOwner, type DriftedRow, type PlanRow, type RunMode } from './drift.js';
import { checkedWindows, type OwnerCheckStats, type WindowSource } from './owner-check.js';
import { PlanError, checkPlanFiles, fileLines, readPlan, readPlanRows } from './plan-files.js';
import { isGoneRowError, isRetryableRowError, parseRowError, retryRoundDelay, whatToDo } from './retry.js';
import { CapturedTeam, existingMemberKeys, loadCapturedTeams, type TeamMemberRow } from './teams.js';

export { PlanError, readPlan, readPlanRows };

export type RunStatus = 'Succeeded' | 'PartiallySucceeded' | 'Failed';

export interface ObjectOutcome {
  sobject: string;
  /** Rows in the plan. */
  planned: number;
  /** Rows moved by this plan (in this run or an earlier, interrupted one). */
  succeeded: number;
  /** Rows that failed for good in this run (see the failures CSV). */
  failed: number;
  /** Rows whose owner changed since the plan, or whose record is gone: left alone (drift CSV). */
  drifted: number;
  /** Rows found already with the owner the run gives them, not moved by this plan. */
  skipped: number;
}

export interface OwnershipRunResult {
  status: RunStatus;
  mode: RunMode;
  planDir: string;
  objects: ObjectOutcome[];
  teamMembersRestored: number;
  teamMembersFailed: number;
  /** Whether this run continued an earlier one that had not finished. */
  resumed: boolean;
  files: {
    journal: string;
    drift: string;
    successes: Record<string, string>;
    failures: Record<string, string>;
  };
  /** Failure CSVs with at least one row. */
  failureFiles: string[];
}

export type ProgressEvent =
  | { kind: 'object-start'; sobject: string; total: number }
  | { kind: 'rows'; sobject: string; done: number; total: number }
  | { kind: 'object-end'; sobject: string; outcome: ObjectOutcome }
  | { kind: 'teams'; sobject: string; candidates: number; missing: number }
  | { kind: 'resume'; pendingJobs: number }
  | { kind: 'retry-round'; sobject: string; round: number; rows: number; delayMs: number };

export interface OwnershipRunOptions {
  planDir: string;
  mode: RunMode;
  /** Rows per Bulk job (default 10,000). */
  batchSize?: number;
  /** Extra jobs for rows that failed for the moment (default 6). */
  maxRetryRounds?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Plan rows per owner-read segment (default 200,000): bounds the memory of the owner check. */
  segmentRows?: number;
  /** From this many rows in a segment, owners are read with a Bulk query rather than REST pages (default 20,000). */
  bulkQueryFrom?: number;
  /** Owner-update jobs in flight at once per object (default 3: the org works on one while the next is checked and sent). */
  jobConcurrency?: number;
  /** From this many rows of an object (default 5,000), owners are read with one Bulk query by owner. */
  bulkOwnerCheckFrom?: number;
  /** Accounts' windows leaving one owner ask the org only for the records not owned by them, fewer than this many (default 2,000; 0: never; see owner-check.ts). */
  exceptionsLimit?: number;
  /** Ids per owner-check query (default 500) and queries at once (default 4). */
  idChunk?: number;
  queryConcurrency?: number;
  /** The org the connection points at (18 or 15 chars): a plan made for another org is refused. */
  orgId?: string;
  bulk?: Bulk2Options;
  onProgress?: (e: ProgressEvent) => void;
  sleep?: (ms: number) => Promise<void>;
}

export const SUCCESS_CSV_HEADER = ['Id', 'AccountId', 'PreviousOwnerId', 'OwnerId', 'JobId'] as const;
export const FAILURE_CSV_HEADER = ['Id', 'AccountId', 'PreviousOwnerId', 'PlannedOwnerId', 'ErrorCode', 'Error', 'WhatToDo', 'JobId'] as const;
export const TEAM_SUCCESS_CSV_HEADER = ['Id', 'ParentId', 'UserId', 'JobId'] as const;
export const TEAM_FAILURE_CSV_HEADER = ['ParentId', 'UserId', 'ErrorCode', 'Error', 'WhatToDo', 'JobId'] as const;

/** File names of a run inside the plan directory (relative paths). */
export function runFiles(mode: RunMode): {
  journal: string;
  drift: string;
  success: (sobject: string) => string;
  failure: (sobject: string) => string;
} {
  const prefix = mode === 'apply' ? '' : 'undo-';
  return {
    journal: mode === 'apply' ? APPLY_JOURNAL_FILE : UNDO_JOURNAL_FILE,
    drift: `${prefix}drift.csv`,
    success: (s) => join('results', `${prefix}success-${s}.csv`),
    failure: (s) => join('results', `${prefix}failures-${s}.csv`)
  };
}


/** Appends text to a result file and flushes it to disk; returns the file's new size. */
function appendDurably(path: string, text: string): number {
  const fd = openSync(path, 'a');
  try {
    if (text.length > 0) appendFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return statSync(path).size;
}

function ensureFile(path: string, header: readonly string[]): void {
  if (!existsSync(path) || statSync(path).size === 0) writeFileSync(path, csvLine(header, true));
}

interface RowFailure {
  code: string;
  message: string;
  jobId: string;
}

/** A row to send: its key (Id, or parent|user for a team member) and its CSV line. */
interface Submission<T> {
  item: T;
  key: string;
  line: string;
}

/** An owner job's outcome, with the rows found gone or moved by someone else after it refused them. */
interface OwnerOutcome extends SubmitOutcome<PlanRow> {
  drift: DriftedRow[];
  done: PlanRow[];
}

interface SubmitOutcome<T> {
  succeeded: T[];
  failed: { item: T; failure: RowFailure }[];
  retry: { item: T; failure: RowFailure }[];
}

const noop = (): void => undefined;

/**
 * A full garbage collection, if the runtime allows one. Each window's rows live while its job
 * runs (seconds), so they outlive the young generation and pile up in the old one; V8 collects
 * that lazily when memory is plentiful, and a million-row run would peak far above its live
 * set. Collecting every ~50k rows keeps the plugin's RSS near what it really holds.
 */
let fullGc: (() => void) | undefined | null = null;
function collectGarbage(): void {
  if (fullGc === null) {
    try {
      v8.setFlagsFromString('--expose-gc');
      fullGc = vm.runInNewContext('gc') as () => void;
    } catch {
      fullGc = undefined;
    }
  }
  fullGc?.();
}

class OwnershipRun {
  private readonly bulk: Bulk2;
  private readonly journal: Journal;
  private readonly files: ReturnType<typeof runFiles>;
  private readonly runId = randomUUID();
  private readonly batchSize: number;
  private readonly maxRetryRounds: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly progress: (e: ProgressEvent) => void;
  /** How each object's windows were checked (summed over objects). */
  private readonly checkStats: OwnerCheckStats = { exceptions: 0, byOwner: 0, byId: 0 };

  public constructor(
    session: OrgSession,
    private readonly manifest: PlanManifest,
    private readonly opts: OwnershipRunOptions
  ) {
    this.bulk = new Bulk2(session, opts.bulk);
    this.files = runFiles(opts.mode);
    this.journal = Journal.open(join(opts.planDir, this.files.journal));
    this.batchSize = Math.max(1, opts.batchSize ?? 10_000);
    this.maxRetryRounds = opts.maxRetryRounds ?? 6;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.progress = opts.onProgress ?? noop;
  }

  private path(rel: string): string {
    return join(this.opts.planDir, rel);
  }

  public async run(): Promise<OwnershipRunResult> {
    const { mode, planDir } = this.opts;
    let early: WindowSource | undefined;
    try {
      mkdirSync(this.path('results'), { recursive: true });
      truncateToCommitted(planDir, this.journal.state.fileSizes, join);
      const resumed = this.journal.state.runs.length > 0 && this.journal.state.runs.at(-1)?.status === undefined;
      this.journal.append({ type: 'run-started', runId: this.runId, mode, pid: process.pid, host: hostname(), batchSize: this.batchSize });

      const order = mode === 'apply' ? this.manifest.objects : [...this.manifest.objects].reverse();
      // With no job of an earlier run pending, the first object's owner reads start now, while
      // the plan files are checked: reads change nothing, and jobs wait for the check.
      early = order.length > 0 && pendingJobs(this.journal.state).length === 0 ? this.windowsOf(order[0]) : undefined;
      // Check every plan file before the first write: a damaged plan never sends half a job.
      await checkPlanFiles(planDir, this.manifest);
      const teams = await loadCapturedTeams(planDir, this.manifest, join);

      await this.resumePendingJobs();

      // Drift and failures describe the latest run; successes accumulate over runs.
      writeFileSync(this.path(this.files.drift), csvLine(DRIFT_CSV_HEADER, true));
      for (const entry of this.manifest.objects) {
        writeFileSync(this.path(this.files.failure(entry.sobject)), csvLine(FAILURE_CSV_HEADER, true));
        ensureFile(this.path(this.files.success(entry.sobject)), SUCCESS_CSV_HEADER);
      }
      for (const team of teams) {
        writeFileSync(this.path(this.files.failure(team.spec.sobject)), csvLine(TEAM_FAILURE_CSV_HEADER, true));
        ensureFile(this.path(this.files.success(team.spec.sobject)), TEAM_SUCCESS_CSV_HEADER);
      }

      const outcomes: ObjectOutcome[] = [];
      for (const [i, entry] of order.entries()) outcomes.push(await this.runObject(entry, teams, (i === 0 ? early : undefined) ?? this.windowsOf(entry)));

      // Rows that failed for good, per object: the failure files that hold rows of this run.
      const failedBy = new Map(outcomes.map((o) => [o.sobject, o.failed]));
      let teamFailed = 0;
      for (const team of teams) {
        const n = await this.restoreTeam(team);
        failedBy.set(team.spec.sobject, n);
        teamFailed += n;
      }
      let teamMembersRestored = 0;
      for (const t of this.journal.state.teams.values()) teamMembersRestored += t.inserted;

      const failed = outcomes.reduce((n, o) => n + o.failed, 0) + teamFailed;
      const succeeded = outcomes.reduce((n, o) => n + o.succeeded + o.skipped, 0);
      const status: RunStatus = failed === 0 ? 'Succeeded' : succeeded > 0 ? 'PartiallySucceeded' : 'Failed';
      this.journal.append({ type: 'run-finished', runId: this.runId, status, ownerChecks: { ...this.checkStats } });

      const successes: Record<string, string> = {};
      const failures: Record<string, string> = {};
      for (const s of [...this.manifest.objects.map((o) => o.sobject), ...teams.map((t) => t.spec.sobject)]) {
        successes[s] = this.path(this.files.success(s));
        failures[s] = this.path(this.files.failure(s));
      }
      const failureFiles = Object.entries(failures)
        .filter(([sobject]) => (failedBy.get(sobject) ?? 0) > 0)
        .map(([, path]) => path);
      return {
        status,
        mode,
        planDir,
        objects: mode === 'apply' ? outcomes : outcomes.reverse(),
        teamMembersRestored,
        teamMembersFailed: teamFailed,
        resumed,
        files: { journal: this.path(this.files.journal), drift: this.path(this.files.drift), successes, failures },
        failureFiles
      };
    } finally {
      early?.stop(); // reads started ahead end with the run, however it ends
      this.journal.close();
    }
  }

  /** Jobs an earlier run left: Open ones are aborted, queued/running ones waited for and their results taken in. */
  private async resumePendingJobs(): Promise<void> {
    const pending = pendingJobs(this.journal.state);
    if (pending.length === 0) return;
    this.progress({ kind: 'resume', pendingJobs: pending.length });
    for (const job of pending) {
      let info = await this.bulk.getJob(job.jobId).catch((e: unknown) => {
        if (e instanceof SalesforceApiError && (e.statusCode === 404 || e.errorCode === 'NOT_FOUND' || e.errorCode === 'INVALIDJOB')) return undefined;
        throw e;
      });
      if (!info) {
        this.journal.append({ type: 'job-aborted', jobId: job.jobId });
        continue;
      }
      if (info.state === 'Open') {
        await this.bulk.abortJob(job.jobId);
        this.journal.append({ type: 'job-aborted', jobId: job.jobId });
        continue;
      }
      if (info.state === 'UploadComplete' || info.state === 'InProgress') {
        info = await finishJob(this.bulk, job.jobId, this.journalStep(job.sobject, job.purpose, job.round));
      } else {
        this.journalStep(job.sobject, job.purpose, job.round)({
          step: 'finished',
          jobId: job.jobId,
          state: info.state,
          processed: info.numberRecordsProcessed ?? 0,
          failed: info.numberRecordsFailed ?? 0
        });
      }
      await this.takeInResumedResults(job, info);
    }
  }

  /** Results of a job an earlier run left: successes are written (failed rows are re-derived by the owner check). */
  private async takeInResumedResults(job: JournalJob, info: IngestJobInfo): Promise<void> {
    const processed = info.numberRecordsProcessed ?? 0;
    const failed = info.numberRecordsFailed ?? 0;
    if (job.purpose === 'team') {
      this.journal.append({ type: 'job-results', jobId: job.jobId, sobject: job.sobject, succeeded: processed - failed, failed, retryable: 0, files: {} });
      return;
    }
    const ids = new Set<string>();
    const owners = new Map<string, string>();
    for await (const rec of await this.bulk.resultRecords(job.jobId, 'successfulResults')) {
      const id = rec.sf__Id || rec.Id;
      if (id && isSalesforceId(id)) {
        ids.add(to18(id));
        if (rec.OwnerId) owners.set(to18(id), rec.OwnerId);
      }
    }
    const entry = this.manifest.objects.find((o) => o.sobject === job.sobject);
    let text = '';
    if (entry && ids.size > 0) {
      for await (const row of readPlanRows(this.opts.planDir, entry)) {
        if (ids.has(row.Id)) text += csvLine([row.Id, row.AccountId, fromOwner(row, this.opts.mode), toOwner(row, this.opts.mode), job.jobId]);
      }
    }
    const rel = this.files.success(job.sobject);
    ensureFile(this.path(rel), SUCCESS_CSV_HEADER);
    const size = appendDurably(this.path(rel), text);
    this.journal.append({ type: 'job-results', jobId: job.jobId, sobject: job.sobject, succeeded: ids.size, failed, retryable: 0, files: { [rel]: size } });
  }

  private journalStep(sobject: string, purpose: 'owner' | 'team', round: number): (s: JobStep) => void {
    return (s) => {
      switch (s.step) {
        case 'created':
          this.journal.append({ type: 'job-created', runId: this.runId, sobject, jobId: s.jobId, purpose, rows: s.rows, round });
          break;
        case 'uploaded':
          this.journal.append({ type: 'job-uploaded', jobId: s.jobId });
          break;
        case 'closed':
          this.journal.append({ type: 'job-closed', jobId: s.jobId });
          break;
        case 'finished':
          this.journal.append({ type: 'job-finished', jobId: s.jobId, state: s.state, processed: s.processed, failed: s.failed });
          break;
        case 'polled':
          break;
      }
    };
  }

  /** Ids of the records the plan's apply moved (from its success file), for an undo. */
  private async movedByApply(sobject: string): Promise<IdSet> {
    const ids = new IdSet();
    const path = this.path(runFiles('apply').success(sobject));
    if (!existsSync(path)) return ids;
    let header = true;
    for await (const lines of fileLines(path)) {
      for (const line of lines) {
        if (header) header = false;
        else if (line) ids.add(line.slice(0, line.indexOf(',')));
      }
    }
    return ids;
  }

  /** Takes in the jobs an interrupted run left (see resumePendingJobs), and nothing more. */
  public async settlePendingJobs(): Promise<void> {
    try {
      truncateToCommitted(this.opts.planDir, this.journal.state.fileSizes, join);
      await this.resumePendingJobs();
    } finally {
      this.journal.close();
    }
  }

  /** An object's plan windows with their records' current owners (see owner-check.ts). */
  private windowsOf(entry: PlanObjectEntry): WindowSource {
    return checkedWindows(
      this.bulk,
      this.opts.planDir,
      entry,
      {
        mode: this.opts.mode,
        batchSize: this.batchSize,
        byOwnerFrom: this.opts.bulkOwnerCheckFrom,
        bulkQueryFrom: this.opts.bulkQueryFrom,
        segmentRows: this.opts.segmentRows,
        idChunk: this.opts.idChunk,
        queryConcurrency: this.opts.queryConcurrency,
        exceptionsLimit: this.opts.exceptionsLimit
      },
      this.checkStats
    );
  }

  private async runObject(entry: PlanObjectEntry, teams: CapturedTeam[], windows: WindowSource): Promise<ObjectOutcome> {
    const { mode } = this.opts;
    const sobject = entry.sobject;
    const total = entry.rows;
    const team = teams.find((t) => t.spec.parentSObject === sobject);
    const previouslySucceeded = this.journal.state.objects.get(sobject)?.succeededAllRuns ?? 0;
    this.progress({ kind: 'object-start', sobject, total });
    let todo = 0;
    let done = 0;
    let drifted = 0;
    let succeeded = 0;
    let failed = 0;
    let seen = 0;
    const retryQueue: { item: PlanRow; failure: RowFailure }[] = [];
    const rel = { success: this.files.success(sobject), failure: this.files.failure(sobject) };

    const record = (outcome: OwnerOutcome): void => {
      succeeded += outcome.succeeded.length;
      failed += outcome.failed.length;
      drifted += outcome.drift.length;
      done += outcome.done.length;
      if (team) for (const row of [...outcome.succeeded, ...outcome.done]) team.markMoved(row.Id);
      retryQueue.push(...outcome.retry);
    };

    // Up to jobConcurrency jobs in flight: the next window is checked and uploaded while the
    // org processes the previous job (windows hold different accounts: the plan is sorted by account).
    const inFlight: Promise<void>[] = [];
    let firstError: unknown;
    const launch = (p: Promise<OwnerOutcome>): Promise<void> => {
      const tracked = p.then(record, (e: unknown) => {
        firstError ??= e;
      });
      inFlight.push(tracked);
      void tracked.finally(() => inFlight.splice(inFlight.indexOf(tracked), 1));
      return tracked;
    };
    const concurrency = Math.max(1, this.opts.jobConcurrency ?? 3);

    // An undo returns only what the apply moved (its success files say which records).
    const movedByApply = mode === 'undo' ? await this.movedByApply(sobject) : undefined;
    let notMoved = 0;
    let sinceGc = 0;
    for await (const { window, owners } of windows) {
      if (firstError) break;
      const rows = movedByApply ? window.filter((r) => movedByApply.has(r.Id)) : window;
      notMoved += window.length - rows.length;
      seen += window.length - rows.length;
      const split = splitByCurrentOwner(rows, owners, mode);
      todo += split.todo.length;
      done += split.done.length;
      drifted += split.drift.length;
      if (split.drift.length > 0) appendDurably(this.path(this.files.drift), split.drift.map((d) => csvLine(driftCells(sobject, d))).join(''));
      if (team) for (const row of split.done) team.markMoved(row.Id);
      seen += split.done.length + split.drift.length;
      if (split.todo.length > 0) {
        const job = launch(this.submitOwners(sobject, split.todo, 1, rel));
        if (inFlight.length >= concurrency) await Promise.race(inFlight);
        void job;
      }
      seen += split.todo.length;
      this.progress({ kind: 'rows', sobject, done: seen - retryQueue.length, total });
      sinceGc += window.length;
      if (sinceGc >= 50_000) {
        collectGarbage();
        sinceGc = 0;
      }
    }
    await Promise.all([...inFlight]);
    if (firstError) throw firstError;
    this.journal.append({ type: 'object-checked', runId: this.runId, sobject, planned: total, todo, done, drifted });

    for (let round = 2; round <= this.maxRetryRounds + 1 && retryQueue.length > 0; round++) {
      const rows = retryQueue.splice(0, retryQueue.length);
      const delayMs = retryRoundDelay(round - 1, this.opts.retryBaseMs ?? 500, this.opts.retryMaxMs ?? 15_000);
      this.progress({ kind: 'retry-round', sobject, round, rows: rows.length, delayMs });
      await this.sleep(delayMs);
      for (let i = 0; i < rows.length; i += this.batchSize) {
        record(await this.submitOwners(sobject, rows.slice(i, i + this.batchSize).map((r) => r.item), round, rel));
      }
      this.progress({ kind: 'rows', sobject, done: total - retryQueue.length, total });
    }
    if (retryQueue.length > 0) {
      failed += retryQueue.length;
      this.writeOwnerFailures(sobject, rel.failure, retryQueue);
    }
    const fromEarlierRuns = Math.min(done, previouslySucceeded);
    const outcome: ObjectOutcome = { sobject, planned: total, succeeded: succeeded + fromEarlierRuns, failed, drifted, skipped: done - fromEarlierRuns + notMoved };
    this.journal.append({ type: 'object-finished', runId: this.runId, ...outcome });
    this.progress({ kind: 'object-end', sobject, outcome });
    return outcome;
  }

  private writeOwnerFailures(sobject: string, rel: string, rows: { item: PlanRow; failure: RowFailure }[]): number {
    const { mode } = this.opts;
    const text = rows
      .map(({ item, failure }) => csvLine([item.Id, item.AccountId, fromOwner(item, mode), toOwner(item, mode), failure.code, failure.message, whatToDo(failure.code, sobject), failure.jobId]))
      .join('');
    return appendDurably(this.path(rel), text);
  }

  /** Sends owner changes as update jobs (one per upload) and takes in their results. */
  private async submitOwners(sobject: string, rows: PlanRow[], round: number, rel: { success: string; failure: string }): Promise<OwnerOutcome> {
    const { mode } = this.opts;
    const submissions = rows.map((r) => ({ item: r, key: r.Id, line: `${r.Id},${toOwner(r, mode)}\n` }));
    const jobDrift: DriftedRow[] = [];
    const drift: DriftedRow[] = [];
    const done: PlanRow[] = [];
    const outcome = await this.submit({
      sobject,
      operation: 'update',
      header: 'Id,OwnerId\n',
      purpose: 'owner',
      round,
      submissions,
      keyOfResult: (rec) => {
        const id = rec.Id || rec.sf__Id;
        return id && isSalesforceId(id) ? to18(id) : '';
      },
      // A row refused as if its record were gone (deleted, not visible) is looked up again: gone,
      // or owned by someone else by now, it is drift — as the owner check would have said.
      settle: async (job) => {
        const gone = job.failed.filter((f) => isGoneRowError(f.failure.code));
        if (gone.length === 0) return;
        const now = await readCurrentOwners(this.bulk, sobject, gone.map((f) => f.item.Id), this.opts.idChunk ?? 500, this.opts.queryConcurrency ?? 4);
        job.failed = job.failed.filter((f) => {
          if (!isGoneRowError(f.failure.code)) return true;
          const current = now.get(f.item.Id);
          const kind = classifyRow(f.item, current, mode);
          if (kind === 'todo') return true; // still the owner it leaves: a real failure
          if (kind === 'done') done.push(f.item);
          else jobDrift.push({ row: f.item, currentOwnerId: current });
          return false;
        });
      },
      write: (jobId, job) => {
        const files: Record<string, number> = {};
        // Plain ids only (checked when the plan was read): nothing to quote or neutralise.
        const ok = job.succeeded.map((r) => `${r.Id},${r.AccountId},${fromOwner(r, mode)},${toOwner(r, mode)},${jobId}\n`).join('');
        files[rel.success] = appendDurably(this.path(rel.success), ok);
        if (job.failed.length > 0) files[rel.failure] = this.writeOwnerFailures(sobject, rel.failure, job.failed);
        if (jobDrift.length > 0) {
          appendDurably(this.path(this.files.drift), jobDrift.map((d) => csvLine(driftCells(sobject, d))).join(''));
          drift.push(...jobDrift.splice(0));
        }
        return files;
      }
    });
    return { ...outcome, drift, done };
  }

  /**
   * Runs jobs for the submissions (split so no upload passes the size limit) and sorts each
   * row into succeeded / failed for good / to retry. Results are written and journaled per job.
   */
  private async submit<T>(args: {
    sobject: string;
    operation: 'update' | 'insert';
    header: string;
    purpose: 'owner' | 'team';
    round: number;
    submissions: Submission<T>[];
    keyOfResult: (rec: Record<string, string>) => string;
    /** Looks again at a job's outcome before it is written (may move rows out of `failed`). */
    settle?: (outcome: SubmitOutcome<T>) => Promise<void>;
    write: (jobId: string, outcome: SubmitOutcome<T>, results: Map<string, string>) => Record<string, number>;
  }): Promise<SubmitOutcome<T>> {
    const total: SubmitOutcome<T> = { succeeded: [], failed: [], retry: [] };
    const pendingByKey = new Map<string, Submission<T>>();
    let offset = 0;
    for await (const upload of splitUploads(args.header, args.submissions.map((s) => s.line), this.batchSize)) {
      const batch = args.submissions.slice(offset, offset + upload.rows);
      offset += upload.rows;
      pendingByKey.clear();
      for (const s of batch) pendingByKey.set(s.key, s);
      const step = this.journalStep(args.sobject, args.purpose, args.round);
      let info: IngestJobInfo;
      let jobId = '';
      try {
        info = await runIngestJob(this.bulk, { object: args.sobject, operation: args.operation }, upload.csv, upload.rows, (s) => {
          if (s.step === 'created') jobId = s.jobId;
          step(s);
        });
      } catch (e) {
        // An upload that failed aborted its job: the rows wait for the next round.
        if (jobId && e instanceof SalesforceApiError && e.retryable) {
          this.journal.append({ type: 'job-aborted', jobId });
          for (const s of batch) total.retry.push({ item: s.item, failure: { code: e.errorCode, message: e.message, jobId } });
          continue;
        }
        throw e;
      }
      const outcome: SubmitOutcome<T> = { succeeded: [], failed: [], retry: [] };
      const createdIds = new Map<string, string>();
      const processed = info.numberRecordsProcessed ?? 0;
      const failedCount = info.numberRecordsFailed ?? 0;
      if (failedCount > 0) {
        for await (const rec of await this.bulk.resultRecords(jobId, 'failedResults')) {
          const s = pendingByKey.get(args.keyOfResult(rec));
          if (!s) continue;
          pendingByKey.delete(s.key);
          const { code, message } = parseRowError(rec.sf__Error ?? '');
          const failure = { code, message, jobId };
          if (isRetryableRowError(code, message)) outcome.retry.push({ item: s.item, failure });
          else outcome.failed.push({ item: s.item, failure });
        }
      }
      // A complete job that processed every row: the rows not failed are the successes, as the job's
      // counts say — no need to download successfulResults (inserts still read it for the new ids).
      const allProcessed = info.state === 'JobComplete' && processed === upload.rows && pendingByKey.size === processed - failedCount;
      if (allProcessed && args.operation === 'update') {
        for (const s of pendingByKey.values()) outcome.succeeded.push(s.item);
        pendingByKey.clear();
      } else if (pendingByKey.size > 0) {
        for await (const rec of await this.bulk.resultRecords(jobId, 'successfulResults')) {
          const s = pendingByKey.get(args.keyOfResult(rec));
          if (!s) continue;
          pendingByKey.delete(s.key);
          outcome.succeeded.push(s.item);
          if (rec.sf__Id) createdIds.set(s.key, rec.sf__Id);
        }
      }
      // Rows neither succeeded nor failed (the job failed or was aborted part-way): unprocessed, sent again.
      if (pendingByKey.size > 0 || processed < upload.rows) {
        for (const s of pendingByKey.values()) {
          outcome.retry.push({ item: s.item, failure: { code: 'UNPROCESSED', message: info.errorMessage ?? `The job ended ${info.state} before processing this row.`, jobId } });
        }
        pendingByKey.clear();
      }
      await args.settle?.(outcome);
      const files = args.write(jobId, outcome, createdIds);
      this.journal.append({
        type: 'job-results',
        jobId,
        sobject: args.sobject,
        succeeded: outcome.succeeded.length,
        failed: outcome.failed.length,
        retryable: outcome.retry.length,
        files
      });
      total.succeeded.push(...outcome.succeeded);
      total.failed.push(...outcome.failed);
      total.retry.push(...outcome.retry);
    }
    return total;
  }

  /**
   * Re-inserts the captured members of the parents that moved, where missing (queried first,
   * batch by batch, so a re-run never duplicates one). Returns the members that failed for good.
   */
  private async restoreTeam(team: CapturedTeam): Promise<number> {
    const { spec } = team;
    const rel = { success: this.files.success(spec.sobject), failure: this.files.failure(spec.sobject) };
    const header = `${spec.insertColumns.join(',')}\n`;
    let candidates = 0;
    let existingCount = 0;
    let inserted = 0;
    const failedForGood: { item: TeamMemberRow; failure: RowFailure }[] = [];
    let retry: { item: TeamMemberRow; failure: RowFailure }[] = [];
    const send = async (members: TeamMemberRow[], round: number): Promise<void> => {
      const outcome = await this.submit<TeamMemberRow>({
        sobject: spec.sobject,
        operation: 'insert',
        header,
        purpose: 'team',
        round,
        submissions: members.map((m) => ({ item: m, key: m.key, line: csvLine(m.cells, true) })),
        keyOfResult: (rec) => {
          const parent = rec[spec.parentField];
          const user = rec.UserId;
          return parent && user && isSalesforceId(parent) && isSalesforceId(user) ? `${to18(parent)}|${to18(user)}` : '';
        },
        write: (jobId, result, createdIds) => ({
          [rel.success]: appendDurably(this.path(rel.success), result.succeeded.map((m) => csvLine([createdIds.get(m.key) ?? '', m.parentId, m.userId, jobId])).join(''))
        })
      });
      inserted += outcome.succeeded.length;
      failedForGood.push(...outcome.failed);
      retry.push(...outcome.retry);
    };

    for await (const batch of team.movedMembers(this.batchSize)) {
      const parents = [...new Set(batch.map((m) => m.parentId))];
      const existing = await existingMemberKeys(this.bulk, spec, parents, this.opts.idChunk ?? 500);
      const missing = batch.filter((m) => !existing.has(m.key));
      candidates += batch.length;
      existingCount += batch.length - missing.length;
      this.progress({ kind: 'teams', sobject: spec.sobject, candidates: batch.length, missing: missing.length });
      if (missing.length > 0) await send(missing, 1);
    }
    for (let round = 2; round <= this.maxRetryRounds + 1 && retry.length > 0; round++) {
      const queue = retry.map((r) => r.item);
      retry = [];
      await this.sleep(retryRoundDelay(round - 1, this.opts.retryBaseMs ?? 500, this.opts.retryMaxMs ?? 15_000));
      for (let i = 0; i < queue.length; i += this.batchSize) await send(queue.slice(i, i + this.batchSize), round);
    }
    failedForGood.push(...retry);
    if (failedForGood.length > 0) {
      const text = failedForGood
        .map(({ item, failure }) => csvLine([item.parentId, item.userId, failure.code, failure.message, whatToDo(failure.code, spec.sobject), failure.jobId]))
        .join('');
      appendDurably(this.path(rel.failure), text);
    }
    this.journal.append({
      type: 'teams-restored',
      runId: this.runId,
      sobject: spec.sobject,
      candidates,
      existing: existingCount,
      inserted,
      failed: failedForGood.length
    });
    return failedForGood.length;
  }
}

/**
 * Runs a plan (apply or undo) against the org of the session. Takes the plan's lock for the
 * whole run; continues an earlier run of the same plan from its journal.
 */
export async function runOwnershipPlan(session: OrgSession, opts: OwnershipRunOptions): Promise<OwnershipRunResult> {
  const manifest = readPlan(opts.planDir);
  if (opts.orgId && isSalesforceId(opts.orgId) && to18(opts.orgId) !== manifest.orgId) {
    throw new PlanError(
      `This plan was made for org ${manifest.orgId}, not for the target org (${to18(opts.orgId)}). Run it against the org it was made for, or make a new plan for this org.`,
      'PlanForAnotherOrg'
    );
  }
  const lock = acquireLock(opts.planDir, `channel ownership ${opts.mode}`);
  try {
    // An undo needs to know everything the apply moved: jobs an interrupted apply left are taken in first.
    if (opts.mode === 'undo' && existsSync(join(opts.planDir, APPLY_JOURNAL_FILE))) {
      await new OwnershipRun(session, manifest, { ...opts, mode: 'apply' }).settlePendingJobs();
    }
    return await new OwnershipRun(session, manifest, opts).run();
  } finally {
    lock.release();
  }
}

/** Applies a plan. */
export function applyPlan(session: OrgSession, opts: Omit<OwnershipRunOptions, 'mode'>): Promise<OwnershipRunResult> {
  return runOwnershipPlan(session, { ...opts, mode: 'apply' });
}
