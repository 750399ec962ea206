/**
 * describeGlobal and sObject describe payloads, built from the schema (force-app metadata
 * plus the standard objects), in the shape the REST API returns them.
 */
import type { FieldDef, ObjectDef } from '../schema.js';

const SOAP_TYPES: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  reference: 'tns:ID',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  address: 'urn:address'
};

function urls(version: string, def: ObjectDef): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  return { compactLayouts: `${base}/describe/compactLayouts`, rowTemplate: `${base}/{ID}`, defaultValues: `${base}/defaultValues?recordTypeId&fields`, describe: `${base}/describe`, sobject: base, layouts: `${base}/describe/layouts` };
}

export function globalEntry(version: string, def: ObjectDef): Record<string, unknown> {
  const writable = def.createable !== false;
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: writable,
    custom: def.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: writable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: true,
    mergeable: ['account', 'contact', 'lead', 'case'].includes(def.name.toLowerCase()),
    mruEnabled: true,
    name: def.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: writable,
    updateable: writable,
    urls: urls(version, def)
  };
}

function describeField(f: FieldDef): Record<string, unknown> {
  const isText = ['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url', 'id', 'reference'].includes(f.type);
  const length = f.length ?? (f.type === 'id' || f.type === 'reference' ? 18 : isText ? 255 : 0);
  const numeric = ['double', 'currency', 'percent', 'int'].includes(f.type);
  const nameField = f.nameField ?? f.name === 'Name';
  return {
    aggregatable: f.type !== 'textarea' && f.type !== 'address',
    aiPredictionField: false,
    autoNumber: Boolean(f.autoNumber),
    byteLength: isText ? length * 3 : 0,
    calculated: Boolean(f.calculated || f.formula || f.rollup),
    calculatedFormula: f.formula ?? null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: null,
    controllerName: null,
    createable: f.createable,
    custom: f.custom,
    defaultValue: f.defaultValue ?? f.defaultPicklistValue ?? (f.type === 'boolean' ? false : null),
    defaultValueFormula: null,
    defaultedOnCreate: f.type === 'boolean' || f.name === 'OwnerId' || f.type === 'id',
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? (f.precision ?? 9) : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: Boolean(f.externalId),
    extraTypeInfo: f.type === 'textarea' ? 'plaintextarea' : null,
    filterable: f.type !== 'textarea',
    filteredLookupInfo: null,
    groupable: !numeric && f.type !== 'textarea' && f.type !== 'datetime' && f.type !== 'address',
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: f.type === 'id' || Boolean(f.externalId) || f.name === 'Username',
    inlineHelpText: f.inlineHelpText ?? null,
    label: f.label,
    length: isText ? length : 0,
    mask: null,
    maskType: null,
    name: f.name,
    nameField,
    namePointing: f.type === 'reference' && (f.referenceTo?.length ?? 0) > 1,
    nillable: f.nillable,
    permissionable: f.nillable && !f.required && f.type !== 'id',
    picklistValues: (f.picklistValues ?? []).map((value) => ({ active: true, defaultValue: f.defaultPicklistValue === value, label: value, validFor: null, value })),
    polymorphicForeignKey: f.type === 'reference' && (f.referenceTo?.length ?? 0) > 1,
    precision: numeric && f.type !== 'int' ? (f.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName ?? null,
    relationshipOrder: f.masterDetail ? 0 : null,
    restrictedDelete: false,
    restrictedPicklist: Boolean(f.restrictedPicklist),
    scale: numeric && f.type !== 'int' ? (f.scale ?? 2) : 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    sortable: f.type !== 'textarea' && f.type !== 'multipicklist',
    type: f.type,
    unique: Boolean(f.unique),
    updateable: f.updateable,
    writeRequiresMasterRead: Boolean(f.masterDetail)
  };
}

export function describeObject(version: string, def: ObjectDef): Record<string, unknown> {
  return {
    ...globalEntry(version, def),
    actionOverrides: [],
    childRelationships: def.childRelationships.map((c) => ({
      cascadeDelete: c.cascadeDelete,
      childSObject: c.childSObject,
      deprecatedAndHidden: false,
      field: c.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName ?? null,
      restrictedDelete: false
    })),
    compactLayoutable: true,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: [...def.fields.values()].map((f) => describeField(f)),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [
      {
        active: true,
        available: true,
        defaultRecordTypeMapping: true,
        developerName: 'Master',
        master: true,
        name: 'Master',
        recordTypeId: '012000000000000AAA',
        urls: { layout: `/services/data/v${version}/sobjects/${def.name}/describe/layouts/012000000000000AAA` }
      }
    ],
    searchLayoutable: true,
    supportedScopes: [{ label: 'All ' + def.labelPlural.toLowerCase(), name: 'everything' }],
    urls: urls(version, def)
  };
}
