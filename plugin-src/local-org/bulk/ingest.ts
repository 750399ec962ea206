/**
 * Bulk API 2.0 ingest jobs: create → upload CSV (PUT batches) → UploadComplete → processed
 * asynchronously in internal batches of 10,000 rows (per-row results, the event loop stays
 * free so clients can poll) → JobComplete / Failed / Aborted, with the result resources
 * `successfulResults`, `failedResults` and `unprocessedrecords`.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { makeId, normalizeId } from '../../domain/ids.js';
import { SalesforceError } from '../errors.js';
import type { Row } from '../database.js';
import type { FieldDef, ObjectDef } from '../schema.js';
import { LOCK_ROW_MESSAGE } from '../faults.js';
import type { OrgContext } from '../http/context.js';
import { errorReply, json, noContent, readJsonObject, yieldToEventLoop, type Reply, type Request, type Router } from '../http/kit.js';
import { csvStream, delimiterOf, DELIMITERS, lineEndingOf, type ColumnDelimiter, type LineEnding } from './csv.js';

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
const OPERATIONS: IngestOperation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];

interface RowResult {
  row: number;
  id: string;
  created?: boolean;
  error?: string;
}

export interface IngestJob {
  id: string;
  object: string;
  operation: IngestOperation;
  externalIdFieldName?: string;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  apiVersion: number;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  errorMessage?: string;
  uploads: Buffer[];
  uploadedBytes: number;
  header: string[];
  rows: string[][];
  /** rows with index < processedUpTo have a result */
  processedUpTo: number;
  successes: RowResult[];
  failures: RowResult[];
  retries: number;
  totalProcessingTime: number;
  startedAt?: number;
}

/** Salesforce's timestamp style: `2026-11-25T08:00:00.000+0000`. */
export function sfTimestamp(d = new Date()): string {
  return d.toISOString().replace('Z', '+0000');
}

/** `CODE:message:fields --` as in the sf__Error column. */
export function sfError(e: unknown): string {
  if (e instanceof SalesforceError) {
    return `${e.errorCode}:${e.message}:${e.fields.length ? e.fields.join(',') + ' ' : ''}--`;
  }
  return `UNKNOWN_EXCEPTION:${e instanceof Error ? e.message : String(e)}:--`;
}

/** Jobs kept (with their data and results) before the oldest finished ones are dropped, as Salesforce drops old jobs. */
export const MAX_KEPT_JOBS = 500;

export function pruneFinished(jobs: Map<string, { state: JobState }>): void {
  if (jobs.size <= MAX_KEPT_JOBS) return;
  for (const [id, job] of jobs) {
    if (jobs.size <= MAX_KEPT_JOBS) break;
    if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') jobs.delete(id);
  }
}

let jobSequence = Math.floor(Date.now() / 1000) * 1000;

/** A Bulk API job id (750 prefix, 18 characters), unique across restarts of the org. */
export function newJobId(): string {
  return makeId('750', ++jobSequence, 'LOC');
}

export function jobInfo(job: IngestJob, full: boolean): Record<string, unknown> {
  const info: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    externalIdFieldName: job.externalIdFieldName ?? null,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: job.apiVersion,
    jobType: 'V2Ingest',
    contentUrl: `services/data/v${job.apiVersion.toFixed(1)}/jobs/ingest/${job.id}/batches`,
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter
  };
  if (!full) return info;
  return {
    ...info,
    numberRecordsProcessed: job.successes.length + job.failures.length,
    numberRecordsFailed: job.failures.length,
    retries: job.retries,
    totalProcessingTime: job.totalProcessingTime,
    apiActiveProcessingTime: job.totalProcessingTime,
    apexProcessingTime: 0,
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {})
  };
}

function columnFields(def: ObjectDef, header: string[]): Array<FieldDef | undefined> {
  return header.map((h) => def.fields.get(h.trim().toLowerCase()));
}

