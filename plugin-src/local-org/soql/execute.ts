/**
 * SOQL over the local org's tables, parsed with @jetstreamapp/soql-parser-js: fields and
 * parent paths, child subqueries, WHERE (AND/OR/NOT, comparisons, IN/NOT IN with literal
 * lists and semi-joins, LIKE, INCLUDES/EXCLUDES, date literals), ORDER BY, LIMIT/OFFSET,
 * COUNT()/GROUP BY aggregates. Results in the REST shape, with column metadata.
 *
 * Indexes: a top-level `Id = / IN` or `<reference field> = / IN` (literal or semi-join)
 * selects candidate rows through the index instead of scanning the object.
 */
import {
  parseQuery,
  type Query,
  type WhereClause,
  type Condition,
  type FieldType as SoqlField,
  type OrderByClause,
  type HavingClause
} from '@jetstreamapp/soql-parser-js';
import type { ColumnMeta, Database, QueryResult, Row, Table } from '../database.js';
import type { FieldDef } from '../schema.js';
import { SalesforceError } from '../errors.js';
import { normalizeId } from '../../domain/ids.js';
import { apexTypeOf, dateOf, parseDateTime, toApi } from '../platform/values.js';
import { dateLiteralRange } from './dates.js';

export interface QueryOptions {
  includeDeleted?: boolean;
  userId?: string;
  now?: Date;
  /** the version in `attributes.url` (default 62.0) */
  apiVersion?: string;
  /** false leaves `attributes` out of records (Bulk API query results have none; saves memory) */
  attributes?: boolean;
}

const NUMERIC = new Set(['double', 'currency', 'percent', 'int']);
const TEXTUAL = new Set([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'email',
  'phone',
  'url',
  'id',
  'reference'
]);

function malformed(message: string): SalesforceError {
  return new SalesforceError('MALFORMED_QUERY', message);
}

function noSuchColumn(name: string, entity: string): SalesforceError {
  return new SalesforceError(
    'INVALID_FIELD',
    `\nSELECT ${name} FROM ${entity}\n       ^\nERROR at Row:1:Column:8\nNo such column '${name}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
  );
}

function badRelationship(name: string): SalesforceError {
  return new SalesforceError(
    'INVALID_FIELD',
    `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
  );
}

/** A compiled field path: relationship hops then a field. */
interface Path {
  raw: string;
  hops: { field: FieldDef; table: Table }[]; // the reference field followed, and the table it leads to
  field: FieldDef;
  table: Table; // the table that holds `field`
}

interface Env {
  db: Database;
  opts: QueryOptions;
  nowMs: number;
  version: string;
  /** rows the WHERE clause looked at (index use shows here) */
  scanned: number;
}

function compilePath(env: Env, table: Table, raw: string, allowFinalRelationship = false): Path {
  const parts = raw.split('.');
  // `Account.Name` on Account itself is allowed (the object name as a prefix).
  if (
    parts.length > 1 &&
    parts[0].toLowerCase() === table.def.name.toLowerCase() &&
    !table.relationships.has(parts[0].toLowerCase())
  )
    parts.shift();
  const hops: Path['hops'] = [];
  let t = table;
  for (let i = 0; i < parts.length - 1; i++) {
    const rel = t.relationships.get(parts[i].toLowerCase());
    if (!rel) throw badRelationship(parts[i]);
    const targetName = rel.referenceTo?.[0];
    const target = targetName ? env.db.table(targetName) : undefined;
    if (!target) throw badRelationship(parts[i]);
    hops.push({ field: rel, table: target });
    t = target;
  }
  const last = parts[parts.length - 1];
  const f = t.def.fields.get(last.toLowerCase());
  if (!f) {
    if (allowFinalRelationship && t.relationships.has(last.toLowerCase())) {
      const rel = t.relationships.get(last.toLowerCase())!;
      return { raw, hops, field: rel, table: t };
    }
    throw noSuchColumn(last, t.def.name);
  }
  return { raw, hops, field: f, table: t };
}

/** Follows the path's hops from a row; undefined when a hop is empty. */
function walk(env: Env, path: Path, row: Row): { table: Table; row: Row } | undefined {
  let r: Row | undefined = row;
  let t = path.hops.length ? path.hops[0].table : path.table;
  for (const hop of path.hops) {
    const id = r[hop.field.name] as string | null | undefined;
    if (!id) return undefined;
    const found = env.db.lookup(id);
    if (!found) return undefined;
    r = found.row;
    t = found.table;
  }
  return { table: t, row: r };
}

function valueOf(env: Env, path: Path, row: Row): unknown {
  if (path.hops.length === 0) {
    if (!path.field.formula) {
      const v = row[path.field.name];
      return v === undefined ? null : v;
    }
    return env.db.fieldValue(path.table, row, path.field, 0, env.opts.userId, env.opts.now);
  }
  const end = walk(env, path, row);
  if (!end) return null;
  const f = end.table.def.fields.get(path.field.name.toLowerCase()) ?? path.field;
  return env.db.fieldValue(end.table, end.row, f, 0, env.opts.userId, env.opts.now);
}

// ---------------------------------------------------------------------------------------
// WHERE

type Pred = (row: Row) => boolean;
type Tok =
  { k: 'cond'; c: Condition } | { k: 'and' } | { k: 'or' } | { k: 'not' } | { k: 'open' } | { k: 'close' };

function flatten(w: WhereClause | HavingClause | undefined, out: Tok[]): void {
  type Link = { left: Condition | null; operator?: string; right?: Link };
  let node = w as unknown as Link | undefined;
  while (node) {
    if (node.left === null && node.operator === 'NOT') {
      out.push({ k: 'not' });
      node = node.right;
      continue;
    }
    const c = node.left as Condition & { openParen?: number; closeParen?: number };
    for (let i = 0; i < (c.openParen ?? 0); i++) out.push({ k: 'open' });
    out.push({ k: 'cond', c });
    for (let i = 0; i < (c.closeParen ?? 0); i++) out.push({ k: 'close' });
    if (!node.operator || !node.right) break;
    out.push({ k: node.operator === 'OR' ? 'or' : 'and' });
    node = node.right;
  }
}

