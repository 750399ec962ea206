/**
 * The UI API of the local org: what Lightning Data Service and `lightning/graphql` call from
 * a Lightning page. Registered on the org's router before the REST API.
 */
import { normalizeId } from '../../domain/ids.js';
import { SalesforceError } from '../errors.js';
import type { OrgContext } from '../http/context.js';
import { json, noContent, readJsonObject, type Reply, type Request, type Router } from '../http/kit.js';
import { atomically } from '../http/transaction.js';
import type { Row } from '../database.js';
import type { ObjectDef } from '../schema.js';
import { executeGraphQL } from './graphql.js';
import { dmlErrorBody, getRecordRep, objectInfo, objectOfId, picklistValues, writtenRecordRep } from './records.js';

export { executeGraphQL } from './graphql.js';

const V = '/services/data/v(?<version>\\d+\\.\\d)';
const UI = `${V}/ui-api`;

function list(req: Request, name: string): string[] {
  return req.query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function requireObject(ctx: OrgContext, name: string): ObjectDef {
  const def = ctx.db.schema.get(name);
  if (!def) throw new SalesforceError('NOT_FOUND', `The requested resource does not exist`, [], 404);
  return def;
}

function fieldsBody(body: Record<string, unknown>): Row {
  const fields = body.fields;
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw new SalesforceError('INVALID_INPUT', 'The body must have a fields object', [], 400);
  return { ...(fields as Row) };
}

/** Writes answer with UI API's record error body instead of REST's error array. */
function dml(def: ObjectDef | undefined, fn: () => Reply): Reply {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SalesforceError && e.statusCode === 400) return json(400, dmlErrorBody(def, e));
    throw e;
  }
}

export function registerUiApi(router: Router, ctx: OrgContext): void {
  const user = (): { userId: string } => ({ userId: ctx.identity.userId });
  router
    .add('POST', new RegExp(`^${V}/graphql$`), 'graphql', async (req) => {
      const body = await readJsonObject(req);
      return json(200, executeGraphQL(ctx.db, body, { userId: ctx.identity.userId }));
    })
    .add('GET', new RegExp(`^${UI}/object-info/(?<sobject>[A-Za-z0-9_]+)$`), 'uiObjectInfo', (req) => json(200, objectInfo(ctx.db, requireObject(ctx, req.params.sobject))))
    .add('GET', new RegExp(`^${UI}/object-info/(?<sobject>[A-Za-z0-9_]+)/picklist-values/(?<rt>[A-Za-z0-9]+)$`), 'uiPicklistValues', (req) =>
      json(200, picklistValues(requireObject(ctx, req.params.sobject), req.params.version))
    )
    .add('GET', new RegExp(`^${UI}/object-info/(?<sobject>[A-Za-z0-9_]+)/picklist-values/(?<rt>[A-Za-z0-9]+)/(?<field>[A-Za-z0-9_]+)$`), 'uiPicklistValues', (req) =>
      json(200, picklistValues(requireObject(ctx, req.params.sobject), req.params.version, req.params.field))
    )
    .add('GET', new RegExp(`^${UI}/records/(?<id>[A-Za-z0-9]{15,18})$`), 'uiGetRecord', (req) =>
      json(200, getRecordRep(ctx.db, req.params.id, list(req, 'fields'), list(req, 'optionalFields')))
    )
    .add('PATCH', new RegExp(`^${UI}/records/(?<id>[A-Za-z0-9]{15,18})$`), 'uiUpdateRecord', async (req) => {
      const def = objectOfId(ctx.db, req.params.id);
      const id = normalizeId(req.params.id)!;
      const fields = fieldsBody(await readJsonObject(req));
      delete fields.Id;
      if (!ctx.db.retrieve(def.name, id, ['Id'])) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', [], 404);
      return dml(def, () => {
        atomically(ctx.db, () => ctx.db.update(def.name, id, fields, user()));
        return json(200, writtenRecordRep(ctx.db, def, id, Object.keys(fields)));
      });
    })
    .add('DELETE', new RegExp(`^${UI}/records/(?<id>[A-Za-z0-9]{15,18})$`), 'uiDeleteRecord', (req) => {
      const def = objectOfId(ctx.db, req.params.id);
      const id = normalizeId(req.params.id)!;
      if (!ctx.db.retrieve(def.name, id, ['Id'])) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', [], 404);
      return dml(def, () => {
        ctx.db.delete(def.name, id, user());
        return noContent();
      });
    })
    .add('POST', new RegExp(`^${UI}/records$`), 'uiCreateRecord', async (req) => {
      const body = await readJsonObject(req);
      if (typeof body.apiName !== 'string') throw new SalesforceError('INVALID_INPUT', 'The body must name the object in apiName', [], 400);
      const def = requireObject(ctx, body.apiName);
      const fields = fieldsBody(body);
      return dml(def, () => {
        const id = atomically(ctx.db, () => ctx.db.insert(def.name, fields, user()));
        return json(201, writtenRecordRep(ctx.db, def, id, Object.keys(fields)));
      });
    });
}
