/**
 * The UI API GraphQL endpoint of the local org (`POST /services/data/vXX.X/graphql`), for what
 * Lightning components read with `lightning/graphql`:
 *
 *   uiapi { query { Obj(where:, orderBy:, first:, after:) { edges { node { Id Field { value displayValue }
 *           Parent { Field { value } } Children(where:, orderBy:, first:) { edges { node { ... } } } } }
 *           totalCount pageInfo { hasNextPage endCursor } } }
 *           aggregate { Obj(where:, groupBy:, first:) { edges { node { aggregate { Field { value }
 *           Id { count { value } } Amount { sum { value } } } } } totalCount } } }
 *
 * The query is parsed with the `graphql` package and translated to SOQL against the Database,
 * so the same data and platform rules serve REST, Bulk and GraphQL. Errors come back as
 * GraphQL errors (HTTP 200, `{ data: null, errors: [...] }`) as Salesforce returns them.
 */
import {
  Kind,
  parse,
  valueFromASTUntyped,
  GraphQLError,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode
} from 'graphql';
import type { Database, Row } from '../database.js';
import type { FieldDef, ObjectDef } from '../schema.js';
import { SalesforceError } from '../errors.js';

/** Salesforce's default and largest page size of a UI API GraphQL connection. */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 2000;

type Vars = Record<string, unknown>;
type Json = Record<string, unknown>;

export interface GraphQLBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphQLResponse {
  data: Json | null;
  errors?: Array<{ message: string; locations?: readonly { line: number; column: number }[]; path?: string[]; extensions?: Json }>;
}

class QueryError extends Error {
  public constructor(
    message: string,
    public readonly path: string[] = [],
    public readonly errorType = 'ValidationError'
  ) {
    super(message);
  }
}

interface Exec {
  db: Database;
  vars: Vars;
  fragments: Map<string, FragmentDefinitionNode>;
  userId?: string;
}

const nameOf = (f: FieldNode): string => f.alias?.value ?? f.name.value;

/** Fields of a selection set, fragments expanded. */
function fieldsOf(ex: Exec, set: SelectionSetNode | undefined): FieldNode[] {
  const out: FieldNode[] = [];
  for (const s of set?.selections ?? []) {
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) out.push(...fieldsOf(ex, s.selectionSet));
    else if (s.kind === Kind.FRAGMENT_SPREAD) {
      const frag = ex.fragments.get(s.name.value);
      if (!frag) throw new QueryError(`Undefined fragment ${s.name.value}`);
      out.push(...fieldsOf(ex, frag.selectionSet));
    }
  }
  return out;
}

function args(ex: Exec, f: FieldNode): Vars {
  const out: Vars = {};
  for (const a of f.arguments ?? []) out[a.name.value] = valueFromASTUntyped(a.value, ex.vars);
  return out;
}

function field(def: ObjectDef, name: string): FieldDef | undefined {
  return def.fields.get(name.toLowerCase());
}

function parentRelationship(ex: Exec, def: ObjectDef, name: string): { field: FieldDef; target: ObjectDef } | undefined {
  const lower = name.toLowerCase();
  for (const f of def.fields.values()) {
    if (f.type === 'reference' && f.relationshipName?.toLowerCase() === lower) {
      const target = ex.db.schema.get(f.referenceTo?.[0] ?? '');
      if (target) return { field: f, target };
    }
  }
  return undefined;
}

function childRelationship(ex: Exec, def: ObjectDef, name: string): { child: ObjectDef; field: string } | undefined {
  const lower = name.toLowerCase();
  const rel = def.childRelationships.find((c) => c.relationshipName?.toLowerCase() === lower);
  const child = rel && ex.db.schema.get(rel.childSObject);
  return rel && child ? { child, field: rel.field } : undefined;
}

// ---- where / orderBy → SOQL ------------------------------------------------------------