type Node = { k: 'cond'; c: Condition } | { k: 'and' | 'or'; items: Node[] } | { k: 'not'; item: Node };

function parseTokens(toks: Tok[]): Node {
  let i = 0;
  const primary = (): Node => {
    const t = toks[i];
    if (!t) throw malformed('unexpected end of WHERE clause');
    if (t.k === 'not') {
      i++;
      return { k: 'not', item: primary() };
    }
    if (t.k === 'open') {
      i++;
      const e = orExpr();
      if (toks[i]?.k !== 'close') throw malformed('unexpected token: missing closing parenthesis');
      i++;
      return e;
    }
    if (t.k === 'cond') {
      i++;
      return t;
    }
    throw malformed(`unexpected token: ${t.k.toUpperCase()}`);
  };
  const andExpr = (): Node => {
    const items = [primary()];
    while (toks[i]?.k === 'and') {
      i++;
      items.push(primary());
    }
    return items.length === 1 ? items[0] : { k: 'and', items };
  };
  const orExpr = (): Node => {
    const items = [andExpr()];
    while (toks[i]?.k === 'or') {
      i++;
      items.push(andExpr());
    }
    return items.length === 1 ? items[0] : { k: 'or', items };
  };
  const e = orExpr();
  if (i !== toks.length) throw malformed(`unexpected token: ${toks[i].k.toUpperCase()}`);
  return e;
}

function unquote(v: string): string {
  const s = v.startsWith("'") && v.endsWith("'") && v.length >= 2 ? v.slice(1, -1) : v;
  return s.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' })[c] ?? c);
}

