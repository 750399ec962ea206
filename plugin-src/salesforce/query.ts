/**
 * Streaming SOQL: records page by page (queryMore) so a million rows never sit in memory at
 * once, and queries by chunks of ids (`WHERE Id IN (...)`) sized to stay under the request
 * length limit. Ids are validated before they are put in a query; string literals are escaped.
 * Nothing here splices user text into SOQL: callers pass conditions they composed themselves
 * (or one re-composed by soql-condition.ts).
 */
import { isSalesforceId, to18 } from '../domain/ids.js';

/** A page of query results as the REST API returns it. */
export interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/**
 * The part of a jsforce / @salesforce/core Connection this module uses (a Connection fits as is).
 * `query` must resolve to the FIRST page only, as jsforce does when autoFetch is off (its default).
 */
export interface QueryConnection {
  query(soql: string, options?: { maxFetch?: number; scanAll?: boolean }): PromiseLike<QueryPage<unknown>>;
  queryMore(locator: string, options?: { maxFetch?: number; scanAll?: boolean }): PromiseLike<QueryPage<unknown>>;
}

export interface QueryOptions {
  /** Include deleted and archived rows (queryAll). */
  scanAll?: boolean;
}

/** The pages of a query, one REST round trip each. */
export async function* queryPages<T>(conn: QueryConnection, soql: string, options: QueryOptions = {}): AsyncGenerator<T[]> {
  // maxFetch: jsforce would otherwise cut a page longer than 10 000 rows.
  const opts = { maxFetch: Number.MAX_SAFE_INTEGER, ...(options.scanAll ? { scanAll: true } : {}) };
  let page = await conn.query(soql, opts);
  for (;;) {
    const records = (page.records ?? []).map(stripAttributes) as T[];
    if (records.length > 0) yield records;
    if (page.done || !page.nextRecordsUrl) return;
    page = await conn.queryMore(page.nextRecordsUrl, opts);
  }
}

/** The records of a query one by one, paging with queryMore. */
export async function* queryRecords<T>(conn: QueryConnection, soql: string, options: QueryOptions = {}): AsyncGenerator<T> {
  for await (const page of queryPages<T>(conn, soql, options)) yield* page;
}

function stripAttributes<T>(record: T): T {
  if (record && typeof record === 'object' && 'attributes' in record) {
    const { attributes: _ignored, ...rest } = record as Record<string, unknown>;
    return rest as T;
  }
  return record;
}

/** Escapes a value for a SOQL string literal and quotes it. */
export function soqlString(value: string): string {
  const escaped = value.replace(/[\\'"\n\r\t\b\f]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return `\\${c}`;
    }
  });
  return `'${escaped}'`;
}

/** Thrown when a value that must be a record id is not one (it never reaches a query). */
export class InvalidIdError extends Error {
  public constructor(public readonly value: string) {
    super(`Not a Salesforce record id: "${value.slice(0, 40)}"`);
    this.name = 'InvalidIdError';
  }
}

/** A quoted 18-character id literal; throws InvalidIdError on anything that is not an id. */
export function soqlId(id: string): string {
  if (typeof id !== 'string' || !isSalesforceId(id)) throw new InvalidIdError(String(id));
  return `'${to18(id)}'`;
}

/** The query string of a REST GET is URL-encoded: `'` `,` and space take 3 characters each. */
function encodedLength(text: string): number {
  return encodeURIComponent(text).length;
}

export interface IdChunkQuery {
  /** Field list, e.g. `Id, OwnerId, AccountId`. Composed by the caller, never from user text. */
  select: string;
  from: string;
  /** The id field the chunk filters on (default `Id`). */
  idField?: string;
  /** An extra condition ANDed with the id filter, composed by the caller. */
  where?: string;
  /** Appended as is (e.g. `ORDER BY AccountId, Id`), composed by the caller. */
  orderBy?: string;
}

export interface IdChunkOptions extends QueryOptions {
  /** Most ids per query (default 500). */
  maxIds?: number;
  /** Budget for the URL-encoded query text (default 15 000; REST URIs stop at about 16 KB). */
  maxEncodedLength?: number;
}

/** Builds `SELECT ... FROM ... WHERE idField IN ('...') [AND (where)] [ORDER BY ...]` for ids. */
export function idChunkSoql(q: IdChunkQuery, ids: readonly string[]): string {
  const list = ids.map(soqlId).join(',');
  const filters = [`${q.idField ?? 'Id'} IN (${list})`];
  if (q.where) filters.push(`(${q.where})`);
  return `SELECT ${q.select} FROM ${q.from} WHERE ${filters.join(' AND ')}${q.orderBy ? ` ${q.orderBy}` : ''}`;
}

/** How many ids fit in one query under the budget. */
export function idsPerQuery(q: IdChunkQuery, options: IdChunkOptions = {}): number {
  const maxIds = options.maxIds ?? 500;
  const budget = options.maxEncodedLength ?? 15000;
  const base = encodedLength(idChunkSoql(q, []).replace('IN ()', 'IN ('));
  const perId = encodedLength("'001000000000000AAA',");
  const fit = Math.floor((budget - base) / perId);
  if (fit < 1) throw new Error(`The query on ${q.from} is too long to add even one id.`);
  return Math.max(1, Math.min(maxIds, fit));
}

/**
 * Splits ids into chunks that each fit one query. Every id is validated first (an invalid id
 * throws InvalidIdError before any query is sent for its chunk); duplicates within a chunk are dropped.
 */
export function chunkIds(ids: Iterable<string>, size: number): string[][] {
  const chunks: string[][] = [];
  let current = new Set<string>();
  for (const id of ids) {
    soqlId(id);
    current.add(to18(id));
    if (current.size >= size) {
      chunks.push([...current]);
      current = new Set();
    }
  }
  if (current.size > 0) chunks.push([...current]);
  return chunks;
}

/** The pages of a query by chunks of ids, one chunk after another (ids validated first). */
export async function* queryPagesByIds<T>(
  conn: QueryConnection,
  q: IdChunkQuery,
  ids: Iterable<string>,
  options: IdChunkOptions = {}
): AsyncGenerator<T[]> {
  const chunks = chunkIds(ids, idsPerQuery(q, options));
  for (const chunk of chunks) {
    yield* queryPages<T>(conn, idChunkSoql(q, chunk), options);
  }
}

/** The records of a query by chunks of ids. */
export async function* queryByIds<T>(conn: QueryConnection, q: IdChunkQuery, ids: Iterable<string>, options: IdChunkOptions = {}): AsyncGenerator<T> {
  for await (const page of queryPagesByIds<T>(conn, q, ids, options)) yield* page;
}

/** All records of a query by chunks of ids, collected (for bounded id lists, e.g. one planning chunk). */
export async function collectByIds<T>(conn: QueryConnection, q: IdChunkQuery, ids: Iterable<string>, options: IdChunkOptions = {}): Promise<T[]> {
  const out: T[] = [];
  for await (const page of queryPagesByIds<T>(conn, q, ids, options)) for (const r of page) out.push(r);
  return out;
}
