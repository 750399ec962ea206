/**
 * The REST API of the local org: versions, resources, limits, identity, describe, sObject
 * CRUD and upsert, SOQL query/queryAll with cursors, sObject collections and composite.
 * Payloads follow the REST API Developer Guide; platform rules live in the database.
 */
import { SalesforceError } from '../errors.js';
import { normalizeId } from '../../domain/ids.js';
import type { Row } from '../database.js';
import type { ObjectDef } from '../schema.js';
import { LOCK_ROW_MESSAGE } from '../faults.js';
import { describeObject, globalEntry } from './describe.js';
import { LATEST_API_VERSION, type OrgContext } from './context.js';
import { atomically, atomicallyAsync, RollBack } from './transaction.js';
import {
  errorReply,
  json,
  noContent,
  notFound,
  readJsonObject,
  type Reply,
  type Request,
  type Router
} from './kit.js';

const V = '/services/data/v(?<version>\\d+\\.\\d)';
const FIRST_VERSION = 20;
const LAST_VERSION = Number(LATEST_API_VERSION);

export function versions(): Array<{ label: string; url: string; version: string }> {
  const out = [];
  for (let v = FIRST_VERSION; v <= LAST_VERSION; v++) {
    const i = v - FIRST_VERSION;
    const season = ['Winter', 'Spring', 'Summer'][i % 3];
    const year = String(11 + Math.floor(i / 3)).padStart(2, '0');
    out.push({ label: `${season} '${year}`, url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

function requireObject(ctx: OrgContext, name: string): ObjectDef {
  const def = ctx.db.schema.get(name);
  if (!def) throw new SalesforceError('NOT_FOUND', `The requested resource does not exist`, [], 404);
  return def;
}

/** Strips `attributes` (and the given keys) from a JSON record body. */
function fieldsOf(body: Record<string, unknown>, ...drop: string[]): Row {
  const lower = new Set(drop.map((d) => d.toLowerCase()));
  const out: Row = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === 'attributes' || lower.has(k.toLowerCase())) continue;
    out[k] = v;
  }
  return out;
}

function dmlError(e: unknown): { statusCode: string; message: string; fields: string[] } {
  if (e instanceof SalesforceError) return { statusCode: e.errorCode, message: e.message, fields: e.fields };
  return { statusCode: 'UNKNOWN_EXCEPTION', message: e instanceof Error ? e.message : String(e), fields: [] };
}

function rethrowAsRest(e: unknown): never {
  if (e instanceof SalesforceError) throw e;
  throw new SalesforceError('UNKNOWN_EXCEPTION', e instanceof Error ? e.message : String(e), [], 500);
}

function withAttributes(version: string, sobject: string, row: Row): Row {
  if (row.attributes) return row;
  return { attributes: { type: sobject, url: `/services/data/v${version}/sobjects/${sobject}/${String(row.Id)}` }, ...row };
}

function checkLock(ctx: OrgContext, id: string): void {
  if (ctx.faults.lockRow()) {
    throw new SalesforceError('UNABLE_TO_LOCK_ROW', `${LOCK_ROW_MESSAGE} or 1 records: ${id}`, []);
  }
}

export function userInfo(ctx: OrgContext): Record<string, unknown> {
  const { identity, instanceUrl } = ctx;
  const user = ctx.db.retrieve('User', identity.userId) ?? {};
  const v = LATEST_API_VERSION;
  const name = String(user.Name ?? [user.FirstName, user.LastName].filter(Boolean).join(' ') ?? identity.username);
  return {
    sub: `${instanceUrl}/id/${identity.orgId}/${identity.userId}`,
    user_id: identity.userId,
    organization_id: identity.orgId,
    preferred_username: identity.username,
    nickname: identity.username.split('@')[0],
    name,
    email: String(user.Email ?? identity.username),
    email_verified: true,
    given_name: String(user.FirstName ?? ''),
    family_name: String(user.LastName ?? ''),
    zoneinfo: 'America/Los_Angeles',
    photos: { picture: `${instanceUrl}/profilephoto/005/F`, thumbnail: `${instanceUrl}/profilephoto/005/T` },
    profile: `${instanceUrl}/${identity.userId}`,
    picture: `${instanceUrl}/profilephoto/005/F`,
    address: {},
    is_salesforce_integration_user: false,
    urls: {
      enterprise: `${instanceUrl}/services/Soap/c/{version}/${identity.orgId}`,
      metadata: `${instanceUrl}/services/Soap/m/{version}/${identity.orgId}`,
      partner: `${instanceUrl}/services/Soap/u/{version}/${identity.orgId}`,
      rest: `${instanceUrl}/services/data/v{version}/`,
      sobjects: `${instanceUrl}/services/data/v{version}/sobjects/`,
      search: `${instanceUrl}/services/data/v{version}/search/`,
      query: `${instanceUrl}/services/data/v{version}/query/`,
      recent: `${instanceUrl}/services/data/v{version}/recent/`,
      tooling_soap: `${instanceUrl}/services/Soap/T/{version}/${identity.orgId}`,
      tooling_rest: `${instanceUrl}/services/data/v{version}/tooling/`,
      profile: `${instanceUrl}/${identity.userId}`,
      custom_domain: instanceUrl
    },
    active: user.IsActive !== false,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    updated_at: new Date().toISOString(),
    is_app_installed: true,
    api_version: v
  };
}

function identityDocument(ctx: OrgContext): Record<string, unknown> {
  const info = userInfo(ctx);
  return {
    id: info.sub,
    asserted_user: true,
    user_id: info.user_id,
    organization_id: info.organization_id,
    username: info.preferred_username,
    nick_name: info.nickname,
    display_name: info.name,
    email: info.email,
    email_verified: true,
    first_name: info.given_name,
    last_name: info.family_name,
    timezone: info.zoneinfo,
    photos: info.photos,
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: info.urls,
    active: info.active,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    last_modified_date: info.updated_at,
    is_app_installed: true
  };
}

function limits(): Record<string, { Max: number; Remaining: number }> {
  const l = (Max: number, Remaining = Max) => ({ Max, Remaining });
  return {
    ConcurrentAsyncGetReportInstances: l(200),
    ConcurrentSyncReportRuns: l(20),
    DailyApiRequests: l(5_000_000),
    DailyAsyncApexExecutions: l(250_000),
    DailyBulkApiBatches: l(15_000),
    DailyBulkV2QueryFileStorageMB: l(1_024_000),
    DailyBulkV2QueryJobs: l(10_000),
    DataStorageMB: l(1_000_000),
    FileStorageMB: l(1_000_000),
    HourlyPublishedPlatformEvents: l(250_000),
    MassEmail: l(5000),
    SingleEmail: l(5000)
  };
}

function resources(version: string, ctx: OrgContext): Record<string, string> {
  const base = `/services/data/v${version}`;
  const names = ['tooling', 'metadata', 'chatter', 'tabs', 'appMenu', 'quickActions', 'queryAll', 'search', 'composite', 'theme', 'recent', 'limits', 'query', 'sobjects', 'actions', 'jobs', 'async-queries', 'connect'];
  const out: Record<string, string> = {};
  for (const n of names) out[n] = `${base}/${n}`;
  out.identity = `${ctx.instanceUrl}/id/${ctx.identity.orgId}/${ctx.identity.userId}`;
  return out;
}

// ---------- query ----------

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Row[];
}

function batchSizeOf(req: Request, ctx: OrgContext): number {
  const options = String(req.headers['sforce-query-options'] ?? '');
  const m = /batchSize\s*=\s*(\d+)/i.exec(options);
  const max = ctx.limits.queryBatchSize;
  if (!m) return max;
  return Math.min(max, Math.max(200, Number(m[1])));
}

function page(ctx: OrgContext, version: string, records: Row[], totalSize: number, offset: number, size: number, cursorId?: string): QueryPage {
  const slice = records.slice(offset, offset + size);
  const next = offset + size;
  if (next >= records.length) {
    if (cursorId) ctx.cursors.close(cursorId);
    return { totalSize, done: true, records: slice };
  }
  const id = cursorId ?? ctx.cursors.open(records, totalSize);
  return { totalSize, done: false, nextRecordsUrl: `/services/data/v${version}/query/${id}-${next}`, records: slice };
}

function columnMetadata(result: ReturnType<OrgContext['db']['query']>, ctx: OrgContext): Record<string, unknown> {
  const fill = (c: Record<string, unknown>): Record<string, unknown> => ({
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: c.columnName,
    custom: typeof c.columnName === 'string' && c.columnName.endsWith('__c'),
    displayName: c.displayName ?? c.columnName,
    foreignKeyName: null,
    insertable: false,
    numberType: false,
    textType: false,
    updatable: false,
    ...c,
    joinColumns: Array.isArray(c.joinColumns) ? (c.joinColumns as Array<Record<string, unknown>>).map(fill) : []
  });
  const columns = (result.columns as unknown as Array<Record<string, unknown>>).map(fill);
  const def = ctx.db.schema.get(result.entityName);
  return {
    columnMetadata: columns,
    entityName: result.entityName,
    groupBy: columns.some((c) => c.aggregate === true) && columns.some((c) => c.aggregate !== true),
    idSelected: columns.some((c) => String(c.columnName).toLowerCase() === 'id'),
    keyPrefix: def?.keyPrefix ?? null
  };
}

function runQuery(req: Request, ctx: OrgContext, includeDeleted: boolean): Reply {
  const soql = req.query.get('q');
  if (!soql || !soql.trim()) {
    throw new SalesforceError('MALFORMED_QUERY', 'A query string has to be specified');
  }
  const result = ctx.db.query(soql, { includeDeleted, userId: ctx.identity.userId });
  if (req.query.get('columns') === 'true') return json(200, columnMetadata(result, ctx));
  return json(200, page(ctx, req.params.version, result.records, result.totalSize, 0, batchSizeOf(req, ctx)));
}

function queryMore(req: Request, ctx: OrgContext): Reply {
  const m = /^(?<id>[a-zA-Z0-9]{15,18})-(?<offset>\d+)$/.exec(req.params.locator);
  const cursor = m?.groups ? ctx.cursors.get(m.groups.id) : undefined;
  if (!m?.groups || !cursor) {
    return errorReply(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  const offset = Number(m.groups.offset);
  return json(200, page(ctx, req.params.version, cursor.records, cursor.totalSize, offset, batchSizeOf(req, ctx), m.groups.id));
}

// ---------- sObject rows ----------

function retrieveFields(def: ObjectDef, req: Request): string[] | undefined {
  const fields = req.query.get('fields');
  if (!fields) return undefined;
  const names = fields.split(',').map((f) => f.trim()).filter(Boolean);
  for (const n of names) {
    if (!def.fields.has(n.toLowerCase())) {
      throw new SalesforceError('INVALID_FIELD', `No such column '${n}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
    }
  }
  return names;
}

function fullRow(def: ObjectDef, row: Row, fields?: string[]): Row {
  const names = fields ?? [...def.fields.values()].filter((f) => f.type !== 'address').map((f) => f.name);
  const out: Row = {};
  for (const n of names) {
    const canonical = def.fields.get(n.toLowerCase())?.name ?? n;
    out[canonical] = row[canonical] ?? null;
  }
  return out;
}

function getRecord(req: Request, ctx: OrgContext): Reply {
  const def = requireObject(ctx, req.params.sobject);
  const id = normalizeId(req.params.id);
  if (!id) return errorReply(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${req.params.id}`);
  const fields = retrieveFields(def, req);
  const row = ctx.db.retrieve(def.name, id, fields);
  if (!row || row.IsDeleted === true) return notFound();
  return json(200, withAttributes(req.params.version, def.name, fullRow(def, row, fields)));
}

async function createRecord(req: Request, ctx: OrgContext): Promise<Reply> {
  const def = requireObject(ctx, req.params.sobject);
  const body = await readJsonObject(req);
  try {
    const id = ctx.db.insert(def.name, fieldsOf(body, 'Id'), { userId: ctx.identity.userId });
    return json(201, { id, success: true, errors: [] });
  } catch (e) {
    rethrowAsRest(e);
  }
}

async function updateRecord(req: Request, ctx: OrgContext): Promise<Reply> {
  const def = requireObject(ctx, req.params.sobject);
  const id = normalizeId(req.params.id);
  if (!id) return errorReply(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${req.params.id}`);
  const body = await readJsonObject(req);
  checkLock(ctx, id);
  ctx.db.update(def.name, id, fieldsOf(body, 'Id'), { userId: ctx.identity.userId });
  return noContent();
}

function deleteRecord(req: Request, ctx: OrgContext): Reply {
  const def = requireObject(ctx, req.params.sobject);
  const id = normalizeId(req.params.id);
  if (!id) return errorReply(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${req.params.id}`);
  const row = ctx.db.retrieve(def.name, id, ['Id']);
  if (!row) return notFound();
  checkLock(ctx, id);
  ctx.db.delete(def.name, id, { userId: ctx.identity.userId });
  return noContent();
}

function externalIdField(def: ObjectDef, name: string): string {
  const f = def.fields.get(name.toLowerCase());
  if (!f || !(f.externalId || f.type === 'id' || (f.unique && f.type === 'string'))) {
    throw new SalesforceError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${name}`, [], 404);
  }
  return f.name;
}

async function upsertRecord(req: Request, ctx: OrgContext): Promise<Reply> {
  const def = requireObject(ctx, req.params.sobject);
  const field = externalIdField(def, req.params.field);
  const body = await readJsonObject(req);
  const fields = fieldsOf(body, field);
  const { id, created } = ctx.db.upsert(def.name, field, req.params.value, fields, { userId: ctx.identity.userId });
  return json(created ? 201 : 200, { id, success: true, errors: [], created });
}

function getByExternalId(req: Request, ctx: OrgContext): Reply {
  const def = requireObject(ctx, req.params.sobject);
  const field = externalIdField(def, req.params.field);
  const value = req.params.value.replace(/'/g, "\\'");
  const fields = retrieveFields(def, req) ?? [...def.fields.values()].filter((f) => f.type !== 'address').map((f) => f.name);
  const result = ctx.db.query(`SELECT ${fields.join(', ')} FROM ${def.name} WHERE ${field} = '${value}'`);
  if (result.records.length === 0) return notFound();
  if (result.records.length > 1) {
    return json(300, result.records.map((r) => `/services/data/v${req.params.version}/sobjects/${def.name}/${String(r.Id)}`));
  }
  return json(200, result.records[0]);
}

function deleteByExternalId(req: Request, ctx: OrgContext): Reply {
  const def = requireObject(ctx, req.params.sobject);
  const field = externalIdField(def, req.params.field);
  const value = req.params.value.replace(/'/g, "\\'");
  const result = ctx.db.query(`SELECT Id FROM ${def.name} WHERE ${field} = '${value}'`);
  if (result.records.length === 0) return notFound();
  if (result.records.length > 1) return errorReply(300, 'MULTIPLE_CHOICES', `More than one record found for ${field}`);
  ctx.db.delete(def.name, String(result.records[0].Id), { userId: ctx.identity.userId });
  return noContent();
}

// ---------- sObject collections ----------

interface SaveResult {
  id: string | null;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
  created?: boolean;
}

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [] as string[]
};

function maxRecords(n: number): void {
  if (n > 200) {
    throw new SalesforceError('EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');
  }
}

/**
 * Runs one DML per record; with allOrNone, one failure rolls all back and every other record
 * reports ALL_OR_NONE_OPERATION_ROLLED_BACK, as the collections resource does.
 */
function collection<T>(ctx: OrgContext, items: T[], allOrNone: boolean, op: (item: T) => SaveResult): SaveResult[] {
  const run = (): SaveResult[] =>
    items.map((item) => {
      try {
        return op(item);
      } catch (e) {
        return { id: null, success: false, errors: [dmlError(e)] };
      }
    });
  if (!allOrNone) return run();
  let results: SaveResult[] = [];
  try {
    atomically(ctx.db, () => {
      results = run();
      if (results.some((r) => !r.success)) throw new RollBack();
    });
  } catch (e) {
    if (!(e instanceof RollBack)) throw e;
    return results.map((r) => (r.success ? { id: null, success: false, errors: [ROLLED_BACK] } : r));
  }
  return results;
}

function recordType(record: Record<string, unknown>): string {
  const attrs = record.attributes as { type?: string } | undefined;
  if (!attrs?.type) throw new SalesforceError('INVALID_TYPE', 'Missing attributes.type for sObject record');
  return attrs.type;
}

async function collectionBody(req: Request): Promise<{ allOrNone: boolean; records: Array<Record<string, unknown>> }> {
  const body = await readJsonObject(req);
  const records = body.records;
  if (!Array.isArray(records)) throw new SalesforceError('JSON_PARSER_ERROR', "The request body must have a 'records' array");
  maxRecords(records.length);
  return { allOrNone: body.allOrNone === true, records: records as Array<Record<string, unknown>> };
}

async function collectionCreate(req: Request, ctx: OrgContext): Promise<Reply> {
  const { allOrNone, records } = await collectionBody(req);
  const results = collection(ctx, records, allOrNone, (r) => {
    const type = recordType(r);
    if (r.id || r.Id) throw new SalesforceError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
    const id = ctx.db.insert(requireObject(ctx, type).name, fieldsOf(r), { userId: ctx.identity.userId });
    return { id, success: true, errors: [] };
  });
  return json(200, results);
}

async function collectionUpdate(req: Request, ctx: OrgContext): Promise<Reply> {
  const { allOrNone, records } = await collectionBody(req);
  const results = collection(ctx, records, allOrNone, (r) => {
    const type = recordType(r);
    const raw = String(r.id ?? r.Id ?? '');
    const id = normalizeId(raw);
    if (!id) throw new SalesforceError('MALFORMED_ID', `Id in update: ${raw || 'missing'}`, ['Id']);
    checkLock(ctx, id);
    ctx.db.update(requireObject(ctx, type).name, id, fieldsOf(r, 'id'), { userId: ctx.identity.userId });
    return { id, success: true, errors: [] };
  });
  return json(200, results);
}

async function collectionUpsert(req: Request, ctx: OrgContext): Promise<Reply> {
  const def = requireObject(ctx, req.params.sobject);
  const field = externalIdField(def, req.params.field);
  const { allOrNone, records } = await collectionBody(req);
  const results = collection(ctx, records, allOrNone, (r) => {
    const value = r[field] ?? Object.entries(r).find(([k]) => k.toLowerCase() === field.toLowerCase())?.[1];
    if (value === undefined || value === null || value === '') {
      throw new SalesforceError('MISSING_ARGUMENT', `${field} not specified`, [field]);
    }
    const { id, created } = ctx.db.upsert(def.name, field, String(value), fieldsOf(r, field), { userId: ctx.identity.userId });
    return { id, success: true, errors: [], created };
  });
  return json(200, results);
}

function collectionDelete(req: Request, ctx: OrgContext): Reply {
  const ids = (req.query.get('ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new SalesforceError('MISSING_ARGUMENT', 'ids parameter is required');
  maxRecords(ids.length);
  const allOrNone = req.query.get('allOrNone') === 'true';
  const results = collection(ctx, ids, allOrNone, (raw) => {
    const id = normalizeId(raw);
    if (!id) throw new SalesforceError('MALFORMED_ID', `malformed id ${raw}`, []);
    const def = ctx.db.schema.byKeyPrefix(id.slice(0, 3));
    if (!def || !ctx.db.retrieve(def.name, id, ['Id'])) {
      throw new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', []);
    }
    checkLock(ctx, id);
    ctx.db.delete(def.name, id, { userId: ctx.identity.userId });
    return { id, success: true, errors: [] };
  });
  return json(200, results);
}

async function collectionRetrieve(req: Request, ctx: OrgContext): Promise<Reply> {
  const def = requireObject(ctx, req.params.sobject);
  let ids: string[];
  let fields: string[];
  if (req.method === 'POST') {
    const body = await readJsonObject(req);
    ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
    fields = Array.isArray(body.fields) ? body.fields.map(String) : [];
  } else {
    ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
    fields = (req.query.get('fields') ?? '').split(',').filter(Boolean);
  }
  if (fields.length === 0) throw new SalesforceError('MISSING_ARGUMENT', 'fields parameter is required');
  const fakeReq = { ...req, query: new URLSearchParams({ fields: fields.join(',') }) };
  const names = retrieveFields(def, fakeReq as Request);
  const out = ids.map((raw) => {
    const id = normalizeId(raw);
    const row = id ? ctx.db.retrieve(def.name, id, names) : undefined;
    return row && row.IsDeleted !== true ? withAttributes(req.params.version, def.name, fullRow(def, row, names)) : null;
  });
  return json(200, out);
}

// ---------- composite ----------

function substitute(value: unknown, results: Map<string, unknown>): unknown {
  const replaceIn = (s: string): string =>
    s.replace(/@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g, (whole, ref: string, path: string) => {
      if (!results.has(ref)) throw new SalesforceError('INVALID_REFERENCE', `Invalid reference specified. No value for ${ref}${path} found in ${ref}.`);
      let cur: unknown = results.get(ref);
      for (const part of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
        const key = part.startsWith('.') ? part.slice(1) : Number(part.slice(1, -1));
        cur = cur === null || cur === undefined ? undefined : (cur as Record<string | number, unknown>)[key];
      }
      if (cur === undefined) throw new SalesforceError('INVALID_REFERENCE', `Invalid reference specified. No value for ${ref}${path} found in ${ref}.`);
      return String(cur);
    });
  if (typeof value === 'string') return replaceIn(value);
  if (Array.isArray(value)) return value.map((v) => substitute(v, results));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, results)]));
  }
  return value;
}

async function composite(req: Request, ctx: OrgContext): Promise<Reply> {
  const body = await readJsonObject(req);
  const subs = body.compositeRequest;
  if (!Array.isArray(subs)) throw new SalesforceError('JSON_PARSER_ERROR', "The request body must have a 'compositeRequest' array");
  if (subs.length > 25) throw new SalesforceError('LIMIT_EXCEEDED', 'Maximum number of subrequests (25) exceeded');
  const allOrNone = body.allOrNone === true;
  const results = new Map<string, unknown>();
  const responses: Array<Record<string, unknown>> = [];
  const dispatch = ctx.dispatch;
  if (!dispatch) throw new Error('composite needs a dispatcher');
  const halted = (referenceId: unknown): Record<string, unknown> => ({
    body: [{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }],
    httpHeaders: {},
    httpStatusCode: 400,
    referenceId
  });
  const runAll = async (): Promise<boolean> => {
    for (const raw of subs as Array<Record<string, unknown>>) {
      let url: string;
      let subBody: unknown;
      try {
        url = substitute(String(raw.url ?? ''), results) as string;
        subBody = substitute(raw.body, results);
      } catch (e) {
        const err = e instanceof SalesforceError ? e : new SalesforceError('UNKNOWN_EXCEPTION', String(e));
        responses.push({ body: [{ errorCode: 'PROCESSING_HALTED', message: err.message }], httpHeaders: {}, httpStatusCode: 400, referenceId: raw.referenceId });
        if (allOrNone) return false;
        continue;
      }
      const r = await dispatch(String(raw.method ?? 'GET').toUpperCase(), url, subBody, raw.httpHeaders as Record<string, string> | undefined);
      responses.push({ body: r.body ?? null, httpHeaders: r.headers, httpStatusCode: r.status, referenceId: raw.referenceId });
      if (r.status < 300) results.set(String(raw.referenceId), r.body);
      else if (allOrNone) return false;
    }
    return true;
  };
  if (!allOrNone) {
    await runAll();
    return json(200, { compositeResponse: responses });
  }
  // All-or-none: sub-requests run synchronously against the database inside one transaction.
  const ok = await atomicallyAsync(ctx.db, runAll);
  if (ok) return json(200, { compositeResponse: responses });
  const failedAt = responses.findIndex((r) => Number(r.httpStatusCode) >= 300);
  const out = (subs as Array<Record<string, unknown>>).map((s, i) => (i === failedAt ? responses[i] : halted(s.referenceId)));
  return json(200, { compositeResponse: out });
}

async function compositeBatch(req: Request, ctx: OrgContext): Promise<Reply> {
  const body = await readJsonObject(req);
  const subs = body.batchRequests;
  if (!Array.isArray(subs)) throw new SalesforceError('JSON_PARSER_ERROR', "The request body must have a 'batchRequests' array");
  if (subs.length > 25) throw new SalesforceError('LIMIT_EXCEEDED', 'Maximum number of subrequests (25) exceeded');
  const dispatch = ctx.dispatch;
  if (!dispatch) throw new Error('composite needs a dispatcher');
  const results: Array<{ statusCode: number; result: unknown }> = [];
  let hasErrors = false;
  for (const s of subs as Array<Record<string, unknown>>) {
    if (hasErrors && body.haltOnError === true) {
      results.push({ statusCode: 412, result: [{ errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }] });
      continue;
    }
    let url = String(s.url ?? '');
    if (!url.startsWith('/services/')) url = `/services/data/${url.replace(/^\/+/, '')}`;
    const r = await dispatch(String(s.method ?? 'GET').toUpperCase(), url, s.richInput);
    if (r.status >= 400) hasErrors = true;
    results.push({ statusCode: r.status, result: r.body ?? null });
  }
  return json(200, { hasErrors, results });
}

// ---------- tooling ----------

function toolingQuery(req: Request): Reply {
  const soql = req.query.get('q') ?? '';
  const m = /\bfrom\s+([A-Za-z0-9_]+)/i.exec(soql);
  if (!m) throw new SalesforceError('MALFORMED_QUERY', 'unexpected token: query must have a FROM clause');
  // The local org has no sandboxes, packages or Apex: tooling queries answer empty, as a fresh org would.
  return json(200, { size: 0, totalSize: 0, done: true, queryLocator: null, entityTypeName: m[1], records: [] });
}

export function registerRest(router: Router, ctx: OrgContext): void {
  const S = `${V}/sobjects/(?<sobject>[A-Za-z0-9_]+)`;
  router
    .add('GET', /^\/services\/oauth2\/userinfo$/, 'userinfo', () => json(200, userInfo(ctx)))
    .add('POST', /^\/services\/oauth2\/userinfo$/, 'userinfo', () => json(200, userInfo(ctx)))
    .add('POST', /^\/services\/oauth2\/revoke$/, 'revoke', () => ({ status: 200, text: '' }))
    .add('GET', /^\/id\/(?<org>[A-Za-z0-9]{15,18})\/(?<user>[A-Za-z0-9]{15,18})$/, 'identity', () => json(200, identityDocument(ctx)))
    .add('GET', /^\/services\/data$/, 'versions', () => json(200, versions()))
    .add('GET', new RegExp(`^${V}$`), 'resources', (req) => json(200, resources(req.params.version, ctx)))
    .add('GET', new RegExp(`^${V}/limits$`), 'limits', () => json(200, limits()))
    .add('GET', new RegExp(`^${V}/sobjects$`), 'describeGlobal', (req) =>
      json(200, {
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: [...ctx.db.schema.objects.values()].sort((a, b) => a.name.localeCompare(b.name)).map((d) => globalEntry(req.params.version, d))
      })
    )
    .add('GET', new RegExp(`^${S}/describe$`), 'describe', (req) => json(200, describeObject(req.params.version, requireObject(ctx, req.params.sobject))))
    .add('GET', new RegExp(`^${S}$`), 'sobjectInfo', (req) =>
      json(200, { objectDescribe: globalEntry(req.params.version, requireObject(ctx, req.params.sobject)), recentItems: [] })
    )
    .add('POST', new RegExp(`^${S}$`), 'create', (req) => createRecord(req, ctx))
    .add('GET', new RegExp(`^${S}/(?<field>[A-Za-z0-9_]+)/(?<value>[^/]+)$`), 'retrieveByExternalId', (req) => getByExternalId(req, ctx))
    .add('PATCH', new RegExp(`^${S}/(?<field>[A-Za-z0-9_]+)/(?<value>[^/]+)$`), 'upsert', (req) => upsertRecord(req, ctx))
    .add('DELETE', new RegExp(`^${S}/(?<field>[A-Za-z0-9_]+)/(?<value>[^/]+)$`), 'deleteByExternalId', (req) => deleteByExternalId(req, ctx))
    .add('GET', new RegExp(`^${S}/(?<id>[A-Za-z0-9]+)$`), 'retrieve', (req) => getRecord(req, ctx))
    .add('PATCH', new RegExp(`^${S}/(?<id>[A-Za-z0-9]+)$`), 'update', (req) => updateRecord(req, ctx))
    .add('DELETE', new RegExp(`^${S}/(?<id>[A-Za-z0-9]+)$`), 'delete', (req) => deleteRecord(req, ctx))
    .add('GET', new RegExp(`^${V}/query$`), 'query', (req) => runQuery(req, ctx, false))
    .add('GET', new RegExp(`^${V}/queryAll$`), 'queryAll', (req) => runQuery(req, ctx, true))
    .add('GET', new RegExp(`^${V}/query(?:All)?/(?<locator>[A-Za-z0-9]+-\\d+)$`), 'queryMore', (req) => queryMore(req, ctx))
    .add('POST', new RegExp(`^${V}/composite/sobjects$`), 'collectionCreate', (req) => collectionCreate(req, ctx))
    .add('PATCH', new RegExp(`^${V}/composite/sobjects$`), 'collectionUpdate', (req) => collectionUpdate(req, ctx))
    .add('DELETE', new RegExp(`^${V}/composite/sobjects$`), 'collectionDelete', (req) => collectionDelete(req, ctx))
    .add('GET', new RegExp(`^${V}/composite/sobjects/(?<sobject>[A-Za-z0-9_]+)$`), 'collectionRetrieve', (req) => collectionRetrieve(req, ctx))
    .add('POST', new RegExp(`^${V}/composite/sobjects/(?<sobject>[A-Za-z0-9_]+)$`), 'collectionRetrieve', (req) => collectionRetrieve(req, ctx))
    .add('PATCH', new RegExp(`^${V}/composite/sobjects/(?<sobject>[A-Za-z0-9_]+)/(?<field>[A-Za-z0-9_]+)$`), 'collectionUpsert', (req) => collectionUpsert(req, ctx))
    .add('POST', new RegExp(`^${V}/composite$`), 'composite', (req) => composite(req, ctx))
    .add('POST', new RegExp(`^${V}/composite/batch$`), 'compositeBatch', (req) => compositeBatch(req, ctx))
    .add('GET', new RegExp(`^${V}/tooling/query$`), 'toolingQuery', (req) => toolingQuery(req));
}