/** A literal converted to the stored form of the field it is compared with. */
function literalValue(f: FieldDef, literalType: string | undefined, raw: string, env: Env): unknown {
  const lt = (literalType ?? '').toUpperCase();
  if (lt === 'NULL' || raw.toUpperCase() === 'NULL') return null;
  if (lt === 'BOOLEAN') {
    if (f.type !== 'boolean')
      throw malformed(
        `value of filter criterion for field '${f.name}' must be of type ${soqlTypeName(f)} and should not be enclosed in quotes`
      );
    return raw.toUpperCase() === 'TRUE';
  }
  if (f.type === 'boolean') {
    const s = unquote(raw).toLowerCase();
    if (s === 'true' || s === 'false') return s === 'true';
    throw malformed(
      `value of filter criterion for field '${f.name}' must be of type boolean and should not be enclosed in quotes`
    );
  }
  if (NUMERIC.has(f.type)) {
    if (lt === 'STRING')
      throw malformed(
        `value of filter criterion for field '${f.name}' must be of type ${soqlTypeName(f)} and should not be enclosed in quotes`
      );
    const n = Number(raw);
    if (Number.isNaN(n))
      throw malformed(`value of filter criterion for field '${f.name}' must be of type ${soqlTypeName(f)}`);
    return n;
  }
  if (f.type === 'date') {
    if (lt === 'STRING')
      throw malformed(
        `value of filter criterion for field '${f.name}' must be of type date and should not be enclosed in quotes`
      );
    if (lt === 'DATETIME') return dateOf(parseDateTime(raw));
    return raw;
  }
  if (f.type === 'datetime') {
    if (lt === 'STRING')
      throw malformed(
        `value of filter criterion for field '${f.name}' must be of type dateTime and should not be enclosed in quotes`
      );
    const ms = parseDateTime(raw);
    if (Number.isNaN(ms))
      throw malformed(
        `value of filter criterion for field '${f.name}' must be of type dateTime and should not be enclosed in quotes`
      );
    return ms;
  }
  const s = unquote(raw);
  if (f.type === 'id' || f.type === 'reference') {
    const id = normalizeId(s);
    if (!id && f.type === 'id' && s !== '')
      throw new SalesforceError('INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${s}`);
    return id ?? s;
  }
  void env;
  return s;
}

function soqlTypeName(f: FieldDef): string {
  if (f.type === 'int') return 'int';
  if (NUMERIC.has(f.type)) return 'double';
  if (f.type === 'datetime') return 'dateTime';
  return f.type;
}

function compare(f: FieldDef, a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  const sa = String(a);
  const sb = String(b);
  if (TEXTUAL.has(f.type) && f.type !== 'id' && f.type !== 'reference') {
    const la = sa.toLowerCase();
    const lb = sb.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : 0;
  }
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function eq(f: FieldDef, a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  if (typeof a === 'string' && typeof b === 'string') return a === b || a.toLowerCase() === b.toLowerCase();
  return compare(f, a, b) === 0;
}

/** A LIKE pattern (still SOQL-escaped) as a case-insensitive regular expression. */
function likeRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    let c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      c = pattern[++i];
      const unescaped = ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[c] ?? c;
      re += unescaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

interface IndexHint {
  field: FieldDef;
  values: () => string[];
  /** `Id < <= > >= literal`: read from the table's sorted ids (values() is then empty) */
  range?: { lo?: string; loInclusive: boolean; hi?: string; hiInclusive: boolean };
  /** a unique field (Conflict_Key__c, Username): looked up in its unique index */
  unique?: boolean;
}

function compileCondition(env: Env, table: Table, c: Condition, hints: IndexHint[] | undefined): Pred {
  const cond = c as Condition & {
    field?: string;
    fn?: { functionName: string; parameters?: unknown[] };
    value?: string | string[];
    literalType?: string | string[];
    valueQuery?: Query;
    operator: string;
    dateLiteralVariable?: number;
  };
  const op = cond.operator.toUpperCase();
  let getter: (row: Row) => unknown;
  let f: FieldDef;
  if (cond.fn) {
    const fn = cond.fn.functionName.toUpperCase();
    const param = String(cond.fn.parameters?.[0] ?? '');
    const path = compilePath(env, table, param);
    const dateFns: Record<string, (d: Date) => number | string> = {
      CALENDAR_YEAR: (d) => d.getUTCFullYear(),
      CALENDAR_MONTH: (d) => d.getUTCMonth() + 1,
      CALENDAR_QUARTER: (d) => Math.floor(d.getUTCMonth() / 3) + 1,
      DAY_IN_MONTH: (d) => d.getUTCDate(),
      DAY_IN_WEEK: (d) => d.getUTCDay() + 1,
      HOUR_IN_DAY: (d) => d.getUTCHours(),
      FISCAL_YEAR: (d) => d.getUTCFullYear(),
      DAY_ONLY: (d) => d.toISOString().slice(0, 10)
    };
    const g = dateFns[fn];
    if (!g) throw malformed(`unexpected token: ${fn}`);
    getter = (row) => {
      const v = valueOf(env, path, row);
      if (v === null || v === undefined) return null;
      const d = typeof v === 'number' ? new Date(v) : new Date(`${String(v).slice(0, 10)}T00:00:00Z`);
      return g(d);
    };
    f = {
      name: fn,
      label: fn,
      type: fn === 'DAY_ONLY' ? 'date' : 'int',
      nillable: true,
      createable: false,
      updateable: false
    };
  } else {
    const path = compilePath(env, table, String(cond.field));
    f = path.field;
    getter = (row) => valueOf(env, path, row);
    if (path.field.type === 'address')
      throw malformed(`field '${path.field.name}' can not be filtered in a query call`);
    if (
      hints &&
      path.hops.length === 0 &&
      (f.type === 'id' || f.type === 'reference') &&
      (op === '=' || op === 'IN')
    ) {
      // filled below once the literal set is known
    }
  }
  const lt = cond.literalType;
  const ltName = Array.isArray(lt) ? lt[0] : lt;

  // Semi-join / anti-join
  if ((op === 'IN' || op === 'NOT IN') && cond.valueQuery) {
    const sub = cond.valueQuery;
    let cache: Set<string> | undefined;
    let originals: string[] = [];
    const values = (): Set<string> => {
      if (!cache) {
        const res = runSelect(env, sub, { semiJoin: true });
        cache = new Set<string>();
        originals = [];
        for (const r of res.rawValues ?? []) {
          if (r === null || r === undefined) continue;
          const key = String(r).toLowerCase();
          if (!cache.has(key)) originals.push(String(r));
          cache.add(key);
        }
      }
      return cache;
    };
    if (
      hints &&
      op === 'IN' &&
      !cond.fn &&
      (f.type === 'id' || f.type === 'reference') &&
      !String(cond.field).includes('.')
    ) {
      hints.push({
        field: f,
        values: () => {
          values();
          return originals;
        }
      });
    }
    return (row) => {
      const v = getter(row);
      const has = v !== null && v !== undefined && values().has(String(v).toLowerCase());
      return op === 'IN' ? has : !has;
    };
  }

  const rawValues = Array.isArray(cond.value) ? cond.value : cond.value === undefined ? [] : [cond.value];

  // Date literals (TODAY, LAST_N_DAYS:n ...)
  if (ltName === 'DATE_LITERAL' || ltName === 'DATE_N_LITERAL') {
    if (f.type !== 'date' && f.type !== 'datetime')
      throw malformed(
        `value of filter criterion for field '${f.name}' must be of type ${soqlTypeName(f)} and should not be enclosed in quotes`
      );
    const ranges = rawValues.map((raw) => {
      const r = dateLiteralRange(raw, env.nowMs);
      if (!r) throw malformed(`unexpected token: ${raw}`);
      return f.type === 'date' ? [dateOf(r[0]), dateOf(r[1])] : r;
    }) as [number | string, number | string][];
    const within = (v: unknown, r: [number | string, number | string]): boolean =>
      (v as number) >= (r[0] as number) && (v as number) < (r[1] as number);
    return (row) => {
      const v = getter(row);
      if (v === null || v === undefined) return op === '!=' || op === 'NOT IN';
      const r = ranges[0];
      switch (op) {
        case '=':
          return within(v, r);
        case '!=':
          return !within(v, r);
        case '<':
          return (v as number) < (r[0] as number);
        case '<=':
          return (v as number) < (r[1] as number);
        case '>':
          return (v as number) >= (r[1] as number);
        case '>=':
          return (v as number) >= (r[0] as number);
        case 'IN':
          return ranges.some((x) => within(v, x));
        case 'NOT IN':
          return !ranges.some((x) => within(v, x));
        default:
          throw malformed(`invalid operator on date literal: ${op}`);
      }
    };
  }

  const types = Array.isArray(lt) ? lt : rawValues.map(() => lt);
  const values = rawValues.map((raw, i) => literalValue(f, types[i] as string | undefined, String(raw), env));
  const v0 = values[0];

  if (
    hints &&
    !cond.fn &&
    !String(cond.field).includes('.') &&
    f.unique &&
    f.type !== 'id' &&
    (op === '=' || op === 'IN')
  ) {
    const keys = values.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
    if (keys.length === values.length) hints.push({ field: f, values: () => keys.map(String), unique: true });
  }
  if (
    hints &&
    !cond.fn &&
    !String(cond.field).includes('.') &&
    (f.type === 'id' || f.type === 'reference') &&
    (op === '=' || op === 'IN')
  ) {
    const ids = values.filter((v): v is string => typeof v === 'string');
    if (ids.length === values.length) hints.push({ field: f, values: () => ids });
  }

  if (
    hints &&
    !cond.fn &&
    !String(cond.field).includes('.') &&
    f.type === 'id' &&
    typeof v0 === 'string' &&
    (op === '<' || op === '<=' || op === '>' || op === '>=')
  ) {
    const lower = op === '>' || op === '>=';
    hints.push({
      field: f,
      values: () => [],
      range: lower ? { lo: v0, loInclusive: op === '>=', hiInclusive: true } : { hi: v0, hiInclusive: op === '<=', loInclusive: true }
    });
  }

  switch (op) {
    case '=':
      return (row) => eq(f, getter(row), v0);
    case '!=':
    case '<>':
      return (row) => !eq(f, getter(row), v0);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (v0 === null) return () => false;
      return (row) => {
        const v = getter(row);
        if (v === null || v === undefined) return false;
        const c2 = compare(f, v, v0);
        return op === '<' ? c2 < 0 : op === '<=' ? c2 <= 0 : op === '>' ? c2 > 0 : c2 >= 0;
      };
    }
    case 'LIKE': {
      // from the raw literal, so that \% and \_ stay literal characters
      const raw = String(rawValues[0] ?? '');
      const re = likeRegex(
        raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw
      );
      return (row) => {
        const v = getter(row);
        return v !== null && v !== undefined && re.test(String(v));
      };
    }
    case 'IN':
    case 'NOT IN': {
      const set = new Set(values.map((v) => (typeof v === 'string' ? v.toLowerCase() : v)));
      const hasNull = values.some((v) => v === null);
      return (row) => {
        const v = getter(row);
        let has: boolean;
        if (v === null || v === undefined) has = hasNull;
        else has = set.has(typeof v === 'string' ? v.toLowerCase() : v);
        return op === 'IN' ? has : !has;
      };
    }
    case 'INCLUDES':
    case 'EXCLUDES': {
      if (f.type !== 'multipicklist')
        throw new SalesforceError(
          'INVALID_QUERY_FILTER_OPERATOR',
          `\nERROR at Row:1:Column:1\nINCLUDES or EXCLUDES operator only valid on multipicklist field`
        );
      const groups = values.map((v) =>
        String(v)
          .split(';')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean)
      );
      return (row) => {
        const v = getter(row);
        const have = new Set(
          v === null || v === undefined
            ? []
            : String(v)
                .split(';')
                .map((s) => s.toLowerCase())
        );
        const any = groups.some((g) => g.every((x) => have.has(x)));
        return op === 'INCLUDES' ? any : !any;
      };
    }
    default:
      throw malformed(`unexpected token: ${op}`);
  }
}