function convert(f: FieldDef, raw: string): unknown {
  if (raw === '#N/A') return null;
  switch (f.type) {
    case 'boolean':
      if (/^(true|1|yes)$/i.test(raw)) return true;
      if (/^(false|0|no)$/i.test(raw)) return false;
      break;
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n = Number(raw);
      if (raw.trim() !== '' && Number.isFinite(n)) return f.type === 'int' ? Math.trunc(n) : n;
      break;
    }
    default:
      return raw;
  }
  throw new SalesforceError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${f.label}: value not of required type: ${raw}`, [f.name]);
}

export class IngestJobs {
  private readonly jobs = new Map<string, IngestJob>();
  /** Closed jobs, processed one after another (see changeState). */
  private queue: Promise<void> = Promise.resolve();

  public constructor(private readonly ctx: OrgContext) {}

  public get(id: string): IngestJob | undefined {
    const id18 = normalizeId(id);
    return id18 ? this.jobs.get(id18) : undefined;
  }

  public register(router: Router): void {
    const J = '/services/data/v(?<version>\\d+\\.\\d)/jobs/ingest';
    const ID = '(?<id>[A-Za-z0-9]+)';
    router
      .add('POST', new RegExp(`^${J}$`), 'ingest.create', (req) => this.create(req))
      .add('GET', new RegExp(`^${J}$`), 'ingest.list', () => this.list())
      .add('PUT', new RegExp(`^${J}/${ID}/batches$`), 'ingest.upload', (req) => this.upload(req))
      .add('PATCH', new RegExp(`^${J}/${ID}$`), 'ingest.state', (req) => this.changeState(req))
      .add('GET', new RegExp(`^${J}/${ID}$`), 'ingest.info', (req) => this.info(req))
      .add('DELETE', new RegExp(`^${J}/${ID}$`), 'ingest.delete', (req) => this.remove(req))
      .add('GET', new RegExp(`^${J}/${ID}/successfulResults$`), 'ingest.successfulResults', (req) => this.results(req, 'successful'))
      .add('GET', new RegExp(`^${J}/${ID}/failedResults$`), 'ingest.failedResults', (req) => this.results(req, 'failed'))
      .add('GET', new RegExp(`^${J}/${ID}/unprocessedrecords$`), 'ingest.unprocessedrecords', (req) => this.results(req, 'unprocessed'));
  }

  private async create(req: Request): Promise<Reply> {
    const body = await readJsonObject(req);
    const objectName = typeof body.object === 'string' ? body.object : '';
    const def = this.ctx.db.schema.get(objectName);
    if (!objectName) throw new SalesforceError('INVALIDJOB', "InvalidJob : Required field 'object' is missing");
    if (!def) throw new SalesforceError('INVALIDJOB', `InvalidJob : Unable to find object: ${objectName}`);
    const operation = body.operation as IngestOperation;
    if (!OPERATIONS.includes(operation)) {
      throw new SalesforceError('INVALIDJOB', `InvalidJob : Invalid operation: ${String(body.operation)}. Use one of ${OPERATIONS.join(', ')}`);
    }
    if (body.contentType !== undefined && body.contentType !== 'CSV') {
      throw new SalesforceError('INVALIDJOB', `InvalidJob : Invalid content type: ${String(body.contentType)}. Only CSV is supported`);
    }
    let externalIdFieldName: string | undefined;
    if (operation === 'upsert') {
      const name = typeof body.externalIdFieldName === 'string' ? body.externalIdFieldName : '';
      const f = def.fields.get(name.toLowerCase());
      if (!name) throw new SalesforceError('INVALIDJOB', 'InvalidJob : External ID was blank for upsert operation');
      if (!f || !(f.externalId || f.type === 'id')) {
        throw new SalesforceError('INVALIDJOB', `InvalidJob : The field ${name} is not an external id field on ${def.name}`);
      }
      externalIdFieldName = f.name;
    }
    const now = sfTimestamp();
    const job: IngestJob = {
      id: newJobId(),
      object: def.name,
      operation,
      externalIdFieldName,
      lineEnding: lineEndingOf(body.lineEnding),
      columnDelimiter: delimiterOf(body.columnDelimiter),
      apiVersion: Number(req.params.version),
      createdById: this.ctx.identity.userId,
      createdDate: now,
      systemModstamp: now,
      state: 'Open',
      uploads: [],
      uploadedBytes: 0,
      header: [],
      rows: [],
      processedUpTo: 0,
      successes: [],
      failures: [],
      retries: 0,
      totalProcessingTime: 0
    };
    this.jobs.set(job.id, job);
    pruneFinished(this.jobs);
    return json(200, jobInfo(job, false));
  }

  private list(): Reply {
    return json(200, { done: true, records: [...this.jobs.values()].map((j) => jobInfo(j, false)), nextRecordsUrl: null });
  }

  private require(req: Request): IngestJob {
    const job = this.get(req.params.id);
    if (!job) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', [], 404);
    return job;
  }

  private info(req: Request): Reply {
    return json(200, jobInfo(this.require(req), true));
  }

  private async upload(req: Request): Promise<Reply> {
    const job = this.require(req);
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    if (!type.startsWith('text/csv')) {
      drain(req);
      return errorReply(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type header specified in HTTP request is not supported: ${type || '(none)'}. Upload job data as text/csv.`);
    }
    if (job.state !== 'Open') {
      drain(req);
      return errorReply(409, 'INVALIDJOBSTATE', `InvalidJobState : Job ${job.id} is ${job.state}; data can only be uploaded to an Open job.`);
    }
    if (job.uploads.length > 0) {
      drain(req);
      return errorReply(
        400,
        'BULK_API_ERROR',
        `Found multiple contents for job: <${job.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`
      );
    }
    const limit = this.ctx.limits.maxUploadBytes;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    if (req.raw) {
      for await (const chunk of req.raw as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) tooLarge = true;
        if (!tooLarge) chunks.push(chunk);
      }
    } else {
      const buf = await req.body();
      size = buf.length;
      tooLarge = size > limit;
      if (!tooLarge) chunks.push(buf);
    }
    if (tooLarge) {
      return errorReply(
        413,
        'REQUEST_ENTITY_TOO_LARGE',
        `The job data is ${size} bytes; an upload may not exceed 150 MB once base64 encoded (about ${limit} bytes). Split the data into several jobs.`
      );
    }
    job.uploads = chunks;
    job.uploadedBytes = size;
    job.systemModstamp = sfTimestamp();
    return { status: 201, text: '' };
  }

  private async changeState(req: Request): Promise<Reply> {
    const job = this.require(req);
    const body = await readJsonObject(req);
    const state = body.state;
    if (state === 'UploadComplete') {
      if (job.state !== 'Open') {
        return errorReply(409, 'INVALIDJOBSTATE', `InvalidJobState : Job ${job.id} is ${job.state} and cannot be closed.`);
      }
      job.state = 'UploadComplete';
      job.systemModstamp = sfTimestamp();
      const reply = json(200, jobInfo(job, false));
      // Closed jobs wait in one queue (UploadComplete) and are processed in turn, as an org's
      // queue hands them to its workers: one server thread working on several at once would
      // only finish all of them late.
      this.queue = this.queue.then(async () => {
        await yieldToEventLoop(); // the reply goes out first
        await this.process(job).catch((e: unknown) => {
          job.state = 'Failed';
          job.errorMessage = `InternalServerError : ${e instanceof Error ? e.message : String(e)}`;
        });
      });
      return reply;
    }
    if (state === 'Aborted') {
      if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') {
        return errorReply(409, 'INVALIDJOBSTATE', `InvalidJobState : Job ${job.id} is ${job.state} and cannot be aborted.`);
      }
      job.state = 'Aborted';
      job.systemModstamp = sfTimestamp();
      return json(200, jobInfo(job, false));
    }
    return errorReply(400, 'INVALIDJOBSTATE', `InvalidJobState : Invalid state: ${String(state)}. Use UploadComplete or Aborted.`);
  }

  private remove(req: Request): Reply {
    const job = this.require(req);
    if (job.state === 'Open' || job.state === 'InProgress') {
      return errorReply(400, 'INVALIDJOBSTATE', `InvalidJobState : Job ${job.id} is ${job.state}; close or abort it before deleting it.`);
    }
    this.jobs.delete(job.id);
    return noContent();
  }

  private results(req: Request, kind: 'successful' | 'failed' | 'unprocessed'): Reply {
    const job = this.require(req);
    if (job.state === 'Open' || job.state === 'UploadComplete' || job.state === 'InProgress') {
      if (kind !== 'unprocessed') {
        return errorReply(400, 'INVALIDJOBSTATE', `InvalidJobState : Job ${job.id} is ${job.state}; results are available once it is JobComplete, Failed or Aborted.`);
      }
    }
    const header = job.header.length ? job.header : headerOf(job);
    let out: { header: string[]; rows: Iterable<unknown[]> };
    if (kind === 'successful') {
      out = { header: ['sf__Id', 'sf__Created', ...header], rows: mapIter(job.successes, (r) => [r.id, r.created ? 'true' : 'false', ...(job.rows[r.row] ?? [])]) };
    } else if (kind === 'failed') {
      out = { header: ['sf__Id', 'sf__Error', ...header], rows: mapIter(job.failures, (r) => [r.id, r.error, ...(job.rows[r.row] ?? [])]) };
    } else {
      const done = job.state === 'JobComplete';
      out = { header, rows: done ? [] : unprocessed(job) };
    }
    const stream = Readable.from(csvStream(out.header, out.rows, job.columnDelimiter, job.lineEnding));
    return { status: 200, stream, headers: { 'Content-Type': 'text/csv' } };
  }

  // ---------- processing ----------

  private async process(job: IngestJob): Promise<void> {
    if (job.state !== 'UploadComplete') return;
    const started = Date.now();
    job.state = 'InProgress';
    job.startedAt = started;
    job.systemModstamp = sfTimestamp();
    const finish = (state: JobState, errorMessage?: string): void => {
      if (job.state === 'Aborted') return;
      job.state = state;
      if (errorMessage) job.errorMessage = errorMessage;
      job.totalProcessingTime = Date.now() - started;
      job.systemModstamp = sfTimestamp();
    };
    const injectedFailure = this.ctx.faults.takeJobFailure();
    const failAfter = injectedFailure ? this.ctx.faults.failJobsAfterRows : Infinity;
    if (job.uploadedBytes === 0) {
      finish('Failed', 'InvalidBatch : Empty CSV: upload job data before closing the job');
      return;
    }
    const lineError = checkLineEnding(job);
    if (lineError) {
      await this.parseAll(job);
      finish('Failed', lineError);
      return;
    }
    const def = this.ctx.db.schema.get(job.object);
    if (!def) {
      finish('Failed', `InvalidBatch : Unable to find object: ${job.object}`);
      return;
    }
    const batchSize = this.ctx.limits.bulkBatchSize;
    let fields: Array<FieldDef | undefined> = [];
    let rowIndex = -1;
    try {
      for await (const batch of csvBatches(job)) for (const record of batch) {
        if (rowIndex === -1) {
          job.header = record;
          fields = columnFields(def, record);
          const unknown = record.find((h, i) => !fields[i]);
          if (unknown !== undefined) {
            await this.collectRest(job, record);
            finish('Failed', `InvalidBatch : Field name not found : ${unknown}`);
            return;
          }
          rowIndex = 0;
          continue;
        }
        job.rows.push(record);
        if (rowIndex >= failAfter) {
          rowIndex++;
          continue;
        }
        if ((job.state as JobState) === 'Aborted') {
          rowIndex++;
          continue;
        }
        this.applyRow(job, def, fields, record, rowIndex);
        rowIndex++;
        job.processedUpTo = rowIndex;
        if (rowIndex % batchSize === 0) {
          job.totalProcessingTime = Date.now() - started;
          await yieldToEventLoop();
        }
      }
    } catch (e) {
      finish('Failed', `InvalidBatch : ${e instanceof Error ? e.message : String(e)}`);
      return;
    } finally {
      job.uploads = [];
    }
    if (injectedFailure) {
      finish('Failed', 'InternalServerError : The job failed to process (fault injected by the local org). Retry the unprocessed records in a new job.');
      return;
    }
    finish('JobComplete');
  }

  private async parseAll(job: IngestJob): Promise<void> {
    let first = true;
    for await (const batch of csvBatches(job, true)) for (const record of batch) {
      if (first) job.header = record;
      else job.rows.push(record);
      first = false;
    }
    job.uploads = [];
  }

  private async collectRest(job: IngestJob, header: string[]): Promise<void> {
    job.header = header;
    job.rows = [];
    let first = true;
    for await (const batch of csvBatches(job)) for (const record of batch) {
      if (!first) job.rows.push(record);
      first = false;
    }
  }

  private applyRow(job: IngestJob, def: ObjectDef, fields: Array<FieldDef | undefined>, record: string[], row: number): void {
    const { db, faults, identity, stats } = this.ctx;
    const ctx = { userId: identity.userId };
    let id = '';
    stats.bulkRowsProcessed++;
    try {
      if (record.length !== fields.length) {
        throw new SalesforceError('INVALID_FIELD', `The row has ${record.length} columns but the header has ${fields.length}`, []);
      }
      const values: Row = {};
      let rawId = '';
      let extValue = '';
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        const raw = record[i] ?? '';
        if (f.type === 'id') {
          rawId = raw.trim();
          continue;
        }
        if (job.externalIdFieldName && f.name === job.externalIdFieldName) extValue = raw;
        if (raw === '') continue;
        values[f.name] = convert(f, raw);
      }
      if (job.operation !== 'insert' && !(job.operation === 'upsert' && job.externalIdFieldName !== 'Id')) {
        if (!rawId) throw new SalesforceError('MISSING_ARGUMENT', `Id not specified in an ${job.operation} call`, []);
        const norm = normalizeId(rawId);
        if (!norm || norm.slice(0, 3) !== def.keyPrefix) {
          throw new SalesforceError('MALFORMED_ID', `${def.label} ID: id value of incorrect type: ${rawId}`, ['Id']);
        }
        id = norm;
      }
      if (faults.lockRow()) throw new SalesforceError('UNABLE_TO_LOCK_ROW', LOCK_ROW_MESSAGE, []);
      switch (job.operation) {
        case 'insert':
          id = db.insert(def.name, values, ctx);
          job.successes.push({ row, id, created: true });
          return;
        case 'update':
          db.update(def.name, id, values, ctx);
          job.successes.push({ row, id, created: false });
          return;
        case 'upsert': {
          const field = job.externalIdFieldName as string;
          if (field === 'Id' && !id) {
            id = db.insert(def.name, values, ctx);
            job.successes.push({ row, id, created: true });
            return;
          }
          if (field === 'Id') {
            db.update(def.name, id, values, ctx);
            job.successes.push({ row, id, created: false });
            return;
          }
          if (!extValue) throw new SalesforceError('MISSING_ARGUMENT', `${field} not specified`, [field]);
          delete values[field];
          const r = db.upsert(def.name, field, extValue, values, ctx);
          id = r.id;
          job.successes.push({ row, id, created: r.created });
          return;
        }
        case 'delete':
        case 'hardDelete': {
          if (!db.retrieve(def.name, id, ['Id'])) throw new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', []);
          db.delete(def.name, id, ctx);
          const hard = (db as unknown as { hardDelete?: (o: string, i: string) => void }).hardDelete;
          if (job.operation === 'hardDelete' && typeof hard === 'function') hard.call(db, def.name, id);
          job.successes.push({ row, id, created: false });
          return;
        }
      }
    } catch (e) {
      stats.bulkRowsFailed++;
      job.failures.push({ row, id, error: sfError(e) });
    }
  }
}

