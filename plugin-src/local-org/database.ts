/**
 * The local org's data: an in-memory store per object with Salesforce's platform behaviour
 * (required fields, types, picklists, unique and external ids, owner rules, validation
 * rules, formula fields, roll-up summaries, audit fields). REST, composite and Bulk API
 * all write through this class, so they share the behaviour.
 *
 * Storage: one Map<Id, row> per object; rows are plain objects of one shape per object
 * (built by a generated constructor), date-times stored as epoch ms. Indexes on reference
 * fields and unique fields are built on first use and then kept current.
 */
import type { FieldDef, ObjectDef, RollupDef, Schema } from './schema.js';
import { STAGE_PROBABILITY } from './schema.js';
import { SalesforceError } from './errors.js';
import { makeId, normalizeId } from '../domain/ids.js';
import { coerce, coerceTrusted, dateOf, toApi } from './platform/values.js';
import { evaluateFormula, type FormulaEnv, type Resolved } from './platform/formula.js';
import { executeQuery, type QueryOptions } from './soql/execute.js';

export type { QueryOptions } from './soql/execute.js';

export interface Ctx {
  userId: string;
  now?: Date;
  /**
   * The API's OwnerChangeOptions header (v45.0+): by default an owner change deletes the
   * account team (Account) and the opportunity team (Opportunity); these keep them.
   */
  ownerChangeOptions?: { keepAccountTeam?: boolean; keepSalesTeam?: boolean };
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

/** The part of the record id the database assigns (seeded ids use another, see makeId). */
export const DB_ID_INSTANCE = '0DB';

/** One object's storage. Exposed to the SOQL engine; not for other callers. */
export interface Table {
  def: ObjectDef;
  rows: Map<string, Row>;
  live: number;
  seq: number;
  autoSeq: number;
  /** stored (non-formula) fields, in shape order */
  stored: FieldDef[];
  make: () => Row;
  /** a copy of a row's stored fields (same shape) */
  clone: (row: Row) => Row;
  /** copies stored fields from one row onto another */
  assign: (target: Row, source: Row) => void;
  /** required-on-create fields */
  required: FieldDef[];
  /** fields by their canonical name */
  byName: Map<string, FieldDef>;
  /** unique fields */
  uniques: FieldDef[];
  /** fields derive() may set besides the input (restored on failure) */
  derived: string[];
  refIndex: Map<string, Map<string, Set<string>>>;
  uniqueIndex: Map<string, Map<string, string>>;
  /**
   * The table's ids in sorted order with each one's position in table order (built on the first
   * Id-range filter, dropped whenever a row is added or removed): `Id >= x AND Id <= y` reads
   * its rows without a scan, as Salesforce's primary key index does.
   */
  idOrder?: { ids: string[]; positions: Uint32Array };
  relationships: Map<string, FieldDef>;
  /** roll-up fields of other objects that summarise this one */
  rollupsOver: { parent: ObjectDef; field: FieldDef; rollup: RollupDef }[];
  formulas: FieldDef[];
  /** SUM/COUNT roll-ups, which start at 0 */
  zeroRollups: FieldDef[];
}

const NUMERIC = new Set(['double', 'currency', 'percent', 'int']);

/** Fields the platform sets from others (see derive()). */
const DERIVED: Record<string, string[]> = {
  Contact: ['Name'],
  Lead: ['Name'],
  User: ['Name'],
  Opportunity: ['IsClosed', 'IsWon', 'Probability', 'ForecastCategoryName', 'ExpectedRevenue'],
  Case: ['IsClosed', 'ClosedDate', 'CaseNumber'],
  Task: ['IsClosed', 'AccountId'],
  Event: ['IsClosed', 'AccountId', 'ActivityDate', 'ActivityDateTime', 'DurationInMinutes'],
  OpportunityLineItem: ['Product2Id', 'ListPrice', 'ProductCode', 'UnitPrice', 'TotalPrice', 'Name'],
  PricebookEntry: ['Name', 'ProductCode'],
  StaticResource: ['BodyLength']
};

function now(ctx: Ctx | undefined): number {
  return (ctx?.now ?? new Date()).getTime();
}

function rowConstructor(fields: FieldDef[]): () => Row {
  // One shape per object keeps 1M rows compact and property access fast.
  const body = fields
    .map((f) => `this[${JSON.stringify(f.name)}] = ${f.type === 'boolean' ? 'false' : 'null'};`)
    .join('\n');
  const Ctor = new Function(body) as unknown as new () => Row;
  return () => new Ctor();
}

function rowCloner(fields: FieldDef[]): (row: Row) => Row {
  const body = `return {${fields.map((f) => `${JSON.stringify(f.name)}: r[${JSON.stringify(f.name)}]`).join(', ')}};`;
  return new Function('r', body) as (row: Row) => Row;
}

function rowAssigner(fields: FieldDef[]): (target: Row, source: Row) => void {
  const body = fields.map((f) => `t[${JSON.stringify(f.name)}] = s[${JSON.stringify(f.name)}];`).join('\n');
  return new Function('t', 's', body) as (target: Row, source: Row) => void;
}

function uniqueKey(f: FieldDef, v: unknown): string {
  const s = String(v);
  return (f as FieldDef & { caseSensitive?: boolean }).caseSensitive ? s : s.toLowerCase();
}

export class Database {
  public readonly schema: Schema;
  public readonly orgId: string;
  private readonly tables = new Map<string, Table>();
  private schemaSignature = -1;
  /** tables by the exact name callers use, and by key prefix (cleared when the schema changes) */
  private readonly tablesByExactName = new Map<string, Table>();
  private readonly tablesByPrefix = new Map<string, Table>();
  /** Open transaction's undo entries (see transaction()); null when none is open. */
  public undoLog: (() => void)[] | null = null;
  /** How many rows the last query's WHERE looked at (shows whether an index was used). */
  public lastQueryScanned = 0;

  public constructor(schema: Schema, opts: { orgId?: string } = {}) {
    this.schema = schema;
    this.orgId = opts.orgId ? (normalizeId(opts.orgId) ?? opts.orgId) : makeId('00D', 1, DB_ID_INSTANCE);
  }

  // -------------------------------------------------------------------------------------
  // public API

  public insert(sobject: string, fields: Row, ctx: Ctx): string {
    const table = this.writableTable(sobject);
    if (table.def.createable === false) {
      throw new SalesforceError(
        'INVALID_TYPE',
        `entity type ${table.def.name} does not support insert`,
        [],
        400
      );
    }
    return this.transaction(() => this.save(table, undefined, fields, ctx));
  }

  public update(sobject: string, id: string, fields: Row, ctx: Ctx): void {
    const table = this.writableTable(sobject);
    const existing = this.existingRow(table, id);
    this.transaction(() => this.save(table, existing, fields, ctx));
  }