const OPS: Record<string, string> = { eq: '=', ne: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=', like: 'LIKE', in: 'IN', nin: 'NOT IN', includes: 'INCLUDES', excludes: 'EXCLUDES' };

function soqlLiteral(f: FieldDef, value: unknown, path: string[]): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Json;
    // date literals (TODAY, THIS_MONTH, ...) and ranges ({ last_n_days: 7 }): names only, never free text
    if (typeof v.literal === 'string') {
      if (!/^[A-Za-z_]+$/.test(v.literal)) throw new QueryError(`Invalid date literal for ${f.name}: ${v.literal}`, path);
      return v.literal.toUpperCase();
    }
    if (v.range && typeof v.range === 'object') {
      const [[k, n]] = Object.entries(v.range as Json);
      if (!/^[A-Za-z_]+$/.test(k) || !Number.isInteger(Number(n))) throw new QueryError(`Invalid date range for ${f.name}`, path);
      return `${k.toUpperCase()}:${Number(n)}`;
    }
    if ('value' in v) return soqlLiteral(f, v.value, path);
    throw new QueryError(`Unsupported value for ${f.name}`, path);
  }
  switch (f.type) {
    case 'boolean':
      return value === true || value === 'true' ? 'true' : 'false';
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new QueryError(`Invalid number for ${f.name}: ${String(value)}`, path);
      return String(n);
    }
    case 'date':
    case 'datetime':
      if (!/^[0-9T:.\-+Z]+$/.test(String(value))) throw new QueryError(`Invalid ${f.type} for ${f.name}: ${String(value)}`, path);
      return String(value);
    default:
      return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
}

function whereSoql(ex: Exec, def: ObjectDef, where: unknown, prefix: string, path: string[]): string {
  if (!where || typeof where !== 'object') return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(where as Json)) {
    if (key === 'and' || key === 'or') {
      const list = (Array.isArray(value) ? value : [value]).map((w) => whereSoql(ex, def, w, prefix, path)).filter(Boolean);
      if (list.length) parts.push(`(${list.join(key === 'and' ? ' AND ' : ' OR ')})`);
      continue;
    }
    if (key === 'not') {
      const inner = whereSoql(ex, def, value, prefix, path);
      if (inner) parts.push(`(NOT ${inner})`);
      continue;
    }
    const f = field(def, key);
    if (f) {
      for (const [op, operand] of Object.entries((value ?? {}) as Json)) {
        const sop = OPS[op];
        if (!sop) throw new QueryError(`Unsupported operator ${op} on ${def.name}.${f.name}`, [...path, key]);
        if (sop === 'IN' || sop === 'NOT IN' || sop === 'INCLUDES' || sop === 'EXCLUDES') {
          const list = (Array.isArray(operand) ? operand : [operand]).map((v) => soqlLiteral(f, v, path));
          parts.push(list.length ? `${prefix}${f.name} ${sop} (${list.join(', ')})` : sop === 'IN' ? `${prefix}Id = null` : '');
        } else {
          parts.push(`${prefix}${f.name} ${sop} ${soqlLiteral(f, operand, path)}`);
        }
      }
      continue;
    }
    const parent = parentRelationship(ex, def, key);
    if (parent) {
      const inner = whereSoql(ex, parent.target, value, `${prefix}${parent.field.relationshipName}.`, [...path, key]);
      if (inner) parts.push(inner);
      continue;
    }
    throw new QueryError(`Field '${key}' in filter of type '${def.name}' is undefined`, [...path, key]);
  }
  return parts.filter(Boolean).join(' AND ');
}

function orderSoql(ex: Exec, def: ObjectDef, orderBy: unknown, prefix: string, path: string[]): string[] {
  if (!orderBy || typeof orderBy !== 'object') return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(orderBy as Json)) {
    const f = field(def, key);
    const v = (value ?? {}) as Json;
    if (f) {
      const dir = String(v.order ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
      const nulls = v.nulls ? ` NULLS ${String(v.nulls).toUpperCase() === 'LAST' ? 'LAST' : 'FIRST'}` : '';
      out.push(`${prefix}${f.name} ${dir}${nulls}`);
      continue;
    }
    const parent = parentRelationship(ex, def, key);
    if (parent) {
      out.push(...orderSoql(ex, parent.target, value, `${prefix}${parent.field.relationshipName}.`, [...path, key]));
      continue;
    }
    throw new QueryError(`Field '${key}' in orderBy of type '${def.name}' is undefined`, [...path, key]);
  }
  return out;
}

// ---- record nodes ------------------------------------------------------------------------

interface ChildPlan {
  name: string;
  node: FieldNode;
  child: ObjectDef;
  field: string;
}

