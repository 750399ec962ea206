/**
 * Where the drift check's input comes from: the current owners of a window of plan rows.
 *
 * Reading owners costs the org as much as a good part of the update itself, so the cheapest
 * exact read is picked per window:
 *
 * - Accounts of a large plan (rows sorted by Id): a window whose rows all leave one owner F
 *   asks only for the exceptions, `OwnerId != F` within the window's range of Id (an index
 *   range on Salesforce). A complete answer (under one page) tells every row: listed → that
 *   owner; not listed → owned by F, or gone (deleted / not visible: the update then fails
 *   with a "gone" error and the run re-reads those rows, so they still end in drift.csv and
 *   nothing else is written). When the range holds too many other records to list, the
 *   window's owners are read instead (`OwnerId IN (<the window's old and new owners>)` in
 *   the range), and after two such windows the object stops asking for exceptions.
 *   Reads run two windows ahead of the jobs.
 * - Children of a large plan (sorted by AccountId): read by owner one segment of rows at a
 *   time, within the segment's range of AccountId.
 * - Small plans, or windows with very many owners: `WHERE Id IN (...)` chunks.
 *
 * Every SOQL text is built from ids the plan reader validated; nothing user-typed reaches it.
 */
import { to18 } from '../domain/ids.js';
import type { Bulk2 } from '../salesforce/bulk2.js';
import { fromOwner, readCurrentOwners, readCurrentOwnersByOwner, toOwner, type PlanRow, type RunMode } from './drift.js';
import { readPlanBatches, rebatch } from './plan-files.js';
import type { PlanObjectEntry } from './plan-manifest.js';

/** Above this many distinct owners in a window or segment, owners are read by id chunks (300 per query otherwise). */
const MAX_OWNERS_BY_OWNER = 3_000;
/** An exceptions answer of this many rows is not taken as complete (one REST page). */
const EXCEPTIONS_LIMIT = 2_000;
/** Windows whose exceptions did not fit before an object stops asking for them. */
const EXCEPTION_MISSES_ALLOWED = 2;

export interface OwnerCheckOptions {
  mode: RunMode;
  /** Rows per window (= per job). */
  batchSize: number;
  /** From this many rows of an object, owners are read by owner (default 5,000). */
  byOwnerFrom?: number;
  /** From this many rows in one read, a Bulk query is used instead of REST pages (default 20,000). */
  bulkQueryFrom?: number;
  /** Plan rows per owner-read segment for children (default 200,000): bounds memory. */
  segmentRows?: number;
  /** Ids per id-chunk query (default 500) and such queries at once (default 4). */
  idChunk?: number;
  queryConcurrency?: number;
  /** Accounts' windows leaving one owner ask for fewer than this many exceptions (default 2,000; 0: never). */
  exceptionsLimit?: number;
}

/** Checked windows; `stop()` ends reads started ahead when the run will not take them. */
export type WindowSource = AsyncIterable<CheckedWindow> & { stop(): void };

const noop = (): void => undefined;

export interface CheckedWindow {
  window: PlanRow[];
  /** Current owner per plan Id; a plan Id absent from the map was not found. */
  owners: ReadonlyMap<string, string>;
}

/** How many windows each way of reading took (for the journal and benchmarks). */
export interface OwnerCheckStats {
  exceptions: number;
  byOwner: number;
  byId: number;
}

/**
 * The plan's windows of one object, in plan order, each with its records' current owners.
 * For accounts of a large plan the reads start at once, before the first window is asked for.
 */
export function checkedWindows(bulk: Bulk2, planDir: string, entry: PlanObjectEntry, opts: OwnerCheckOptions, stats?: OwnerCheckStats): WindowSource {
  const windows = rebatch(readPlanBatches(planDir, entry, 10_000), opts.batchSize);
  const large = entry.rows >= (opts.byOwnerFrom ?? 5_000);
  const count = (k: keyof OwnerCheckStats): void => {
    if (stats) stats[k]++;
  };
  const byIds = (window: PlanRow[]): Promise<Map<string, string>> => {
    count('byId');
    return readCurrentOwners(
      bulk,
      entry.sobject,
      window.map((r) => r.Id),
      opts.idChunk ?? 500,
      opts.queryConcurrency ?? 4
    );
  };
  if (large && entry.sobject === 'Account') {
    const reader = new AccountWindows(bulk, entry.sobject, opts, count, byIds);
    return new ReadAhead(windows, (w) => reader.owners(w), 2);
  }
  const lazy = large ? segmentWindows(new OwnerSegments(bulk, planDir, entry, opts), windows, count, byIds) : idWindows(windows, byIds);
  return { [Symbol.asyncIterator]: () => lazy, stop: noop };
}

