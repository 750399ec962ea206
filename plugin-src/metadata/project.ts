/**
 * Reads a source-format package directory (force-app/main/default) into a plain model of the
 * metadata Channel Ops checks: objects and fields, validation rules, list views, layouts,
 * permission sets, record pages, static resources and LWC bundles. Malformed XML is recorded
 * as a problem with its line and column, never thrown.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, basename } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface Problem {
  /** path relative to the checked directory */
  file: string;
  /** short rule id, e.g. `unknown-field`, `malformed-xml` */
  rule: string;
  message: string;
}

export type Xml = Record<string, unknown>;

export interface FieldMeta {
  object: string;
  name: string;
  file: string;
  type: string;
  label?: string;
  description?: string;
  inlineHelpText?: string;
  required: boolean;
  referenceTo?: string;
  relationshipName?: string;
  formula?: string;
  summarizedField?: string;
  summaryForeignKey?: string;
  summaryOperation?: string;
  summaryFilterItems: Array<{ field: string; operation: string; value?: string }>;
  picklistValues?: string[];
  externalId: boolean;
  unique: boolean;
  defaultValue?: string;
  length?: number;
  precision?: number;
  scale?: number;
}

export interface ObjectMeta {
  name: string;
  /** the .object-meta.xml, absent for standard objects that only get custom fields */
  file?: string;
  xml?: Xml;
  fields: FieldMeta[];
}

export interface ValidationRuleMeta {
  object: string;
  name: string;
  file: string;
  formula: string;
  errorDisplayField?: string;
  errorMessage?: string;
  active: boolean;
}

export interface ListViewMeta {
  object: string;
  name: string;
  file: string;
  columns: string[];
}
export interface LayoutMeta {
  object: string;
  name: string;
  file: string;
  items: Array<{ field: string; behavior: string }>;
  relatedLists: Array<{ relatedList: string; fields: string[] }>;
}
export interface FieldPermission {
  field: string;
  readable: boolean;
  editable: boolean;
}
export interface ObjectPermission {
  object: string;
  allowRead: boolean;
  allowCreate: boolean;
  allowEdit: boolean;
  allowDelete: boolean;
  viewAllRecords: boolean;
  modifyAllRecords: boolean;
}
export interface PermissionSetMeta {
  name: string;
  file: string;
  label?: string;
  fieldPermissions: FieldPermission[];
  objectPermissions: ObjectPermission[];
  tabSettings: Array<{ tab: string; visibility: string }>;
  applicationVisibilities: Array<{ application: string; visible: boolean }>;
}
export interface TabMeta {
  name: string;
  file: string;
  customObject: boolean;
}
export interface ApplicationMeta {
  name: string;
  file: string;
  tabs: string[];
  pageOverrides: Array<{ content: string; sobjectType: string }>;
}
export interface FlexiPageMeta {
  name: string;
  file: string;
  sobjectType?: string;
  type?: string;
  template?: string;
  components: string[];
}
export interface StaticResourceMeta {
  name: string;
  file: string;
  contentType?: string;
  contentFile?: string;
}
export interface LwcSource {
  bundle: string;
  file: string;
  text: string;
}
export interface LwcBundleMeta {
  name: string;
  dir: string;
  file?: string;
  isExposed: boolean;
  targets: string[];
  recordPageObjects?: string[];
}

export interface MetadataProject {
  root: string;
  objects: Map<string, ObjectMeta>;
  validationRules: ValidationRuleMeta[];
  listViews: ListViewMeta[];
  layouts: LayoutMeta[];
  permissionSets: PermissionSetMeta[];
  flexiPages: FlexiPageMeta[];
  staticResources: StaticResourceMeta[];
  tabs: TabMeta[];
  applications: ApplicationMeta[];
  lwcBundles: LwcBundleMeta[];
  /** the bundles' JavaScript and templates (tests excluded), for the schema names they use */
  lwcSources: LwcSource[];
  /** false when there is no lwc folder or it holds no bundle */
  hasLwc: boolean;
  problems: Problem[];
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true
});
/** LWC bundle metadata carries meaning in attributes (`<targetConfig targets="...">`). */
const attributeParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true
});

/** Always an array: XML elements that may repeat come back as one value or many. */
export function list<T = unknown>(value: unknown): T[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
const bool = (v: unknown): boolean => v === 'true' || v === true;
const num = (v: unknown): number | undefined => (str(v) === undefined ? undefined : Number(str(v)));

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === '__tests__' || e.name === 'node_modules') continue;
      out.push(...(await walk(p)));
    } else out.push(p);
  }
  return out.sort();
}