function compileNode(env: Env, table: Table, node: Node, hints: IndexHint[] | undefined): Pred {
  switch (node.k) {
    case 'cond':
      return compileCondition(env, table, node.c, hints);
    case 'not': {
      const p = compileNode(env, table, node.item, undefined);
      return (row) => !p(row);
    }
    case 'and': {
      const ps = node.items.map((n) => compileNode(env, table, n, hints));
      return (row) => {
        for (const p of ps) if (!p(row)) return false;
        return true;
      };
    }
    case 'or': {
      const ps = node.items.map((n) => compileNode(env, table, n, undefined));
      return (row) => {
        for (const p of ps) if (p(row)) return true;
        return false;
      };
    }
    default:
      return () => true;
  }
}

function compileWhere(
  env: Env,
  table: Table,
  where: WhereClause | undefined,
  hints?: IndexHint[]
): Pred | undefined {
  if (!where) return undefined;
  const toks: Tok[] = [];
  flatten(where, toks);
  if (toks.length === 0) return undefined;
  return compileNode(env, table, parseTokens(toks), hints);
}

// ---------------------------------------------------------------------------------------
// SELECT

interface Column {
  kind: 'field' | 'subquery' | 'aggregate';
  path?: Path;
  name: string; // output key (alias, expr0, field name)
  display: string;
  fn?: string;
  sub?: { table: Table; fk: FieldDef; query: Query; relationshipName: string };
}

interface SelectResult extends QueryResult {
  rawValues?: unknown[];
}

function expandFieldsFunction(table: Table, which: string): string[] {
  const all = [...table.def.fields.values()].filter((f) => f.type !== 'address');
  if (which === 'CUSTOM') return all.filter((f) => f.name.endsWith('__c')).map((f) => f.name);
  if (which === 'STANDARD') return all.filter((f) => !f.name.endsWith('__c')).map((f) => f.name);
  return all.map((f) => f.name);
}

function compileColumns(env: Env, table: Table, fields: SoqlField[] | undefined): Column[] {
  const cols: Column[] = [];
  let expr = 0;
  for (const sf of fields ?? []) {
    const s = sf as SoqlField & {
      field?: string;
      relationships?: string[];
      rawValue?: string;
      alias?: string;
      functionName?: string;
      parameters?: unknown[];
      isAggregateFn?: boolean;
      subquery?: Query;
    };
    switch (s.type) {
      case 'Field': {
        const path = compilePath(env, table, s.field!);
        cols.push({ kind: 'field', path, name: s.alias ?? path.field.name, display: path.field.name });
        break;
      }
      case 'FieldRelationship': {
        const raw = s.rawValue ?? [...(s.relationships ?? []), s.field].join('.');
        const path = compilePath(env, table, raw);
        cols.push({ kind: 'field', path, name: s.alias ?? raw, display: raw });
        break;
      }
      case 'FieldSubquery': {
        const q = s.subquery!;
        const relName = (q as Query & { relationshipName?: string }).relationshipName ?? q.sObject ?? '';
        const rel = table.def.childRelationships.find(
          (r) => r.relationshipName?.toLowerCase() === relName.toLowerCase()
        );
        if (!rel) throw badRelationship(relName);
        const child = env.db.table(rel.childSObject);
        const fk = child?.def.fields.get(rel.field.toLowerCase());
        if (!child || !fk) throw badRelationship(relName);
        cols.push({
          kind: 'subquery',
          name: rel.relationshipName!,
          display: rel.relationshipName!,
          sub: { table: child, fk, query: q, relationshipName: rel.relationshipName! }
        });
        break;
      }
      case 'FieldFunctionExpression': {
        const fn = (s.functionName ?? '').toUpperCase();
        if (fn === 'FIELDS') {
          const which = String(s.parameters?.[0] ?? 'ALL').toUpperCase();
          for (const name of expandFieldsFunction(table, which)) {
            const path = compilePath(env, table, name);
            cols.push({ kind: 'field', path, name, display: name });
          }
          break;
        }
        const param = s.parameters?.[0];
        if (s.isAggregateFn || ['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX'].includes(fn)) {
          const path =
            param !== undefined && typeof param === 'string' ? compilePath(env, table, param) : undefined;
          const name = s.alias ?? `expr${expr++}`;
          cols.push({ kind: 'aggregate', fn, path, name, display: s.rawValue ?? `${fn}()` });
          break;
        }
        // toLabel(), FORMAT(), convertCurrency(): the stored value.
        if (typeof param === 'string') {
          const path = compilePath(env, table, param);
          cols.push({ kind: 'field', path, name: s.alias ?? path.field.name, display: path.field.name });
          break;
        }
        throw malformed(`unexpected token: ${fn}`);
      }
      case 'FieldTypeof':
        throw malformed('TYPEOF is not supported by the local org');
      default:
        throw malformed('unexpected token in SELECT');
    }
  }
  return cols;
}

