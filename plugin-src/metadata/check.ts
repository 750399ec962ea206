/**
 * Checks a source-format package directory the way a deploy would reject it, before any org
 * sees it: malformed XML, references to fields or objects that do not exist (formulas,
 * validation rules, roll-ups, layouts, list views, permission sets), lookups to missing
 * objects, field-level security Salesforce refuses (required and master-detail fields),
 * record pages placing components that do not exist, formulas our local org cannot evaluate,
 * and a data-model contract (API names, types and picklist values other code relies on).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as evaluateFormula, type FormulonLiteral } from 'formulon';
import { loadProject, type FieldMeta, type MetadataProject, type Problem } from './project.js';
import { Schema, isComputed, type SchemaField } from './schema.js';
import { FormulaSyntaxError, formulaReferences } from './formula.js';
import { STANDARD_CHILD_OBJECTS, STANDARD_CHILD_RELATIONSHIPS } from './standard-objects.js';
import { gqlTemplates, parseSelections, type Selection } from './graphql.js';

export type { Problem } from './project.js';

/** What a field must be, as a contract other code relies on. */
export interface FieldContract {
  type?: string;
  /** picklist values that must all exist (more are allowed) */
  values?: string[];
  referenceTo?: string;
  externalId?: boolean;
  unique?: boolean;
}

export interface CheckOptions {
  /** `Object.Field` → what it must be */
  contract?: Record<string, FieldContract>;
  /** permission sets that must grant every custom field Salesforce lets them grant */
  fullAccessPermissionSets?: string[];
}

export interface CheckResult {
  project: MetadataProject;
  problems: Problem[];
}

const KNOWN_FIELD_TYPES = new Set([
  'Checkbox',
  'Currency',
  'Date',
  'DateTime',
  'Email',
  'Html',
  'Location',
  'Lookup',
  'LongTextArea',
  'MasterDetail',
  'MultiselectPicklist',
  'Number',
  'Percent',
  'Phone',
  'Picklist',
  'Summary',
  'Text',
  'TextArea',
  'Time',
  'Url',
  'EncryptedText'
]);
const NUMERIC = new Set(['Number', 'Currency', 'Percent']);
/** API names: a letter, then letters, digits and single underscores, not ending in one. */
const API_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*[A-Za-z0-9]$|^[A-Za-z]$/;

/** Salesforce's limits on a custom field's definition: a deploy fails when one is broken. */
function checkLimits(f: FieldMeta, report: (file: string, rule: string, message: string) => void): void {
  const where = `${f.object}.${f.name}`;
  const bare = f.name.replace(/__c$/, '');
  if (!f.name.endsWith('__c') || !API_NAME.test(bare) || bare.length > 40)
    report(
      f.file,
      'limits',
      `${where}: a custom field name is at most 40 letters, digits and single underscores, then __c`
    );
  const tooLong: Array<[string | undefined, number, string]> = [
    [f.label, 40, 'label'],
    [f.description, 1000, 'description'],
    [f.inlineHelpText, 510, 'help text'],
    [f.formula, 3900, 'formula']
  ];
  for (const [text, max, what] of tooLong)
    if (text && text.length > max)
      report(f.file, 'limits', `${where}: the ${what} has ${text.length} characters (at most ${max})`);
  if (f.relationshipName && (!API_NAME.test(f.relationshipName) || f.relationshipName.length > 40))
    report(
      f.file,
      'limits',
      `${where}: relationship name ${f.relationshipName} is not a valid API name (at most 40 letters, digits and single underscores)`
    );
  for (const value of f.picklistValues ?? [])
    if (value.length > 255 || value.trim() === '')
      report(f.file, 'limits', `${where}: picklist value "${value}" must be 1 to 255 characters`);
  if (f.type === 'Text' && !f.formula && !(f.length !== undefined && f.length >= 1 && f.length <= 255))
    report(
      f.file,
      'limits',
      `${where}: a Text field needs a length from 1 to 255 (has ${f.length ?? 'none'}); use a Long Text Area beyond`
    );
  if (
    (f.type === 'LongTextArea' || f.type === 'Html') &&
    !(f.length !== undefined && f.length >= 256 && f.length <= 131072)
  )
    report(
      f.file,
      'limits',
      `${where}: a long text area needs a length from 256 to 131072 (has ${f.length ?? 'none'})`
    );
  if (NUMERIC.has(f.type)) {
    const { precision, scale } = f;
    if (
      precision === undefined ||
      scale === undefined ||
      precision < 1 ||
      precision > 18 ||
      scale < 0 ||
      scale > precision
    )
      report(
        f.file,
        'limits',
        `${where}: a ${f.type} needs precision 1-18 and scale 0-precision (has ${precision ?? '?'}, ${scale ?? '?'})`
      );
  }
}
/** Standard list view / related list column tokens (NAME, CREATED_DATE, ...). */
const isColumnToken = (c: string): boolean => /^[A-Z][A-Z0-9_.]*$/.test(c) && !c.includes('__');