export async function loadProject(root: string): Promise<MetadataProject> {
  const project: MetadataProject = {
    root,
    objects: new Map(),
    validationRules: [],
    listViews: [],
    layouts: [],
    permissionSets: [],
    flexiPages: [],
    staticResources: [],
    tabs: [],
    applications: [],
    lwcBundles: [],
    lwcSources: [],
    hasLwc: false,
    problems: []
  };
  const rel = (p: string): string => relative(root, p);
  const files = await walk(root);

  const checkWellFormed = async (path: string): Promise<string | undefined> => {
    const text = await readFile(path, 'utf8');
    const valid = XMLValidator.validate(text);
    if (valid === true) return text;
    project.problems.push({
      file: rel(path),
      rule: 'malformed-xml',
      message: `malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`
    });
    return undefined;
  };
  const readXml = async (
    path: string,
    rootElement: string,
    withAttributes = false
  ): Promise<Xml | undefined> => {
    const text = await checkWellFormed(path);
    if (text === undefined) return undefined;
    const parsed = (withAttributes ? attributeParser : parser).parse(text) as Xml;
    const body = parsed[rootElement];
    if (body === undefined || typeof body !== 'object') {
      project.problems.push({
        file: rel(path),
        rule: 'malformed-xml',
        message: `expected a <${rootElement}> root element, found <${Object.keys(parsed).join(', ') || 'nothing'}>`
      });
      return undefined;
    }
    return body as Xml;
  };
  const objectOf = (name: string): ObjectMeta => {
    let o = project.objects.get(name);
    if (!o) project.objects.set(name, (o = { name, fields: [] }));
    return o;
  };

  for (const path of files) {
    const parts = rel(path).split(/[\\/]/);
    const file = basename(path);
    if (parts[0] === 'objects' && parts.length >= 3) {
      const object = parts[1];
      if (parts.length === 3 && file === `${object}.object-meta.xml`) {
        const xml = await readXml(path, 'CustomObject');
        const o = objectOf(object);
        o.file = rel(path);
        o.xml = xml;
      } else if (parts[2] === 'fields' && file.endsWith('.field-meta.xml')) {
        const x = await readXml(path, 'CustomField');
        if (!x) continue;
        const name = file.slice(0, -'.field-meta.xml'.length);
        if (str(x.fullName) !== name)
          project.problems.push({
            file: rel(path),
            rule: 'name-mismatch',
            message: `fullName ${String(x.fullName)} does not match the file name ${name}`
          });
        const valueSet = x.valueSet as Xml | undefined;
        const definition = valueSet?.valueSetDefinition as Xml | undefined;
        objectOf(object).fields.push({
          object,
          name,
          file: rel(path),
          type: str(x.type) ?? '',
          label: str(x.label),
          description: str(x.description),
          inlineHelpText: str(x.inlineHelpText),
          required: bool(x.required),
          referenceTo: str(x.referenceTo),
          relationshipName: str(x.relationshipName),
          formula: str(x.formula),
          summarizedField: str(x.summarizedField),
          summaryForeignKey: str(x.summaryForeignKey),
          summaryOperation: str(x.summaryOperation),
          summaryFilterItems: list<Xml>(x.summaryFilterItems).map((f) => ({
            field: str(f.field) ?? '',
            operation: str(f.operation) ?? '',
            value: str(f.value)
          })),
          picklistValues: definition
            ? list<Xml>(definition.value).map((v) => str(v.fullName) ?? '')
            : valueSet
              ? []
              : undefined,
          externalId: bool(x.externalId),
          unique: bool(x.unique),
          defaultValue: str(x.defaultValue),
          length: num(x.length),
          precision: num(x.precision),
          scale: num(x.scale)
        });
      } else if (parts[2] === 'validationRules' && file.endsWith('.validationRule-meta.xml')) {
        const x = await readXml(path, 'ValidationRule');
        if (!x) continue;
        project.validationRules.push({
          object,
          name: file.slice(0, -'.validationRule-meta.xml'.length),
          file: rel(path),
          formula: str(x.errorConditionFormula) ?? '',
          errorDisplayField: str(x.errorDisplayField),
          errorMessage: str(x.errorMessage),
          active: bool(x.active)
        });
      } else if (parts[2] === 'listViews' && file.endsWith('.listView-meta.xml')) {
        const x = await readXml(path, 'ListView');
        if (!x) continue;
        project.listViews.push({
          object,
          name: file.slice(0, -'.listView-meta.xml'.length),
          file: rel(path),
          columns: list<string>(x.columns)
        });
      } else if (file.endsWith('-meta.xml')) {
        await checkWellFormed(path);
      }
    } else if (parts[0] === 'layouts' && file.endsWith('.layout-meta.xml')) {
      const x = await readXml(path, 'Layout');
      if (!x) continue;
      const name = file.slice(0, -'.layout-meta.xml'.length);
      const items = list<Xml>(x.layoutSections)
        .flatMap((s) => list<Xml>(s.layoutColumns))
        .flatMap((c) => list<Xml>(c.layoutItems))
        .filter((i) => str(i.field))
        .map((i) => ({ field: str(i.field) ?? '', behavior: str(i.behavior) ?? '' }));
      project.layouts.push({
        object: name.split('-')[0],
        name,
        file: rel(path),
        items,
        relatedLists: list<Xml>(x.relatedLists).map((r) => ({
          relatedList: str(r.relatedList) ?? '',
          fields: list<string>(r.fields)
        }))
      });
    } else if (parts[0] === 'permissionsets' && file.endsWith('.permissionset-meta.xml')) {
      const x = await readXml(path, 'PermissionSet');
      if (!x) continue;
      project.permissionSets.push({
        name: file.slice(0, -'.permissionset-meta.xml'.length),
        file: rel(path),
        label: str(x.label),
        fieldPermissions: list<Xml>(x.fieldPermissions).map((f) => ({
          field: str(f.field) ?? '',
          readable: bool(f.readable),
          editable: bool(f.editable)
        })),
        objectPermissions: list<Xml>(x.objectPermissions).map((o) => ({
          object: str(o.object) ?? '',
          allowRead: bool(o.allowRead),
          allowCreate: bool(o.allowCreate),
          allowEdit: bool(o.allowEdit),
          allowDelete: bool(o.allowDelete),
          viewAllRecords: bool(o.viewAllRecords),
          modifyAllRecords: bool(o.modifyAllRecords)
        })),
        tabSettings: list<Xml>(x.tabSettings).map((t) => ({
          tab: str(t.tab) ?? '',
          visibility: str(t.visibility) ?? ''
        })),
        applicationVisibilities: list<Xml>(x.applicationVisibilities).map((a) => ({
          application: str(a.application) ?? '',
          visible: bool(a.visible)
        }))
      });
    } else if (parts[0] === 'tabs' && file.endsWith('.tab-meta.xml')) {
      const x = await readXml(path, 'CustomTab');
      if (!x) continue;
      project.tabs.push({
        name: file.slice(0, -'.tab-meta.xml'.length),
        file: rel(path),
        customObject: bool(x.customObject)
      });
    } else if (parts[0] === 'applications' && file.endsWith('.app-meta.xml')) {
      const x = await readXml(path, 'CustomApplication');
      if (!x) continue;
      project.applications.push({
        name: file.slice(0, -'.app-meta.xml'.length),
        file: rel(path),
        tabs: list<string>(x.tabs),
        pageOverrides: list<Xml>(x.actionOverrides)
          .filter((o) => str(o.type) === 'Flexipage')
          .map((o) => ({ content: str(o.content) ?? '', sobjectType: str(o.pageOrSobjectType) ?? '' }))
      });
    } else if (parts[0] === 'flexipages' && file.endsWith('.flexipage-meta.xml')) {
      const x = await readXml(path, 'FlexiPage');
      if (!x) continue;
      const components = list<Xml>(x.flexiPageRegions)
        .flatMap((r) => list<Xml>(r.itemInstances))
        .map((i) => str((i.componentInstance as Xml | undefined)?.componentName))
        .filter((c): c is string => !!c);
      project.flexiPages.push({
        name: file.slice(0, -'.flexipage-meta.xml'.length),
        file: rel(path),
        sobjectType: str(x.sobjectType),
        type: str(x.type),
        template: str((x.template as Xml | undefined)?.name),
        components
      });
    } else if (parts[0] === 'staticresources' && file.endsWith('.resource-meta.xml')) {
      const x = await readXml(path, 'StaticResource');
      if (!x) continue;
      const name = file.slice(0, -'.resource-meta.xml'.length);
      const content = files.find(
        (f) =>
          rel(f) !== rel(path) &&
          basename(f).startsWith(`${name}.`) &&
          rel(f).split(/[\\/]/)[0] === 'staticresources'
      );
      project.staticResources.push({
        name,
        file: rel(path),
        contentType: str(x.contentType),
        contentFile: content ? rel(content) : undefined
      });
    } else if (parts[0] === 'lwc' && parts.length >= 3) {
      const bundle = parts[1];
      if (!project.lwcBundles.some((b) => b.name === bundle))
        project.lwcBundles.push({ name: bundle, dir: join('lwc', bundle), isExposed: false, targets: [] });
      if ((file.endsWith('.js') || file.endsWith('.html')) && parts.length === 3) {
        project.lwcSources.push({ bundle, file: rel(path), text: await readFile(path, 'utf8') });
      }
      if (file === `${bundle}.js-meta.xml` && parts.length === 3) {
        const x = await readXml(path, 'LightningComponentBundle', true);
        const b = project.lwcBundles.find((l) => l.name === bundle);
        if (x && b) {
          b.file = rel(path);
          b.isExposed = bool(x.isExposed);
          b.targets = list<string>((x.targets as Xml | undefined)?.target);
          const configs = list<Xml>((x.targetConfigs as Xml | undefined)?.targetConfig).filter((c) =>
            String(c['@_targets'] ?? '').includes('lightning__RecordPage')
          );
          const objects = configs.flatMap((c) => list<string>((c.objects as Xml | undefined)?.object));
          if (objects.length) b.recordPageObjects = objects;
        }
      }
    } else if (file.endsWith('-meta.xml') || file.endsWith('.xml')) {
      // any other metadata type: at least the XML must be well formed
      await checkWellFormed(path);
    }
  }
  project.hasLwc = project.lwcBundles.length > 0;
  return project;
}