  public upsert(
    sobject: string,
    extIdField: string,
    value: string,
    fields: Row,
    ctx: Ctx
  ): { id: string; created: boolean } {
    const table = this.writableTable(sobject);
    const f = table.def.fields.get(extIdField.toLowerCase());
    if (!f) {
      throw new SalesforceError(
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${extIdField}`,
        [],
        404
      );
    }
    if (f.name !== 'Id' && !f.externalId && !(f.unique && f.type === 'string')) {
      throw new SalesforceError(
        'INVALID_FIELD',
        `Field ${f.name} is not an External ID or indexed field for ${table.def.name}`,
        [f.name]
      );
    }
    if (value === null || value === undefined || String(value) === '') {
      // An upsert on Id without an Id creates the record (as Bulk API and collections do).
      if (f.name === 'Id')
        return {
          id: this.transaction(() => this.save(table, undefined, this.withoutKey(fields, 'Id'), ctx)),
          created: true
        };
      throw new SalesforceError('MISSING_ARGUMENT', `${f.name} not specified`, [f.name]);
    }
    if (f.name === 'Id') {
      const id = normalizeId(String(value));
      const row = id ? table.rows.get(id) : undefined;
      if (!row || row.IsDeleted) {
        // Salesforce: an upsert on Id with an unknown Id is an error, not an insert.
        throw new SalesforceError(
          'NOT_FOUND',
          'Provided external ID field does not exist or is not accessible: Id',
          ['Id'],
          404
        );
      }
      this.transaction(() => this.save(table, row, this.withoutKey(fields, 'Id'), ctx));
      return { id: String(row.Id), created: false };
    }
    const matches = this.findBy(table, f, value);
    if (matches.length > 1) {
      throw new SalesforceError(
        'DUPLICATE_EXTERNAL_ID',
        `${f.label}: more than one record found for external id field: [${matches.map((r) => r.Id).join(', ')}]`,
        [f.name],
        300
      );
    }
    const body = this.withoutKey(fields, f.name);
    if (matches.length === 1) {
      const row = matches[0];
      this.transaction(() => this.save(table, row, body, ctx));
      return { id: String(row.Id), created: false };
    }
    const id = this.transaction(() => this.save(table, undefined, { ...body, [f.name]: value }, ctx));
    return { id, created: true };
  }

  public delete(sobject: string, id: string, ctx: Ctx): void {
    const table = this.writableTable(sobject);
    const row = this.existingRow(table, id);
    this.transaction(() => this.deleteRow(table, row, ctx, new Set()));
  }

  /**
   * Removes a record for good (Bulk API hardDelete, emptying the recycle bin): after
   * delete(), the row no longer shows in queryAll either.
   */
  public hardDelete(sobject: string, id: string): void {
    const table = this.writableTable(sobject);
    const id18 = normalizeId(id);
    if (!id18 || !table.rows.has(id18))
      throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [], 404);
    const row = table.rows.get(id18)!;
    this.transaction(() => {
      if (!row.IsDeleted)
        this.deleteRow(table, row, { userId: String(row.LastModifiedById ?? '') }, new Set());
      this.removeRow(table, id18);
    });
  }

  /** A record in REST shape (all fields, or the named ones), formulas computed; undefined if absent or deleted. */
  public retrieve(sobject: string, id: string, fields?: string[]): Row | undefined {
    const table = this.table(sobject);
    if (!table) return undefined;
    const id18 = normalizeId(id);
    const row = id18 ? table.rows.get(id18) : undefined;
    if (!row || row.IsDeleted) return undefined;
    const out: Row = {
      attributes: {
        type: table.def.name,
        url: `/services/data/v62.0/sobjects/${table.def.name}/${String(row.Id)}`
      }
    };
    const wanted = fields?.length
      ? fields.map((n) => {
          const f = table.def.fields.get(n.trim().toLowerCase());
          if (!f)
            throw new SalesforceError(
              'INVALID_FIELD',
              `No such column '${n.trim()}' on entity '${table.def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
              [],
              400
            );
          return f;
        })
      : [...table.def.fields.values()];
    for (const f of wanted) {
      if (f.type === 'address') continue;
      out[f.name] = toApi(f, this.fieldValue(table, row, f, 0));
    }
    return out;
  }

  public query(soql: string, opts: QueryOptions = {}): QueryResult {
    return executeQuery(this, soql, opts);
  }

  /**
   * Trusted bulk load for seeding and restoring: ids preset (assigned when absent), no
   * validation; system fields filled; derived fields (IsClosed, Name ...) computed.
   * Roll-ups are brought up to date by recalculate().
   */
  public load(sobject: string, rows: Iterable<Row>): number {
    const table = this.writableTable(sobject);
    const def = table.def;
    const fieldsByKey = new Map<string, FieldDef | null>();
    const defaultUser = this.firstUserId();
    const t = Date.now();
    let n = 0;
    const uniqueFields = [...table.uniqueIndex.keys()];
    const refFields = [...table.refIndex.keys()];
    for (const input of rows) {
      const row = table.make();
      for (const key of Object.keys(input)) {
        if (key === 'attributes') continue;
        let f = fieldsByKey.get(key);
        if (f === undefined) {
          f = def.fields.get(key.toLowerCase()) ?? null;
          if (f && f.calculated && !f.rollup) f = null;
          fieldsByKey.set(key, f);
        }
        if (f) row[f.name] = coerceTrusted(f, input[key]);
      }
      let id = row.Id as string | null;
      if (!id) {
        id = makeId(def.keyPrefix, ++table.seq, DB_ID_INSTANCE);
        row.Id = id;
      } else {
        if (id.length === 15) row.Id = id = normalizeId(id) ?? id;
        if (id.slice(3, 6) === DB_ID_INSTANCE) this.bumpSeq(table, id);
      }
      for (const f of table.zeroRollups) if (row[f.name] === null) row[f.name] = 0;
      if (row.CreatedDate === null) row.CreatedDate = t;
      if (row.LastModifiedDate === null) row.LastModifiedDate = row.CreatedDate;
      if (row.SystemModstamp === null) row.SystemModstamp = row.LastModifiedDate;
      if ('OwnerId' in row && row.OwnerId === null) row.OwnerId = defaultUser;
      if (row.CreatedById === null) row.CreatedById = (row.OwnerId as string | undefined) ?? defaultUser;
      if (row.LastModifiedById === null) row.LastModifiedById = row.CreatedById;
      this.derive(table, row, undefined, undefined, row.LastModifiedDate as number, true);
      const old = table.rows.get(id);
      if (old && !old.IsDeleted) table.live--;
      if (!old) table.idOrder = undefined;
      table.rows.set(id, row);
      if (!row.IsDeleted) table.live++;
      for (const fk of refFields)
        this.indexRef(
          table,
          fk,
          id,
          old?.[table.def.fields.get(fk)!.name],
          row[table.def.fields.get(fk)!.name]
        );
      for (const uk of uniqueFields) this.indexUnique(table, uk, id, old, row);
      n++;
    }
    return n;
  }

  /** Recomputes every roll-up summary from the children (after load()). Formulas are computed on read. */
  public recalculate(): void {
    this.refreshSchema();
    for (const parent of this.schema.objects.values()) {
      for (const f of parent.fields.values()) {
        if (!f.rollup) continue;
        const parentTable = this.table(parent.name);
        const childTable = this.table(f.rollup.summarizedObject);
        if (!parentTable || !childTable) continue;
        const fk = childTable.def.fields.get(f.rollup.foreignKey.toLowerCase());
        if (!fk) continue;
        const acc = new Map<string, { sum: number; count: number; min: unknown; max: unknown }>();
        const summarized = f.rollup.field
          ? childTable.def.fields.get(f.rollup.field.toLowerCase())
          : undefined;
        for (const child of childTable.rows.values()) {
          if (child.IsDeleted) continue;
          const pid = child[fk.name] as string | null;
          if (!pid) continue;
          if (!this.rollupFilterMatches(childTable, child, f.rollup)) continue;
          let a = acc.get(pid);
          if (!a) acc.set(pid, (a = { sum: 0, count: 0, min: null, max: null }));
          this.accumulate(a, f.rollup, summarized ? this.fieldValue(childTable, child, summarized, 0) : null);
        }
        for (const row of parentTable.rows.values()) {
          const a = acc.get(row.Id as string);
          row[f.name] = this.rollupResult(f.rollup, a);
        }
      }
    }
  }

