/**
 * Applies a Metadata API deploy to the running org, all or nothing: every component is read
 * and checked against a staged copy of the schema first (well-formed XML, field types,
 * lookup targets, formula and validation-rule references, permission-set grants, layout
 * fields, flexipage components); only when nothing failed (and the deploy is not check-only)
 * does the staged schema replace the live one, permission sets and static resources become
 * records, and the other components are stored. Messages follow Salesforce's DeployMessage.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Database } from '../database.js';
import {
  Schema,
  customObjectDef,
  fieldFromXml,
  finishCustomObjects,
  parseMetadataXml,
  putField,
  validationRuleFromXml,
  type FieldDef,
  type ObjectDef
} from '../schema.js';
import { FormulaSyntaxError, formulaReferences } from '../../metadata/formula.js';
import { FORMULA_GLOBALS } from '../../metadata/standard-objects.js';
import { fileText, type DeployPackage, type PackageComponent } from './package.js';
import { contentHash, type MetadataStore, type StoredComponent } from './store.js';
import type { DeployMessage } from './types.js';

export interface DeployEnv {
  db: Database;
  store: MetadataStore;
  userId: string;
  now: Date;
}

export interface DeployPlan {
  successes: DeployMessage[];
  failures: DeployMessage[];
  /**
   * Applies the deploy to the org; only call when there are no failures. `records: false`
   * leaves out the PermissionSet/StaticResource records (a replay under a loaded snapshot).
   */
  commit(opts?: { records?: boolean }): void;
}

/** Field types a CustomField may have (Metadata API names). */
const FIELD_TYPES = new Set([
  'Text',
  'TextArea',
  'LongTextArea',
  'Html',
  'EncryptedText',
  'Checkbox',
  'Number',
  'Currency',
  'Percent',
  'Date',
  'DateTime',
  'Time',
  'Picklist',
  'MultiselectPicklist',
  'Lookup',
  'MasterDetail',
  'Email',
  'Phone',
  'Url',
  'AutoNumber',
  'Summary',
  'Location',
  'ExternalLookup',
  'Hierarchy'
]);

/** Child types inside an `objects/X.object` file, by element name. */
const OBJECT_CHILDREN: Record<string, string> = {
  listViews: 'ListView',
  compactLayouts: 'CompactLayout',
  webLinks: 'WebLink',
  recordTypes: 'RecordType',
  fieldSets: 'FieldSet',
  businessProcesses: 'BusinessProcess',
  sharingReasons: 'SharingReason',
  indexes: 'Index'
};

/** Files that are XML and must parse (bodies of resources, JS, HTML, CSS and Apex are not). */
function isXmlFile(path: string, c: PackageComponent): boolean {
  if (path.endsWith('.xml')) return true;
  if (
    c.type === 'LightningComponentBundle' ||
    c.type === 'AuraDefinitionBundle' ||
    c.type === 'StaticResource'
  )
    return false;
  if (c.type === 'ApexClass' || c.type === 'ApexTrigger') return false;
  return path === c.fileName;
}

const plain = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

function arr<T = Record<string, unknown>>(v: unknown): T[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') {
    const t = (v as Record<string, unknown>)['#text'];
    return t === undefined ? undefined : String(t);
  }
  return String(v);
}

function isTextual(contentType: string): boolean {
  return /^text\/|[/+](json|xml|javascript|ecmascript|css|csv)\b/i.test(contentType);
}

/** A copy of the schema whose objects and fields can be changed without touching the original. */
export function cloneSchema(live: Schema): Schema {
  const copy = new Schema();
  for (const def of live.objects.values()) {
    copy.add({
      ...def,
      fields: new Map(
        [...def.fields].map(([k, f]) => [
          k,
          { ...f, picklistValues: f.picklistValues ? [...f.picklistValues] : undefined }
        ])
      ),
      validationRules: def.validationRules.map((r) => ({ ...r })),
      childRelationships: []
    });
  }
  copy.link();
  return copy;
}

/**
 * Why a formula reference does not resolve on `object` (the name Salesforce reports), or
 * undefined when it does. Paths follow lookups: `Budget__r.Partner__r.Name`, `Owner.Name`, `$User.Id`.
 */