async function* segmentWindows(
  segments: OwnerSegments,
  windows: AsyncIterable<PlanRow[]>,
  count: (k: keyof OwnerCheckStats) => void,
  byIds: (window: PlanRow[]) => Promise<Map<string, string>>
): AsyncGenerator<CheckedWindow> {
  for await (const window of windows) {
    const owners = await segments.ownersFor(window);
    if (owners) count('byOwner');
    yield { window, owners: owners ?? (await byIds(window)) };
  }
}

async function* idWindows(windows: AsyncIterable<PlanRow[]>, byIds: (window: PlanRow[]) => Promise<Map<string, string>>): AsyncGenerator<CheckedWindow> {
  for await (const window of windows) yield { window, owners: await byIds(window) };
}

/**
 * Windows with their owners' reads running ahead of the consumer: up to `depth` windows
 * beyond the one being used. It starts at once (not at the first `next()`), so a run can
 * begin reading while it still checks the plan's files. Errors surface where the window is taken.
 */
class ReadAhead implements WindowSource {
  private readonly queue: { window: PlanRow[]; owners: Promise<ReadonlyMap<string, string>> }[] = [];
  private finished = false;
  private stopped = false;
  private failure: { error: unknown } | undefined;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  public constructor(
    private readonly source: AsyncIterable<PlanRow[]>,
    private readonly read: (w: PlanRow[]) => Promise<ReadonlyMap<string, string>>,
    private readonly depth: number
  ) {
    void this.fill();
  }