/** SOQL select paths of a node selection; child connections are collected for separate reads. */
function selectPaths(ex: Exec, def: ObjectDef, set: SelectionSetNode | undefined, prefix: string, path: string[], children: ChildPlan[] | null): string[] {
  const out = new Set<string>([`${prefix}Id`]);
  for (const f of fieldsOf(ex, set)) {
    const name = f.name.value;
    if (name === '__typename' || name === 'Id' || name === 'DisplayValue' || name === 'ApiName') continue;
    const fd = field(def, name);
    if (fd) {
      if (fd.type !== 'address') out.add(`${prefix}${fd.name}`);
      continue;
    }
    const parent = parentRelationship(ex, def, name);
    if (parent) {
      for (const p of selectPaths(ex, parent.target, f.selectionSet, `${prefix}${parent.field.relationshipName}.`, [...path, name], null)) out.add(p);
      continue;
    }
    const rel = childRelationship(ex, def, name);
    if (rel && children) {
      children.push({ name: nameOf(f), node: f, child: rel.child, field: rel.field });
      continue;
    }
    throw new QueryError(`Field '${name}' in type '${def.name}' is undefined`, [...path, name]);
  }
  return [...out];
}

const currency = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

function displayValue(f: FieldDef, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (f.type) {
    case 'currency':
      return currency.format(Number(value));
    case 'picklist':
    case 'multipicklist':
      return String(value);
    default:
      return null;
  }
}

function scalar(f: FieldDef, value: unknown): unknown {
  if (value === undefined) return null;
  if (f.type === 'datetime' && typeof value === 'string') {
    const d = new Date(value.replace(/\+0000$/, 'Z'));
    return Number.isNaN(d.getTime()) ? value : d.toISOString();
  }
  return value;
}

function fieldValueNode(ex: Exec, f: FieldDef, value: unknown, sel: FieldNode): Json {
  const out: Json = {};
  for (const s of fieldsOf(ex, sel.selectionSet)) {
    const n = s.name.value;
    if (n === 'value') out[nameOf(s)] = scalar(f, value);
    else if (n === 'displayValue') out[nameOf(s)] = displayValue(f, value);
    else if (n === 'label') out[nameOf(s)] = f.label;
    else if (n === '__typename') out[nameOf(s)] = `${f.type[0].toUpperCase()}${f.type.slice(1)}Value`;
    else throw new QueryError(`Field '${n}' in type '${f.name}' value is undefined`);
  }
  return out;
}

function buildNode(ex: Exec, def: ObjectDef, row: Row, set: SelectionSetNode | undefined, childRows: Map<string, Map<string, Json>>): Json {
  const out: Json = {};
  for (const s of fieldsOf(ex, set)) {
    const name = s.name.value;
    const key = nameOf(s);
    if (name === '__typename') out[key] = def.name;
    else if (name === 'Id') out[key] = row.Id;
    else if (name === 'ApiName') out[key] = def.name;
    else if (name === 'DisplayValue') out[key] = (row.Name as string | undefined) ?? null;
    else {
      const fd = field(def, name);
      if (fd) {
        out[key] = fieldValueNode(ex, fd, row[fd.name], s);
        continue;
      }
      const parent = parentRelationship(ex, def, name);
      if (parent) {
        const p = row[parent.field.relationshipName!] as Row | null | undefined;
        out[key] = p ? buildNode(ex, parent.target, p, s.selectionSet, childRows) : null;
        continue;
      }
      out[key] = childRows.get(key)?.get(String(row.Id)) ?? connection([], 0, 0, s.selectionSet, ex, def);
    }
  }
  return out;
}

function connection(nodes: Json[], offset: number, total: number, set: SelectionSetNode | undefined, ex: Exec, _def: ObjectDef, hasNext = false): Json {
  const out: Json = {};
  for (const s of fieldsOf(ex, set)) {
    const n = s.name.value;
    if (n === 'edges') {
      out[nameOf(s)] = nodes.map((node, i) => {
        const edge: Json = {};
        for (const e of fieldsOf(ex, s.selectionSet)) {
          if (e.name.value === 'node') edge[nameOf(e)] = node;
          else if (e.name.value === 'cursor') edge[nameOf(e)] = cursorOf(offset + i);
          else if (e.name.value === '__typename') edge[nameOf(e)] = 'Edge';
        }
        return edge;
      });
    } else if (n === 'totalCount') out[nameOf(s)] = total;
    else if (n === 'pageResultCount') out[nameOf(s)] = nodes.length;
    else if (n === 'pageInfo') {
      const info: Json = {};
      for (const p of fieldsOf(ex, s.selectionSet)) {
        const pn = p.name.value;
        if (pn === 'hasNextPage') info[nameOf(p)] = hasNext;
        else if (pn === 'hasPreviousPage') info[nameOf(p)] = offset > 0;
        else if (pn === 'startCursor') info[nameOf(p)] = nodes.length ? cursorOf(offset) : null;
        else if (pn === 'endCursor') info[nameOf(p)] = nodes.length ? cursorOf(offset + nodes.length - 1) : null;
      }
      out[nameOf(s)] = info;
    } else if (n === '__typename') out[nameOf(s)] = 'Connection';
  }
  return out;
}