  /** Live (not deleted) records of an object. */
  public count(sobject: string): number {
    return this.table(sobject)?.live ?? 0;
  }

  /** Stored rows (including deleted) in load()-compatible form, e.g. to persist the org. */
  public *export(sobject: string): Generator<Row> {
    const table = this.table(sobject);
    if (!table) return;
    for (const row of table.rows.values()) {
      const out: Row = {};
      for (const f of table.stored) out[f.name] = toApi(f, row[f.name]);
      yield out;
    }
  }

  /** Call after changing the schema in place (a deploy) unless schema.link() was called. */
  public invalidateSchema(): void {
    this.schemaSignature = -1;
    this.refreshSchema();
  }

  // -------------------------------------------------------------------------------------
  // internals shared with the SOQL engine

  /** The table of an object (created on first use), or undefined if the schema has no such object. */
  public table(sobject: string): Table | undefined {
    this.refreshSchema();
    return this.tableOf(sobject);
  }

  /** As table(), without checking the schema for changes (callers already did). */
  private tableOf(sobject: string): Table | undefined {
    const hit = this.tablesByExactName.get(sobject);
    if (hit) return hit;
    const key = sobject.toLowerCase();
    let t = this.tables.get(key);
    const def = this.schema.get(sobject);
    if (!def) return undefined;
    if (!t) {
      t = this.newTable(def);
      this.tables.set(key, t);
    } else if (t.def !== def) {
      this.reshape(t, def);
    }
    this.tablesByExactName.set(sobject, t);
    return t;
  }

  /** The row of an id in whichever object its key prefix names. */
  public lookup(id: string | null | undefined): { table: Table; row: Row } | undefined {
    if (!id) return undefined;
    const prefix = id.slice(0, 3);
    let table = this.tablesByPrefix.get(prefix);
    if (!table) {
      const def = this.schema.byKeyPrefix(prefix);
      if (!def) return undefined;
      table = this.tableOf(def.name);
      if (!table) return undefined;
      this.tablesByPrefix.set(prefix, table);
    }
    const row = table.rows.get(id.length === 15 ? (normalizeId(id) ?? id) : id);
    return row ? { table, row } : undefined;
  }

  /** Ids of rows whose reference field holds one of the values (index built on first use). */
  public idsByReference(table: Table, fieldName: string, values: Iterable<string>): string[] {
    const key = fieldName.toLowerCase();
    let idx = table.refIndex.get(key);
    if (!idx) idx = this.buildRefIndex(table, key);
    const out: string[] = [];
    for (const v of values) {
      const set = idx.get(v);
      if (set) for (const id of set) out.push(id);
    }
    return out;
  }