/**
 * Sorts rows in place by ORDER BY. With `keep` (LIMIT + OFFSET) on many rows, only the
 * first `keep` are selected (a bounded insertion into a sorted window) and the array is
 * cut to them: ORDER BY ... LIMIT 2000 over 1M rows does not sort 1M rows.
 */
function sortRows(
  env: Env,
  table: Table,
  rows: Row[],
  orderBy: OrderByClause | OrderByClause[] | undefined,
  keep?: number
): void {
  const list = orderBy ? (Array.isArray(orderBy) ? orderBy : [orderBy]) : [];
  if (!list.length) return;
  const keys = list.map((o) => {
    const oc = o as OrderByClause & { field?: string; order?: string; nulls?: string };
    if (!oc.field) throw malformed('ORDER BY on an aggregate needs GROUP BY');
    const path = compilePath(env, table, oc.field);
    const desc = (oc.order ?? 'ASC').toUpperCase() === 'DESC';
    const nullsFirst = oc.nulls ? oc.nulls.toUpperCase() === 'FIRST' : !desc;
    return { path, desc, nullsFirst };
  });
  type Decorated = { row: Row; k: unknown[]; seq: number };
  const cmp = (a: Decorated, b: Decorated): number => {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const va = a.k[i];
      const vb = b.k[i];
      const na = va === null || va === undefined;
      const nb = vb === null || vb === undefined;
      if (na && nb) continue;
      if (na) return k.nullsFirst ? -1 : 1;
      if (nb) return k.nullsFirst ? 1 : -1;
      const c = compare(k.path.field, va, vb);
      if (c !== 0) return k.desc ? -c : c;
    }
    return a.seq - b.seq; // stable
  };
  const decorate = (row: Row, seq: number): Decorated => ({
    row,
    k: keys.map((k) => valueOf(env, k.path, row)),
    seq
  });
  if (keep !== undefined && rows.length > keep * 4) {
    const best: Decorated[] = [];
    for (let i = 0; i < rows.length; i++) {
      const d = decorate(rows[i], i);
      if (best.length === keep && (keep === 0 || cmp(d, best[best.length - 1]) >= 0)) continue;
      let lo = 0;
      let hi = best.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cmp(best[mid], d) <= 0) lo = mid + 1;
        else hi = mid;
      }
      best.splice(lo, 0, d);
      if (best.length > keep) best.pop();
    }
    rows.length = best.length;
    for (let i = 0; i < best.length; i++) rows[i] = best[i].row;
    return;
  }
  const decorated = rows.map(decorate);
  decorated.sort(cmp);
  for (let i = 0; i < rows.length; i++) rows[i] = decorated[i].row;
}

function attributes(env: Env, table: Table, id: unknown): Row {
  return {
    type: table.def.name,
    url: `/services/data/v${env.version}/sobjects/${table.def.name}/${String(id)}`
  };
}

function project(env: Env, table: Table, row: Row, cols: Column[]): Row {
  const out: Row = env.opts.attributes === false ? {} : { attributes: attributes(env, table, row.Id) };
  for (const col of cols) {
    if (col.kind === 'field') {
      const path = col.path!;
      if (path.hops.length === 0) {
        out[col.name] = toApi(path.field, valueOf(env, path, row));
        continue;
      }
      // Nested parent objects: Account: {attributes, Owner: {attributes, Name}}
      let target = out;
      let r: Row | undefined = row;
      let nulled = false;
      for (const hop of path.hops) {
        const key = hop.field.relationshipName!;
        const id: string | null = r ? (r[hop.field.name] as string | null) : null;
        const found: { table: Table; row: Row } | undefined = id ? env.db.lookup(id) : undefined;
        if (!found || (found.row.IsDeleted && !env.opts.includeDeleted)) {
          if (!(key in target)) target[key] = null;
          nulled = true;
          break;
        }
        let next = target[key] as Row | null | undefined;
        if (!next) {
          next =
            env.opts.attributes === false ? {} : { attributes: attributes(env, found.table, found.row.Id) };
          target[key] = next;
        }
        target = next;
        r = found.row;
      }
      if (nulled || !r) continue;
      const end = env.db.lookup(r.Id as string);
      const f = end?.table.def.fields.get(path.field.name.toLowerCase()) ?? path.field;
      target[f.name] = toApi(
        f,
        end ? env.db.fieldValue(end.table, r, f, 0, env.opts.userId, env.opts.now) : null
      );
    } else if (col.kind === 'subquery') {
      const sub = col.sub!;
      const res = runSelect(env, sub.query, {
        childOf: { table: sub.table, fk: sub.fk, parentId: row.Id as string }
      });
      out[col.name] = res.records.length
        ? { totalSize: res.records.length, done: true, records: res.records }
        : null;
    }
  }
  return out;
}