const cursorOf = (i: number): string => Buffer.from(`v1:${i}`).toString('base64');
function offsetAfter(after: unknown): number {
  if (typeof after !== 'string' || !after) return 0;
  const m = /^v1:(\d+)$/.exec(Buffer.from(after, 'base64').toString('utf8'));
  if (!m) throw new QueryError(`Invalid cursor: ${after}`);
  return Number(m[1]) + 1;
}

function pageSize(first: unknown, path: string[]): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  const n = Number(first);
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE_SIZE) throw new QueryError(`first must be between 0 and ${MAX_PAGE_SIZE}`, path);
  return n;
}

/** Child connections of the given parent rows: one query per relationship, grouped by parent. */
function childConnections(ex: Exec, parentIds: string[], plans: ChildPlan[], path: string[]): Map<string, Map<string, Json>> {
  const out = new Map<string, Map<string, Json>>();
  for (const plan of plans) {
    const a = args(ex, plan.node);
    const edges = fieldsOf(ex, plan.node.selectionSet).find((s) => s.name.value === 'edges');
    const nodeSel = edges && fieldsOf(ex, edges.selectionSet).find((s) => s.name.value === 'node');
    const grand: ChildPlan[] = [];
    const cpath = [...path, plan.name];
    const select = new Set(selectPaths(ex, plan.child, nodeSel?.selectionSet, '', [...cpath, 'edges', 'node'], grand));
    select.add(plan.field);
    const first = pageSize(a.first, cpath);
    const byParent = new Map<string, Json>();
    if (parentIds.length) {
      const filter = whereSoql(ex, plan.child, a.where, '', cpath);
      const order = orderSoql(ex, plan.child, a.orderBy, '', cpath);
      const ids = parentIds.map((id) => `'${id}'`).join(', ');
      const soql = `SELECT ${[...select].join(', ')} FROM ${plan.child.name} WHERE ${plan.field} IN (${ids})${filter ? ` AND (${filter})` : ''}${order.length ? ` ORDER BY ${order.join(', ')}` : ''}`;
      const rows = ex.db.query(soql, { userId: ex.userId }).records;
      const grandRows = childConnections(ex, rows.map((r) => String(r.Id)), grand, [...cpath, 'edges', 'node']);
      const groups = new Map<string, Row[]>();
      for (const r of rows) {
        const k = String(r[plan.field]);
        if (!groups.has(k)) groups.set(k, []);
        groups.get(k)!.push(r);
      }
      for (const [parentId, list] of groups) {
        const page = list.slice(0, first).map((r) => buildNode(ex, plan.child, r, nodeSel?.selectionSet, grandRows));
        byParent.set(parentId, connection(page, 0, list.length, plan.node.selectionSet, ex, plan.child, list.length > first));
      }
    }
    out.set(plan.name, byParent);
  }
  return out;
}

function runQueryField(ex: Exec, f: FieldNode, path: string[]): Json {
  const def = ex.db.schema.get(f.name.value);
  if (!def) throw new QueryError(`Field '${f.name.value}' in type 'RecordQuery' is undefined`, path);
  const a = args(ex, f);
  const edges = fieldsOf(ex, f.selectionSet).find((s) => s.name.value === 'edges');
  const nodeSel = edges && fieldsOf(ex, edges.selectionSet).find((s) => s.name.value === 'node');
  const children: ChildPlan[] = [];
  const select = selectPaths(ex, def, nodeSel?.selectionSet, '', [...path, 'edges', 'node'], children);
  const filter = whereSoql(ex, def, a.where, '', path);
  const order = orderSoql(ex, def, a.orderBy, '', path);
  const first = pageSize(a.first, path);
  const offset = offsetAfter(a.after);
  const from = ` FROM ${def.name}${filter ? ` WHERE ${filter}` : ''}`;
  const soql = `SELECT ${select.join(', ')}${from}${order.length ? ` ORDER BY ${order.join(', ')}` : ''} LIMIT ${first + 1}${offset ? ` OFFSET ${offset}` : ''}`;
  const rows = ex.db.query(soql, { userId: ex.userId }).records;
  const page = rows.slice(0, first);
  const wantsTotal = fieldsOf(ex, f.selectionSet).some((s) => s.name.value === 'totalCount');
  const total = wantsTotal ? ex.db.query(`SELECT COUNT()${from}`, { userId: ex.userId }).totalSize : offset + rows.length;
  const childRows = childConnections(ex, page.map((r) => String(r.Id)), children, [...path, 'edges', 'node']);
  const nodes = page.map((r) => buildNode(ex, def, r, nodeSel?.selectionSet, childRows));
  return connection(nodes, offset, total, f.selectionSet, ex, def, rows.length > first);
}