export function unresolvedReference(schema: Schema, object: string, reference: string): string | undefined {
  const parts = reference.split('.');
  let current: ObjectDef | undefined = schema.get(object);
  if (parts[0].startsWith('$')) {
    const global = [...FORMULA_GLOBALS].find((g) => g.toLowerCase() === parts[0].toLowerCase());
    if (!global) return parts[0];
    if (global !== '$User') return undefined;
    current = schema.get('User');
    parts.shift();
    if (parts.length === 0) return '$User';
  }
  for (const rel of parts.slice(0, -1)) {
    if (!current) return rel;
    let lookup: FieldDef | undefined;
    if (/__r$/i.test(rel)) lookup = current.fields.get(rel.replace(/__r$/i, '__c').toLowerCase());
    else
      lookup = [...current.fields.values()].find(
        (f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === rel.toLowerCase()
      );
    if (!lookup || lookup.type !== 'reference' || !lookup.referenceTo?.length) return rel;
    current = schema.get(lookup.referenceTo[0]);
  }
  const last = parts[parts.length - 1];
  if (!current || !current.fields.has(last.toLowerCase())) return last;
  return undefined;
}

/** Salesforce's wording for formula problems. */
function formulaProblems(schema: Schema, object: string, formula: string): string[] {
  let refs: string[];
  try {
    refs = formulaReferences(formula);
  } catch (e) {
    if (e instanceof FormulaSyntaxError) return [`Syntax error. ${e.message}`];
    throw e;
  }
  const out: string[] = [];
  for (const ref of refs) {
    const bad = unresolvedReference(schema, object, ref);
    if (bad) out.push(`Field ${bad} does not exist. Check spelling.`);
  }
  return out;
}

export function planDeploy(pkg: DeployPackage, env: DeployEnv): DeployPlan {
  const { db, store, userId, now } = env;
  const createdDate = now.toISOString();
  const staged = cloneSchema(db.schema);
  const successes: DeployMessage[] = [];
  const failures: DeployMessage[] = [];
  const broken = new Set<PackageComponent>();
  const touchedObjects = new Set<string>();
  const lwcNames = new Set<string>();

  const message = (
    type: string,
    fullName: string,
    fileName: string,
    extra: Partial<DeployMessage>
  ): DeployMessage => ({
    changed: false,
    componentType: type,
    created: false,
    createdDate,
    deleted: false,
    fileName,
    fullName,
    success: true,
    ...extra
  });
  const fail = (
    c: PackageComponent,
    problem: string,
    type = c.type,
    fullName = c.fullName,
    at?: { line?: number; column?: number }
  ): void => {
    broken.add(c);
    failures.push(
      message(type, fullName, c.fileName, {
        success: false,
        problem,
        problemType: 'Error',
        lineNumber: at?.line,
        columnNumber: at?.column
      })
    );
  };
  const pending: DeployMessage[] = [];
  const succeed = (
    c: PackageComponent,
    created: boolean,
    changed: boolean,
    type = c.type,
    fullName = c.fullName,
    id?: string
  ): void => {
    pending.push(message(type, fullName, c.fileName, { created, changed: !created && changed, id }));
  };

  if (pkg.manifest === undefined) {
    failures.push(
      message('', 'package.xml', 'package.xml', {
        success: false,
        problem: 'No package.xml found',
        problemType: 'Error'
      })
    );
  } else if (XMLValidator.validate(pkg.manifest) !== true) {
    const v = XMLValidator.validate(pkg.manifest) as { err: { msg: string; line: number; col: number } };
    failures.push(
      message('', 'package.xml', 'package.xml', {
        success: false,
        problem: `Error parsing file: ${v.err.msg}`,
        problemType: 'Error',
        lineNumber: v.err.line,
        columnNumber: v.err.col
      })
    );
  }

  // 1. every XML file must be well-formed
  for (const c of pkg.components) {
    for (const [path, bytes] of c.files) {
      if (!isXmlFile(path, c)) continue;
      const v = XMLValidator.validate(Buffer.from(bytes).toString('utf8'));
      if (v !== true) {
        fail(c, `Error parsing file: ${v.err.msg}`, c.type, c.fullName, {
          line: v.err.line,
          column: v.err.col
        });
        break;
      }
    }
    if (c.type === 'LightningComponentBundle' && !broken.has(c)) lwcNames.add(c.fullName.toLowerCase());
  }

  // 2. objects, fields, validation rules into the staged schema
  const newFields: { c: PackageComponent; object: string; field: FieldDef }[] = [];
  const newRules: { c: PackageComponent; object: string; name: string; formula: string; display?: string }[] =
    [];
  for (const c of pkg.components) {
    if (c.type !== 'CustomObject' || broken.has(c)) continue;
    const doc = parseMetadataXml(fileText(c) ?? '');
    const meta = doc.CustomObject as Record<string, unknown> | undefined;
    if (!meta || typeof meta !== 'object') {
      fail(c, 'Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}CustomObject expected');
      continue;
    }
    const name = c.fullName;
    let def = staged.get(name);
    const wasLive = db.schema.get(name);
    if (!def) {
      if (!name.endsWith('__c')) {
        fail(
          c,
          `Cannot find standard object ${name}: the local org models only the standard objects Channel Ops uses`
        );
        continue;
      }
      if (!str(meta.label)) {
        fail(c, 'Must specify a non-empty label for the CustomObject');
        continue;
      }
      if (!meta.nameField) {
        fail(c, 'Must specify a nameField for the CustomObject');
        continue;
      }
      def = staged.add(customObjectDef(name, meta));
    } else if (def.custom) {
      const label = str(meta.label);
      if (label) def.label = label;
      const plural = str(meta.pluralLabel);
      if (plural) def.labelPlural = plural;
      const sharing = str(meta.sharingModel);
      if (sharing) def.sharingModel = sharing;
    }
    touchedObjects.add(def.name);
    const stored = store.get('CustomObject', name);
    // An .object file that only carries fields (custom fields on a standard object) reports
    // the fields, not the object (the CLI has no CustomObject component for it).
    const childElements = new Set(['fields', 'validationRules', ...Object.keys(OBJECT_CHILDREN)]);
    if (Object.keys(meta).some((k) => !childElements.has(k) && !k.startsWith('@_') && !k.startsWith('#'))) {
      succeed(c, !wasLive, !stored || stored.hash !== contentHash(c.files), 'CustomObject', name, stored?.id);
    }
    for (const entry of arr(meta.fields)) {
      const fullName = str(entry.fullName);
      const mdType = str(entry.type);
      if (!fullName) {
        fail(c, 'Must specify a fullName for the CustomField', 'CustomField', `${name}.`);
        continue;
      }
      if (!mdType && !str(entry.formula) && !def.fields.has(fullName.toLowerCase())) {
        fail(c, `Must specify the type of field ${fullName}`, 'CustomField', `${name}.${fullName}`);
        continue;
      }
      if (mdType && !FIELD_TYPES.has(mdType)) {
        fail(c, `Unknown type name '${mdType}' specified`, 'CustomField', `${name}.${fullName}`);
        continue;
      }
      const field = fieldFromXml(entry);
      if (!field) continue;
      const before = wasLive?.fields.get(field.name.toLowerCase());
      putField(def, field);
      if (field.custom)
        newFields.push({ c, object: def.name, field: def.fields.get(field.name.toLowerCase()) ?? field });
      succeed(c, !before, true, 'CustomField', `${name}.${field.name}`);
    }
    for (const entry of arr(meta.validationRules)) {
      const rule = validationRuleFromXml(entry);
      const ruleName = str(entry.fullName) ?? '';
      if (!rule) {
        fail(
          c,
          'A validation rule needs a fullName and an errorConditionFormula',
          'ValidationRule',
          `${name}.${ruleName}`
        );
        continue;
      }
      const before = wasLive?.validationRules.some((r) => r.name === rule.name);
      def.validationRules = def.validationRules.filter((r) => r.name !== rule.name);
      def.validationRules.push(rule);
      newRules.push({
        c,
        object: def.name,
        name: rule.name,
        formula: rule.errorConditionFormula,
        display: rule.errorDisplayField
      });
      succeed(c, !before, true, 'ValidationRule', `${name}.${rule.name}`);
    }
    for (const [element, type] of Object.entries(OBJECT_CHILDREN)) {
      for (const entry of arr(meta[element])) {
        const child = str(entry.fullName);
        if (child) succeed(c, !stored, true, type, `${name}.${child}`);
      }
    }
  }
  finishCustomObjects(staged);

  // 3. what the new fields and rules point at must exist
  for (const { c, object, field } of newFields) {
    const fullName = `${object}.${field.name}`;
    if (field.type === 'reference') {
      if (!field.referenceTo?.length)
        fail(
          c,
          `Must specify a referenceTo for the ${field.masterDetail ? 'MasterDetail' : 'Lookup'} field`,
          'CustomField',
          fullName
        );
      for (const target of field.referenceTo ?? []) {
        if (!staged.get(target))
          fail(
            c,
            `referenceTo value of '${target}' does not resolve to a valid sObject type`,
            'CustomField',
            fullName
          );
      }
    }
    if (field.formula)
      for (const p of formulaProblems(staged, object, field.formula)) fail(c, p, 'CustomField', fullName);
    if (field.rollup) {
      const child = staged.get(field.rollup.summarizedObject);
      const fk = child?.fields.get(field.rollup.foreignKey.toLowerCase());
      if (!child)
        fail(
          c,
          `Field ${field.rollup.summarizedObject} does not exist. Check spelling.`,
          'CustomField',
          fullName
        );
      else if (!fk || !fk.masterDetail)
        fail(
          c,
          `Cannot create a roll-up summary: ${field.rollup.summarizedObject}.${field.rollup.foreignKey} is not a master-detail relationship`,
          'CustomField',
          fullName
        );
      else if (field.rollup.field && !child.fields.has(field.rollup.field.toLowerCase()))
        fail(c, `Field ${field.rollup.field} does not exist. Check spelling.`, 'CustomField', fullName);
      for (const filter of field.rollup.filters ?? []) {
        if (child && !child.fields.has(filter.field.toLowerCase()))
          fail(c, `Field ${filter.field} does not exist. Check spelling.`, 'CustomField', fullName);
      }
    }
  }
  for (const { c, object, name, formula, display } of newRules) {
    for (const p of formulaProblems(staged, object, formula))
      fail(c, p, 'ValidationRule', `${object}.${name}`);
    if (display && !staged.get(object)?.fields.has(display.toLowerCase()))
      fail(
        c,
        `Error Display Field: ${display} does not exist on ${object}`,
        'ValidationRule',
        `${object}.${name}`
      );
  }

  // 4. the other components
  const records: { sobject: string; name: string; fields: Record<string, unknown> }[] = [];
  const toStore: { c: PackageComponent; parsed?: unknown }[] = [];
  const fieldOf = (qualified: string): FieldDef | undefined => {
    const [o, f] = qualified.split('.');
    return f === undefined ? undefined : staged.get(o)?.fields.get(f.toLowerCase());
  };
  for (const c of pkg.components) {
    if (broken.has(c)) continue;
    const text = fileText(c, c.type === 'StaticResource' ? `${c.fileName}-meta.xml` : c.fileName);
    const doc =
      text !== undefined && c.type !== 'LightningComponentBundle' && c.type !== 'AuraDefinitionBundle'
        ? (plain.parse(text) as Record<string, unknown>)
        : {};
    const before = store.get(c.type, c.fullName);
    const changed = !before || before.hash !== contentHash(c.files);
    const failuresBefore = failures.length;
    switch (c.type) {
      case 'CustomObject':
        toStore.push({ c });
        continue; // messages already given
      case 'PermissionSet': {
        const ps = (doc.PermissionSet ?? {}) as Record<string, unknown>;
        const grants = {
          fields: [] as { field: string; readable: boolean; editable: boolean }[],
          objects: [] as { object: string; [k: string]: unknown }[]
        };
        for (const fp of arr(ps.fieldPermissions)) {
          const field = str(fp.field) ?? '';
          const def = fieldOf(field);
          if (!def) fail(c, `In field: field - no CustomField named ${field} found`);
          else if (def.required || def.masterDetail)
            fail(c, `You cannot deploy to a required field: ${field}`);
          grants.fields.push({
            field,
            readable: str(fp.readable) === 'true',
            editable: str(fp.editable) === 'true'
          });
        }
        for (const op of arr(ps.objectPermissions)) {
          const object = str(op.object) ?? '';
          if (!staged.get(object)) fail(c, `In field: object - no CustomObject named ${object} found`);
          grants.objects.push({
            object,
            allowRead: str(op.allowRead) === 'true',
            allowCreate: str(op.allowCreate) === 'true',
            allowEdit: str(op.allowEdit) === 'true',
            allowDelete: str(op.allowDelete) === 'true',
            viewAllRecords: str(op.viewAllRecords) === 'true',
            modifyAllRecords: str(op.modifyAllRecords) === 'true'
          });
        }
        records.push({
          sobject: 'PermissionSet',
          name: c.fullName,
          fields: {
            Name: c.fullName,
            Label: str(ps.label) ?? c.fullName,
            Description: str(ps.description) ?? null
          }
        });
        toStore.push({ c, parsed: grants });
        break;
      }
      case 'StaticResource': {
        const meta = (doc.StaticResource ?? {}) as Record<string, unknown>;
        const body = c.files.get(c.fileName);
        const contentType = str(meta.contentType);
        if (!body) fail(c, `No file body for static resource ${c.fullName}`);
        else if (!contentType) fail(c, 'Must specify the contentType of a static resource');
        else
          records.push({
            sobject: 'StaticResource',
            name: c.fullName,
            // Body as text for textual resources (the local org's convention: BodyLength is its
            // byte length); binary resources (zips, images) are kept base64-encoded.
            fields: {
              Name: c.fullName,
              ContentType: contentType,
              Body: Buffer.from(body).toString(isTextual(contentType) ? 'utf8' : 'base64'),
              Description: str(meta.description) ?? null,
              CacheControl: str(meta.cacheControl) ?? 'Private'
            }
          });
        toStore.push({ c });
        break;
      }
      case 'LightningComponentBundle':
        if (![...c.files.keys()].some((p) => p.endsWith('.js-meta.xml')))
          fail(c, `The bundle ${c.fullName} has no ${c.fullName}.js-meta.xml`);
        toStore.push({ c });
        break;
      case 'Layout': {
        const object = c.fullName.split('-')[0];
        if (!staged.get(object)) fail(c, `Cannot find object: ${object}`);
        else {
          const layout = (doc.Layout ?? {}) as Record<string, unknown>;
          for (const section of arr(layout.layoutSections))
            for (const column of arr(section.layoutColumns))
              for (const item of arr(column.layoutItems)) {
                const f = str(item.field);
                if (f && !staged.get(object)?.fields.has(f.toLowerCase()))
                  fail(c, `In field: field - no CustomField named ${object}.${f} found`);
              }
        }
        toStore.push({ c });
        break;
      }
      case 'FlexiPage': {
        const page = (doc.FlexiPage ?? {}) as Record<string, unknown>;
        const sobject = str(page.sobjectType);
        if (sobject && !staged.get(sobject))
          fail(c, `In field: sobjectType - no CustomObject named ${sobject} found`);
        for (const region of arr(page.flexiPageRegions))
          for (const item of arr(region.itemInstances)) {
            const component = str(
              (item.componentInstance as Record<string, unknown> | undefined)?.componentName
            );
            const local = component && /^c:(.+)$/.exec(component);
            if (
              local &&
              !lwcNames.has(local[1].toLowerCase()) &&
              !store.get('LightningComponentBundle', local[1])
            ) {
              fail(
                c,
                `Invalid component ${component}: no Lightning component named ${local[1]} exists in the org or in this deploy`
              );
            }
          }
        toStore.push({ c });
        break;
      }
      case 'CustomTab': {
        const tab = (doc.CustomTab ?? {}) as Record<string, unknown>;
        if (str(tab.customObject) === 'true' && !staged.get(c.fullName))
          fail(c, `In field: customObject - no CustomObject named ${c.fullName} found`);
        toStore.push({ c });
        break;
      }
      default:
        toStore.push({ c });
    }
    if (failures.length === failuresBefore) succeed(c, !before, changed, c.type, c.fullName, before?.id);
  }

  // A component with a failure reports only the failure (as Salesforce does).
  const failed = new Set(failures.map((f) => `${f.componentType}#${f.fullName}`));
  successes.push(...pending.filter((m) => !failed.has(`${m.componentType}#${m.fullName}`)));

  return {
    successes,
    failures,
    commit(opts: { records?: boolean } = {}): void {
      // Permission sets and static resources become records (trusted load: BodyLength and
      // the like are read-only to the API but set by the platform), keeping their ids.
      for (const r of opts.records === false ? [] : records) {
        const existing = db.query(
          `SELECT Id, CreatedDate, CreatedById FROM ${r.sobject} WHERE Name = '${r.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
        ).records[0];
        const by = userId || null; // no user yet when deploys are replayed at start
        const system = { LastModifiedDate: createdDate, SystemModstamp: createdDate, LastModifiedById: by };
        if (existing)
          db.load(r.sobject, [
            {
              ...r.fields,
              ...system,
              Id: existing.Id,
              CreatedDate: existing.CreatedDate,
              CreatedById: existing.CreatedById
            }
          ]);
        else db.load(r.sobject, [{ ...r.fields, ...system, CreatedDate: createdDate, CreatedById: by }]);
      }
      const live = db.schema;
      for (const name of touchedObjects) {
        const def = staged.get(name);
        if (def) live.add(def);
      }
      if (touchedObjects.size) {
        live.link();
        db.invalidateSchema();
        // Salesforce computes a new (or changed) roll-up summary over the existing children
        if (newFields.some(({ field }) => field.rollup)) db.recalculate();
      }
      for (const { c, parsed } of toStore) {
        const before = store.get(c.type, c.fullName);
        const entry: StoredComponent = {
          type: c.type,
          fullName: c.fullName,
          fileName: c.fileName,
          id: before?.id ?? store.newId(c.type),
          files: new Map([...c.files].map(([p, b]) => [p, Buffer.from(b)])),
          hash: contentHash(c.files),
          createdDate: before?.createdDate ?? createdDate,
          lastModifiedDate: createdDate,
          createdById: before?.createdById ?? userId,
          lastModifiedById: userId,
          parsed
        };
        store.put(entry);
      }
    }
  };
}