function columnMeta(col: Column): ColumnMeta {
  const base = (f: FieldDef | undefined, name: string, display: string): ColumnMeta => ({
    aggregate: false,
    apexType: f ? apexTypeOf(f) : null,
    booleanType: f?.type === 'boolean',
    columnName: name,
    custom: Boolean(f?.name.endsWith('__c')),
    displayName: display,
    foreignKeyName: null,
    insertable: Boolean(f?.createable),
    joinColumns: [],
    numberType: Boolean(f && NUMERIC.has(f.type)),
    textType: Boolean(f && TEXTUAL.has(f.type)),
    updatable: Boolean(f?.updateable),
    label: f?.label
  });
  if (col.kind === 'aggregate') {
    const isCount = col.fn === 'COUNT' || col.fn === 'COUNT_DISTINCT';
    return {
      ...base(col.path?.field, col.name, col.display),
      aggregate: true,
      apexType: isCount ? 'Integer' : col.path ? apexTypeOf(col.path.field) : 'Integer',
      numberType:
        isCount ||
        col.fn === 'SUM' ||
        col.fn === 'AVG' ||
        Boolean(col.path && NUMERIC.has(col.path.field.type)),
      insertable: false,
      updatable: false
    };
  }
  if (col.kind === 'subquery') {
    return { ...base(undefined, col.name, col.name), aggregate: true, joinColumns: [] };
  }
  const path = col.path!;
  if (path.hops.length === 0) return base(path.field, col.name, col.display);
  // Owner.Name → {columnName: Owner, joinColumns: [{columnName: Name}]}
  const build = (i: number, prefix: string): ColumnMeta => {
    if (i === path.hops.length)
      return { ...base(path.field, path.field.name, `${prefix}.${path.field.name}`) };
    const hop = path.hops[i];
    const name = hop.field.relationshipName!;
    const display = prefix ? `${prefix}.${name}` : name;
    return {
      ...base(undefined, name, display),
      foreignKeyName: hop.field.name,
      custom: hop.field.name.endsWith('__c'),
      joinColumns: [build(i + 1, display)]
    };
  };
  return build(0, '');
}

/** Merges join columns of the same relationship (Owner.Name, Owner.Email → one Owner). */
function mergeColumns(metas: ColumnMeta[]): ColumnMeta[] {
  const out: ColumnMeta[] = [];
  for (const m of metas) {
    const same = m.joinColumns.length
      ? out.find((o) => o.columnName === m.columnName && o.joinColumns.length)
      : undefined;
    if (same) same.joinColumns = mergeColumns([...same.joinColumns, ...m.joinColumns]);
    else out.push(m);
  }
  return out;
}

function candidates(env: Env, table: Table, hints: IndexHint[]): Iterable<Row> {
  // Prefer an Id hint, then the smallest reference hint.
  let best: Row[] | undefined;
  let distinct = true;
  // Id range bounds (all ANDed): one slice of the sorted ids.
  const ranges = hints.filter((h) => h.range);
  if (ranges.length > 0) {
    let lo: string | undefined;
    let loInclusive = true;
    let hi: string | undefined;
    let hiInclusive = true;
    for (const { range } of ranges) {
      if (range!.lo !== undefined && (lo === undefined || range!.lo > lo || (range!.lo === lo && !range!.loInclusive))) {
        lo = range!.lo;
        loInclusive = range!.loInclusive;
      }
      if (range!.hi !== undefined && (hi === undefined || range!.hi < hi || (range!.hi === hi && !range!.hiInclusive))) {
        hi = range!.hi;
        hiInclusive = range!.hiInclusive;
      }
    }
    best = env.db.rowsInIdRange(table, lo, loInclusive, hi, hiInclusive);
  }
  for (const h of hints) {
    if (h.range) continue;
    if (best && best.length === 0) break;
    if (h.unique && env.opts.includeDeleted) continue; // deleted rows are not in unique indexes
    let rows: Row[];
    if (h.unique) {
      rows = env.db
        .idsByUnique(table, h.field, h.values())
        .map((id) => table.rows.get(id)!)
        .filter(Boolean);
    } else if (h.field.type === 'id') {
      rows = [];
      for (const id of h.values()) {
        const r = table.rows.get(id);
        if (r) rows.push(r);
      }
    } else {
      // a reference hint no smaller than the rows already picked is not materialised
      if (best && env.db.countByReference(table, h.field.name, h.values()) >= best.length) continue;
      rows = env.db
        .idsByReference(table, h.field.name, h.values())
        .map((id) => table.rows.get(id)!)
        .filter(Boolean);
    }
    if (!best || rows.length < best.length) {
      best = rows;
      const values = h.values();
      distinct = !h.unique && new Set(values).size === values.length;
    }
    if (best.length === 0) break;
  }
  if (!best) return table.rows.values();
  // The same row twice only when a hint's values repeat (an IN list naming a value twice).
  if (best.length > 1 && !distinct) {
    const seen = new Set<Row>();
    best = best.filter((r) => (seen.has(r) ? false : (seen.add(r), true)));
  }
  return best;
}

interface RunOptions {
  semiJoin?: boolean;
  childOf?: { table: Table; fk: FieldDef; parentId: string };
}

