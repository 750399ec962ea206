/**
 * Bulk API 2.0 query jobs: create (the SOQL is checked at once, as Salesforce does) →
 * UploadComplete → InProgress → JobComplete; results as CSV pages behind `Sforce-Locator`,
 * streamed so a million rows never become one string.
 */
import { Readable } from 'node:stream';
import { normalizeId } from '../../domain/ids.js';
import { SalesforceError } from '../errors.js';
import type { ColumnMeta, Row } from '../database.js';
import type { OrgContext } from '../http/context.js';
import { errorReply, json, noContent, readJsonObject, yieldToEventLoop, type Reply, type Request, type Router } from '../http/kit.js';
import { csvStream, delimiterOf, lineEndingOf, type ColumnDelimiter, type LineEnding } from './csv.js';
import { newJobId, pruneFinished, sfTimestamp, type JobState } from './ingest.js';

interface QueryJob {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  query: string;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  apiVersion: number;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  errorMessage?: string;
  header: string[];
  records: Row[];
  columns: ColumnMeta[];
  totalProcessingTime: number;
}

function info(job: QueryJob, full: boolean): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: job.apiVersion,
    jobType: 'V2Query',
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter
  };
  if (!full) return base;
  return {
    ...base,
    numberRecordsProcessed: job.state === 'JobComplete' ? job.records.length : 0,
    retries: 0,
    totalProcessingTime: job.totalProcessingTime,
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {})
  };
}

/** Flattens the SELECT list to CSV headers: `Id`, `Owner.Name`, `expr0`. */
function headersOf(columns: ColumnMeta[], prefix = ''): Array<{ header: string; path: string[] }> {
  const out: Array<{ header: string; path: string[] }> = [];
  for (const c of columns) {
    const name = prefix ? `${prefix}.${c.columnName}` : c.columnName;
    if (c.joinColumns && c.joinColumns.length > 0) {
      for (const j of headersOf(c.joinColumns, name)) out.push(j);
    } else {
      out.push({ header: name, path: name.split('.') });
    }
  }
  return out;
}

function valueAt(record: Row, path: string[]): unknown {
  let cur: unknown = record;
  for (const key of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return null;
    const obj = cur as Record<string, unknown>;
    cur = key in obj ? obj[key] : obj[Object.keys(obj).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key];
  }
  if (cur === null || cur === undefined) return '';
  if (typeof cur === 'object') return JSON.stringify(cur);
  return cur;
}

const encodeLocator = (offset: number): string => Buffer.from(String(offset)).toString('base64url');
const decodeLocator = (locator: string): number => {
  const n = Number(Buffer.from(locator, 'base64url').toString('utf8'));
  return Number.isInteger(n) && n >= 0 ? n : NaN;
};

export class QueryJobs {
  private readonly jobs = new Map<string, QueryJob>();

  public constructor(private readonly ctx: OrgContext) {}

  public register(router: Router): void {
    const J = '/services/data/v(?<version>\\d+\\.\\d)/jobs/query';
    const ID = '(?<id>[A-Za-z0-9]+)';
    router
      .add('POST', new RegExp(`^${J}$`), 'query.create', (req) => this.create(req))
      .add('GET', new RegExp(`^${J}$`), 'query.list', () => json(200, { done: true, records: [...this.jobs.values()].map((j) => info(j, false)), nextRecordsUrl: null }))
      .add('GET', new RegExp(`^${J}/${ID}$`), 'query.info', (req) => json(200, info(this.require(req), true)))
      .add('PATCH', new RegExp(`^${J}/${ID}$`), 'query.abort', (req) => this.abort(req))
      .add('DELETE', new RegExp(`^${J}/${ID}$`), 'query.delete', (req) => this.remove(req))
      .add('GET', new RegExp(`^${J}/${ID}/results$`), 'query.results', (req) => this.results(req));
  }

  private require(req: Request): QueryJob {
    const id = normalizeId(req.params.id);
    const job = id ? this.jobs.get(id) : undefined;
    if (!job) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', [], 404);
    return job;
  }

