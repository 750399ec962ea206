/**
 * The local org's data: an in-memory store per object with Salesforce's platform behaviour
 * (required fields, types, picklists, unique and external ids, owner rules, validation
 * rules, formula fields, roll-up summaries, audit fields). REST, composite and Bulk API
 * all write through this class, so they share the behaviour.
 */
import type { Schema } from './schema.js';
import { SalesforceError } from './errors.js';
import { makeId } from '../domain/ids.js';

export interface Ctx {
  userId: string;
  now?: Date;
}

/** A record with canonical field-name case; Id in 18 characters. */
export type Row = Record<string, unknown>;

export interface ColumnMeta {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: ColumnMeta[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
  label?: string;
}

export interface QueryResult {
  totalSize: number;
  records: Row[];
  columns: ColumnMeta[];
  entityName: string;
  /** true when the SELECT list included Id (for `&columns=true`'s idSelected) */
  idSelected?: boolean;
}

export class Database {
  public readonly schema: Schema;
  public readonly orgId: string;

  public constructor(schema: Schema, opts: { orgId?: string } = {}) {
    this.schema = schema;
    this.orgId = opts.orgId ?? makeId('00D', 1, '0DB');
  }

  public insert(sobject: string, fields: Row, ctx: Ctx): string {
    void sobject; void fields; void ctx;
    throw new SalesforceError('UNKNOWN_EXCEPTION', 'not implemented yet');
  }

  public update(sobject: string, id: string, fields: Row, ctx: Ctx): void {
    void sobject; void id; void fields; void ctx;
    throw new SalesforceError('UNKNOWN_EXCEPTION', 'not implemented yet');
  }

  public upsert(sobject: string, extIdField: string, value: string, fields: Row, ctx: Ctx): { id: string; created: boolean } {
    void sobject; void extIdField; void value; void fields; void ctx;
    throw new SalesforceError('UNKNOWN_EXCEPTION', 'not implemented yet');
  }

  public delete(sobject: string, id: string, ctx: Ctx): void {
    void sobject; void id; void ctx;
    throw new SalesforceError('UNKNOWN_EXCEPTION', 'not implemented yet');
  }

  public retrieve(sobject: string, id: string, fields?: string[]): Row | undefined {
    void sobject; void id; void fields;
    return undefined;
  }

  public query(soql: string, opts: { includeDeleted?: boolean; userId?: string } = {}): QueryResult {
    void soql; void opts;
    throw new SalesforceError('UNKNOWN_EXCEPTION', 'not implemented yet');
  }

  public load(sobject: string, rows: Iterable<Row>): number {
    void sobject; void rows;
    return 0;
  }

  public recalculate(): void {}

  public count(sobject: string): number {
    void sobject;
    return 0;
  }
}
