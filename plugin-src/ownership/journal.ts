/**
 * The journal of an apply (or undo) in the plan directory: one JSON object per line, appended
 * and fsync'd at every step, so that after a kill -9 at any moment the next run knows which
 * Bulk jobs exist, what state they reached, and how much of the result files is complete.
 *
 * The journal records steps, not rows: which rows are still to do is re-derived at every run
 * from the records' current owners (the plan's old owner → to do, the new owner → done,
 * anything else → drift). The journal adds what the org cannot tell: jobs still queued or
 * running (to wait for, not to repeat), and the counts of earlier runs.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, statSync, ftruncateSync, writeSync } from 'node:fs';
import { z } from 'zod';

export const APPLY_JOURNAL_FILE = 'journal.jsonl';
export const UNDO_JOURNAL_FILE = 'undo-journal.jsonl';

const base = { t: z.string() };
const JobPurpose = z.enum(['owner', 'team']);

export const JournalEntry = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('run-started'), runId: z.string(), mode: z.enum(['apply', 'undo']), pid: z.number(), host: z.string(), batchSize: z.number() }),
  z.object({
    ...base,
    type: z.literal('object-checked'),
    runId: z.string(),
    sobject: z.string(),
    planned: z.number(),
    todo: z.number(),
    done: z.number(),
    drifted: z.number()
  }),
  z.object({ ...base, type: z.literal('job-created'), runId: z.string(), sobject: z.string(), jobId: z.string(), purpose: JobPurpose, rows: z.number(), round: z.number() }),
  z.object({ ...base, type: z.literal('job-uploaded'), jobId: z.string() }),
  z.object({ ...base, type: z.literal('job-closed'), jobId: z.string() }),
  z.object({ ...base, type: z.literal('job-aborted'), jobId: z.string() }),
  z.object({ ...base, type: z.literal('job-finished'), jobId: z.string(), state: z.string(), processed: z.number(), failed: z.number() }),
  z.object({
    ...base,
    type: z.literal('job-results'),
    jobId: z.string(),
    sobject: z.string(),
    succeeded: z.number(),
    failed: z.number(),
    retryable: z.number(),
    /** Sizes of the result files once this job's rows were written (everything beyond is torn). */
    files: z.record(z.string(), z.number())
  }),
  z.object({
    ...base,
    type: z.literal('object-finished'),
    runId: z.string(),
    sobject: z.string(),
    planned: z.number(),
    succeeded: z.number(),
    failed: z.number(),
    drifted: z.number(),
    skipped: z.number()
  }),
  z.object({ ...base, type: z.literal('teams-restored'), runId: z.string(), sobject: z.string(), candidates: z.number(), existing: z.number(), inserted: z.number(), failed: z.number() }),
  z.object({
    ...base,
    type: z.literal('run-finished'),
    runId: z.string(),
    status: z.string(),
    /** How many windows the owner check read by exceptions, by owner, by id (see owner-check.ts). */
    ownerChecks: z.object({ exceptions: z.number(), byOwner: z.number(), byId: z.number() }).optional()
  })
]);
export type JournalEntry = z.infer<typeof JournalEntry>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type NewJournalEntry = DistributiveOmit<JournalEntry, 't'>;

export type JobPhase = 'created' | 'uploaded' | 'closed' | 'aborted' | 'finished' | 'results';

export interface JournalJob {
  jobId: string;
  sobject: string;
  purpose: 'owner' | 'team';
  rows: number;
  round: number;
  runId: string;
  phase: JobPhase;
  state?: string;
  processed?: number;
  failed?: number;
  succeeded?: number;
}

export interface JournalObject {
  sobject: string;
  planned?: number;
  lastCheck?: { runId: string; todo: number; done: number; drifted: number };
  /** Rows moved by jobs of any run (sum of job results). */
  succeededAllRuns: number;
  /** The outcome of the last run that finished this object. */
  last?: { runId: string; planned: number; succeeded: number; failed: number; drifted: number; skipped: number };
}

export interface JournalRun {
  runId: string;
  mode: 'apply' | 'undo';
  pid: number;
  host: string;
  startedAt: string;
  finishedAt?: string;
  status?: string;
}

export interface JournalState {
  runs: JournalRun[];
  jobs: Map<string, JournalJob>;
  objects: Map<string, JournalObject>;
  teams: Map<string, { inserted: number; failed: number; lastRunId: string; candidates: number; existing: number }>;
  /** Committed size of each result file (relative path) as of the last job-results entry. */
  fileSizes: Record<string, number>;
  /** Lines that could not be read (a torn last line after a crash is normal and not counted). */
  unreadable: number;
}

/** Jobs whose results were not yet taken in: to be aborted, waited for or fetched on resume. */
export function pendingJobs(state: JournalState): JournalJob[] {
  return [...state.jobs.values()].filter((j) => j.phase !== 'results' && j.phase !== 'aborted');
}

export function emptyJournalState(): JournalState {
  return { runs: [], jobs: new Map(), objects: new Map(), teams: new Map(), fileSizes: {}, unreadable: 0 };
}

/** Rebuilds the state of a run from its journal entries, in order. */
export function replayJournal(entries: readonly JournalEntry[]): JournalState {
  const state = emptyJournalState();
  for (const e of entries) applyJournalEntry(state, e);
  return state;
}

