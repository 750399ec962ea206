/**
 * A Bulk API 2.0 ingest driver, driven step by step: create the job, upload its CSV, mark it
 * UploadComplete, poll until it ends, then stream its successful, failed and unprocessed rows.
 *
 * Each step is a separate call so the caller can journal it (the job id is known right after
 * create), and a run killed at any moment can pick the job up again by its id. This is what
 * jsforce's `conn.bulk2.loadAndWaitForResults` does in one call, made resumable:
 *
 * - requests go over the session of the @salesforce/core connection (its instance URL, API
 *   version and access token); an expired session (401) is refreshed through the connection
 *   (`conn.refreshAuth()`, which uses the org's refresh token when it has one), else the
 *   request fails with SessionExpiredError saying how to log in again;
 * - request-level failures that go away by themselves (503 / REQUEST_LIMIT_EXCEEDED, 429,
 *   502/504, connection resets, timeouts) are retried with exponential backoff and full jitter,
 *   a bounded number of times; anything else fails at once with Salesforce's error code;
 * - polling starts fast (50 ms) and backs off to a few seconds: small jobs finish in a few
 *   hundred milliseconds and a fixed 1–5 s poll would dominate their time;
 * - results are streamed (csv-parse over the HTTP body), never held whole.
 *
 * Requests use Node's fetch rather than jsforce's HttpApi: jsforce reads every response body
 * whole into a string and retries on its own schedule, which defeats streaming results and
 * the journal's control over retries.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parse } from 'csv-parse';
import { z } from 'zod';

/** What the driver needs of a connection; @salesforce/core's Connection satisfies it. */
export interface OrgSession {
  instanceUrl: string;
  accessToken?: string | null;
  version: string;
  refreshAuth?: () => Promise<void>;
  getUsername?: () => string | undefined | null;
}

export const INGEST_JOB_STATES = ['Open', 'UploadComplete', 'InProgress', 'JobComplete', 'Failed', 'Aborted'] as const;
export const IngestJobState = z.enum(INGEST_JOB_STATES);
export type IngestJobState = z.infer<typeof IngestJobState>;

/** The job info Salesforce returns from create, close, abort and get (fields we rely on). */
export const IngestJobInfo = z.looseObject({
  id: z.string().min(15).max(18),
  state: IngestJobState,
  object: z.string().optional(),
  operation: z.string().optional(),
  numberRecordsProcessed: z.number().optional(),
  numberRecordsFailed: z.number().optional(),
  errorMessage: z.string().nullable().optional()
});
export type IngestJobInfo = z.infer<typeof IngestJobInfo>;

export function isFinalJobState(state: IngestJobState): boolean {
  return state === 'JobComplete' || state === 'Failed' || state === 'Aborted';
}

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export type ResultKind = 'successfulResults' | 'failedResults' | 'unprocessedrecords';

/** A failed API request, with Salesforce's error code when it sent one. */
export class SalesforceApiError extends Error {
  public constructor(
    message: string,
    public readonly errorCode: string,
    public readonly statusCode: number | undefined,
    public readonly retryable: boolean
  ) {
    super(message);
    this.name = 'SalesforceApiError';
  }
}

/** The session expired and could not be refreshed. */
export class SessionExpiredError extends SalesforceApiError {
  public constructor(username: string | undefined) {
    super(
      `The session${username ? ` of ${username}` : ''} expired and could not be refreshed. ` +
        'Log in to the org again (sf org login web, or sf org login access-token) and re-run the command: ' +
        'it continues where it stopped.',
      'INVALID_SESSION_ID',
      401,
      false
    );
    this.name = 'SessionExpiredError';
  }
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_REQUEST_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 8000 };

/** Exponential backoff with jitter: between half and all of min(max, base·2^attempt). */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() / 2));
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const RETRYABLE_ERROR_CODES = new Set(['REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW', 'TIMEOUT']);
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED'
]);