  /**
   * Rows (deleted ones too, as a scan sees them) whose Id lies in a range, in table order. Ids
   * compare as plain strings, as the SOQL engine compares them; `lo`/`hi` undefined = open.
   */
  public rowsInIdRange(table: Table, lo: string | undefined, loInclusive: boolean, hi: string | undefined, hiInclusive: boolean): Row[] {
    let order = table.idOrder;
    if (!order) {
      const ids = [...table.rows.keys()];
      let inOrder = true;
      for (let i = 1; i < ids.length && inOrder; i++) inOrder = ids[i - 1] < ids[i];
      if (inOrder) {
        // the usual case (ids are handed out in sequence): table order is id order
        order = { ids, positions: Uint32Array.from(ids.keys()) };
      } else {
        const byId = Array.from(ids.keys()).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
        order = { ids: byId.map((i) => ids[i]), positions: Uint32Array.from(byId) };
      }
      table.idOrder = order;
    }
    const { ids, positions } = order;
    // first index whose id is past the lower bound / past the upper bound
    const bound = (key: string, inclusive: boolean, upper: boolean): number => {
      let a = 0;
      let b = ids.length;
      while (a < b) {
        const m = (a + b) >>> 1;
        const before = upper ? (inclusive ? ids[m] <= key : ids[m] < key) : inclusive ? ids[m] < key : ids[m] <= key;
        if (before) a = m + 1;
        else b = m;
      }
      return a;
    };
    const from = lo === undefined ? 0 : bound(lo, loInclusive, false);
    const to = hi === undefined ? ids.length : bound(hi, hiInclusive, true);
    if (to <= from) return [];
    let sorted = true;
    for (let i = from + 1; i < to && sorted; i++) sorted = positions[i - 1] < positions[i];
    const picked = sorted ? Array.from({ length: to - from }, (_, k) => from + k) : Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => positions[a] - positions[b]);
    const out: Row[] = [];
    for (const i of picked) {
      const row = table.rows.get(ids[i]);
      if (row) out.push(row);
    }
    return out;
  }

  /** How many ids idsByReference() would return (no array built). */
  public countByReference(table: Table, fieldName: string, values: Iterable<string>): number {
    const key = fieldName.toLowerCase();
    const idx = table.refIndex.get(key) ?? this.buildRefIndex(table, key);
    let n = 0;
    for (const v of values) n += idx.get(v)?.size ?? 0;
    return n;
  }

  /** Ids of live rows whose unique field equals one of the values (case-insensitive unless the field is case-sensitive). */
  public idsByUnique(table: Table, f: FieldDef, values: Iterable<string>): string[] {
    const idx = table.uniqueIndex.get(f.name.toLowerCase()) ?? this.buildUniqueIndex(table, f);
    const out: string[] = [];
    for (const v of values) {
      const id = idx.get(uniqueKey(f, v));
      if (id) out.push(id);
    }
    return out;
  }

  /** The stored or computed value of a field of a row (formula fields evaluated). */
  public fieldValue(table: Table, row: Row, f: FieldDef, depth: number, userId?: string, at?: Date): unknown {
    if (f.formula) {
      if (depth > 10) return null;
      const res = evaluateFormula(
        f.formula,
        this.formulaEnv(table, row, undefined, false, depth + 1, userId, at),
        {
          blankAsZero: f.formulaTreatBlanksAs === 'BlankAsZero',
          target: f
        }
      );
      return res.ok ? res.value : null;
    }
    const v = row[f.name];
    return v === undefined ? (f.type === 'boolean' ? false : null) : v;
  }

  /** A field or relationship path (`Owner.Name`, `MDF_Budget__r.Remaining__c`) of a row. */
  public resolvePath(
    table: Table,
    row: Row | undefined,
    path: string,
    depth = 0,
    userId?: string,
    at?: Date
  ): Resolved {
    const parts = path.split('.');
    let t = table;
    let r = row;
    for (let i = 0; i < parts.length - 1; i++) {
      if (!r) return { value: null };
      const rel = t.relationships.get(parts[i].toLowerCase());
      if (!rel) return { value: null };
      const target = this.lookup(r[rel.name] as string | null);
      if (!target) return { value: null };
      t = target.table;
      r = target.row;
    }
    const f = t.def.fields.get(parts[parts.length - 1].toLowerCase());
    if (!f || !r) return { value: null, field: f };
    return { value: this.fieldValue(t, r, f, depth, userId, at), field: f };
  }

  // -------------------------------------------------------------------------------------
  // saving

  private writableTable(sobject: string): Table {
    const t = this.table(sobject);
    if (!t) {
      throw new SalesforceError('INVALID_TYPE', `sObject type '${sobject}' is not supported.`, [], 400);
    }
    return t;
  }

  private existingRow(table: Table, id: string): Row {
    const direct = id.length === 18 ? table.rows.get(id) : undefined;
    if (direct && !direct.IsDeleted) return direct;
    const id18 = normalizeId(id);
    if (!id18)
      throw new SalesforceError(
        'MALFORMED_ID',
        `${table.def.label} ID: id value of incorrect type: ${id}`,
        ['Id'],
        400
      );
    if (id18.slice(0, 3) !== table.def.keyPrefix) {
      throw new SalesforceError(
        'MALFORMED_ID',
        `${table.def.label} ID: id value of incorrect type: ${id}`,
        ['Id'],
        400
      );
    }
    const row = table.rows.get(id18);
    if (!row) throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [], 404);
    if (row.IsDeleted) throw new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', [], 404);
    return row;
  }

  private withoutKey(fields: Row, name: string): Row {
    const out: Row = {};
    for (const [k, v] of Object.entries(fields)) if (k.toLowerCase() !== name.toLowerCase()) out[k] = v;
    return out;
  }

  /**
   * Runs `fn` as one unit: if it throws, every change it made is undone. Nested calls are
   * savepoints: a failing inner call undoes only its own changes (so one failed record of
   * an allOrNone=false collection leaves the others), an outer failure undoes everything.
   */
  public transaction<T>(fn: () => T): T {
    const outer = this.undoLog;
    if (outer) {
      const mark = outer.length;
      try {
        return fn();
      } catch (e) {
        for (let i = outer.length - 1; i >= mark; i--) outer[i]();
        outer.length = mark;
        throw e;
      }
    }
    this.undoLog = [];
    try {
      const out = fn();
      this.undoLog = null;
      return out;
    } catch (e) {
      const log = this.undoLog ?? [];
      this.undoLog = null;
      for (let i = log.length - 1; i >= 0; i--) log[i]();
      throw e;
    }
  }

  /**
   * Inserts (existing undefined) or updates a row from API input; returns the id. Updates
   * change the stored row in place (a short-lived snapshot serves as the prior values and
   * for undo), which keeps the old generation of the heap quiet at 1M rows.
   */
  private save(table: Table, existing: Row | undefined, input: Row, ctx: Ctx, system = false): string {
    const def = table.def;
    const isNew = existing === undefined;
    const t = now(ctx);
    const changes = system ? input : this.normalizeInput(table, input, isNew);
    let row: Row;
    let before: Row | undefined;
    let saved: Row | undefined;
    if (existing) {
      row = existing;
      if (table.def.validationRules.length || table.rollupsOver.length) {
        before = table.clone(existing);
      } else {
        // Only the fields this save can touch are kept; `before` reads the rest from the row.
        saved = {};
        for (const name in changes) saved[name] = existing[name];
        for (const name of table.derived) saved[name] = existing[name];
        before = new Proxy(saved, {
          get: (target, key: string) => (key in target ? target[key] : existing[key]),
          has: () => true
        });
      }
    } else {
      row = table.make();
      this.applyDefaults(table, row, ctx, t);
    }
    try {
      for (const name in changes) row[name] = changes[name];

      // Required fields (on update: those the request touches).
      let missing: string[] | undefined;
      for (const f of table.required) {
        if ((isNew || f.name in changes) && (row[f.name] === null || row[f.name] === undefined))
          (missing ??= []).push(f.name);
      }
      if (missing)
        throw new SalesforceError(
          'REQUIRED_FIELD_MISSING',
          `Required fields are missing: [${missing.join(', ')}]`,
          missing
        );

      // References point at live records; owners are active users.
      for (const name in changes) {
        const f = table.byName.get(name);
        if (!f || f.type !== 'reference' || row[f.name] === null) continue;
        if (!system && before && before[f.name] === row[f.name]) continue;
        this.checkReference(table, f, row[f.name] as string);
      }

      this.derive(table, row, before, changes, t, false);
      row.LastModifiedDate = t;
      row.SystemModstamp = t;
      row.LastModifiedById = ctx.userId;
      if (isNew) {
        row.CreatedDate = t;
        row.CreatedById = ctx.userId;
        row.Id = makeId(def.keyPrefix, table.seq + 1, DB_ID_INSTANCE);
      }
      this.runValidationRules(table, row, before, ctx);
      this.checkUnique(table, row, before, changes);
    } catch (e) {
      if (existing && saved) Object.assign(existing, saved);
      else if (existing && before) table.assign(existing, before);
      throw e;
    }

    const id = row.Id as string;
    if (isNew) {
      table.seq++;
      const seqBefore = table.seq - 1;
      this.pushUndo(() => {
        table.seq = seqBefore;
      });
      this.putRow(table, id, row, undefined);
    } else {
      this.changedInPlace(table, id, row, before!, saved);
    }

    // Salesforce deletes the account/opportunity team when the owner changes through the API.
    if (before && before.OwnerId !== row.OwnerId) {
      if (def.name === 'Account' && !ctx.ownerChangeOptions?.keepAccountTeam)
        this.removeTeam('AccountTeamMember', 'AccountId', id);
      if (def.name === 'Opportunity' && !ctx.ownerChangeOptions?.keepSalesTeam)
        this.removeTeam('OpportunityTeamMember', 'OpportunityId', id);
    }
    if (table.rollupsOver.length) this.updateRollups(table, before, row, ctx);
    if (def.name === 'OpportunityLineItem')
      this.syncOpportunityAmount([before?.OpportunityId, row.OpportunityId], ctx);
    return id;
  }

  /** Maps API field names to canonical ones and values to stored form; enforces createable/updateable. */
  private normalizeInput(table: Table, input: Row, isNew: boolean): Row {
    const def = table.def;
    const out: Row = {};
    const readOnly: string[] = [];
    for (const key in input) {
      const value = input[key];
      if (key === 'attributes') continue;
      const lower = key.toLowerCase();
      if (lower === 'id') {
        if (isNew && value !== null && value !== undefined && value !== '') {
          throw new SalesforceError(
            'INVALID_FIELD_FOR_INSERT_UPDATE',
            `${def.name}: bad field names on insert/update call: Id`,
            ['Id']
          );
        }
        continue;
      }
      const f = def.fields.get(lower);
      const v = value;
      if (!f) {
        // Foreign key by external id: `Account.Ext__c` (Bulk) or `Account: {Ext__c: ..}` (REST).
        const dot = key.indexOf('.');
        const relName = dot > 0 ? key.slice(0, dot) : key;
        const rel = table.relationships.get(relName.toLowerCase());
        if (rel && (dot > 0 || (value !== null && typeof value === 'object'))) {
          out[rel.name] = this.resolveForeignKey(
            rel,
            dot > 0 ? { [key.slice(dot + 1)]: value } : (value as Row)
          );
          continue;
        }
        throw new SalesforceError('INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`, [
          key
        ]);
      }
      if (!(isNew ? f.createable : f.updateable)) {
        // Salesforce ignores a read-only field set to the value it already has only for Id; others fail.
        readOnly.push(f.name);
        continue;
      }
      out[f.name] = coerce(f, v, this.schema);
    }
    if (readOnly.length) {
      throw new SalesforceError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly
      );
    }
    return out;
  }

  private resolveForeignKey(rel: FieldDef, spec: Row): string | null {
    const entries = Object.entries(spec).filter(([k]) => k !== 'attributes');
    const typeName = (spec.attributes as { type?: string } | undefined)?.type ?? rel.referenceTo?.[0];
    const target = typeName ? this.tableOf(typeName) : undefined;
    if (!target || entries.length !== 1) {
      throw new SalesforceError(
        'INVALID_FIELD',
        `Foreign key external ID must name exactly one field for ${rel.relationshipName ?? rel.name}`,
        [rel.name]
      );
    }
    const [fieldName, value] = entries[0];
    if (value === null || value === '') return null;
    const f = target.def.fields.get(fieldName.toLowerCase());
    if (!f || (!f.externalId && f.name !== 'Id' && !f.unique)) {
      throw new SalesforceError(
        'INVALID_FIELD',
        `Field name provided, ${fieldName} is not an External ID or indexed field for ${target.def.name}`,
        [rel.name]
      );
    }
    if (f.name === 'Id') return normalizeId(String(value)) ?? String(value);
    const found = this.findBy(target, f, value);
    if (found.length === 0) {
      throw new SalesforceError(
        'INVALID_FIELD',
        `Foreign key external ID: ${String(value)} not found for field ${f.name} in entity ${target.def.name}`,
        [rel.name]
      );
    }
    if (found.length > 1) {
      throw new SalesforceError(
        'INVALID_FIELD',
        `Foreign key external ID: ${String(value)} matches more than one record for field ${f.name} in entity ${target.def.name}`,
        [rel.name]
      );
    }
    return found[0].Id as string;
  }

  /** Live rows whose field equals value (case-insensitive for text, as external ids are). */
  private findBy(table: Table, f: FieldDef, value: unknown): Row[] {
    const key = uniqueKey(f, coerceTrusted(f, value));
    if (f.unique || f.externalId) {
      let idx = table.uniqueIndex.get(f.name.toLowerCase());
      if (!idx && f.unique) idx = this.buildUniqueIndex(table, f);
      if (idx && f.unique) {
        const id = idx.get(key);
        const row = id ? table.rows.get(id) : undefined;
        return row && !row.IsDeleted ? [row] : [];
      }
    }
    const out: Row[] = [];
    for (const row of table.rows.values()) {
      if (
        !row.IsDeleted &&
        row[f.name] !== null &&
        row[f.name] !== undefined &&
        uniqueKey(f, row[f.name]) === key
      )
        out.push(row);
    }
    return out;
  }

  private applyDefaults(table: Table, row: Row, ctx: Ctx, t: number): void {
    for (const f of table.zeroRollups) row[f.name] = 0;
    for (const f of table.stored) {
      if (f.defaultPicklistValue !== undefined) row[f.name] = f.defaultPicklistValue;
      if (f.defaultValue === undefined) continue;
      const dv = f.defaultValue;
      if (dv !== null && typeof dv === 'object' && 'formula' in dv) {
        const formula = String((dv as { formula: string }).formula);
        if (/^TODAY\(\)$/i.test(formula)) row[f.name] = dateOf(t);
        else if (/^NOW\(\)$/i.test(formula)) row[f.name] = t;
        else {
          const res = evaluateFormula(
            formula,
            { resolve: () => ({ value: null }), isNew: true, now: new Date(t), userId: ctx.userId },
            { target: f }
          );
          if (res.ok)
            row[f.name] =
              f.type === 'datetime' && typeof res.value === 'string' ? Date.parse(res.value) : res.value;
        }
      } else {
        row[f.name] = dv;
      }
    }
    if (table.def.fields.has('ownerid')) row.OwnerId = ctx.userId;
  }

  private checkReference(table: Table, f: FieldDef, id: string): void {
    const found = this.lookup(id);
    if (f.name === 'OwnerId') {
      if (!found || found.row.IsDeleted || found.row.IsActive === false) {
        throw new SalesforceError(
          'INACTIVE_OWNER_OR_USER',
          `operation performed with inactive user [${id}] as owner of [${table.def.name.toLowerCase()}]`,
          ['OwnerId']
        );
      }
      return;
    }
    if (!found)
      throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', `${f.label}: invalid cross reference id`, [
        f.name
      ]);
    if (found.row.IsDeleted) throw new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', [f.name]);
    if (
      found.table.def.name === 'User' &&
      found.row.IsActive === false &&
      (table.def.name === 'AccountTeamMember' || table.def.name === 'OpportunityTeamMember')
    ) {
      throw new SalesforceError(
        'INACTIVE_OWNER_OR_USER',
        `operation performed with inactive user [${id}] as owner of [${table.def.name.toLowerCase()}]`,
        [f.name]
      );
    }
  }

  /** Fields Salesforce computes: names, closed flags, probability, activity account, line totals, auto numbers. */
  private derive(
    table: Table,
    row: Row,
    existing: Row | undefined,
    changes: Row | undefined,
    t: number,
    trusted: boolean
  ): void {
    const name = table.def.name;
    const touched = (f: string): boolean => !changes || f in changes;
    if (
      (name === 'Contact' || name === 'Lead' || name === 'User') &&
      (!trusted || row.Name === null || row.Name === undefined)
    ) {
      if (touched('FirstName') || touched('LastName') || !existing) {
        row.Name =
          [row.FirstName, row.LastName].filter((x) => x !== null && x !== undefined && x !== '').join(' ') ||
          null;
      }
    }
    switch (name) {
      case 'Opportunity': {
        const stage = row.StageName as string | null;
        row.IsClosed = stage === 'Closed Won' || stage === 'Closed Lost' || /^Closed/.test(stage ?? '');
        row.IsWon = stage === 'Closed Won';
        if (
          stage &&
          (!existing || existing.StageName !== stage) &&
          !(changes && 'Probability' in changes) &&
          (!trusted || row.Probability === null)
        ) {
          const p = STAGE_PROBABILITY[stage];
          if (p !== undefined) row.Probability = p;
        }
        if (
          stage &&
          (!existing || existing.StageName !== stage) &&
          !(changes && 'ForecastCategoryName' in changes) &&
          (!trusted || row.ForecastCategoryName === null)
        ) {
          row.ForecastCategoryName = row.IsWon
            ? 'Closed'
            : row.IsClosed
              ? 'Omitted'
              : (row.Probability as number) >= 70
                ? 'Commit'
                : 'Pipeline';
        }
        row.ExpectedRevenue =
          row.Amount !== null && row.Probability !== null
            ? Math.round((row.Amount as number) * (row.Probability as number)) / 100
            : null;
        break;
      }
      case 'Case': {
        const closed = row.Status === 'Closed';
        if (closed && !row.IsClosed) row.ClosedDate = row.ClosedDate ?? t;
        if (!closed) row.ClosedDate = null;
        row.IsClosed = closed;
        if (!row.CaseNumber) row.CaseNumber = String(++table.autoSeq).padStart(8, '0');
        break;
      }
      case 'Task':
        row.IsClosed = row.Status === 'Completed';
        this.deriveActivityAccount(row);
        break;
      case 'Event':
        row.IsClosed =
          row.Status === 'Completed' || (typeof row.EndDateTime === 'number' && row.EndDateTime < t);
        if (row.StartDateTime !== null && row.ActivityDate === null)
          row.ActivityDate = dateOf(row.StartDateTime as number);
        if (row.StartDateTime !== null && row.ActivityDateTime === null)
          row.ActivityDateTime = row.StartDateTime;
        if (row.StartDateTime !== null && row.EndDateTime !== null && row.DurationInMinutes === null) {
          row.DurationInMinutes = Math.round(
            ((row.EndDateTime as number) - (row.StartDateTime as number)) / 60000
          );
        }
        this.deriveActivityAccount(row);
        break;
      case 'OpportunityLineItem': {
        if (row.PricebookEntryId && (!trusted || row.Product2Id === null)) {
          const pbe = this.lookup(row.PricebookEntryId as string)?.row;
          if (pbe) {
            row.Product2Id = row.Product2Id ?? pbe.Product2Id;
            row.ListPrice = pbe.UnitPrice;
            row.ProductCode = pbe.ProductCode;
            if (row.UnitPrice === null && row.TotalPrice === null) row.UnitPrice = pbe.UnitPrice;
          }
        }
        const q = row.Quantity as number | null;
        if (changes && 'TotalPrice' in changes && !('UnitPrice' in changes) && q)
          row.UnitPrice = (row.TotalPrice as number) / q;
        else if (row.UnitPrice !== null && q !== null)
          row.TotalPrice = Math.round((row.UnitPrice as number) * q * 100) / 100;
        if (!trusted || row.Name === null) {
          const opp = this.lookup(row.OpportunityId as string)?.row;
          const prod = this.lookup(row.Product2Id as string)?.row;
          row.Name = [opp?.Name, prod?.Name].filter(Boolean).join(' ') || null;
        }
        break;
      }
      case 'PricebookEntry':
        if (row.Product2Id && (!trusted || row.Name === null)) {
          const prod = this.lookup(row.Product2Id as string)?.row;
          if (prod) {
            row.Name = prod.Name;
            row.ProductCode = prod.ProductCode;
          }
        }
        break;
      case 'StaticResource':
        row.BodyLength = typeof row.Body === 'string' ? Buffer.byteLength(row.Body) : 0;
        break;
      default:
        break;
    }
    // Custom auto-number fields (Name of auto-numbered custom objects, ...).
    if (table.def.custom) {
      for (const f of table.stored) {
        if (!f.autoNumber || (row[f.name] !== null && row[f.name] !== undefined)) continue;
        const seq = ++table.autoSeq;
        const fmt = f.displayFormat ?? '{0}';
        const d = new Date(t);
        row[f.name] = fmt
          .replace(/\{(0+)\}/, (_m, zeros: string) => String(seq).padStart(zeros.length, '0'))
          .replace('{YYYY}', String(d.getUTCFullYear()))
          .replace('{YY}', String(d.getUTCFullYear()).slice(2))
          .replace('{MM}', String(d.getUTCMonth() + 1).padStart(2, '0'))
          .replace('{DD}', String(d.getUTCDate()).padStart(2, '0'));
      }
    }
  }

  private deriveActivityAccount(row: Row): void {
    let account: unknown = null;
    const what = this.lookup(row.WhatId as string | null);
    if (what) account = what.table.def.name === 'Account' ? what.row.Id : (what.row.AccountId ?? null);
    if (!account) {
      const who = this.lookup(row.WhoId as string | null);
      if (who && who.table.def.name === 'Contact') account = who.row.AccountId ?? null;
    }
    row.AccountId = account;
  }

  private formulaEnv(
    table: Table,
    row: Row,
    prior: Row | undefined,
    isNew: boolean,
    depth: number,
    userId?: string,
    at?: Date
  ): FormulaEnv {
    return {
      resolve: (path) => this.resolvePath(table, row, path, depth, userId, at),
      prior: prior ? (path) => this.resolvePath(table, prior, path, depth, userId, at) : undefined,
      isNew,
      userId,
      now: at ?? new Date()
    };
  }

  private runValidationRules(table: Table, row: Row, existing: Row | undefined, ctx: Ctx): void {
    for (const rule of table.def.validationRules) {
      if (!rule.active) continue;
      const res = evaluateFormula(
        rule.errorConditionFormula,
        this.formulaEnv(table, row, existing, !existing, 1, ctx.userId, ctx.now)
      );
      if (res.ok && res.value === true) {
        const field = rule.errorDisplayField
          ? (table.def.fields.get(rule.errorDisplayField.toLowerCase())?.name ?? rule.errorDisplayField)
          : undefined;
        throw new SalesforceError(
          'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          rule.errorMessage,
          field ? [field] : []
        );
      }
    }
  }

  private checkUnique(table: Table, row: Row, existing: Row | undefined, changes: Row): void {
    for (const f of table.uniques) {
      if (existing && !(f.name in changes)) continue;
      const v = row[f.name];
      if (v === null || v === undefined) continue;
      let idx = table.uniqueIndex.get(f.name.toLowerCase());
      if (!idx) idx = this.buildUniqueIndex(table, f);
      const other = idx.get(uniqueKey(f, v));
      if (other && other !== row.Id) {
        throw new SalesforceError(
          'DUPLICATE_VALUE',
          `duplicate value found: ${f.name} duplicates value on record with id: ${other}`,
          [f.name]
        );
      }
    }
  }

  // -------------------------------------------------------------------------------------
  // storage primitives (all undoable inside a transaction)

  private pushUndo(fn: () => void): void {
    this.undoLog?.push(fn);
  }

  private putRow(table: Table, id: string, row: Row, old: Row | undefined): void {
    if (!old) table.idOrder = undefined;
    table.rows.set(id, row);
    const liveDelta = (row.IsDeleted ? 0 : 1) - (old && !old.IsDeleted ? 1 : 0);
    table.live += liveDelta;
    this.reindex(table, id, old, row);
    this.pushUndo(() => {
      if (old) table.rows.set(id, old);
      else {
        table.rows.delete(id);
        table.idOrder = undefined;
      }
      table.live -= liveDelta;
      this.reindex(table, id, row, old);
    });
  }

  /** Bookkeeping after a row was changed in place from `before`: indexes, live count, undo. */
  private changedInPlace(table: Table, id: string, row: Row, before: Row, saved?: Row): void {
    const liveDelta = (row.IsDeleted ? 0 : 1) - (before.IsDeleted ? 0 : 1);
    table.live += liveDelta;
    if (table.refIndex.size || table.uniqueIndex.size) this.reindex(table, id, before, row);
    if (this.undoLog) {
      const restore = saved ? { ...saved } : table.clone(before);
      this.undoLog.push(() => {
        const current = table.clone(row);
        if (saved) Object.assign(row, restore);
        else table.assign(row, restore);
        table.live -= liveDelta;
        if (table.refIndex.size || table.uniqueIndex.size) this.reindex(table, id, current, row);
      });
    }
  }

  private removeRow(table: Table, id: string): void {
    const old = table.rows.get(id);
    if (!old) return;
    table.rows.delete(id);
    table.idOrder = undefined;
    if (!old.IsDeleted) table.live--;
    this.reindex(table, id, old, undefined);
    this.pushUndo(() => {
      table.rows.set(id, old);
      table.idOrder = undefined;
      if (!old.IsDeleted) table.live++;
      this.reindex(table, id, undefined, old);
    });
  }

  private reindex(table: Table, id: string, before: Row | undefined, after: Row | undefined): void {
    for (const key of table.refIndex.keys()) {
      const name = table.def.fields.get(key)?.name;
      if (!name) continue;
      const a = before?.[name];
      const b = after?.[name];
      if (a !== b || !before || !after) this.indexRef(table, key, id, a, b);
    }
    for (const key of table.uniqueIndex.keys()) this.indexUnique(table, key, id, before, after);
  }

  private indexRef(table: Table, key: string, id: string, before: unknown, after: unknown): void {
    const idx = table.refIndex.get(key);
    if (!idx) return;
    if (before !== null && before !== undefined) {
      const set = idx.get(before as string);
      if (set) {
        set.delete(id);
        if (set.size === 0) idx.delete(before as string);
      }
    }
    if (after !== null && after !== undefined) {
      let set = idx.get(after as string);
      if (!set) idx.set(after as string, (set = new Set()));
      set.add(id);
    }
  }

  private indexUnique(
    table: Table,
    key: string,
    id: string,
    before: Row | undefined,
    after: Row | undefined
  ): void {
    const idx = table.uniqueIndex.get(key);
    const f = table.def.fields.get(key);
    if (!idx || !f) return;
    const a = before && !before.IsDeleted ? before[f.name] : null;
    const b = after && !after.IsDeleted ? after[f.name] : null;
    if (a !== null && a !== undefined) {
      const k = uniqueKey(f, a);
      if (idx.get(k) === id) idx.delete(k);
    }
    if (b !== null && b !== undefined) idx.set(uniqueKey(f, b), id);
  }

  private buildRefIndex(table: Table, key: string): Map<string, Set<string>> {
    const f = table.def.fields.get(key);
    const idx = new Map<string, Set<string>>();
    table.refIndex.set(key, idx);
    if (!f) return idx;
    for (const [id, row] of table.rows) {
      const v = row[f.name] as string | null | undefined;
      if (v === null || v === undefined) continue;
      let set = idx.get(v);
      if (!set) idx.set(v, (set = new Set()));
      set.add(id);
    }
    return idx;
  }

  private buildUniqueIndex(table: Table, f: FieldDef): Map<string, string> {
    const idx = new Map<string, string>();
    table.uniqueIndex.set(f.name.toLowerCase(), idx);
    for (const [id, row] of table.rows) {
      if (row.IsDeleted) continue;
      const v = row[f.name];
      if (v !== null && v !== undefined) idx.set(uniqueKey(f, v), id);
    }
    return idx;
  }

  private bumpSeq(table: Table, id: string): void {
    const body = id.slice(6, 15);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let n = 0;
    for (const ch of body) n = n * 62 + alphabet.indexOf(ch);
    if (n > table.seq) table.seq = n;
  }

  private firstUserId(): string | null {
    const users = this.tableOf('User');
    if (!users) return null;
    for (const row of users.rows.values())
      if (!row.IsDeleted && row.IsActive !== false) return row.Id as string;
    return null;
  }

  // -------------------------------------------------------------------------------------
  // side effects: teams, roll-ups, cascade deletes

  private removeTeam(teamObject: string, parentField: string, parentId: string): void {
    const team = this.tableOf(teamObject);
    if (!team || team.rows.size === 0) return;
    for (const id of this.idsByReference(team, parentField, [parentId])) this.removeRow(team, id);
  }

  private updateRollups(child: Table, before: Row | undefined, after: Row | undefined, ctx: Ctx): void {
    for (const { parent, field, rollup } of child.rollupsOver) {
      const fk = child.def.fields.get(rollup.foreignKey.toLowerCase());
      if (!fk) continue;
      const parentIds = new Set<string>();
      for (const r of [before, after]) {
        const v = r?.[fk.name];
        if (typeof v === 'string') parentIds.add(v);
      }
      const parentTable = this.tableOf(parent.name);
      if (!parentTable) continue;
      for (const pid of parentIds) {
        const prow = parentTable.rows.get(pid);
        if (!prow || prow.IsDeleted) continue;
        const value = this.computeRollup(child, fk, pid, rollup);
        if (value === prow[field.name]) continue;
        // A roll-up change is a save of the parent: its validation rules and its own roll-ups run.
        this.save(parentTable, prow, { [field.name]: value }, ctx, true);
      }
    }
  }

  /**
   * An opportunity with products takes its Amount from them (sum of TotalPrice), and
   * HasOpportunityLineItem says whether it has any; kept current on line-item writes.
   */
  private syncOpportunityAmount(oppIds: unknown[], ctx: Ctx): void {
    const opps = this.tableOf('Opportunity');
    const items = this.tableOf('OpportunityLineItem');
    if (!opps || !items) return;
    for (const oppId of new Set(oppIds.filter((x): x is string => typeof x === 'string'))) {
      const opp = opps.rows.get(oppId);
      if (!opp || opp.IsDeleted) continue;
      let sum = 0;
      let n = 0;
      for (const id of this.idsByReference(items, 'OpportunityId', [oppId])) {
        const li = items.rows.get(id);
        if (!li || li.IsDeleted) continue;
        n++;
        sum += Number(li.TotalPrice ?? 0);
      }
      const changes: Row = { HasOpportunityLineItem: n > 0 };
      if (n > 0) changes.Amount = Math.round(sum * 100) / 100;
      if (
        opp.HasOpportunityLineItem === changes.HasOpportunityLineItem &&
        (n === 0 || opp.Amount === changes.Amount)
      )
        continue;
      this.save(opps, opp, changes, ctx, true);
    }
  }

  private computeRollup(child: Table, fk: FieldDef, parentId: string, rollup: RollupDef): unknown {
    const summarized = rollup.field ? child.def.fields.get(rollup.field.toLowerCase()) : undefined;
    const a = { sum: 0, count: 0, min: null as unknown, max: null as unknown };
    for (const id of this.idsByReference(child, fk.name, [parentId])) {
      const row = child.rows.get(id);
      if (!row || row.IsDeleted) continue;
      if (!this.rollupFilterMatches(child, row, rollup)) continue;
      this.accumulate(a, rollup, summarized ? this.fieldValue(child, row, summarized, 0) : null);
    }
    return this.rollupResult(rollup, a);
  }

  private accumulate(
    a: { sum: number; count: number; min: unknown; max: unknown },
    rollup: RollupDef,
    v: unknown
  ): void {
    if (rollup.operation === 'count') {
      a.count++;
      return;
    }
    if (v === null || v === undefined) return;
    a.count++;
    if (typeof v === 'number') a.sum += v;
    if (a.min === null || (v as number) < (a.min as number)) a.min = v;
    if (a.max === null || (v as number) > (a.max as number)) a.max = v;
  }

  private rollupResult(
    rollup: RollupDef,
    a: { sum: number; count: number; min: unknown; max: unknown } | undefined
  ): unknown {
    switch (rollup.operation) {
      case 'count':
        return a?.count ?? 0;
      case 'sum':
        return a ? Math.round(a.sum * 1e6) / 1e6 : 0;
      case 'min':
        return a?.min ?? null;
      case 'max':
        return a?.max ?? null;
      default:
        return null;
    }
  }

  private rollupFilterMatches(child: Table, row: Row, rollup: RollupDef): boolean {
    if (!rollup.filters?.length) return true;
    for (const filter of rollup.filters) {
      const f = child.def.fields.get(filter.field.toLowerCase());
      if (!f) return false;
      const v = this.fieldValue(child, row, f, 0);
      if (!filterHolds(f, v, filter.operation, filter.value)) return false;
    }
    return true;
  }

  private deleteRow(table: Table, row: Row, ctx: Ctx, seen: Set<string>): void {
    const id = row.Id as string;
    if (seen.has(id)) return;
    seen.add(id);
    const t = now(ctx);
    const before = table.clone(row);
    row.IsDeleted = true;
    row.LastModifiedDate = t;
    row.SystemModstamp = t;
    row.LastModifiedById = ctx.userId;
    this.changedInPlace(table, id, row, before);
    // Children: master-detail and cascading lookups go too; other lookups are cleared.
    for (const rel of table.def.childRelationships) {
      const childTable = this.tableOf(rel.childSObject);
      if (!childTable || childTable.rows.size === 0) continue;
      const ids = this.idsByReference(childTable, rel.field, [id]);
      for (const cid of ids) {
        const child = childTable.rows.get(cid);
        if (!child || child.IsDeleted) continue;
        if (childTable.def.name === 'AccountTeamMember' || childTable.def.name === 'OpportunityTeamMember') {
          this.removeRow(childTable, cid);
        } else if (rel.cascadeDelete) {
          this.deleteRow(childTable, child, ctx, seen);
        } else {
          const f = childTable.def.fields.get(rel.field.toLowerCase());
          if (!f || f.required) continue;
          const childBefore = childTable.clone(child);
          child[f.name] = null;
          this.changedInPlace(childTable, cid, child, childBefore);
        }
      }
    }
    if (table.rollupsOver.length) this.updateRollups(table, before, undefined, ctx);
    if (table.def.name === 'OpportunityLineItem') this.syncOpportunityAmount([row.OpportunityId], ctx);
  }

  // -------------------------------------------------------------------------------------
  // schema bookkeeping

  private refreshSchema(): void {
    const sig = this.schema.version * 4096 + this.schema.objects.size;
    if (sig === this.schemaSignature) return;
    this.schemaSignature = sig;
    this.tablesByExactName.clear();
    this.tablesByPrefix.clear();
    for (const [key, t] of this.tables) {
      const def = this.schema.get(key);
      if (def) this.reshape(t, def);
    }
    for (const t of this.tables.values()) t.rollupsOver = this.rollupsOver(t.def);
  }

  private newTable(def: ObjectDef): Table {
    const t: Table = {
      def,
      rows: new Map(),
      live: 0,
      seq: 0,
      autoSeq: 0,
      stored: [],
      make: () => ({}),
      clone: (r) => ({ ...r }),
      assign: (a, b) => void Object.assign(a, b),
      required: [],
      byName: new Map(),
      uniques: [],
      derived: [],
      refIndex: new Map(),
      uniqueIndex: new Map(),
      relationships: new Map(),
      rollupsOver: [],
      formulas: [],
      zeroRollups: []
    };
    this.reshape(t, def);
    t.rollupsOver = this.rollupsOver(def);
    return t;
  }

  private reshape(t: Table, def: ObjectDef): void {
    t.def = def;
    t.stored = [...def.fields.values()].filter((f) => !f.formula && f.type !== 'address');
    t.formulas = [...def.fields.values()].filter((f) => Boolean(f.formula));
    t.zeroRollups = t.stored.filter(
      (f) => f.rollup && (f.rollup.operation === 'sum' || f.rollup.operation === 'count')
    );
    t.make = rowConstructor(t.stored);
    t.clone = rowCloner(t.stored);
    t.assign = rowAssigner(t.stored);
    t.required = t.stored.filter((f) => f.required);
    t.byName = new Map(t.stored.map((f) => [f.name, f]));
    t.uniques = t.stored.filter((f) => f.unique);
    t.derived = [
      ...(DERIVED[def.name] ?? []),
      ...t.stored.filter((f) => f.autoNumber || f.rollup).map((f) => f.name),
      'LastModifiedDate',
      'SystemModstamp',
      'LastModifiedById',
      'IsDeleted'
    ].filter((n) => t.byName.has(n));
    t.relationships = new Map();
    for (const f of def.fields.values()) {
      if (f.type === 'reference' && f.relationshipName)
        t.relationships.set(f.relationshipName.toLowerCase(), f);
    }
    for (const key of [...t.refIndex.keys()]) if (!def.fields.has(key)) t.refIndex.delete(key);
    for (const key of [...t.uniqueIndex.keys()]) if (!def.fields.has(key)) t.uniqueIndex.delete(key);
  }

  private rollupsOver(child: ObjectDef): Table['rollupsOver'] {
    const out: Table['rollupsOver'] = [];
    for (const parent of this.schema.objects.values()) {
      for (const f of parent.fields.values()) {
        if (f.rollup && f.rollup.summarizedObject.toLowerCase() === child.name.toLowerCase())
          out.push({ parent, field: f, rollup: f.rollup });
      }
    }
    return out;
  }
}

