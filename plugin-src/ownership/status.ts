/**
 * Where an apply (and an undo) of a plan stands, read from the plan directory alone: the
 * manifest, the journals and the lock. No org needed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readPlan } from './apply.js';
import { APPLY_JOURNAL_FILE, UNDO_JOURNAL_FILE, pendingJobs, readJournalFile, type JournalState } from './journal.js';
import { lockHolder } from './lock.js';

export type RunState = 'NotStarted' | 'Running' | 'Interrupted' | 'Succeeded' | 'PartiallySucceeded' | 'Failed';

export interface ObjectStatus {
  sobject: string;
  planned: number;
  /** Rows moved by this plan so far (all runs). */
  succeeded: number;
  /** Rows that failed for good in the last run that finished this object. */
  failed: number;
  drifted: number;
  skipped: number;
  /** Rows still to do at the last owner check, if one ran. */
  todoAtLastCheck: number | null;
  finished: boolean;
}

export interface JobStatus {
  jobId: string;
  sobject: string;
  purpose: 'owner' | 'team';
  rows: number;
  round: number;
  /** Last step the journal recorded: created, uploaded, closed, aborted, finished, results. */
  phase: string;
  /** Salesforce's state when the job finished, if it did. */
  state: string | null;
}

export interface RunStatusView {
  state: RunState;
  runs: number;
  lastRun: { runId: string; startedAt: string; finishedAt: string | null; status: string | null; pid: number; host: string } | null;
  objects: ObjectStatus[];
  teams: Array<{ sobject: string; restored: number; failed: number }>;
  /** Jobs whose results were not taken in yet (a re-run aborts or finishes them). */
  openJobs: JobStatus[];
  jobs: number;
  unreadableJournalLines: number;
}

export interface PlanStatus {
  planDir: string;
  planId: string;
  orgId: string;
  lock: { pid: number; host: string; startedAt: string; command: string; alive: boolean | null } | null;
  apply: RunStatusView;
  undo: RunStatusView | null;
}

function view(state: JournalState, planned: ReadonlyArray<{ sobject: string; rows: number }>, lockedBy: 'apply' | 'undo' | undefined, mode: 'apply' | 'undo'): RunStatusView {
  const last = state.runs.at(-1);
  let runState: RunState = 'NotStarted';
  if (last) {
    if (last.status) runState = last.status as RunState;
    else runState = lockedBy === mode ? 'Running' : 'Interrupted';
  }
  const objects: ObjectStatus[] = planned.map(({ sobject, rows }) => {
    const o = state.objects.get(sobject);
    const finishedInLast = o?.last !== undefined && o.last.runId === last?.runId;
    return {
      sobject,
      planned: rows,
      succeeded: finishedInLast ? o.last!.succeeded : (o?.succeededAllRuns ?? 0),
      failed: o?.last?.failed ?? 0,
      drifted: o?.last?.drifted ?? o?.lastCheck?.drifted ?? 0,
      skipped: o?.last?.skipped ?? 0,
      todoAtLastCheck: o?.lastCheck?.todo ?? null,
      finished: finishedInLast
    };
  });
  const toJob = (j: ReturnType<typeof pendingJobs>[number]): JobStatus => ({
    jobId: j.jobId,
    sobject: j.sobject,
    purpose: j.purpose,
    rows: j.rows,
    round: j.round,
    phase: j.phase,
    state: j.state ?? null
  });
  return {
    state: runState,
    runs: state.runs.length,
    lastRun: last ? { runId: last.runId, startedAt: last.startedAt, finishedAt: last.finishedAt ?? null, status: last.status ?? null, pid: last.pid, host: last.host } : null,
    objects,
    teams: [...state.teams.entries()].map(([sobject, t]) => ({ sobject, restored: t.inserted, failed: t.failed })),
    openJobs: pendingJobs(state).map(toJob),
    jobs: state.jobs.size,
    unreadableJournalLines: state.unreadable
  };
}

export function planStatus(planDir: string): PlanStatus {
  const manifest = readPlan(planDir);
  const holder = lockHolder(planDir);
  const lockedBy = holder && holder.alive !== false ? (holder.command.endsWith('undo') ? 'undo' : 'apply') : undefined;
  const planned = manifest.objects.map((o) => ({ sobject: o.sobject, rows: o.rows }));
  const undoPath = join(planDir, UNDO_JOURNAL_FILE);
  return {
    planDir,
    planId: manifest.planId,
    orgId: manifest.orgId,
    lock: holder ? { pid: holder.pid, host: holder.host, startedAt: holder.startedAt, command: holder.command, alive: holder.alive ?? null } : null,
    apply: view(readJournalFile(join(planDir, APPLY_JOURNAL_FILE)), planned, lockedBy, 'apply'),
    undo: existsSync(undoPath) ? view(readJournalFile(undoPath), planned, lockedBy, 'undo') : null
  };
}