/** The network error code of a failed fetch (its cause chain), if any. */
function networkCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const name = (e as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return 'ETIMEDOUT';
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether a failed request is worth sending again: the failure says nothing about the request itself. */
export function isRetryableRequestFailure(error: unknown): boolean {
  if (error instanceof SalesforceApiError) return error.retryable;
  const code = networkCode(error);
  return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

export interface Bulk2Options {
  retry?: RetryPolicy;
  /** First poll delay; doubles up to pollMaxMs. */
  pollInitialMs?: number;
  pollMaxMs?: number;
  /** Per-request timeout (uploads and result downloads get ten times as much). */
  requestTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Told of every retried request, e.g. to log it. */
  onRetry?: (info: { method: string; path: string; attempt: number; delayMs: number; reason: string }) => void;
}

type Body = string | Buffer | (() => Readable);

interface SendOptions {
  body?: Body;
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
}

/** A request path for messages: without its query string (a SOQL text can be long). */
function shortPath(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : `${path.slice(0, q)}?…`;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Salesforce's error body: `[{errorCode, message}]` (or an object with them). */
function readErrorBody(text: string): { errorCode?: string; message?: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    if (first && typeof first === 'object') {
      const { errorCode, message } = first as { errorCode?: unknown; message?: unknown };
      return { errorCode: typeof errorCode === 'string' ? errorCode : undefined, message: typeof message === 'string' ? message : undefined };
    }
  } catch {
    // not JSON: the text is the message
  }
  return { message: text.slice(0, 500) };
}

export class Bulk2 {
  private readonly retry: RetryPolicy;
  private readonly pollInitialMs: number;
  private readonly pollMaxMs: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  public constructor(
    private readonly session: OrgSession,
    private readonly options: Bulk2Options = {}
  ) {
    this.retry = options.retry ?? DEFAULT_REQUEST_RETRY;
    this.pollInitialMs = options.pollInitialMs ?? 50;
    this.pollMaxMs = options.pollMaxMs ?? 2000;
    this.timeoutMs = options.requestTimeoutMs ?? 120_000;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  private url(path: string): string {
    const base = this.session.instanceUrl.replace(/\/+$/, '');
    return `${base}/services/data/v${this.session.version}/${path.replace(/^\/+/, '')}`;
  }

  /**
   * Sends one request; retries what is retryable, refreshes an expired session once, and
   * returns the successful response (its body not yet read).
   */
  public async send(method: string, path: string, opts: SendOptions = {}): Promise<Response> {
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      try {
        const headers: Record<string, string> = {
          Authorization: `Bearer ${this.session.accessToken ?? ''}`,
          Accept: opts.accept ?? 'application/json'
        };
        if (opts.contentType) headers['Content-Type'] = opts.contentType;
        const body = typeof opts.body === 'function' ? (opts.body() as unknown as ReadableStream) : opts.body;
        const init: RequestInit & { duplex?: 'half' } = {
          method,
          headers,
          body: body as BodyInit | undefined,
          signal: AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs)
        };
        if (typeof opts.body === 'function') init.duplex = 'half';
        const res = await fetch(this.url(path), init);
        if (res.ok) return res;
        const text = await res.text();
        if (res.status === 401) {
          if (!refreshed) {
            refreshed = true;
            await this.refreshSession();
            attempt--;
            continue;
          }
          throw new SessionExpiredError(this.session.getUsername?.() ?? undefined);
        }
        const { errorCode, message } = readErrorBody(text);
        const code = errorCode ?? `HTTP_${res.status}`;
        failure = new SalesforceApiError(
          `${method} ${shortPath(path)} failed: ${code}: ${message ?? res.statusText}`,
          code,
          res.status,
          RETRYABLE_STATUS.has(res.status) || RETRYABLE_ERROR_CODES.has(code)
        );
      } catch (e) {
        if (e instanceof SessionExpiredError) throw e;
        failure = e;
      }
      const retryable = isRetryableRequestFailure(failure) && typeof opts.body !== 'function';
      if (!retryable || attempt + 1 >= this.retry.maxAttempts) {
        if (failure instanceof SalesforceApiError) throw failure;
        const code = networkCode(failure) ?? 'REQUEST_FAILED';
        throw new SalesforceApiError(
          `${method} ${shortPath(path)} failed: ${code}: ${(failure as Error).message ?? String(failure)}`,
          code,
          undefined,
          RETRYABLE_NETWORK_CODES.has(code)
        );
      }
      const delayMs = backoffDelay(attempt, this.retry, this.random);
      this.options.onRetry?.({
        method,
        path: shortPath(path),
        attempt: attempt + 1,
        delayMs,
        reason: failure instanceof SalesforceApiError ? failure.errorCode : (networkCode(failure) ?? String(failure))
      });
      await this.sleep(delayMs);
    }
  }

  private async refreshSession(): Promise<void> {
    if (!this.session.refreshAuth) throw new SessionExpiredError(this.session.getUsername?.() ?? undefined);
    try {
      await this.session.refreshAuth();
    } catch {
      throw new SessionExpiredError(this.session.getUsername?.() ?? undefined);
    }
  }

  private async json<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      contentType: body === undefined ? undefined : 'application/json; charset=utf-8'
    });
    const raw: unknown = await res.json();
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new SalesforceApiError(
        `${method} ${shortPath(path)}: unexpected answer from the org: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
        'UNEXPECTED_RESPONSE',
        res.status,
        false
      );
    }
    return parsed.data;
  }

  /** Step 1: creates an ingest job (state Open). CSV with LF line ends and commas. */
  public createIngestJob(params: { object: string; operation: IngestOperation; externalIdFieldName?: string; assignmentRuleId?: string }): Promise<IngestJobInfo> {
    return this.json(IngestJobInfo, 'POST', 'jobs/ingest', { ...params, contentType: 'CSV', lineEnding: 'LF', columnDelimiter: 'COMMA' });
  }

  /**
   * Step 2: uploads the job's CSV (header + rows). A string or Buffer is re-sent when a
   * retryable failure rejected it; a stream (a file) is sent once — on failure abort the job
   * and upload the rows to a new one.
   */
  public async uploadJobData(jobId: string, csv: Body): Promise<void> {
    const res = await this.send('PUT', `jobs/ingest/${jobId}/batches`, { body: csv, contentType: 'text/csv', timeoutMs: this.timeoutMs * 10 });
    await res.arrayBuffer();
  }

  /** Step 3: marks the upload complete; Salesforce queues the job. */
  public async closeJob(jobId: string): Promise<IngestJobInfo> {
    try {
      return await this.json(IngestJobInfo, 'PATCH', `jobs/ingest/${jobId}`, { state: 'UploadComplete' });
    } catch (e) {
      // A retried PATCH whose first attempt went through finds the job already closed.
      const info = await this.getJob(jobId);
      if (info.state !== 'Open' && info.state !== 'Aborted') return info;
      throw e;
    }
  }

  /** Aborts an Open or queued job: nothing more of it is processed. */
  public async abortJob(jobId: string): Promise<IngestJobInfo> {
    try {
      return await this.json(IngestJobInfo, 'PATCH', `jobs/ingest/${jobId}`, { state: 'Aborted' });
    } catch (e) {
      const info = await this.getJob(jobId);
      if (isFinalJobState(info.state)) return info;
      throw e;
    }
  }

  public getJob(jobId: string): Promise<IngestJobInfo> {
    return this.json(IngestJobInfo, 'GET', `jobs/ingest/${jobId}`);
  }

  /**
   * Step 4: polls until the job is JobComplete, Failed or Aborted. Starts fast and backs off
   * (pollInitialMs growing by half each time, up to pollMaxMs). An Open job is an error: it was never closed.
   */
  public async waitForJob(jobId: string, onPoll?: (info: IngestJobInfo) => void): Promise<IngestJobInfo> {
    let delay = this.pollInitialMs;
    for (;;) {
      const info = await this.getJob(jobId);
      onPoll?.(info);
      if (isFinalJobState(info.state)) return info;
      if (info.state === 'Open') {
        throw new SalesforceApiError(`Bulk job ${jobId} is still Open: its upload was never marked complete.`, 'JOB_OPEN', undefined, false);
      }
      await this.sleep(delay);
      delay = Math.min(this.pollMaxMs, Math.round(delay * 1.5));
    }
  }

  /** Step 5: a job's result rows as a stream of records keyed by column (sf__Id, sf__Error, ...). */
  public async resultRecords(jobId: string, kind: ResultKind): Promise<AsyncIterable<Record<string, string>>> {
    const res = await this.send('GET', `jobs/ingest/${jobId}/${kind}`, { accept: 'text/csv', timeoutMs: this.timeoutMs * 10 });
    if (!res.body) return (async function* () {})();
    const body = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
    const parser = parse({ columns: true, bom: true, relax_column_count: true, skip_empty_lines: true });
    body.on('error', (e) => parser.destroy(e));
    return body.pipe(parser) as AsyncIterable<Record<string, string>>;
  }

  /**
   * A Bulk API 2.0 query, record by record (CSV pages behind Sforce-Locator), for reads too
   * large for REST queries. Values are strings as in the CSV ('' for null).
   */
  public async *bulkQuery(soql: string, opts: { maxRecords?: number; onJob?: (jobId: string) => void } = {}): AsyncGenerator<Record<string, string>> {
    const QueryJob = z.looseObject({ id: z.string(), state: z.string(), errorMessage: z.string().nullable().optional() });
    const job = await this.json(QueryJob, 'POST', 'jobs/query', { operation: 'query', query: soql, contentType: 'CSV', lineEnding: 'LF', columnDelimiter: 'COMMA' });
    opts.onJob?.(job.id);
    let delay = this.pollInitialMs;
    for (;;) {
      const info = await this.json(QueryJob, 'GET', `jobs/query/${job.id}`);
      if (info.state === 'JobComplete') break;
      if (info.state === 'Failed' || info.state === 'Aborted') {
        throw new SalesforceApiError(`Bulk query ${job.id} ended ${info.state}: ${info.errorMessage ?? ''}`, 'QUERY_JOB_FAILED', undefined, false);
      }
      await this.sleep(delay);
      delay = Math.min(this.pollMaxMs, delay * 2);
    }
    let locator: string | undefined;
    for (;;) {
      const params = new URLSearchParams({ maxRecords: String(opts.maxRecords ?? 200_000) });
      if (locator) params.set('locator', locator);
      const res = await this.send('GET', `jobs/query/${job.id}/results?${params.toString()}`, { accept: 'text/csv', timeoutMs: this.timeoutMs * 10 });
      const next = res.headers.get('sforce-locator');
      if (res.body) {
        // A page is at most maxRecords rows: read whole, split by lines when every cell is plain
        // (ids, numbers: the common case, several times faster), else through the CSV parser.
        const text = await res.text();
        const plain = plainCsvRecords(text);
        if (plain) yield* plain;
        else {
          const parser = parse({ columns: true, bom: true, relax_column_count: true, skip_empty_lines: true });
          yield* Readable.from([text]).pipe(parser) as AsyncIterable<Record<string, string>>;
        }
      }
      if (!next || next === 'null') break;
      locator = next;
    }
    await this.send('DELETE', `jobs/query/${job.id}`).then((r) => r.arrayBuffer()).catch(() => undefined);
  }

  /** The totalSize of a `SELECT COUNT() ...` REST query. */
  public async count(soql: string): Promise<number> {
    const res = await this.json(z.object({ totalSize: z.number() }), 'GET', `query?q=${encodeURIComponent(soql)}`);
    return res.totalSize;
  }

  /** A REST query, all pages, record by record (queryMore through nextRecordsUrl). */
  public async *query(soql: string): AsyncGenerator<Record<string, unknown>> {
    let path = `query?q=${encodeURIComponent(soql)}`;
    const Page = z.object({ done: z.boolean(), nextRecordsUrl: z.string().nullable().optional(), records: z.array(z.record(z.string(), z.unknown())) });
    for (;;) {
      const page = await this.json(Page, 'GET', path);
      yield* page.records;
      if (page.done || !page.nextRecordsUrl) return;
      // nextRecordsUrl is absolute from the host: /services/data/vXX.X/query/01g...-2000
      path = page.nextRecordsUrl.replace(/^\/services\/data\/v[\d.]+\//, '');
    }
  }

  /** Inserts records through the REST collections API (≤ 200 per request), allOrNone false. */
  public async insertRecords(sobject: string, records: Record<string, unknown>[]): Promise<{ id?: string | null; success: boolean; errors: { statusCode?: string; message?: string }[] }[]> {
    const Result = z.array(
      z.object({
        id: z.string().nullable().optional(),
        success: z.boolean(),
        errors: z.array(z.looseObject({ statusCode: z.string().optional(), message: z.string().optional() }))
      })
    );
    const out: z.infer<typeof Result> = [];
    for (let i = 0; i < records.length; i += 200) {
      const chunk = records.slice(i, i + 200).map((r) => ({ attributes: { type: sobject }, ...r }));
      out.push(...(await this.json(Result, 'POST', 'composite/sobjects', { allOrNone: false, records: chunk })));
    }
    return out;
  }
}

const PLAIN_CELL = /^(?:"[^"]*"|[^"]*)$/;

/**
 * The records of a CSV text whose cells are all plain — quoted without a quote, comma or line
 * break inside, or unquoted without quotes — with `\n` or `\r\n` line ends; undefined when any
 * line is not (a value with a comma, quote or line break inside), for the full CSV parser.
 */
export function plainCsvRecords(text: string): Record<string, string>[] | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  const cellsOf = (raw: string): string[] | undefined => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const cells = line.split(',');
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (c.length > 0 && c.charCodeAt(0) === 34) {
        if (!PLAIN_CELL.test(c) || c.length < 2) return undefined;
        cells[i] = c.slice(1, -1);
      } else if (c.includes('"') || c.includes('\r')) return undefined;
    }
    return cells;
  };
  const header = cellsOf(lines[0] ?? '');
  if (!header || header.length === 0 || new Set(header).size !== header.length) return undefined;
  const out: Record<string, string>[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '' || lines[i] === '\r') continue;
    const cells = cellsOf(lines[i]);
    if (!cells || cells.length !== header.length) return undefined;
    const rec: Record<string, string> = {};
    for (let j = 0; j < header.length; j++) rec[header[j]] = cells[j];
    out.push(rec);
  }
  return out;
}

/** Salesforce's limit is 150 MB of base64 per upload; we stay under 100 million characters of CSV. */
export const MAX_UPLOAD_CHARS = 100_000_000;

/**
 * Splits CSV lines into upload bodies of at most `maxRows` rows and `maxChars` characters,
 * each starting with the header: one job per body.
 */
export async function* splitUploads(header: string, lines: AsyncIterable<string> | Iterable<string>, maxRows: number, maxChars = MAX_UPLOAD_CHARS): AsyncGenerator<{ csv: string; rows: number }> {
  let parts: string[] = [];
  let chars = header.length;
  for await (const line of lines) {
    if (parts.length > 0 && (parts.length >= maxRows || chars + line.length > maxChars)) {
      yield { csv: header + parts.join(''), rows: parts.length };
      parts = [];
      chars = header.length;
    }
    parts.push(line);
    chars += line.length;
  }
  if (parts.length > 0) yield { csv: header + parts.join(''), rows: parts.length };
}

/** One step of a job, for the caller's journal and progress. */
export type JobStep =
  | { step: 'created'; jobId: string; rows: number }
  | { step: 'uploaded'; jobId: string }
  | { step: 'closed'; jobId: string }
  | { step: 'polled'; jobId: string; state: IngestJobState; processed: number; failed: number }
  | { step: 'finished'; jobId: string; state: IngestJobState; processed: number; failed: number; errorMessage?: string | null };

/**
 * Runs one ingest job to its end — create, upload, close, wait — telling `onStep` after each
 * step. An upload that fails aborts the job (its rows are the caller's to send again).
 */
export async function runIngestJob(bulk: Bulk2, params: { object: string; operation: IngestOperation; externalIdFieldName?: string }, csv: string, rows: number, onStep: (s: JobStep) => void | Promise<void>): Promise<IngestJobInfo> {
  const job = await bulk.createIngestJob(params);
  await onStep({ step: 'created', jobId: job.id, rows });
  try {
    await bulk.uploadJobData(job.id, csv);
  } catch (e) {
    await bulk.abortJob(job.id).catch(() => undefined);
    throw e;
  }
  await onStep({ step: 'uploaded', jobId: job.id });
  await bulk.closeJob(job.id);
  await onStep({ step: 'closed', jobId: job.id });
  return finishJob(bulk, job.id, onStep);
}

/** Polls a closed job to its end (also used to pick up a job after a restart). */
export async function finishJob(bulk: Bulk2, jobId: string, onStep: (s: JobStep) => void | Promise<void>): Promise<IngestJobInfo> {
  const info = await bulk.waitForJob(jobId, (i) => {
    if (!isFinalJobState(i.state)) {
      void onStep({ step: 'polled', jobId, state: i.state, processed: i.numberRecordsProcessed ?? 0, failed: i.numberRecordsFailed ?? 0 });
    }
  });
  await onStep({
    step: 'finished',
    jobId,
    state: info.state,
    processed: info.numberRecordsProcessed ?? 0,
    failed: info.numberRecordsFailed ?? 0,
    errorMessage: info.errorMessage
  });
  return info;
}
