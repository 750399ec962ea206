/**
 * UI API records and object info of the local org, in the shapes Lightning Data Service
 * reads and writes (`/services/data/vXX.X/ui-api/records`, `/ui-api/object-info`):
 * `getRecord`, `updateRecord`, `createRecord`, `deleteRecord`, `getObjectInfo`, picklist values.
 */
import { createHash } from 'node:crypto';
import { normalizeId } from '../../domain/ids.js';
import type { Database, Row } from '../database.js';
import type { FieldDef, ObjectDef } from '../schema.js';
import { SalesforceError } from '../errors.js';

export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

const DATA_TYPES: Record<FieldDef['type'], string> = {
  id: 'Id',
  string: 'String',
  textarea: 'TextArea',
  boolean: 'Boolean',
  double: 'Double',
  currency: 'Currency',
  percent: 'Percent',
  int: 'Int',
  date: 'Date',
  datetime: 'DateTime',
  picklist: 'Picklist',
  multipicklist: 'MultiPicklist',
  reference: 'Reference',
  email: 'Email',
  phone: 'Phone',
  url: 'Url',
  address: 'Address'
};

const etag = (x: unknown): string => createHash('md5').update(JSON.stringify(x)).digest('hex');

export function objectOfId(db: Database, rawId: string): ObjectDef {
  const id = normalizeId(rawId);
  const def = id ? db.schema.byKeyPrefix(id.slice(0, 3)) : undefined;
  if (!id || !def) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', [], 404);
  return def;
}

function nameFields(def: ObjectDef): string[] {
  const named = [...def.fields.values()].filter((f) => (f as FieldDef & { nameField?: boolean }).nameField || f.name === 'Name');
  return named.length ? named.map((f) => f.name) : def.fields.has('casenumber') ? ['CaseNumber'] : [];
}

function fieldInfo(db: Database, f: FieldDef): Record<string, unknown> {
  const x = f as FieldDef & { custom?: boolean; inlineHelpText?: string; nameField?: boolean; autoNumber?: boolean };
  const isText = ['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url'].includes(f.type);
  return {
    apiName: f.name,
    calculated: Boolean(f.calculated || f.formula || f.rollup),
    compound: false,
    compoundComponentName: null,
    compoundFieldName: null,
    controllerName: null,
    controllingFields: [],
    createable: f.createable,
    custom: Boolean(x.custom ?? f.name.endsWith('__c')),
    dataType: DATA_TYPES[f.type] ?? 'String',
    extraTypeInfo: f.type === 'textarea' ? 'PlainTextArea' : null,
    filterable: f.type !== 'textarea',
    filteredLookupInfo: null,
    highScaleNumber: false,
    htmlFormatted: false,
    inlineHelpText: x.inlineHelpText ?? null,
    label: f.label,
    length: isText ? (f.length ?? 255) : 0,
    nameField: Boolean(x.nameField ?? f.name === 'Name'),
    polymorphicForeignKey: (f.referenceTo?.length ?? 0) > 1,
    precision: ['double', 'currency', 'percent'].includes(f.type) ? (f.precision ?? 18) : f.type === 'int' ? (f.precision ?? 9) : 0,
    reference: f.type === 'reference',
    referenceTargetField: null,
    referenceToInfos: (f.referenceTo ?? []).map((apiName) => {
      const target = db.schema.get(apiName);
      return { apiName: target?.name ?? apiName, nameFields: target ? nameFields(target) : ['Name'] };
    }),
    relationshipName: f.relationshipName ?? null,
    required: f.createable && !f.nillable && f.type !== 'boolean' && f.defaultValue === undefined,
    scale: ['double', 'currency', 'percent'].includes(f.type) ? (f.scale ?? 2) : 0,
    searchPrefilterable: false,
    sortable: f.type !== 'textarea' && f.type !== 'multipicklist',
    unique: Boolean(f.unique),
    updateable: f.updateable
  };
}

export function objectInfo(db: Database, def: ObjectDef): Record<string, unknown> {
  const writable = def.createable !== false;
  const fields: Record<string, unknown> = {};
  for (const f of def.fields.values()) fields[f.name] = fieldInfo(db, f);
  const body = {
    apiName: def.name,
    associateEntityType: null,
    associateParentEntity: null,
    childRelationships: def.childRelationships.map((c) => ({
      childObjectApiName: c.childSObject,
      fieldName: c.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName ?? null
    })),
    createable: writable,
    custom: def.custom,
    defaultRecordTypeId: MASTER_RECORD_TYPE_ID,
    deletable: writable,
    dependentFields: {},
    feedEnabled: false,
    fields,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: true,
    mruEnabled: true,
    nameFields: nameFields(def),
    queryable: true,
    recordTypeInfos: {
      [MASTER_RECORD_TYPE_ID]: { available: true, defaultRecordTypeMapping: true, master: true, name: 'Master', recordTypeId: MASTER_RECORD_TYPE_ID }
    },
    searchable: true,
    themeInfo: { color: def.custom ? '7F8DE1' : '5867E8', iconUrl: null },
    updateable: writable
  };
  return { ...body, eTag: etag(body) };
}

function picklistField(def: ObjectDef, f: FieldDef, version: string): Record<string, unknown> {
  const x = f as FieldDef & { defaultPicklistValue?: string };
  const values = (f.picklistValues ?? []).map((value) => ({ attributes: null, label: value, validFor: [], value }));
  const def0 = values.find((v) => v.value === x.defaultPicklistValue) ?? null;
  const body = {
    controllerValues: {},
    defaultValue: def0,
    url: `/services/data/v${version}/ui-api/object-info/${def.name}/picklist-values/${MASTER_RECORD_TYPE_ID}/${f.name}`,
    values
  };
  return { ...body, eTag: etag(body) };
}