function runSelect(env: Env, q: Query, run: RunOptions = {}): SelectResult {
  const table = run.childOf ? run.childOf.table : env.db.table(q.sObject ?? '');
  if (!table) {
    throw new SalesforceError(
      'INVALID_TYPE',
      `\nSELECT ... FROM ${q.sObject ?? ''}\n             ^\nERROR at Row:1:Column:1\nsObject type '${q.sObject ?? ''}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
    );
  }
  if ((q.offset ?? 0) > 2000) {
    throw new SalesforceError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is 2000`);
  }
  const cols = compileColumns(env, table, q.fields);
  const hints: IndexHint[] = [];
  const pred = compileWhere(env, table, q.where, hints);
  const includeDeleted = Boolean(env.opts.includeDeleted);
  let source: Iterable<Row>;
  if (run.childOf) {
    source = env.db
      .idsByReference(table, run.childOf.fk.name, [run.childOf.parentId])
      .map((id) => table.rows.get(id)!)
      .filter(Boolean);
  } else {
    source = candidates(env, table, hints);
  }
  const aggregates = cols.filter((c) => c.kind === 'aggregate');
  // SELECT COUNT() FROM X with no filter: the live row count, without a scan.
  if (
    !run.childOf &&
    !run.semiJoin &&
    !pred &&
    !includeDeleted &&
    !q.groupBy &&
    cols.length === 1 &&
    cols[0].kind === 'aggregate' &&
    cols[0].fn === 'COUNT' &&
    !cols[0].path &&
    q.limit === undefined &&
    !q.offset
  ) {
    return { totalSize: table.live, records: [], columns: [], entityName: table.def.name };
  }
  const grouped = Boolean(q.groupBy) || aggregates.length > 0;
  const limit = q.limit;
  const offset = q.offset ?? 0;
  const ordered = Boolean(q.orderBy && (!Array.isArray(q.orderBy) || q.orderBy.length));
  const matched: Row[] = [];
  const stopAt = !grouped && !ordered && limit !== undefined ? limit + offset : Infinity;
  let scanned = 0;
  for (const row of source) {
    scanned++;
    if (!includeDeleted && row.IsDeleted) continue;
    if (pred && !pred(row)) continue;
    matched.push(row);
    if (matched.length >= stopAt) break;
  }

  if (!run.childOf) env.scanned += scanned;

  if (run.semiJoin) {
    const col = cols[0];
    if (!col || col.kind !== 'field' || cols.length !== 1)
      throw malformed('a semi-join subquery must select exactly one Id or reference field');
    return {
      totalSize: matched.length,
      records: [],
      columns: [],
      entityName: table.def.name,
      rawValues: matched.map((r) => valueOf(env, col.path!, r))
    };
  }

  if (grouped) return aggregate(env, table, q, cols, matched);

  sortRows(env, table, matched, q.orderBy, limit !== undefined ? limit + offset : undefined);
  const page = matched.slice(offset, limit !== undefined ? offset + limit : undefined);
  const records = page.map((row) => project(env, table, row, cols));
  return {
    totalSize: records.length,
    records,
    columns: mergeColumns(cols.map(columnMeta)),
    entityName: table.def.name,
    idSelected: cols.some(
      (c) => c.kind === 'field' && c.path!.hops.length === 0 && c.path!.field.name === 'Id'
    )
  };
}