export async function checkMetadata(root: string, options: CheckOptions = {}): Promise<CheckResult> {
  const project = await loadProject(root);
  const schema = new Schema(project);
  const problems: Problem[] = [...project.problems];
  const report = (file: string, rule: string, message: string): void => {
    problems.push({ file, rule, message });
  };

  // ---- objects and fields
  // child relationship names are unique per parent object, across all children
  const relationshipNames = new Map<string, string>(
    Object.entries(STANDARD_CHILD_RELATIONSHIPS).flatMap(([parent, names]) =>
      names.map((n): [string, string] => [`${parent}.${n}`.toLowerCase(), `the standard ${n} relationship`])
    )
  );
  for (const meta of project.objects.values()) {
    if (!schema.object(meta.name)) {
      const file = meta.fields[0]?.file ?? meta.file ?? `objects/${meta.name}`;
      report(
        file,
        'unknown-object',
        `custom fields on ${meta.name}, which is neither a standard object Channel Ops knows nor a custom object in this project`
      );
      continue;
    }
    if (meta.file && meta.xml) {
      for (const key of [
        'label',
        'pluralLabel',
        'description',
        'sharingModel',
        'deploymentStatus',
        'nameField'
      ]) {
        if (meta.xml[key] === undefined || meta.xml[key] === '')
          report(meta.file, 'object-attribute', `${meta.name} has no ${key}`);
      }
    }
    for (const f of meta.fields) {
      const where = `${meta.name}.${f.name}`;
      if (!KNOWN_FIELD_TYPES.has(f.type))
        report(f.file, 'field-type', `${where} has unknown type "${f.type}"`);
      for (const key of ['label', 'description', 'inlineHelpText'] as const)
        if (!f[key]) report(f.file, 'field-documentation', `${where} has no ${key}`);
      if (f.type === 'Lookup' || f.type === 'MasterDetail') {
        if (!f.referenceTo) report(f.file, 'lookup-target', `${where} is a ${f.type} without referenceTo`);
        else if (!schema.object(f.referenceTo))
          report(f.file, 'lookup-target', `${where} points at ${f.referenceTo}, which does not exist`);
        if (!f.relationshipName) report(f.file, 'relationship-name', `${where} has no relationshipName`);
        else {
          const key = `${f.referenceTo ?? ''}.${f.relationshipName}`.toLowerCase();
          const other = relationshipNames.get(key);
          if (other)
            report(
              f.file,
              'relationship-name',
              `${where} and ${other} both use relationship name ${f.relationshipName} on ${f.referenceTo ?? '?'}`
            );
          relationshipNames.set(key, where);
        }
      }
      if (f.type === 'MasterDetail') {
        const child = schema.object(meta.name);
        if (child?.custom && child.sharingModel !== 'ControlledByParent')
          report(
            meta.file ?? f.file,
            'master-detail',
            `${meta.name} has master-detail ${f.name} but its sharingModel is ${child.sharingModel ?? 'missing'} (must be ControlledByParent)`
          );
        if (f.required)
          report(
            f.file,
            'master-detail',
            `${where}: a master-detail field is always required; remove <required>`
          );
      }
      if ((f.type === 'Picklist' || f.type === 'MultiselectPicklist') && !f.formula) {
        if (!f.picklistValues?.length) report(f.file, 'picklist', `${where} has no picklist values`);
        const dupes = (f.picklistValues ?? []).filter((v, i, all) => all.indexOf(v) !== i);
        if (dupes.length) report(f.file, 'picklist', `${where} repeats picklist values ${dupes.join(', ')}`);
      }
      checkLimits(f, report);
      if (f.type === 'Summary') checkRollup(schema, meta.name, f, report);
      if (f.formula)
        checkFormula(schema, meta.name, f.formula, f.file, `formula field ${where}`, f.type, report);
    }
  }

  // ---- validation rules
  for (const rule of project.validationRules) {
    const where = `validation rule ${rule.object}.${rule.name}`;
    if (!API_NAME.test(rule.name) || rule.name.length > 40)
      report(
        rule.file,
        'limits',
        `${where}: a rule name is at most 40 letters, digits and single underscores`
      );
    if ((rule.errorMessage ?? '').length > 255)
      report(
        rule.file,
        'limits',
        `${where}: the error message has ${rule.errorMessage?.length} characters (at most 255)`
      );
    if (rule.formula.length > 3900)
      report(
        rule.file,
        'limits',
        `${where}: the formula has ${rule.formula.length} characters (at most 3900)`
      );
    if (!schema.object(rule.object)) {
      report(rule.file, 'unknown-object', `${where} is on ${rule.object}, which does not exist`);
      continue;
    }
    if (!rule.formula) report(rule.file, 'validation-rule', `${where} has no errorConditionFormula`);
    if (!rule.errorMessage) report(rule.file, 'validation-rule', `${where} has no errorMessage`);
    if (rule.errorDisplayField && !schema.field(rule.object, rule.errorDisplayField)) {
      report(
        rule.file,
        'unknown-field',
        `${where} shows its error on unknown field ${rule.object}.${rule.errorDisplayField}`
      );
    }
    if (rule.formula) checkFormula(schema, rule.object, rule.formula, rule.file, where, 'Checkbox', report);
  }

  // ---- list views and layouts
  for (const view of project.listViews) {
    for (const column of view.columns) {
      if (!isColumnToken(column) && !schema.field(view.object, column))
        report(
          view.file,
          'unknown-field',
          `list view ${view.object}.${view.name} shows unknown field ${view.object}.${column}`
        );
    }
  }
  for (const layout of project.layouts) {
    if (!schema.object(layout.object)) {
      report(
        layout.file,
        'unknown-object',
        `layout ${layout.name} is for ${layout.object}, which does not exist`
      );
      continue;
    }
    for (const item of layout.items) {
      const field = schema.field(layout.object, item.field);
      if (!field)
        report(
          layout.file,
          'unknown-field',
          `layout ${layout.name} places unknown field ${layout.object}.${item.field}`
        );
      else if (isComputed(field) && item.behavior !== 'Readonly')
        report(
          layout.file,
          'layout-behavior',
          `layout ${layout.name}: ${layout.object}.${item.field} is calculated and must be Readonly, not ${item.behavior}`
        );
    }
    for (const rl of layout.relatedLists) {
      const [child, lookup] = rl.relatedList.split('.');
      if (!lookup) continue; // standard related lists (RelatedActivityList, ...)
      const fk = schema.field(child, lookup);
      if (!fk)
        report(
          layout.file,
          'unknown-field',
          `layout ${layout.name} has related list ${rl.relatedList}: unknown field ${child}.${lookup}`
        );
      else if (fk.referenceTo?.toLowerCase() !== layout.object.toLowerCase())
        report(
          layout.file,
          'related-list',
          `layout ${layout.name}: ${rl.relatedList} does not point at ${layout.object}`
        );
      for (const c of rl.fields)
        if (!isColumnToken(c) && !schema.field(child, c))
          report(
            layout.file,
            'unknown-field',
            `layout ${layout.name}: related list ${rl.relatedList} shows unknown field ${child}.${c}`
          );
    }
  }

  // ---- permission sets
  for (const ps of project.permissionSets) {
    if (!ps.label) report(ps.file, 'permission-set', `permission set ${ps.name} has no label`);
    const granted = new Set<string>();
    for (const fp of ps.fieldPermissions) {
      const [object, name, extra] = fp.field.split('.');
      granted.add(fp.field.toLowerCase());
      const field = name && !extra ? schema.field(object, name) : undefined;
      if (!field) {
        report(
          ps.file,
          'unknown-field',
          `permission set ${ps.name} grants access to unknown field ${fp.field}`
        );
        continue;
      }
      if (field.required)
        report(
          ps.file,
          'fls-required-field',
          `permission set ${ps.name} lists ${fp.field}, a ${field.type === 'MasterDetail' ? 'master-detail' : 'required'} field; Salesforce rejects field permissions on it`
        );
      if (fp.editable && isComputed(field))
        report(
          ps.file,
          'fls-calculated-field',
          `permission set ${ps.name} makes calculated field ${fp.field} editable`
        );
      if (fp.editable && !fp.readable)
        report(
          ps.file,
          'fls-consistency',
          `permission set ${ps.name} makes ${fp.field} editable but not readable`
        );
    }
    for (const op of ps.objectPermissions) {
      if (!schema.object(op.object))
        report(
          ps.file,
          'unknown-object',
          `permission set ${ps.name} grants access to unknown object ${op.object}`
        );
      const needs: Array<[boolean, boolean, string]> = [
        [op.allowCreate, op.allowRead, 'create without read'],
        [op.allowEdit, op.allowRead, 'edit without read'],
        [op.allowDelete, op.allowEdit, 'delete without edit'],
        [op.viewAllRecords, op.allowRead, 'view all without read'],
        [op.modifyAllRecords, op.viewAllRecords && op.allowDelete, 'modify all without view all and delete']
      ];
      for (const [has, requires, what] of needs)
        if (has && !requires)
          report(ps.file, 'object-permission', `permission set ${ps.name} gives ${op.object} ${what}`);
    }
    for (const t of ps.tabSettings) {
      if (!project.tabs.some((tab) => tab.name === t.tab) && !t.tab.startsWith('standard-'))
        report(ps.file, 'unknown-tab', `permission set ${ps.name} sets visibility of unknown tab ${t.tab}`);
      if (!['Visible', 'Available', 'None'].includes(t.visibility))
        report(
          ps.file,
          'permission-set',
          `permission set ${ps.name}: tab ${t.tab} has visibility "${t.visibility}" (Visible, Available or None)`
        );
    }
    for (const a of ps.applicationVisibilities) {
      if (!project.applications.some((app) => app.name === a.application))
        report(
          ps.file,
          'unknown-application',
          `permission set ${ps.name} shows unknown app ${a.application}`
        );
    }
    if (options.fullAccessPermissionSets?.includes(ps.name)) {
      for (const meta of project.objects.values())
        for (const f of meta.fields) {
          if (f.required || f.type === 'MasterDetail') continue;
          if (!granted.has(`${meta.name}.${f.name}`.toLowerCase()))
            report(ps.file, 'fls-missing', `permission set ${ps.name} does not grant ${meta.name}.${f.name}`);
        }
      for (const o of schema.objects.values()) {
        if (!o.custom) continue;
        const op = ps.objectPermissions.find((p) => p.object.toLowerCase() === o.name.toLowerCase());
        if (!op?.modifyAllRecords)
          report(
            ps.file,
            'object-permission',
            `permission set ${ps.name} does not give full access (modify all) to ${o.name}`
          );
      }
    }
  }
  for (const name of options.fullAccessPermissionSets ?? []) {
    if (!project.permissionSets.some((p) => p.name === name))
      report('permissionsets', 'permission-set', `permission set ${name} is missing`);
  }

  // ---- tabs and apps
  for (const tab of project.tabs) {
    if (tab.customObject && !schema.object(tab.name)?.custom)
      report(tab.file, 'unknown-object', `tab ${tab.name} is for a custom object that does not exist`);
  }
  for (const app of project.applications) {
    for (const tab of app.tabs) {
      const known = tab.startsWith('standard-')
        ? !!schema.object(tab.slice('standard-'.length)) || /^standard-[A-Za-z]+$/.test(tab)
        : project.tabs.some((t) => t.name === tab);
      if (!known) report(app.file, 'unknown-tab', `app ${app.name} lists unknown tab ${tab}`);
    }
    for (const override of app.pageOverrides) {
      const page = project.flexiPages.find((p) => p.name === override.content);
      if (!page)
        report(
          app.file,
          'unknown-flexipage',
          `app ${app.name} uses record page ${override.content}, which does not exist`
        );
      else if (page.sobjectType?.toLowerCase() !== override.sobjectType.toLowerCase())
        report(
          app.file,
          'flexipage',
          `app ${app.name} uses ${override.content} for ${override.sobjectType}, but that page is for ${page.sobjectType ?? 'no object'}`
        );
    }
  }

  // ---- record pages
  for (const page of project.flexiPages) {
    if (!page.template) report(page.file, 'flexipage', `record page ${page.name} has no template`);
    if (page.type === 'RecordPage' && (!page.sobjectType || !schema.object(page.sobjectType)))
      report(
        page.file,
        'unknown-object',
        `record page ${page.name} is for ${page.sobjectType ?? 'no object'}, which does not exist`
      );
    for (const component of page.components) {
      if (!component.startsWith('c:')) continue;
      if (!project.hasLwc) continue; // no component written yet: nothing to compare against
      const bundle = project.lwcBundles.find((b) => b.name === component.slice(2));
      if (!bundle) {
        report(
          page.file,
          'unknown-component',
          `record page ${page.name} places ${component}, but there is no lwc/${component.slice(2)} bundle`
        );
        continue;
      }
      if (!bundle.isExposed)
        report(
          page.file,
          'component-not-exposed',
          `record page ${page.name} places ${component}, whose js-meta.xml does not set isExposed to true`
        );
      if (page.type === 'RecordPage' && !bundle.targets.includes('lightning__RecordPage'))
        report(
          page.file,
          'component-target',
          `record page ${page.name} places ${component}, which does not list the lightning__RecordPage target`
        );
      if (
        page.sobjectType &&
        bundle.recordPageObjects &&
        !bundle.recordPageObjects.some((o) => o.toLowerCase() === page.sobjectType?.toLowerCase())
      ) {
        report(
          page.file,
          'component-target',
          `record page ${page.name} (${page.sobjectType}) places ${component}, which is only allowed on ${bundle.recordPageObjects.join(', ')} record pages`
        );
      }
    }
  }

  // ---- what the components name: schema imports, 'Object.Field__c' strings, static resources
  for (const source of project.lwcSources) {
    for (const m of source.text.matchAll(/['"]@salesforce\/schema\/([A-Za-z0-9_.]+)['"]/g)) {
      const [object, ...path] = m[1].split('.');
      if (!schema.object(object))
        report(
          source.file,
          'unknown-object',
          `${source.bundle} imports @salesforce/schema/${m[1]}: object ${object} does not exist`
        );
      else if (path.length) {
        const resolved = schema.resolve(object, path.join('.'));
        if (!resolved.ok)
          report(
            source.file,
            'unknown-field',
            `${source.bundle} imports @salesforce/schema/${m[1]}: ${resolved.reason}`
          );
      }
    }
    for (const m of source.text.matchAll(
      /['"]([A-Za-z][A-Za-z0-9_]*)\.((?:[A-Za-z0-9_]+__r\.)*[A-Za-z0-9_]+__c)['"]/g
    )) {
      if (!schema.object(m[1])) continue; // not an object name: some other dotted text
      const resolved = schema.resolve(m[1], m[2]);
      if (!resolved.ok)
        report(
          source.file,
          'unknown-field',
          `${source.bundle} names field '${m[1]}.${m[2]}': ${resolved.reason}`
        );
    }
    for (const form of source.text.matchAll(
      /<lightning-record-(?:edit|view)-form\b([^>]*)>([\s\S]*?)<\/lightning-record-(?:edit|view)-form>/g
    )) {
      const object = /object-api-name="([A-Za-z0-9_]+)"/.exec(form[1])?.[1];
      if (!object) continue; // bound with {...}: known only at run time
      if (!schema.object(object)) {
        report(
          source.file,
          'unknown-object',
          `${source.bundle} has a record form for ${object}, which does not exist`
        );
        continue;
      }
      for (const field of form[2].matchAll(/field-name="([A-Za-z0-9_]+)"/g)) {
        if (!schema.field(object, field[1]))
          report(
            source.file,
            'unknown-field',
            `${source.bundle} has a record form field ${object}.${field[1]}, which does not exist`
          );
      }
    }
    for (const query of gqlTemplates(source.text)) {
      let selections: Selection[];
      try {
        selections = parseSelections(query);
      } catch (e) {
        report(
          source.file,
          'graphql',
          `${source.bundle}: a GraphQL query does not parse: ${(e as Error).message}`
        );
        continue;
      }
      const uiapi = selections.find((s) => s.name === 'uiapi')?.children ?? [];
      for (const root of uiapi.find((s) => s.name === 'query')?.children ?? []) {
        if (!schema.object(root.name)) {
          report(
            source.file,
            'unknown-object',
            `${source.bundle} queries ${root.name} through GraphQL, which does not exist`
          );
          continue;
        }
        checkGraphqlNode(schema, project, root.name, connectionNode(root), (message) =>
          report(source.file, 'unknown-field', `${source.bundle} GraphQL query: ${message}`)
        );
      }
    }
    for (const m of source.text.matchAll(/['"]@salesforce\/resourceUrl\/([A-Za-z0-9_]+)['"]/g)) {
      if (!project.staticResources.some((r) => r.name === m[1]))
        report(
          source.file,
          'unknown-resource',
          `${source.bundle} imports static resource ${m[1]}, which does not exist`
        );
    }
  }

  // ---- static resources
  for (const resource of project.staticResources) {
    if (!resource.contentType)
      report(resource.file, 'static-resource', `static resource ${resource.name} has no contentType`);
    if (!resource.contentFile) {
      report(
        resource.file,
        'static-resource',
        `static resource ${resource.name} has no content file next to its meta file`
      );
      continue;
    }
    if (resource.contentType === 'application/json') {
      try {
        JSON.parse(await readFile(join(root, resource.contentFile), 'utf8'));
      } catch (e) {
        report(
          resource.contentFile,
          'static-resource',
          `static resource ${resource.name} is not valid JSON: ${(e as Error).message}`
        );
      }
    }
  }

  // ---- the data-model contract
  for (const [path, want] of Object.entries(options.contract ?? {})) {
    const [object, name] = path.split('.');
    const field = schema.field(object, name);
    const file = `objects/${object}/fields/${name}.field-meta.xml`;
    if (!field) {
      report(file, 'contract', `${path} is missing (DESIGN.md names it)`);
      continue;
    }
    const type = field.type.replace(/^Formula:/, '');
    if (want.type && want.type !== type && !(want.type === 'Formula' && field.meta?.formula))
      report(file, 'contract', `${path} is ${type}, DESIGN.md needs ${want.type}`);
    if (want.referenceTo && field.referenceTo !== want.referenceTo)
      report(
        file,
        'contract',
        `${path} points at ${field.referenceTo ?? 'nothing'}, DESIGN.md needs ${want.referenceTo}`
      );
    if (want.externalId && !field.meta?.externalId)
      report(file, 'contract', `${path} must be an External ID`);
    if (want.unique && !field.meta?.unique) report(file, 'contract', `${path} must be unique`);
    for (const value of want.values ?? []) {
      if (!field.picklistValues?.includes(value))
        report(file, 'picklist-contract', `${path} lacks the picklist value "${value}" that DESIGN.md names`);
    }
  }

  return { project, problems };
}

function checkRollup(
  schema: Schema,
  object: string,
  f: {
    name: string;
    file: string;
    summarizedField?: string;
    summaryForeignKey?: string;
    summaryOperation?: string;
    summaryFilterItems: Array<{ field: string; operation: string; value?: string }>;
  },
  report: (file: string, rule: string, message: string) => void
): void {
  const where = `roll-up ${object}.${f.name}`;
  const [child, fkName] = (f.summaryForeignKey ?? '').split('.');
  const fk = fkName ? schema.field(child, fkName) : undefined;
  if (!fk) {
    report(
      f.file,
      'unknown-field',
      `${where} summarises through unknown field ${f.summaryForeignKey ?? '(no summaryForeignKey)'}`
    );
    return;
  }
  if (fk.type !== 'MasterDetail' || fk.referenceTo?.toLowerCase() !== object.toLowerCase()) {
    report(
      f.file,
      'rollup',
      `${where}: ${f.summaryForeignKey} must be a master-detail field pointing at ${object}`
    );
  }
  const operation = f.summaryOperation ?? '';
  if (!['count', 'sum', 'min', 'max'].includes(operation))
    report(f.file, 'rollup', `${where} has unknown summaryOperation "${operation}"`);
  if (operation !== 'count') {
    const [sObject, sName] = (f.summarizedField ?? '').split('.');
    const summarized = sName ? schema.field(sObject, sName) : undefined;
    if (!summarized)
      report(
        f.file,
        'unknown-field',
        `${where} summarises unknown field ${f.summarizedField ?? '(no summarizedField)'}`
      );
    else {
      if (sObject.toLowerCase() !== child.toLowerCase())
        report(
          f.file,
          'rollup',
          `${where} summarises ${f.summarizedField} but its foreign key is on ${child}`
        );
      const type = summarized.type.replace(/^Formula:/, '');
      if (operation === 'sum' && !NUMERIC.has(type) && type !== 'Summary')
        report(f.file, 'rollup', `${where} sums ${f.summarizedField}, which is ${type}, not a number`);
    }
  }
  for (const item of f.summaryFilterItems) {
    const [fObject, fName] = item.field.split('.');
    const filterField = fName ? schema.field(fObject, fName) : undefined;
    if (!filterField || fObject.toLowerCase() !== child.toLowerCase()) {
      report(f.file, 'unknown-field', `${where} filters on unknown field ${item.field}`);
      continue;
    }
    if (filterField.picklistValues && item.value !== undefined) {
      for (const value of item.value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)) {
        if (!filterField.picklistValues.includes(value))
          report(
            f.file,
            'rollup',
            `${where} filters ${item.field} on "${value}", which is not one of its values`
          );
      }
    }
  }
}

/** A formulon literal standing for a field's value, so the formula can be evaluated. */
function sampleValue(schema: Schema, field: SchemaField, depth = 0): FormulonLiteral {
  let type = field.type.replace(/^Formula:/, '');
  if (type === 'Summary' && depth < 3) {
    const meta = field.meta;
    if (meta?.summaryOperation === 'count') type = 'Number';
    else {
      const [o, n] = (meta?.summarizedField ?? '').split('.');
      const summarized = n ? schema.field(o, n) : undefined;
      if (summarized) return sampleValue(schema, summarized, depth + 1);
      type = 'Number';
    }
  }
  switch (type) {
    case 'Number':
    case 'Currency':
    case 'Percent':
    case 'Summary':
      return { type: 'literal', dataType: 'number', value: 1, options: { length: 16, scale: 2 } };
    case 'Checkbox':
      return { type: 'literal', dataType: 'checkbox', value: false };
    case 'Date':
      return { type: 'literal', dataType: 'date', value: new Date(Date.UTC(2026, 0, 1)) };
    case 'DateTime':
      return { type: 'literal', dataType: 'datetime', value: new Date(Date.UTC(2026, 0, 1, 12)) };
    case 'Picklist':
      return {
        type: 'literal',
        dataType: 'picklist',
        value: field.picklistValues?.[0] ?? 'x',
        options: { values: field.picklistValues ?? ['x'] }
      };
    case 'MultiselectPicklist':
      return {
        type: 'literal',
        dataType: 'multipicklist',
        value: [field.picklistValues?.[0] ?? 'x'],
        options: { values: field.picklistValues ?? ['x'] }
      };
    default:
      return { type: 'literal', dataType: 'text', value: 'x', options: { length: 1 } };
  }
}

const RESULT_TYPES: Record<string, string> = {
  Checkbox: 'checkbox',
  Number: 'number',
  Currency: 'number',
  Percent: 'number',
  Text: 'text',
  Date: 'date',
  DateTime: 'datetime'
};

function checkFormula(
  schema: Schema,
  object: string,
  formula: string,
  file: string,
  where: string,
  returnType: string,
  report: (file: string, rule: string, message: string) => void
): void {
  let references: string[];
  try {
    references = formulaReferences(formula);
  } catch (e) {
    if (e instanceof FormulaSyntaxError) {
      report(file, 'formula-syntax', `${where}: ${e.message}`);
      return;
    }
    throw e;
  }
  const identifiers: Record<string, FormulonLiteral> = {};
  let allResolved = true;
  for (const reference of references) {
    const resolved = schema.resolve(object, reference);
    if (!resolved.ok) {
      allResolved = false;
      report(file, 'unknown-field', `${where} references ${reference}: ${resolved.reason}`);
    } else if ('field' in resolved) {
      identifiers[reference] = sampleValue(schema, resolved.field);
    } else {
      identifiers[reference] = { type: 'literal', dataType: 'text', value: 'x', options: { length: 1 } };
    }
  }
  if (!allResolved) return;
  // The local org evaluates formulas with formulon: a formula it cannot evaluate would be a
  // rule our tests never exercise.
  const result = evaluateFormula(formula, identifiers);
  if (result.type === 'error') {
    report(file, 'formula-not-evaluable', `${where} cannot be evaluated: ${result.message}`);
    return;
  }
  const expected = RESULT_TYPES[returnType];
  if (expected && result.dataType !== expected && result.dataType !== 'null') {
    report(file, 'formula-type', `${where} returns ${result.dataType}, expected ${expected}`);
  }
}

/** The selections under `edges { node { ... } }` of a connection. */
function connectionNode(connection: Selection): Selection[] {
  return (
    connection.children?.find((c) => c.name === 'edges')?.children?.find((c) => c.name === 'node')
      ?.children ?? []
  );
}

const VALUE_SELECTIONS = new Set(['value', 'displayValue', 'format', 'label', '__typename']);

/** Resolves what a UI API GraphQL node selects on `object`; reports custom names that do not resolve. */
function checkGraphqlNode(
  schema: Schema,
  project: MetadataProject,
  object: string,
  selections: Selection[],
  report: (message: string) => void
): void {
  const custom = (name: string): boolean => /__[cr]$/i.test(name) || !!schema.object(object)?.custom;
  for (const s of selections) {
    if (s.name === 'Id' || s.name === '__typename') continue;
    const children = s.children ?? [];
    if (!s.children || children.every((c) => VALUE_SELECTIONS.has(c.name))) {
      if (!schema.field(object, s.name) && custom(s.name)) report(`${object}.${s.name} does not exist`);
    } else if (children.some((c) => c.name === 'edges')) {
      let child: string | undefined;
      if (/__r$/i.test(s.name)) {
        const relationship = s.name.replace(/__r$/i, '').toLowerCase();
        const lookup = [...project.objects.values()]
          .flatMap((o) => o.fields)
          .find(
            (f) =>
              f.relationshipName?.toLowerCase() === relationship &&
              f.referenceTo?.toLowerCase() === object.toLowerCase()
          );
        child = lookup?.object;
        if (!child) report(`${object} has no child relationship ${s.name}`);
      } else child = STANDARD_CHILD_OBJECTS[schema.object(object)?.name ?? '']?.[s.name];
      if (child && schema.object(child)) checkGraphqlNode(schema, project, child, connectionNode(s), report);
    } else {
      const step = schema.relationship(object, s.name);
      if (step.target) checkGraphqlNode(schema, project, step.target, children, report);
      else if (custom(s.name)) report(step.reason ?? `${object} has no relationship ${s.name}`);
    }
  }
}