export function picklistValues(def: ObjectDef, version: string, fieldName?: string): Record<string, unknown> {
  if (fieldName) {
    const f = def.fields.get(fieldName.toLowerCase());
    if (!f || (f.type !== 'picklist' && f.type !== 'multipicklist')) throw new SalesforceError('NOT_FOUND', `${fieldName} is not a picklist of ${def.name}`, [], 404);
    return picklistField(def, f, version);
  }
  const picklistFieldValues: Record<string, unknown> = {};
  for (const f of def.fields.values()) if (f.type === 'picklist' || f.type === 'multipicklist') picklistFieldValues[f.name] = picklistField(def, f, version);
  return { eTag: etag(picklistFieldValues), picklistFieldValues };
}

/** `fields=Account.Name,Account.Owner.Name` → field names of this object (relationship paths kept). */
function requestedFields(def: ObjectDef, list: string[]): { paths: string[]; unknown: string[] } {
  const paths: string[] = [];
  const unknown: string[] = [];
  for (const raw of list) {
    const [obj, ...rest] = raw.split('.');
    if (!rest.length || obj.toLowerCase() !== def.name.toLowerCase()) {
      unknown.push(raw);
      continue;
    }
    paths.push(rest.join('.'));
  }
  return { paths, unknown };
}

function displayValue(f: FieldDef | undefined, value: unknown): string | null {
  if (value === null || value === undefined || !f) return null;
  if (f.type === 'currency') return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(value));
  if (f.type === 'picklist') return String(value);
  return null;
}

function recordRep(db: Database, def: ObjectDef, row: Row, paths: string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const path of paths) {
    const parts = path.split('.');
    if (parts.length === 1) {
      const f = def.fields.get(parts[0].toLowerCase());
      if (!f) continue;
      fields[f.name] = { displayValue: displayValue(f, row[f.name]), value: row[f.name] ?? null };
    } else {
      // a parent's field: nested record representation, as LDS returns it
      const f = [...def.fields.values()].find((x) => x.relationshipName?.toLowerCase() === parts[0].toLowerCase());
      const target = f && db.schema.get(f.referenceTo?.[0] ?? '');
      if (!f || !target) continue;
      const parentId = row[f.name] as string | null;
      const parent = parentId ? db.retrieve(target.name, parentId) : undefined;
      const existing = fields[f.relationshipName!] as { value: Record<string, unknown> | null } | undefined;
      const nested = parent ? recordRep(db, target, parent, [parts.slice(1).join('.')]) : null;
      if (nested && existing?.value) Object.assign((existing.value as { fields: object }).fields, nested.fields);
      else fields[f.relationshipName!] = { displayValue: null, value: nested };
    }
  }
  const body = {
    apiName: def.name,
    childRelationships: {},
    fields,
    id: row.Id,
    lastModifiedById: row.LastModifiedById ?? null,
    lastModifiedDate: row.LastModifiedDate ?? null,
    recordTypeId: MASTER_RECORD_TYPE_ID,
    recordTypeInfo: null,
    systemModstamp: row.SystemModstamp ?? null
  };
  return { ...body, eTag: etag(body), weakEtag: Date.parse(String(row.SystemModstamp ?? '')) || 0 };
}

export function getRecordRep(db: Database, rawId: string, fields: string[], optionalFields: string[]): Record<string, unknown> {
  const def = objectOfId(db, rawId);
  const id = normalizeId(rawId)!;
  const row = db.retrieve(def.name, id);
  if (!row) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', [], 404);
  const wanted = requestedFields(def, fields);
  if (wanted.unknown.length) throw new SalesforceError('INVALID_FIELD', `Invalid field(s): ${wanted.unknown.join(', ')}`, [], 400);
  for (const p of wanted.paths) {
    const head = p.split('.')[0].toLowerCase();
    if (!def.fields.has(head) && ![...def.fields.values()].some((f) => f.relationshipName?.toLowerCase() === head)) {
      throw new SalesforceError('INVALID_FIELD', `No such column '${p}' on entity '${def.name}'`, [], 400);
    }
  }
  const optional = requestedFields(def, optionalFields).paths;
  const all = fields.length || optionalFields.length ? [...wanted.paths, ...optional] : [...def.fields.values()].filter((f) => f.type !== 'address').map((f) => f.name);
  return recordRep(db, def, row, all);
}

/** The fields a write touched plus the name fields, in a record representation. */
export function writtenRecordRep(db: Database, def: ObjectDef, id: string, written: string[]): Record<string, unknown> {
  const row = db.retrieve(def.name, id);
  if (!row) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', [], 404);
  const paths = [...new Set([...nameFields(def), ...written, 'Id'])].filter((f) => def.fields.has(f.toLowerCase()));
  return recordRep(db, def, row, paths);
}

/** UI API's DML error body: `{ message, errorCode, enhancedErrorType, output: { errors, fieldErrors } }`. */
export function dmlErrorBody(def: ObjectDef | undefined, e: SalesforceError): Record<string, unknown> {
  const element = (field: string | null) => ({
    constituentField: null,
    duplicateRecordError: null,
    errorCode: e.errorCode,
    field,
    fieldLabel: field ? (def?.fields.get(field.toLowerCase())?.label ?? field) : null,
    message: e.message
  });
  const fieldErrors: Record<string, unknown[]> = {};
  for (const f of e.fields) fieldErrors[f] = [element(f)];
  return {
    enhancedErrorType: 'RecordError',
    message: 'An error occurred while trying to update the record. Please try again.',
    output: { errors: e.fields.length ? [] : [element(null)], fieldErrors }
  };
}