  private async create(req: Request): Promise<Reply> {
    const body = await readJsonObject(req);
    const operation = body.operation ?? 'query';
    if (operation !== 'query' && operation !== 'queryAll') {
      throw new SalesforceError('INVALIDJOB', `InvalidJob : Invalid operation: ${String(operation)}. Use query or queryAll`);
    }
    const soql = typeof body.query === 'string' ? body.query : '';
    if (!soql.trim()) throw new SalesforceError('INVALIDJOB', "InvalidJob : Required field 'query' is missing");
    // Salesforce checks the query when the job is created: a bad query never becomes a job.
    const result = this.ctx.db.query(soql, { includeDeleted: operation === 'queryAll', userId: this.ctx.identity.userId });
    if (result.records.some((r) => Object.values(r).some((v) => v !== null && typeof v === 'object' && 'records' in (v as object)))) {
      throw new SalesforceError('INVALIDJOB', 'InvalidJob : Nested queries (child relationship subqueries) are not supported in Bulk API 2.0 query jobs');
    }
    const now = sfTimestamp();
    const job: QueryJob = {
      id: newJobId(),
      operation,
      object: result.entityName,
      query: soql,
      lineEnding: lineEndingOf(body.lineEnding),
      columnDelimiter: delimiterOf(body.columnDelimiter),
      apiVersion: Number(req.params.version),
      createdById: this.ctx.identity.userId,
      createdDate: now,
      systemModstamp: now,
      state: 'UploadComplete',
      header: headersOf(result.columns).map((h) => h.header),
      records: result.records,
      columns: result.columns,
      totalProcessingTime: 0
    };
    this.jobs.set(job.id, job);
    pruneFinished(this.jobs);
    const failing = this.ctx.faults.takeJobFailure();
    const started = Date.now();
    setImmediate(() => {
      if (job.state !== 'UploadComplete') return;
      job.state = 'InProgress';
      job.systemModstamp = sfTimestamp();
      void yieldToEventLoop().then(() => {
        if (job.state !== 'InProgress') return;
        if (failing) {
          job.state = 'Failed';
          job.errorMessage = 'InternalServerError : The query job failed (fault injected by the local org). Run it again.';
          job.records = [];
        } else {
          job.state = 'JobComplete';
        }
        job.totalProcessingTime = Date.now() - started;
        job.systemModstamp = sfTimestamp();
      });
    });
    return json(200, info(job, false));
  }

  private async abort(req: Request): Promise<Reply> {
    const job = this.require(req);
    const body = await readJsonObject(req);
    if (body.state !== 'Aborted') return errorReply(400, 'INVALIDJOBSTATE', `InvalidJobState : Invalid state: ${String(body.state)}. Use Aborted.`);
    if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') {
      return errorReply(409, 'INVALIDJOBSTATE', `InvalidJobState : Job ${job.id} is ${job.state} and cannot be aborted.`);
    }
    job.state = 'Aborted';
    job.records = [];
    job.systemModstamp = sfTimestamp();
    return json(200, info(job, false));
  }

  private remove(req: Request): Reply {
    const job = this.require(req);
    if (job.state === 'UploadComplete' || job.state === 'InProgress') {
      return errorReply(400, 'INVALIDJOBSTATE', `InvalidJobState : Job ${job.id} is ${job.state}; abort it before deleting it.`);
    }
    this.jobs.delete(job.id);
    return noContent();
  }

  private results(req: Request): Reply {
    const job = this.require(req);
    if (job.state !== 'JobComplete') {
      return errorReply(400, 'INVALIDJOBSTATE', `InvalidJobState : Job ${job.id} is ${job.state}; results are available once it is JobComplete.`);
    }
    const locator = req.query.get('locator');
    const offset = locator && locator !== 'null' ? decodeLocator(locator) : 0;
    if (Number.isNaN(offset) || offset > job.records.length) {
      return errorReply(400, 'INVALID_LOCATOR', `Invalid locator: ${String(locator)}`);
    }
    const maxParam = req.query.get('maxRecords');
    const max = maxParam ? Number(maxParam) : this.ctx.limits.bulkQueryPageSize;
    if (!Number.isInteger(max) || max <= 0) return errorReply(400, 'INVALIDREQUEST', `maxRecords must be a positive integer: ${String(maxParam)}`);
    const end = Math.min(job.records.length, offset + max);
    const columns = headersOf(job.columns);
    const records = job.records;
    const rows = function* (): Generator<unknown[]> {
      for (let i = offset; i < end; i++) yield columns.map((c) => valueAt(records[i], c.path));
    };
    const stream = Readable.from(csvStream(job.header, rows(), job.columnDelimiter, job.lineEnding));
    return {
      status: 200,
      stream,
      headers: {
        'Content-Type': 'text/csv',
        'Sforce-Locator': end < job.records.length ? encodeLocator(end) : 'null',
        'Sforce-NumberOfRecords': String(end - offset)
      }
    };
  }
}