/** Applies one entry to a journal state (replay, and every append as it happens). */
export function applyJournalEntry(state: JournalState, e: JournalEntry): void {
  const object = (sobject: string): JournalObject => {
    let o = state.objects.get(sobject);
    if (!o) {
      o = { sobject, succeededAllRuns: 0 };
      state.objects.set(sobject, o);
    }
    return o;
  };
  {
    switch (e.type) {
      case 'run-started':
        state.runs.push({ runId: e.runId, mode: e.mode, pid: e.pid, host: e.host, startedAt: e.t });
        break;
      case 'object-checked': {
        const o = object(e.sobject);
        o.planned = e.planned;
        o.lastCheck = { runId: e.runId, todo: e.todo, done: e.done, drifted: e.drifted };
        break;
      }
      case 'job-created':
        state.jobs.set(e.jobId, { jobId: e.jobId, sobject: e.sobject, purpose: e.purpose, rows: e.rows, round: e.round, runId: e.runId, phase: 'created' });
        break;
      case 'job-uploaded':
      case 'job-closed':
      case 'job-aborted': {
        const j = state.jobs.get(e.jobId);
        if (j) j.phase = e.type === 'job-uploaded' ? 'uploaded' : e.type === 'job-closed' ? 'closed' : 'aborted';
        break;
      }
      case 'job-finished': {
        const j = state.jobs.get(e.jobId);
        if (j) Object.assign(j, { phase: 'finished', state: e.state, processed: e.processed, failed: e.failed });
        break;
      }
      case 'job-results': {
        const j = state.jobs.get(e.jobId);
        if (j) Object.assign(j, { phase: 'results', succeeded: e.succeeded });
        if (!j || j.purpose === 'owner') object(e.sobject).succeededAllRuns += e.succeeded;
        Object.assign(state.fileSizes, e.files);
        break;
      }
      case 'object-finished': {
        const o = object(e.sobject);
        o.last = { runId: e.runId, planned: e.planned, succeeded: e.succeeded, failed: e.failed, drifted: e.drifted, skipped: e.skipped };
        break;
      }
      case 'teams-restored': {
        const prev = state.teams.get(e.sobject);
        state.teams.set(e.sobject, {
          inserted: (prev?.inserted ?? 0) + e.inserted,
          failed: e.failed,
          lastRunId: e.runId,
          candidates: e.candidates,
          existing: e.existing
        });
        break;
      }
      case 'run-finished': {
        const run = state.runs.find((r) => r.runId === e.runId);
        if (run) Object.assign(run, { finishedAt: e.t, status: e.status });
        break;
      }
    }
  }
}

/** Parses journal text; a torn last line (a crash mid-write) is dropped, other bad lines counted. */
export function parseJournal(text: string): { entries: JournalEntry[]; unreadable: number } {
  const entries: JournalEntry[] = [];
  let unreadable = 0;
  const lines = text.split('\n');
  const complete = lines.length - 1; // the piece after the last \n is empty, or a line torn by a crash
  for (let i = 0; i < complete; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    try {
      const parsed = JournalEntry.safeParse(JSON.parse(line));
      if (parsed.success) entries.push(parsed.data);
      else unreadable++;
    } catch {
      unreadable++;
    }
  }
  return { entries, unreadable };
}

export function readJournalFile(path: string): JournalState {
  if (!existsSync(path)) return replayJournal([]);
  const { entries, unreadable } = parseJournal(readFileSync(path, 'utf8'));
  const state = replayJournal(entries);
  state.unreadable = unreadable;
  return state;
}

/** An open journal: appends one fsync'd line per step. */
export class Journal {
  private fd: number | undefined;

  private constructor(
    public readonly path: string,
    public readonly state: JournalState,
    private readonly clock: () => Date
  ) {
    this.fd = openSync(path, 'a');
  }

  /**
   * Opens (or creates) the journal for appending; a torn last line from a crash is cut off
   * first so the next entry starts on its own line.
   */
  public static open(path: string, clock: () => Date = () => new Date()): Journal {
    let state = replayJournal([]);
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      const parsed = parseJournal(text);
      state = replayJournal(parsed.entries);
      state.unreadable = parsed.unreadable;
      if (text.length > 0 && !text.endsWith('\n')) {
        const keep = Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1), 'utf8');
        const fd = openSync(path, 'r+');
        try {
          ftruncateSync(fd, keep);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      }
    }
    return new Journal(path, state, clock);
  }

  /** Appends one entry and flushes it to disk before returning. */
  public append(entry: NewJournalEntry): JournalEntry {
    if (this.fd === undefined) throw new Error(`The journal ${this.path} is closed.`);
    const full = { t: this.clock().toISOString(), ...entry } as JournalEntry;
    writeSync(this.fd, `${JSON.stringify(full)}\n`);
    fsyncSync(this.fd);
    applyJournalEntry(this.state, full);
    return full;
  }

  public close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Cuts result files back to the size the journal last committed (rows written by a run killed mid-write). */
export function truncateToCommitted(dir: string, fileSizes: Record<string, number>, join: (a: string, b: string) => string): void {
  for (const [rel, size] of Object.entries(fileSizes)) {
    const path = join(dir, rel);
    if (!existsSync(path)) continue;
    if (statSync(path).size > size) {
      const fd = openSync(path, 'r+');
      try {
        ftruncateSync(fd, size);
      } finally {
        closeSync(fd);
      }
    }
  }
}