  public async *[Symbol.asyncIterator](): AsyncGenerator<CheckedWindow> {
    try {
      for (;;) {
        const next = this.queue.shift();
        if (next) {
          this.wake('producer');
          yield { window: next.window, owners: await next.owners };
          continue;
        }
        if (this.failure) throw this.failure.error;
        if (this.finished) return;
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
    } finally {
      this.stop();
    }
  }

  /** No more windows are wanted (the run stopped early): stop reading the plan. */
  public stop(): void {
    this.stopped = true;
    this.wake('producer');
  }

  private wake(who: 'consumer' | 'producer'): void {
    const fn = who === 'consumer' ? this.wakeConsumer : this.wakeProducer;
    if (who === 'consumer') this.wakeConsumer = undefined;
    else this.wakeProducer = undefined;
    fn?.();
  }

  private async fill(): Promise<void> {
    try {
      for await (const window of this.source) {
        if (this.stopped) break;
        const owners = this.read(window);
        owners.catch(() => undefined); // surfaced when the window is taken
        this.queue.push({ window, owners });
        this.wake('consumer');
        while (this.queue.length > this.depth && !this.stopped) await new Promise<void>((resolve) => (this.wakeProducer = resolve));
        if (this.stopped) break;
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.finished = true;
      this.wake('consumer');
    }
  }
}

/** The distinct owners (leaving and receiving) of some plan rows. */
function ownersOf(rows: readonly PlanRow[], mode: RunMode): { from: Set<string>; all: Set<string> } {
  const from = new Set<string>();
  const all = new Set<string>();
  for (const r of rows) {
    const f = fromOwner(r, mode);
    from.add(f);
    all.add(f);
    all.add(toOwner(r, mode));
  }
  return { from, all };
}

/** The lowest and highest value of a key over some rows. */
function rangeOf(rows: readonly PlanRow[], key: (r: PlanRow) => string): { lo: string; hi: string } {
  let lo = key(rows[0]);
  let hi = lo;
  for (const r of rows) {
    const k = key(r);
    if (k < lo) lo = k;
    if (k > hi) hi = k;
  }
  return { lo, hi };
}

/** Accounts' windows: exceptions first, else the window's owners within its range of Id. */
class AccountWindows {
  private misses = 0;

  public constructor(
    private readonly bulk: Bulk2,
    private readonly sobject: string,
    private readonly opts: OwnerCheckOptions,
    private readonly count: (k: keyof OwnerCheckStats) => void,
    private readonly byIds: (window: PlanRow[]) => Promise<Map<string, string>>
  ) {}

  public async owners(window: PlanRow[]): Promise<ReadonlyMap<string, string>> {
    const { from, all } = ownersOf(window, this.opts.mode);
    const { lo, hi } = rangeOf(window, (r) => r.Id);
    const range = ` AND Id >= '${lo}' AND Id <= '${hi}'`;
    const limit = this.opts.exceptionsLimit ?? EXCEPTIONS_LIMIT;
    if (from.size === 1 && limit > 0 && this.misses < EXCEPTION_MISSES_ALLOWED) {
      const [only] = from;
      const found = await this.exceptions(only, range, limit);
      if (found) {
        this.count('exceptions');
        const owners = new Map<string, string>();
        for (const r of window) owners.set(r.Id, found.get(r.Id) ?? only);
        return owners;
      }
      this.misses++;
    }
    if (all.size > MAX_OWNERS_BY_OWNER) return this.byIds(window);
    this.count('byOwner');
    const ids = new Set(window.map((r) => r.Id));
    return readCurrentOwnersByOwner(this.bulk, this.sobject, ids, [...all], { useBulk: window.length >= (this.opts.bulkQueryFrom ?? 20_000), where: range });
  }

  /** Records of the range not owned by `owner`, or undefined when there are too many to list. */
  private async exceptions(owner: string, range: string, limit: number): Promise<Map<string, string> | undefined> {
    const found = new Map<string, string>();
    let rows = 0;
    for await (const r of this.bulk.query(`SELECT Id, OwnerId FROM ${this.sobject} WHERE OwnerId != '${owner}'${range} LIMIT ${limit}`)) {
      rows++;
      if (typeof r.Id === 'string' && typeof r.OwnerId === 'string') found.set(to18(r.Id), to18(r.OwnerId));
    }
    return rows >= limit ? undefined : found;
  }
}

/**
 * Current owners of a child object's records, read by owner one segment of plan rows at a
 * time (`WHERE OwnerId IN (<the segment's owners>)`, narrowed to the segment's range of
 * AccountId — the plan is sorted by account — when the object has more than one segment).
 * Only the segment's own ids are kept: memory is bounded by the segment size.
 */
class OwnerSegments {
  private readonly reader: AsyncGenerator<PlanRow[]>;
  private ids = new Set<string>();
  /** undefined: the segment has too many owners to read by owner. */
  private owners: Map<string, string> | undefined = new Map<string, string>();
  private readonly whole: boolean;
  /** The next segment, read while the current one's jobs run (the org reads while the client sends). */
  private next: Promise<{ ids: Set<string>; owners: Map<string, string> | undefined } | undefined> | undefined;

  public constructor(
    private readonly bulk: Bulk2,
    planDir: string,
    private readonly entry: PlanObjectEntry,
    private readonly opts: OwnerCheckOptions
  ) {
    const batch = opts.batchSize;
    const segmentRows = Math.max(batch, Math.floor((opts.segmentRows ?? 200_000) / batch) * batch);
    this.reader = rebatch(readPlanBatches(planDir, entry, 10_000), segmentRows);
    this.whole = entry.rows <= segmentRows;
  }

  /** The owners of a window's records (windows come in plan order, each inside one segment); undefined: read them by id. */
  public async ownersFor(window: PlanRow[]): Promise<Map<string, string> | undefined> {
    while (!this.ids.has(window[0].Id)) {
      const segment = await (this.next ?? this.load());
      this.next = undefined;
      if (!segment) break;
      this.ids = segment.ids;
      this.owners = segment.owners;
      if (!this.whole) {
        this.next = this.load();
        this.next.catch(() => undefined); // surfaced when awaited
      }
    }
    return this.owners;
  }

  private async load(): Promise<{ ids: Set<string>; owners: Map<string, string> | undefined } | undefined> {
    const next = await this.reader.next();
    if (next.done) return undefined;
    const rows = next.value;
    const ids = new Set<string>();
    for (const r of rows) ids.add(r.Id);
    const { all } = ownersOf(rows, this.opts.mode);
    if (all.size > MAX_OWNERS_BY_OWNER) return { ids, owners: undefined };
    const ranged = !this.whole && rows.every((r) => r.AccountId !== '');
    const range = ranged ? ` AND AccountId >= '${rows[0].AccountId}' AND AccountId <= '${rows[rows.length - 1].AccountId}'` : '';
    const owners = await readCurrentOwnersByOwner(this.bulk, this.entry.sobject, ids, [...all], { useBulk: rows.length >= (this.opts.bulkQueryFrom ?? 20_000), where: range });
    return { ids, owners };
  }
}