function headerOf(job: IngestJob): string[] {
  return job.header;
}

function* mapIter<T, U>(items: T[], fn: (t: T) => U): Generator<U> {
  for (const t of items) yield fn(t);
}

function* unprocessed(job: IngestJob): Generator<string[]> {
  const done = new Set<number>();
  for (const r of job.successes) done.add(r.row);
  for (const r of job.failures) done.add(r.row);
  for (let i = 0; i < job.rows.length; i++) if (!done.has(i)) yield job.rows[i];
}

function drain(req: Request): void {
  req.raw?.resume();
}

/** Salesforce fails a job whose data does not use the line ending the job declared. */
function checkLineEnding(job: IngestJob): string | undefined {
  const first = job.uploads[0];
  if (!first) return undefined;
  const nl = first.indexOf(10);
  if (nl < 0) return undefined;
  const crlf = nl > 0 && first[nl - 1] === 13;
  if (job.lineEnding === 'LF' && crlf) return 'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF';
  if (job.lineEnding === 'CRLF' && !crlf) return 'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is CRLF';
  return undefined;
}

/**
 * Parses the uploaded CSV in 1 MB slices and hands the records over a slice at a time (no
 * per-record promise), yielding to the event loop between slices so polls are answered.
 */
async function* csvBatches(job: IngestJob, autoLineEnding = false): AsyncGenerator<string[][]> {
  const parser = parse({
    delimiter: DELIMITERS[job.columnDelimiter],
    ...(autoLineEnding ? {} : { record_delimiter: job.lineEnding === 'CRLF' ? '\r\n' : '\n' }),
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true
  });
  let records: string[][] = [];
  let failure: unknown;
  let ended = false;
  parser.on('data', (r: string[]) => records.push(r));
  parser.on('error', (e) => (failure = e));
  parser.on('end', () => (ended = true));
  const take = (): string[][] => {
    const out = records;
    records = [];
    return out;
  };
  for (const buf of job.uploads) {
    for (let i = 0; i < buf.length; i += 1 << 20) {
      parser.write(buf.subarray(i, i + (1 << 20)));
      await yieldToEventLoop();
      if (failure) throw failure;
      yield take();
    }
  }
  parser.end();
  while (!ended && !failure) await yieldToEventLoop();
  if (failure) throw failure;
  yield take();
}