const AGG_FUNCS: Record<string, string> = { count: 'COUNT', countDistinct: 'COUNT_DISTINCT', sum: 'SUM', avg: 'AVG', min: 'MIN', max: 'MAX' };

function runAggregateField(ex: Exec, f: FieldNode, path: string[]): Json {
  const def = ex.db.schema.get(f.name.value);
  if (!def) throw new QueryError(`Field '${f.name.value}' in type 'RecordAggregate' is undefined`, path);
  const a = args(ex, f);
  const groupBy = Object.entries((a.groupBy ?? {}) as Json)
    .filter(([, v]) => (v as Json | null)?.group === true)
    .map(([k]) => {
      const fd = field(def, k);
      if (!fd) throw new QueryError(`Field '${k}' in groupBy of type '${def.name}' is undefined`, path);
      return fd.name;
    });
  const edges = fieldsOf(ex, f.selectionSet).find((s) => s.name.value === 'edges');
  const nodeSel = edges && fieldsOf(ex, edges.selectionSet).find((s) => s.name.value === 'node');
  const aggSel = nodeSel && fieldsOf(ex, nodeSel.selectionSet).find((s) => s.name.value === 'aggregate');
  // select list: group fields by name, functions as expr0..n in order
  const exprs: string[] = [];
  const plan: Array<{ key: string; fd: FieldDef; parts: Array<{ key: string; kind: 'value' | 'fn'; fn?: string; expr?: number; sel: FieldNode }> }> = [];
  for (const s of fieldsOf(ex, aggSel?.selectionSet)) {
    const fd = field(def, s.name.value);
    if (!fd) throw new QueryError(`Field '${s.name.value}' in type '${def.name}_AggregateNode' is undefined`, [...path, 'edges', 'node', 'aggregate']);
    const parts: (typeof plan)[number]['parts'] = [];
    for (const p of fieldsOf(ex, s.selectionSet)) {
      const n = p.name.value;
      if (n === 'value' || n === 'displayValue') {
        if (!groupBy.includes(fd.name)) throw new QueryError(`Field '${fd.name}' must be grouped to select its value`, path);
        parts.push({ key: nameOf(p), kind: 'value', sel: p });
      } else if (AGG_FUNCS[n]) {
        exprs.push(`${AGG_FUNCS[n]}(${fd.name})`);
        parts.push({ key: nameOf(p), kind: 'fn', fn: n, expr: exprs.length - 1, sel: p });
      }
    }
    plan.push({ key: nameOf(s), fd, parts });
  }
  const filter = whereSoql(ex, def, a.where, '', path);
  const select = [...groupBy, ...exprs];
  if (!select.length) select.push('COUNT(Id)');
  const soql = `SELECT ${select.join(', ')} FROM ${def.name}${filter ? ` WHERE ${filter}` : ''}${groupBy.length ? ` GROUP BY ${groupBy.join(', ')}` : ''}`;
  const rows = ex.db.query(soql, { userId: ex.userId }).records;
  const first = pageSize(a.first, path);
  const offset = offsetAfter(a.after);
  const page = rows.slice(offset, offset + first);
  const nodes = page.map((r) => {
    const aggregate: Json = {};
    for (const item of plan) {
      const obj: Json = {};
      for (const part of item.parts) {
        if (part.kind === 'value') {
          const v = r[item.fd.name];
          obj[part.key] = part.sel.name.value === 'value' ? scalar(item.fd, v) : displayValue(item.fd, v);
        }
        else {
          const v = r[`expr${part.expr!}`];
          const inner: Json = {};
          for (const q of fieldsOf(ex, part.sel.selectionSet)) {
            if (q.name.value === 'value') inner[nameOf(q)] = v ?? null;
            else if (q.name.value === 'displayValue') inner[nameOf(q)] = v === null || v === undefined ? null : String(v);
          }
          obj[part.key] = inner;
        }
      }
      aggregate[item.key] = obj;
    }
    const node: Json = {};
    for (const s of fieldsOf(ex, nodeSel?.selectionSet)) if (s.name.value === 'aggregate') node[nameOf(s)] = aggregate;
    return node;
  });
  return connection(nodes, offset, rows.length, f.selectionSet, ex, def, rows.length > offset + first);
}