/** A roll-up summary filter item on a child value. */
export function filterHolds(f: FieldDef, v: unknown, op: string, raw: string | undefined): boolean {
  const values = (raw ?? '').split(',').map((s) => s.trim());
  const cmp = (x: string): number => {
    if (NUMERIC.has(f.type)) return (Number(v) || 0) - Number(x);
    if (f.type === 'boolean') return (v ? 1 : 0) - (x.toLowerCase() === 'true' ? 1 : 0);
    const s = v === null || v === undefined ? '' : String(v);
    return s.localeCompare(x);
  };
  const isBlank = v === null || v === undefined || v === '';
  switch (op) {
    case 'equals':
      if (raw === undefined || raw === '') return isBlank;
      return (
        !isBlank &&
        values.some((x) =>
          f.type === 'boolean' || NUMERIC.has(f.type)
            ? cmp(x) === 0
            : String(v).toLowerCase() === x.toLowerCase()
        )
      );
    case 'notEqual':
      if (raw === undefined || raw === '') return !isBlank;
      return (
        isBlank ||
        !values.some((x) =>
          f.type === 'boolean' || NUMERIC.has(f.type)
            ? cmp(x) === 0
            : String(v).toLowerCase() === x.toLowerCase()
        )
      );
    case 'lessThan':
      return !isBlank && cmp(values[0]) < 0;
    case 'greaterThan':
      return !isBlank && cmp(values[0]) > 0;
    case 'lessOrEqual':
      return !isBlank && cmp(values[0]) <= 0;
    case 'greaterOrEqual':
      return !isBlank && cmp(values[0]) >= 0;
    case 'contains':
      return !isBlank && values.some((x) => String(v).toLowerCase().includes(x.toLowerCase()));
    case 'notContain':
      return isBlank || !values.some((x) => String(v).toLowerCase().includes(x.toLowerCase()));
    case 'startsWith':
      return !isBlank && values.some((x) => String(v).toLowerCase().startsWith(x.toLowerCase()));
    case 'includes':
      return !isBlank && values.some((x) => String(v).split(';').includes(x));
    case 'excludes':
      return isBlank || !values.some((x) => String(v).split(';').includes(x));
    default:
      return true;
  }
}
