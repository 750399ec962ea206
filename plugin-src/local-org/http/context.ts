/** What every handler of the local org shares. */
import type { Database, Row } from '../database.js';
import type { FaultController } from '../faults.js';
import type { OrgIdentity } from '../auth.js';
import { makeId } from '../../domain/ids.js';

export const LATEST_API_VERSION = '65.0';

export interface Limits {
  /** Bulk API 2.0 upload limit (Salesforce: 150 MB base64-encoded, i.e. ~112 MB raw). */
  maxUploadBytes: number;
  /** REST query batch size (2,000 like Salesforce). */
  queryBatchSize: number;
  /** Rows per internal bulk batch (10,000 like Salesforce). */
  bulkBatchSize: number;
  /** Default rows per bulk query result page when the client gives no maxRecords. */
  bulkQueryPageSize: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxUploadBytes: Math.floor((150 * 1024 * 1024 * 3) / 4),
  queryBatchSize: 2000,
  bulkBatchSize: 10_000,
  bulkQueryPageSize: 50_000
};

export class Stats {
  public readonly requests: Record<string, number> = {};
  public readonly statuses: Record<string, number> = {};
  public bulkRowsProcessed = 0;
  public bulkRowsFailed = 0;
  public readonly startedAt = new Date().toISOString();

  public count(route: string, status: number): void {
    this.requests[route] = (this.requests[route] ?? 0) + 1;
    this.statuses[String(status)] = (this.statuses[String(status)] ?? 0) + 1;
  }
}

interface Cursor {
  records: Row[];
  totalSize: number;
  touched: number;
}

/** Open query cursors behind `nextRecordsUrl` (`/query/01g...-2000`), least recently used dropped first. */
export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();
  private seq = 0;

  public constructor(
    private readonly max = 50,
    private readonly ttlMs = 15 * 60_000
  ) {}

  public open(records: Row[], totalSize: number): string {
    const id = makeId('01g', ++this.seq, 'LOC');
    this.cursors.set(id, { records, totalSize, touched: Date.now() });
    this.evict();
    return id;
  }

  public get(id: string): Cursor | undefined {
    const c = this.cursors.get(id);
    if (!c) return undefined;
    if (Date.now() - c.touched > this.ttlMs) {
      this.cursors.delete(id);
      return undefined;
    }
    c.touched = Date.now();
    this.cursors.delete(id);
    this.cursors.set(id, c);
    return c;
  }

  public close(id: string): void {
    this.cursors.delete(id);
  }

  private evict(): void {
    while (this.cursors.size > this.max) {
      const oldest = this.cursors.keys().next().value;
      if (oldest === undefined) break;
      this.cursors.delete(oldest);
    }
  }
}

export interface OrgContext {
  db: Database;
  identity: OrgIdentity;
  faults: FaultController;
  stats: Stats;
  cursors: QueryCursors;
  limits: Limits;
  /** Filled in once the server listens. */
  instanceUrl: string;
  /** Runs a sub-request through the router (composite). */
  dispatch?: (method: string, url: string, body: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: unknown; headers: Record<string, string> }>;
}