function aggregate(env: Env, table: Table, q: Query, cols: Column[], rows: Row[]): SelectResult {
  const groupBy = (q.groupBy ? (Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy]) : []) as {
    field?: string;
    fn?: unknown;
  }[];
  const groupPaths = groupBy.map((g) => {
    if (!g.field) throw malformed('GROUP BY on a function is not supported by the local org');
    return compilePath(env, table, g.field);
  });
  const fieldCols = cols.filter((c) => c.kind === 'field');
  for (const c of fieldCols) {
    if (
      !groupPaths.some(
        (p) =>
          p.raw.toLowerCase() === c.path!.raw.toLowerCase() ||
          (p.field === c.path!.field && p.hops.length === c.path!.hops.length)
      )
    ) {
      throw malformed(`Field must be grouped or aggregated: ${c.path!.field.name}`);
    }
  }
  const onlyCountStar =
    cols.length === 1 &&
    cols[0].kind === 'aggregate' &&
    cols[0].fn === 'COUNT' &&
    !cols[0].path &&
    groupPaths.length === 0;
  if (onlyCountStar) {
    const n = Math.max(0, Math.min(rows.length - (q.offset ?? 0), q.limit ?? Infinity));
    return { totalSize: n, records: [], columns: [], entityName: table.def.name };
  }
  const groups = new Map<string, { key: unknown[]; rows: Row[] }>();
  for (const row of rows) {
    const key = groupPaths.map((p) => valueOf(env, p, row));
    const k = JSON.stringify(key.map((v) => (typeof v === 'string' ? v.toLowerCase() : v)));
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { key, rows: [] }));
    g.rows.push(row);
  }
  if (groupPaths.length === 0 && groups.size === 0) groups.set('[]', { key: [], rows: [] });
  const computeAgg = (fn: string, path: Path | undefined, rs: Row[]): unknown => {
    if (fn === 'COUNT') return path ? rs.filter((r) => valueOf(env, path, r) !== null).length : rs.length;
    const vals = rs.map((r) => valueOf(env, path!, r)).filter((v) => v !== null && v !== undefined);
    if (fn === 'COUNT_DISTINCT')
      return new Set(vals.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))).size;
    if (vals.length === 0) return null;
    if (fn === 'SUM') return vals.reduce((a: number, b) => a + Number(b), 0);
    if (fn === 'AVG') return vals.reduce((a: number, b) => a + Number(b), 0) / vals.length;
    if (fn === 'MIN') return vals.reduce((a, b) => (compare(path!.field, b, a) < 0 ? b : a));
    if (fn === 'MAX') return vals.reduce((a, b) => (compare(path!.field, b, a) > 0 ? b : a));
    throw malformed(`unexpected token: ${fn}`);
  };
  let out: { record: Row; group: { key: unknown[]; rows: Row[] } }[] = [];
  for (const g of groups.values()) {
    const record: Row = { attributes: { type: 'AggregateResult' } };
    for (const c of cols) {
      if (c.kind === 'field') {
        const idx = groupPaths.findIndex(
          (p) =>
            p.raw.toLowerCase() === c.path!.raw.toLowerCase() ||
            (p.field === c.path!.field && p.hops.length === c.path!.hops.length)
        );
        record[c.path!.hops.length && c.name === c.path!.raw ? c.path!.field.name : c.name] = toApi(
          c.path!.field,
          g.key[idx]
        );
      } else if (c.kind === 'aggregate') {
        const v = computeAgg(c.fn!, c.path, g.rows);
        record[c.name] = c.path && (c.fn === 'MIN' || c.fn === 'MAX') ? toApi(c.path.field, v) : v;
      }
    }
    out.push({ record, group: g });
  }
  if (q.having) {
    const toks: Tok[] = [];
    flatten(q.having, toks);
    const node = parseTokens(toks);
    const test = (n: Node, g: { key: unknown[]; rows: Row[] }): boolean => {
      if (n.k === 'not') return !test(n.item, g);
      if (n.k === 'and') return n.items.every((x) => test(x, g));
      if (n.k === 'or') return n.items.some((x) => test(x, g));
      if (n.k !== 'cond') return true;
      const c = n.c as Condition & {
        fn?: { functionName: string; parameters?: unknown[] };
        field?: string;
        value?: string;
        operator: string;
      };
      let v: unknown;
      let f: FieldDef;
      if (c.fn) {
        const p = c.fn.parameters?.[0];
        const path = typeof p === 'string' ? compilePath(env, table, p) : undefined;
        v = computeAgg(c.fn.functionName.toUpperCase(), path, g.rows);
        f =
          path && c.fn.functionName.toUpperCase() !== 'COUNT'
            ? path.field
            : {
                name: 'expr',
                label: 'expr',
                type: 'int',
                nillable: true,
                createable: false,
                updateable: false
              };
      } else {
        const path = compilePath(env, table, String(c.field));
        const idx = groupPaths.findIndex((p) => p.field === path.field);
        v = g.key[idx];
        f = path.field;
      }
      const lit = literalValue(f, (c as { literalType?: string }).literalType, String(c.value), env);
      const cmp = v === null || lit === null ? NaN : compare(f, v, lit);
      switch (c.operator) {
        case '=':
          return eq(f, v, lit);
        case '!=':
          return !eq(f, v, lit);
        case '<':
          return cmp < 0;
        case '<=':
          return cmp <= 0;
        case '>':
          return cmp > 0;
        case '>=':
          return cmp >= 0;
        default:
          throw malformed(`unexpected token: ${c.operator}`);
      }
    };
    out = out.filter((o) => test(node, o.group));
  }
  const orderList = q.orderBy ? (Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy]) : [];
  if (orderList.length) {
    const keyFns = orderList.map((o) => {
      const oc = o as OrderByClause & {
        field?: string;
        fn?: { functionName: string; parameters?: unknown[] };
        order?: string;
        nulls?: string;
      };
      const desc = (oc.order ?? 'ASC').toUpperCase() === 'DESC';
      const nullsFirst = oc.nulls ? oc.nulls.toUpperCase() === 'FIRST' : !desc;
      if (oc.fn) {
        const p = oc.fn.parameters?.[0];
        const path = typeof p === 'string' ? compilePath(env, table, p) : undefined;
        const fn = oc.fn.functionName.toUpperCase();
        const f: FieldDef =
          path && fn !== 'COUNT'
            ? path.field
            : {
                name: 'expr',
                label: 'expr',
                type: 'int',
                nillable: true,
                createable: false,
                updateable: false
              };
        return {
          get: (g: { rows: Row[]; key: unknown[] }) => computeAgg(fn, path, g.rows),
          f,
          desc,
          nullsFirst
        };
      }
      const path = compilePath(env, table, String(oc.field));
      const idx = groupPaths.findIndex((p) => p.field === path.field);
      if (idx < 0) throw malformed(`Ordered field must be grouped or aggregated: ${path.field.name}`);
      return { get: (g: { rows: Row[]; key: unknown[] }) => g.key[idx], f: path.field, desc, nullsFirst };
    });
    out.sort((a, b) => {
      for (const k of keyFns) {
        const va = k.get(a.group);
        const vb = k.get(b.group);
        const na = va === null || va === undefined;
        const nb = vb === null || vb === undefined;
        if (na && nb) continue;
        if (na) return k.nullsFirst ? -1 : 1;
        if (nb) return k.nullsFirst ? 1 : -1;
        const c = compare(k.f, va, vb);
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    });
  }
  const offset = q.offset ?? 0;
  const page = out.slice(offset, q.limit !== undefined ? offset + q.limit : undefined).map((o) => o.record);
  return {
    totalSize: page.length,
    records: page,
    columns: mergeColumns(cols.map(columnMeta)),
    entityName: table.def.name
  };
}

// Parsing costs a few ms; the same query text comes back often (paging, polling, loops).
const parseCache = new Map<string, Query>();

function parsed(soql: string): Query {
  let q = parseCache.get(soql);
  if (!q) {
    // (no options object: passing one makes the parser rebuild itself, ~100 ms a call)
    q = parseQuery(soql);
    if (parseCache.size > 500) parseCache.clear();
    parseCache.set(soql, q);
  }
  return q;
}

/** Runs one SOQL query against the database. */
export function executeQuery(db: Database, soql: string, opts: QueryOptions = {}): QueryResult {
  let q: Query;
  if (/(^|[\s(=,])(:[A-Za-z_])/.test(soql.replace(/'(?:\\.|[^'\\])*'/g, "''"))) {
    throw malformed('Bind variables only allowed in Apex code');
  }
  try {
    q = parsed(soql);
  } catch (e) {
    const msg = (e as Error).message ?? 'unexpected token';
    const found = /but found: '([^']*)'/.exec(msg);
    throw malformed(
      found ? `unexpected token: '${found[1] || '<EOF>'}'` : `unexpected token: ${msg.split('\n')[0]}`
    );
  }
  const env: Env = {
    db,
    opts,
    nowMs: (opts.now ?? new Date()).getTime(),
    version: opts.apiVersion ?? '62.0',
    scanned: 0
  };
  const result = runSelect(env, q);
  db.lastQueryScanned = env.scanned;
  return result;
}