function runUiapi(ex: Exec, f: FieldNode): Json {
  const out: Json = {};
  for (const s of fieldsOf(ex, f.selectionSet)) {
    const kind = s.name.value;
    if (kind === '__typename') {
      out[nameOf(s)] = 'UIAPI';
      continue;
    }
    if (kind !== 'query' && kind !== 'aggregate') throw new QueryError(`Field '${kind}' in type 'UIAPI' is undefined`, ['uiapi', kind]);
    const group: Json = {};
    for (const objField of fieldsOf(ex, s.selectionSet)) {
      const path = ['uiapi', kind, nameOf(objField)];
      group[nameOf(objField)] = kind === 'query' ? runQueryField(ex, objField, path) : runAggregateField(ex, objField, path);
    }
    out[nameOf(s)] = group;
  }
  return out;
}

function coerceVariables(op: OperationDefinitionNode, given: Vars): Vars {
  const vars: Vars = {};
  for (const d of op.variableDefinitions ?? []) {
    const name = d.variable.name.value;
    if (name in given) vars[name] = given[name];
    else if (d.defaultValue) vars[name] = valueFromASTUntyped(d.defaultValue);
    else if (d.type.kind === Kind.NON_NULL_TYPE) throw new QueryError(`Variable '${name}' has an invalid value: Variable '${name}' has coerced Null value for NonNull type`);
    else vars[name] = null;
  }
  return vars;
}

export function executeGraphQL(db: Database, body: GraphQLBody, opts: { userId?: string } = {}): GraphQLResponse {
  if (typeof body.query !== 'string' || !body.query.trim()) {
    return { data: null, errors: [{ message: 'The request has no query', extensions: { ErrorType: 'InvalidSyntax' } }] };
  }
  let doc: DocumentNode;
  try {
    doc = parse(body.query);
  } catch (e) {
    const g = e as GraphQLError;
    return { data: null, errors: [{ message: `Invalid Syntax : ${g.message}`, locations: g.locations, extensions: { ErrorType: 'InvalidSyntax' } }] };
  }
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = typeof body.operationName === 'string' ? ops.find((o) => o.name?.value === body.operationName) : ops.length === 1 ? ops[0] : undefined;
  if (!op) return { data: null, errors: [{ message: 'Unknown or ambiguous operation name', extensions: { ErrorType: 'ValidationError' } }] };
  if (op.operation !== 'query') {
    return { data: null, errors: [{ message: `The local org supports UI API GraphQL queries only, not ${op.operation}s`, extensions: { ErrorType: 'ValidationError' } }] };
  }
  const fragments = new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  try {
    const ex: Exec = { db, vars: {}, fragments, userId: opts.userId };
    ex.vars = coerceVariables(op, body.variables && typeof body.variables === 'object' ? (body.variables as Vars) : {});
    const data: Json = {};
    for (const f of fieldsOf(ex, op.selectionSet)) {
      if (f.name.value === '__typename') data[nameOf(f)] = 'Query';
      else if (f.name.value === 'uiapi') data[nameOf(f)] = runUiapi(ex, f);
      else throw new QueryError(`Field '${f.name.value}' in type 'Query' is undefined`, [f.name.value]);
    }
    return { data };
  } catch (e) {
    if (e instanceof QueryError) {
      return { data: null, errors: [{ message: `Validation error of type FieldUndefined: ${e.message}${e.path.length ? ` @ '${e.path.join('/')}'` : ''}`, path: e.path, extensions: { ErrorType: e.errorType } }] };
    }
    if (e instanceof SalesforceError) return { data: null, errors: [{ message: `${e.errorCode}: ${e.message}`, extensions: { ErrorType: 'DataFetchingException', errorCode: e.errorCode } }] };
    throw e;
  }
}
