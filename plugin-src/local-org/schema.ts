/**
 * The local org's schema: the standard objects and fields Channel Ops uses, plus whatever
 * force-app declares (custom objects, custom fields on standard objects, validation rules),
 * read from source format the way a deploy would add it to a real org.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, basename } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { STANDARD_KEY_PREFIXES } from '../domain/ids.js';
import { SalesforceError } from './errors.js';

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'email'
  | 'phone'
  | 'url'
  | 'address';

export type RollupOperation = 'sum' | 'count' | 'min' | 'max';

/** One `summaryFilterItems` entry: `field` is the child field, operation as in metadata. */
export interface RollupFilter {
  field: string;
  operation:
    | 'equals'
    | 'notEqual'
    | 'lessThan'
    | 'greaterThan'
    | 'lessOrEqual'
    | 'greaterOrEqual'
    | 'contains'
    | 'notContain'
    | 'startsWith'
    | 'includes'
    | 'excludes';
  value?: string;
}

export interface RollupDef {
  /** the child object (e.g. MDF_Request__c) */
  summarizedObject: string;
  /** the child field summarised (absent for count) */
  field?: string;
  operation: RollupOperation;
  /** the child's master-detail field pointing at the parent (e.g. MDF_Budget__c) */
  foreignKey: string;
  /** all must hold (Salesforce ANDs summaryFilterItems) */
  filters?: RollupFilter[];
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  referenceTo?: string[];
  relationshipName?: string;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  externalId?: boolean;
  unique?: boolean;
  picklistValues?: string[];
  /** the picklist value marked default */
  defaultPicklistValue?: string;
  restrictedPicklist?: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  calculated?: boolean;
  formula?: string;
  formulaTreatBlanksAs?: 'BlankAsZero' | 'BlankAsBlank';
  rollup?: RollupDef;
  defaultValue?: unknown;
  masterDetail?: boolean;
  /** required on create (nillable false, createable, no default) */
  required?: boolean;
  /** absent means: custom when the name ends in __c */
  custom?: boolean;
  autoNumber?: boolean;
  displayFormat?: string;
  nameField?: boolean;
  /** for lookups: the name the parent uses for this child relationship (Contacts, MDF_Requests__r) */
  childRelationshipName?: string;
  /** for lookups: what happens to this child when the parent is deleted */
  cascadeDelete?: boolean;
  description?: string;
  inlineHelpText?: string;
}

export interface ValidationRule {
  name: string;
  active: boolean;
  errorConditionFormula: string;
  errorMessage: string;
  errorDisplayField?: string;
  description?: string;
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName?: string;
  cascadeDelete: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  /** keyed by lower-case field name, in declaration order */
  fields: Map<string, FieldDef>;
  validationRules: ValidationRule[];
  childRelationships: ChildRelationship[];
  /** false for system objects that the API cannot create (Organization); absent means true */
  createable?: boolean;
  /** sharing model from the object metadata (ReadWrite, Private, ControlledByParent ...) */
  sharingModel?: string;
}

export class Schema {
  public readonly objects = new Map<string, ObjectDef>();
  /**
   * Bumped by add() and link(). A Database notices schema changes through it, so after
   * changing fields in place (a deploy), call link() (or Database.invalidateSchema()).
   */
  public version = 0;
  private readonly byPrefix = new Map<string, ObjectDef>();

  public get(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  /** The object, or SalesforceError INVALID_TYPE (for the REST resource answer, see the HTTP layer's 404 NOT_FOUND). */
  public require(name: string): ObjectDef {
    const def = this.get(name);
    if (!def) throw new SalesforceError('INVALID_TYPE', `sObject type '${name}' is not supported.`);
    return def;
  }

  /** As `require` but with the SOQL wording (`sObject type 'X' is not supported.`). */
  public requireForQuery(name: string): ObjectDef {
    const def = this.get(name);
    if (!def) {
      throw new SalesforceError(
        'INVALID_TYPE',
        `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
      );
    }
    return def;
  }

  public byKeyPrefix(prefix: string): ObjectDef | undefined {
    return this.byPrefix.get(prefix);
  }

  /** Adds (or replaces) an object; assigns a key prefix to custom objects that have none. */
  public add(def: ObjectDef): ObjectDef {
    const existing = this.objects.get(def.name.toLowerCase());
    if (existing) this.byPrefix.delete(existing.keyPrefix);
    if (!def.keyPrefix) def.keyPrefix = this.customPrefixFor(def.name);
    this.objects.set(def.name.toLowerCase(), def);
    this.byPrefix.set(def.keyPrefix, def);
    this.version++;
    return def;
  }

  /**
   * Custom objects get `a0X`-style prefixes derived from the name (stable across restarts
   * and independent of load order), probing on collision.
   */
  private customPrefixFor(name: string): string {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let h = 2166136261;
    for (const ch of name.toLowerCase()) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    for (let i = 0; i < 62 * 62; i++) {
      const n = (h + i) % (62 * 62);
      const prefix = `a${alphabet[Math.floor(n / 62)]}${alphabet[n % 62]}`;
      if (!this.byPrefix.has(prefix)) return prefix;
    }
    throw new Error('No key prefix left for custom objects');
  }

  /** Recomputes childRelationships and required flags from the fields of every object. */
  public link(): void {
    this.version++;
    for (const obj of this.objects.values()) {
      obj.childRelationships = [];
      if (obj.keyPrefix && !this.byPrefix.has(obj.keyPrefix)) this.byPrefix.set(obj.keyPrefix, obj);
    }
    for (const obj of this.objects.values()) {
      for (const f of obj.fields.values()) {
        f.required =
          !f.nillable &&
          f.createable &&
          f.type !== 'boolean' &&
          f.defaultValue === undefined &&
          !f.defaultPicklistValue &&
          !f.calculated &&
          !f.autoNumber;
        if (f.type !== 'reference' || !f.referenceTo) continue;
        for (const target of f.referenceTo) {
          const parent = this.get(target);
          if (!parent) continue;
          parent.childRelationships.push({
            childSObject: obj.name,
            field: f.name,
            relationshipName: f.childRelationshipName,
            cascadeDelete: Boolean(f.masterDetail || f.cascadeDelete)
          });
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Standard objects

type FieldSpec = Partial<FieldDef> & { type: FieldType };

function field(name: string, spec: FieldSpec): FieldDef {
  const custom = name.endsWith('__c');
  const def: FieldDef = {
    name,
    label: spec.label ?? labelFromName(name),
    nillable: spec.nillable ?? spec.type !== 'boolean',
    createable: spec.createable ?? true,
    updateable: spec.updateable ?? spec.createable ?? true,
    custom,
    ...spec
  } as FieldDef;
  if (def.type === 'boolean' && def.defaultValue === undefined) def.defaultValue = false;
  if (def.type === 'string' && def.length === undefined) def.length = 255;
  if (def.type === 'textarea' && def.length === undefined) def.length = 32000;
  if ((def.type === 'email' || def.type === 'url' || def.type === 'picklist') && def.length === undefined)
    def.length = 255;
  if (def.type === 'phone' && def.length === undefined) def.length = 40;
  if (def.type === 'multipicklist' && def.length === undefined) def.length = 4099;
  if ((def.type === 'reference' || def.type === 'id') && def.length === undefined) def.length = 18;
  if (
    (def.type === 'currency' || def.type === 'double' || def.type === 'percent') &&
    def.precision === undefined
  ) {
    def.precision = 18;
    def.scale = def.type === 'currency' ? 2 : 0;
  }
  return def;
}

function labelFromName(name: string): string {
  let base = name.replace(/__c$/, '').replace(/_/g, ' ');
  if (base.endsWith('Id') && base.length > 2) base = base.slice(0, -2) + ' ID';
  return base.replace(/([a-z])([A-Z])/g, '$1 $2');
}

const ro = { createable: false, updateable: false } as const;

function ref(to: string | string[], relationshipName: string, extra: Partial<FieldDef> = {}): FieldSpec {
  return { type: 'reference', referenceTo: Array.isArray(to) ? to : [to], relationshipName, ...extra };
}

function picklist(values: string[], extra: Partial<FieldDef> = {}): FieldSpec {
  return { type: 'picklist', picklistValues: values, restrictedPicklist: false, ...extra };
}

function systemFields(): FieldDef[] {
  return [
    field('Id', { type: 'id', label: 'Record ID', nillable: false, ...ro }),
    field('IsDeleted', { type: 'boolean', label: 'Deleted', ...ro }),
    field('CreatedDate', { type: 'datetime', label: 'Created Date', nillable: false, ...ro }),
    field('CreatedById', ref('User', 'CreatedBy', { label: 'Created By ID', nillable: false, ...ro })),
    field('LastModifiedDate', { type: 'datetime', label: 'Last Modified Date', nillable: false, ...ro }),
    field(
      'LastModifiedById',
      ref('User', 'LastModifiedBy', { label: 'Last Modified By ID', nillable: false, ...ro })
    ),
    field('SystemModstamp', { type: 'datetime', label: 'System Modstamp', nillable: false, ...ro })
  ];
}

function ownerField(): FieldDef {
  // Polymorphic in Salesforce (User or Group); the local org only has users as owners.
  return field('OwnerId', ref('User', 'Owner', { label: 'Owner ID', nillable: false }));
}

function makeObject(
  name: string,
  fields: FieldDef[],
  opts: {
    label?: string;
    labelPlural?: string;
    owned?: boolean;
    createable?: boolean;
    childRelationships?: Record<string, string>;
  } = {}
): ObjectDef {
  const all = [...systemFields(), ...(opts.owned === false ? [] : [ownerField()]), ...fields];
  const map = new Map<string, FieldDef>();
  for (const f of all) map.set(f.name.toLowerCase(), f);
  const label = opts.label ?? labelFromName(name);
  return {
    name,
    label,
    labelPlural: opts.labelPlural ?? `${label}s`,
    keyPrefix: STANDARD_KEY_PREFIXES[name] ?? '',
    custom: false,
    fields: map,
    validationRules: [],
    childRelationships: [],
    createable: opts.createable ?? true
  };
}

const ADDRESS_PARTS = ['Street', 'City', 'State', 'PostalCode', 'Country', 'Latitude', 'Longitude'];

function address(prefix: string, label: string): FieldDef[] {
  return ADDRESS_PARTS.map((part) =>
    field(`${prefix}${part}`, {
      type:
        part === 'Street' ? 'textarea' : part === 'Latitude' || part === 'Longitude' ? 'double' : 'string',
      label: `${label} ${part.replace('PostalCode', 'Zip/Postal Code')}`,
      length:
        part === 'Street'
          ? 255
          : part === 'PostalCode'
            ? 20
            : part === 'Latitude' || part === 'Longitude'
              ? undefined
              : 80,
      precision: part === 'Latitude' || part === 'Longitude' ? 18 : undefined,
      scale: part === 'Latitude' || part === 'Longitude' ? 15 : undefined
    })
  );
}

const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other'
];
const ACCOUNT_TYPES = [
  'Prospect',
  'Customer - Direct',
  'Customer - Channel',
  'Channel Partner / Reseller',
  'Installation Partner',
  'Technology Partner',
  'Other'
];
const STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost'
];
/** Default probability per stage, as in a new org's sales process. */
export const STAGE_PROBABILITY: Record<string, number> = {
  Prospecting: 10,
  Qualification: 10,
  'Needs Analysis': 20,
  'Value Proposition': 50,
  'Id. Decision Makers': 60,
  'Perception Analysis': 70,
  'Proposal/Price Quote': 75,
  'Negotiation/Review': 90,
  'Closed Won': 100,
  'Closed Lost': 0
};
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const TEAM_ROLES = [
  'Account Manager',
  'Channel Manager',
  'Executive Sponsor',
  'Lead Qualifier',
  'Pre-Sales Consultant',
  'Sales Manager',
  'Sales Rep',
  'Technical Sales'
];
const ACCESS = ['None', 'Read', 'Edit', 'All'];

function standardObjects(): ObjectDef[] {
  const currency = (name: string, extra: Partial<FieldDef> = {}): FieldDef =>
    field(name, { type: 'currency', precision: 18, scale: 2, ...extra });
  return [
    makeObject(
      'Organization',
      [
        field('Name', { type: 'string', label: 'Name', length: 80, nillable: false, nameField: true }),
        field('Division', { type: 'string', length: 80 }),
        field('OrganizationType', {
          type: 'picklist',
          label: 'Edition',
          picklistValues: [
            'Developer Edition',
            'Enterprise Edition',
            'Unlimited Edition',
            'Professional Edition'
          ],
          ...ro
        }),
        field('InstanceName', { type: 'string', length: 5, ...ro }),
        field('IsSandbox', { type: 'boolean', ...ro }),
        field('NamespacePrefix', { type: 'string', length: 15, ...ro }),
        field('TrialExpirationDate', { type: 'datetime', ...ro }),
        field('DefaultLocaleSidKey', { type: 'picklist', label: 'Locale', picklistValues: ['en_US'] }),
        field('LanguageLocaleKey', { type: 'picklist', label: 'Language', picklistValues: ['en_US'] }),
        field('TimeZoneSidKey', {
          type: 'picklist',
          label: 'Time Zone',
          picklistValues: ['GMT', 'America/Los_Angeles', 'Europe/Paris']
        }),
        field('Country', { type: 'string', length: 80 }),
        ...address('', 'Address').filter((f) => f.name !== 'Country')
      ],
      { owned: false, createable: false, labelPlural: 'Organizations' }
    ),
    makeObject(
      'User',
      [
        field('Username', { type: 'string', length: 80, nillable: false, unique: true }),
        field('LastName', { type: 'string', length: 80, nillable: false }),
        field('FirstName', { type: 'string', length: 40 }),
        field('Name', { type: 'string', label: 'Full Name', length: 121, nameField: true, ...ro }),
        field('Email', { type: 'email', length: 128, nillable: false }),
        field('Alias', { type: 'string', length: 8 }),
        field('CommunityNickname', { type: 'string', label: 'Nickname', length: 40 }),
        field('IsActive', { type: 'boolean', label: 'Active', defaultValue: true }),
        field('ProfileId', ref('Profile', 'Profile', { label: 'Profile ID' })),
        field('UserRoleId', ref('UserRole', 'UserRole', { label: 'Role ID' })),
        field('ManagerId', ref('User', 'Manager', { label: 'Manager ID' })),
        field('Title', { type: 'string', length: 80 }),
        field('Department', { type: 'string', length: 80 }),
        field('Phone', { type: 'phone' }),
        field(
          'TimeZoneSidKey',
          picklist(
            [
              'GMT',
              'America/Los_Angeles',
              'America/New_York',
              'Europe/London',
              'Europe/Paris',
              'Europe/Berlin'
            ],
            { label: 'Time Zone', defaultValue: 'GMT' }
          )
        ),
        field(
          'LocaleSidKey',
          picklist(['en_US', 'en_GB', 'de_DE', 'fr_FR'], { label: 'Locale', defaultValue: 'en_US' })
        ),
        field(
          'LanguageLocaleKey',
          picklist(['en_US', 'de', 'fr'], { label: 'Language', defaultValue: 'en_US' })
        ),
        field(
          'EmailEncodingKey',
          picklist(['UTF-8', 'ISO-8859-1'], { label: 'Email Encoding', defaultValue: 'UTF-8' })
        ),
        field('UserType', {
          type: 'picklist',
          picklistValues: ['Standard', 'PowerPartner', 'CsnOnly'],
          defaultValue: 'Standard',
          ...ro
        }),
        field('LastLoginDate', { type: 'datetime', ...ro })
      ],
      { owned: false, labelPlural: 'Users' }
    ),
    makeObject(
      'Profile',
      [field('Name', { type: 'string', length: 255, nillable: false, nameField: true })],
      { owned: false }
    ),
    makeObject(
      'UserRole',
      [
        field('Name', { type: 'string', length: 80, nillable: false, nameField: true }),
        field('ParentRoleId', ref('UserRole', 'ParentRole'))
      ],
      { owned: false }
    ),
    makeObject('Account', [
      field('Name', { type: 'string', label: 'Account Name', length: 255, nillable: false, nameField: true }),
      field('Type', picklist(ACCOUNT_TYPES, { label: 'Account Type' })),
      field(
        'ParentId',
        ref('Account', 'Parent', { label: 'Parent Account ID', childRelationshipName: 'ChildAccounts' })
      ),
      field('AccountNumber', { type: 'string', length: 40 }),
      field('Website', { type: 'url' }),
      field('Phone', { type: 'phone', label: 'Account Phone' }),
      field('Fax', { type: 'phone', label: 'Account Fax' }),
      field('Industry', picklist(INDUSTRIES)),
      field('AnnualRevenue', currency('AnnualRevenue')),
      field('NumberOfEmployees', { type: 'int', label: 'Employees', precision: 8, scale: 0 }),
      field('Ownership', picklist(['Public', 'Private', 'Subsidiary', 'Other'])),
      field('Rating', picklist(['Hot', 'Warm', 'Cold'], { label: 'Account Rating' })),
      field('Site', { type: 'string', label: 'Account Site', length: 80 }),
      field('Sic', { type: 'string', label: 'SIC Code', length: 20 }),
      field('Description', { type: 'textarea', label: 'Account Description' }),
      field('AccountSource', picklist(LEAD_SOURCES)),
      field('IsPartner', { type: 'boolean', label: 'Partner Account' }),
      field('LastActivityDate', { type: 'date', ...ro }),
      ...address('Billing', 'Billing'),
      ...address('Shipping', 'Shipping')
    ]),
    makeObject('Contact', [
      field(
        'AccountId',
        ref('Account', 'Account', {
          label: 'Account ID',
          childRelationshipName: 'Contacts',
          cascadeDelete: true
        })
      ),
      field('LastName', { type: 'string', length: 80, nillable: false }),
      field('FirstName', { type: 'string', length: 40 }),
      field('Salutation', picklist(['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'])),
      field('Name', { type: 'string', label: 'Full Name', length: 121, nameField: true, ...ro }),
      field('Email', { type: 'email', length: 80 }),
      field('Phone', { type: 'phone', label: 'Business Phone' }),
      field('MobilePhone', { type: 'phone' }),
      field('Title', { type: 'string', length: 128 }),
      field('Department', { type: 'string', length: 80 }),
      field('ReportsToId', ref('Contact', 'ReportsTo', { label: 'Reports To ID' })),
      field('LeadSource', picklist(LEAD_SOURCES)),
      field('Description', { type: 'textarea', label: 'Contact Description' }),
      ...address('Mailing', 'Mailing')
    ]),
    makeObject('Campaign', [
      field('Name', { type: 'string', label: 'Campaign Name', length: 80, nillable: false, nameField: true }),
      field(
        'Type',
        picklist([
          'Conference',
          'Webinar',
          'Trade Show',
          'Public Relations',
          'Partners',
          'Referral Program',
          'Advertisement',
          'Banner Ads',
          'Direct Mail',
          'Email',
          'Telemarketing',
          'Other'
        ])
      ),
      field('Status', picklist(['Planned', 'In Progress', 'Completed', 'Aborted'])),
      field('StartDate', { type: 'date' }),
      field('EndDate', { type: 'date' }),
      field('IsActive', { type: 'boolean', label: 'Active' }),
      field(
        'ParentId',
        ref('Campaign', 'Parent', { label: 'Parent Campaign ID', childRelationshipName: 'ChildCampaigns' })
      ),
      field('BudgetedCost', currency('BudgetedCost')),
      field('ActualCost', currency('ActualCost')),
      field('ExpectedRevenue', currency('ExpectedRevenue')),
      field('Description', { type: 'textarea' })
    ]),
    makeObject(
      'Pricebook2',
      [
        field('Name', {
          type: 'string',
          label: 'Price Book Name',
          length: 255,
          nillable: false,
          nameField: true
        }),
        field('IsActive', { type: 'boolean', label: 'Active' }),
        field('IsStandard', { type: 'boolean', label: 'Is Standard Price Book', ...ro }),
        field('Description', { type: 'string', length: 255 })
      ],
      { owned: false, label: 'Price Book', labelPlural: 'Price Books' }
    ),
    makeObject(
      'Product2',
      [
        field('Name', {
          type: 'string',
          label: 'Product Name',
          length: 255,
          nillable: false,
          nameField: true
        }),
        field('ProductCode', { type: 'string', length: 255 }),
        field('Family', picklist(['None'], { label: 'Product Family' })),
        field('IsActive', { type: 'boolean', label: 'Active' }),
        field('Description', { type: 'textarea', label: 'Product Description', length: 4000 })
      ],
      { owned: false, label: 'Product', labelPlural: 'Products' }
    ),
    makeObject(
      'PricebookEntry',
      [
        field('Name', { type: 'string', label: 'Product Name', length: 255, nameField: true, ...ro }),
        field(
          'Pricebook2Id',
          ref('Pricebook2', 'Pricebook2', {
            label: 'Price Book ID',
            nillable: false,
            updateable: false,
            childRelationshipName: 'PricebookEntries'
          })
        ),
        field(
          'Product2Id',
          ref('Product2', 'Product2', {
            label: 'Product ID',
            nillable: false,
            updateable: false,
            childRelationshipName: 'PricebookEntries'
          })
        ),
        field('UnitPrice', currency('UnitPrice', { label: 'List Price', nillable: false })),
        field('IsActive', { type: 'boolean', label: 'Active' }),
        field('UseStandardPrice', { type: 'boolean' }),
        field('ProductCode', { type: 'string', length: 255, ...ro })
      ],
      { owned: false, label: 'Price Book Entry', labelPlural: 'Price Book Entries' }
    ),
    makeObject(
      'Opportunity',
      [
        field(
          'AccountId',
          ref('Account', 'Account', {
            label: 'Account ID',
            childRelationshipName: 'Opportunities',
            cascadeDelete: true
          })
        ),
        field('Name', { type: 'string', label: 'Name', length: 120, nillable: false, nameField: true }),
        field('Description', { type: 'textarea' }),
        field('StageName', picklist(STAGES, { label: 'Stage', nillable: false })),
        field('Amount', currency('Amount')),
        field('Probability', { type: 'percent', label: 'Probability (%)', precision: 3, scale: 0 }),
        field('ExpectedRevenue', currency('ExpectedRevenue', { label: 'Expected Amount', ...ro })),
        field('CloseDate', { type: 'date', nillable: false }),
        field(
          'Type',
          picklist(
            [
              'Existing Customer - Upgrade',
              'Existing Customer - Replacement',
              'Existing Customer - Downgrade',
              'New Customer'
            ],
            { label: 'Opportunity Type' }
          )
        ),
        field('NextStep', { type: 'string', length: 255 }),
        field('LeadSource', picklist(LEAD_SOURCES)),
        field('IsClosed', { type: 'boolean', label: 'Closed', ...ro }),
        field('IsWon', { type: 'boolean', label: 'Won', ...ro }),
        field(
          'ForecastCategoryName',
          picklist(['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], { label: 'Forecast Category' })
        ),
        field(
          'CampaignId',
          ref('Campaign', 'Campaign', { label: 'Campaign ID', childRelationshipName: 'Opportunities' })
        ),
        field(
          'Pricebook2Id',
          ref('Pricebook2', 'Pricebook2', { label: 'Price Book ID', childRelationshipName: 'Opportunities' })
        ),
        field('HasOpportunityLineItem', { type: 'boolean', label: 'Has Line Item', ...ro }),
        field('LastActivityDate', { type: 'date', ...ro })
      ],
      { labelPlural: 'Opportunities' }
    ),
    makeObject(
      'OpportunityLineItem',
      [
        field(
          'OpportunityId',
          ref('Opportunity', 'Opportunity', {
            label: 'Opportunity ID',
            nillable: false,
            updateable: false,
            childRelationshipName: 'OpportunityLineItems',
            cascadeDelete: true
          })
        ),
        field('Name', {
          type: 'string',
          label: 'Opportunity Product Name',
          length: 376,
          nameField: true,
          ...ro
        }),
        field(
          'Product2Id',
          ref('Product2', 'Product2', {
            label: 'Product ID',
            updateable: false,
            childRelationshipName: 'OpportunityLineItems'
          })
        ),
        field(
          'PricebookEntryId',
          ref('PricebookEntry', 'PricebookEntry', {
            label: 'Price Book Entry ID',
            updateable: false,
            childRelationshipName: 'OpportunityLineItems'
          })
        ),
        field('ProductCode', { type: 'string', length: 255, ...ro }),
        field('Quantity', { type: 'double', precision: 12, scale: 2, nillable: false }),
        field('UnitPrice', currency('UnitPrice', { label: 'Sales Price' })),
        field('ListPrice', currency('ListPrice', { label: 'List Price', ...ro })),
        field('TotalPrice', currency('TotalPrice', { label: 'Total Price' })),
        field('Discount', { type: 'percent', precision: 18, scale: 2 }),
        field('ServiceDate', { type: 'date', label: 'Date' }),
        field('Description', { type: 'string', label: 'Line Description', length: 255 })
      ],
      { owned: false, label: 'Opportunity Product', labelPlural: 'Opportunity Product' }
    ),
    makeObject('Case', [
      field('CaseNumber', {
        type: 'string',
        label: 'Case Number',
        length: 30,
        nameField: true,
        autoNumber: true,
        ...ro
      }),
      field('AccountId', ref('Account', 'Account', { label: 'Account ID', childRelationshipName: 'Cases' })),
      field('ContactId', ref('Contact', 'Contact', { label: 'Contact ID', childRelationshipName: 'Cases' })),
      field('ParentId', ref('Case', 'Parent', { label: 'Parent Case ID', childRelationshipName: 'Cases' })),
      field('Subject', { type: 'string', length: 255 }),
      field('Description', { type: 'textarea' }),
      field('Status', picklist(['New', 'Working', 'Escalated', 'Closed'], { defaultValue: 'New' })),
      field('Priority', picklist(['High', 'Medium', 'Low'], { defaultValue: 'Medium' })),
      field('Origin', picklist(['Phone', 'Email', 'Web'], { label: 'Case Origin' })),
      field(
        'Type',
        picklist(['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other'], { label: 'Case Type' })
      ),
      field(
        'Reason',
        picklist(
          [
            'Installation',
            'Equipment Complexity',
            'Performance',
            'Breakdown',
            'Equipment Design',
            'Feedback',
            'Other'
          ],
          { label: 'Case Reason' }
        )
      ),
      field('IsClosed', { type: 'boolean', label: 'Closed', ...ro }),
      field('IsEscalated', { type: 'boolean', label: 'Escalated' }),
      field('ClosedDate', { type: 'datetime', label: 'Closed Date', ...ro })
    ]),
    makeObject('Lead', [
      field('LastName', { type: 'string', length: 80, nillable: false }),
      field('FirstName', { type: 'string', length: 40 }),
      field('Name', { type: 'string', label: 'Full Name', length: 121, nameField: true, ...ro }),
      field('Company', { type: 'string', length: 255, nillable: false }),
      field('Title', { type: 'string', length: 128 }),
      field('Email', { type: 'email', length: 80 }),
      field('Phone', { type: 'phone' }),
      field('Website', { type: 'url' }),
      field(
        'Status',
        picklist(
          ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'],
          { label: 'Lead Status', defaultValue: 'Open - Not Contacted' }
        )
      ),
      field('LeadSource', picklist(LEAD_SOURCES)),
      field('Industry', picklist(INDUSTRIES)),
      field('IsConverted', { type: 'boolean', label: 'Converted', ...ro }),
      field(
        'ConvertedAccountId',
        ref('Account', 'ConvertedAccount', { label: 'Converted Account ID', ...ro })
      ),
      field(
        'ConvertedContactId',
        ref('Contact', 'ConvertedContact', { label: 'Converted Contact ID', ...ro })
      ),
      field(
        'ConvertedOpportunityId',
        ref('Opportunity', 'ConvertedOpportunity', { label: 'Converted Opportunity ID', ...ro })
      ),
      ...address('', 'Address')
    ]),
    makeObject('Task', [
      field('WhoId', ref(['Contact', 'Lead'], 'Who', { label: 'Name ID', childRelationshipName: 'Tasks' })),
      field(
        'WhatId',
        ref(['Account', 'Opportunity', 'Case', 'Campaign'], 'What', {
          label: 'Related To ID',
          childRelationshipName: 'Tasks',
          cascadeDelete: true
        })
      ),
      field('AccountId', ref('Account', 'Account', { label: 'Account ID', ...ro })),
      field('Subject', { type: 'string', length: 255 }),
      field('ActivityDate', { type: 'date', label: 'Due Date Only' }),
      field(
        'Status',
        picklist(['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'], {
          nillable: false,
          defaultValue: 'Not Started'
        })
      ),
      field('Priority', picklist(['High', 'Normal', 'Low'], { nillable: false, defaultValue: 'Normal' })),
      field('IsClosed', { type: 'boolean', label: 'Closed', ...ro }),
      field('Description', { type: 'textarea', length: 32000 }),
      field('TaskSubtype', picklist(['Task', 'Email', 'Call'])),
      field('Type', picklist(['Call', 'Email', 'Meeting', 'Other']))
    ]),
    makeObject('Event', [
      field('WhoId', ref(['Contact', 'Lead'], 'Who', { label: 'Name ID', childRelationshipName: 'Events' })),
      field(
        'WhatId',
        ref(['Account', 'Opportunity', 'Case', 'Campaign'], 'What', {
          label: 'Related To ID',
          childRelationshipName: 'Events',
          cascadeDelete: true
        })
      ),
      field('AccountId', ref('Account', 'Account', { label: 'Account ID', ...ro })),
      field('Subject', { type: 'string', length: 255 }),
      field('Location', { type: 'string', length: 255 }),
      field('ActivityDate', { type: 'date', label: 'Due Date Only' }),
      field('ActivityDateTime', { type: 'datetime', label: 'Due Date Time' }),
      field('StartDateTime', { type: 'datetime', label: 'Start Date Time' }),
      field('EndDateTime', { type: 'datetime', label: 'End Date Time' }),
      field('DurationInMinutes', { type: 'int', label: 'Duration', precision: 8, scale: 0 }),
      field('IsAllDayEvent', { type: 'boolean', label: 'All-Day Event' }),
      field('Status', picklist(['Not Started', 'In Progress', 'Completed'], { label: 'Status' })),
      field('IsClosed', { type: 'boolean', label: 'Closed', ...ro }),
      field('Description', { type: 'textarea', length: 32000 }),
      field('Type', picklist(['Call', 'Email', 'Meeting', 'Other']))
    ]),
    makeObject(
      'AccountTeamMember',
      [
        field(
          'AccountId',
          ref('Account', 'Account', {
            label: 'Account ID',
            nillable: false,
            updateable: false,
            childRelationshipName: 'AccountTeamMembers',
            cascadeDelete: true
          })
        ),
        field('UserId', ref('User', 'User', { label: 'User ID', nillable: false, updateable: false })),
        field('TeamMemberRole', picklist(TEAM_ROLES, { label: 'Team Role' })),
        field('Title', { type: 'string', length: 80, ...ro }),
        field('PhotoUrl', { type: 'url', ...ro }),
        field(
          'AccountAccessLevel',
          picklist(ACCESS, { label: 'Account Access', restrictedPicklist: true, defaultValue: 'Read' })
        ),
        field(
          'OpportunityAccessLevel',
          picklist(ACCESS, { label: 'Opportunity Access', restrictedPicklist: true, defaultValue: 'None' })
        ),
        field(
          'CaseAccessLevel',
          picklist(ACCESS, { label: 'Case Access', restrictedPicklist: true, defaultValue: 'None' })
        ),
        field(
          'ContactAccessLevel',
          picklist(ACCESS, { label: 'Contact Access', restrictedPicklist: true, defaultValue: 'None' })
        )
      ],
      { owned: false, label: 'Account Team Member', labelPlural: 'Account Team Members' }
    ),
    makeObject(
      'OpportunityTeamMember',
      [
        field(
          'OpportunityId',
          ref('Opportunity', 'Opportunity', {
            label: 'Opportunity ID',
            nillable: false,
            updateable: false,
            childRelationshipName: 'OpportunityTeamMembers',
            cascadeDelete: true
          })
        ),
        field('UserId', ref('User', 'User', { label: 'User ID', nillable: false, updateable: false })),
        field('Name', { type: 'string', length: 121, nameField: true, ...ro }),
        field('TeamMemberRole', picklist(TEAM_ROLES, { label: 'Member Role' })),
        field('Title', { type: 'string', length: 80, ...ro }),
        field('PhotoUrl', { type: 'url', ...ro }),
        field(
          'OpportunityAccessLevel',
          picklist(['Read', 'Edit', 'All'], {
            label: 'Opportunity Access',
            restrictedPicklist: true,
            defaultValue: 'Read'
          })
        )
      ],
      { owned: false, label: 'Opportunity Team Member', labelPlural: 'Opportunity Team Members' }
    ),
    makeObject(
      'PermissionSet',
      [
        field('Name', { type: 'string', length: 80, nillable: false }),
        field('Label', { type: 'string', length: 80, nillable: false, nameField: true }),
        field('Description', { type: 'string', length: 255 }),
        field('IsOwnedByProfile', { type: 'boolean', ...ro }),
        field('ProfileId', ref('Profile', 'Profile', ro)),
        field('NamespacePrefix', { type: 'string', length: 15, ...ro })
      ],
      { owned: false, label: 'Permission Set', labelPlural: 'Permission Sets' }
    ),
    makeObject(
      'PermissionSetAssignment',
      [
        field(
          'AssigneeId',
          ref('User', 'Assignee', {
            label: 'Assignee ID',
            nillable: false,
            updateable: false,
            childRelationshipName: 'PermissionSetAssignments'
          })
        ),
        field(
          'PermissionSetId',
          ref('PermissionSet', 'PermissionSet', {
            label: 'Permission Set ID',
            nillable: false,
            updateable: false,
            childRelationshipName: 'Assignments',
            cascadeDelete: true
          })
        )
      ],
      { owned: false, label: 'Permission Set Assignment', labelPlural: 'Permission Set Assignments' }
    ),
    makeObject(
      'StaticResource',
      [
        field('Name', { type: 'string', length: 255, nillable: false, nameField: true }),
        field('NamespacePrefix', { type: 'string', length: 15, ...ro }),
        field('ContentType', { type: 'string', length: 120, nillable: false }),
        field('BodyLength', { type: 'int', ...ro }),
        field('Body', { type: 'textarea', length: 5242880 }),
        field('Description', { type: 'textarea', length: 255 }),
        field(
          'CacheControl',
          picklist(['Private', 'Public'], { restrictedPicklist: true, defaultValue: 'Private' })
        )
      ],
      { owned: false, label: 'Static Resource', labelPlural: 'Static Resources' }
    )
  ];
}

const EXTRA_PREFIXES: Record<string, string> = { Profile: '00e', UserRole: '00E' };

/** A schema holding the standard objects (and standard fields) Channel Ops uses. */
export function standardSchema(): Schema {
  const schema = new Schema();
  for (const obj of standardObjects()) {
    if (!obj.keyPrefix) obj.keyPrefix = EXTRA_PREFIXES[obj.name] ?? '';
    schema.add(obj);
  }
  schema.link();
  return schema;
}

// ---------------------------------------------------------------------------------------
// force-app (source format)

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) =>
    [
      'value',
      'summaryFilterItems',
      'referenceTo',
      'fields',
      'validationRules',
      'customValue',
      'values'
    ].includes(name)
});

type Xml = Record<string, unknown>;

function text(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'object') {
    const t = (node as Xml)['#text'];
    return t === undefined ? undefined : String(t);
  }
  return String(node);
}

function bool(node: unknown): boolean | undefined {
  const t = text(node);
  return t === undefined ? undefined : t.trim().toLowerCase() === 'true';
}

function num(node: unknown): number | undefined {
  const t = text(node);
  if (t === undefined || t.trim() === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function listFiles(dir: string, suffix: string): Promise<string[]> {
  if (!(await exists(dir))) return [];
  return (await readdir(dir))
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

/** Where `dir` may be the project root, force-app, force-app/main/default or the objects folder. */
async function objectsDirOf(dir: string): Promise<string | undefined> {
  const candidates = [
    join(dir, 'force-app', 'main', 'default', 'objects'),
    join(dir, 'main', 'default', 'objects'),
    join(dir, 'objects'),
    dir
  ];
  for (const c of candidates) {
    if (basename(c) === 'objects' && (await exists(c))) return c;
  }
  return undefined;
}

async function globalValueSets(objectsDir: string): Promise<Map<string, { values: string[]; def?: string }>> {
  const out = new Map<string, { values: string[]; def?: string }>();
  const dir = join(objectsDir, '..', 'globalValueSets');
  for (const file of await listFiles(dir, '.globalValueSet-meta.xml')) {
    try {
      const doc = xml.parse(await readFile(file, 'utf8')) as Xml;
      const gvs = (doc.GlobalValueSet ?? {}) as Xml;
      const values = ((gvs.customValue ?? []) as Xml[]).map((v) => text(v.fullName) ?? '').filter(Boolean);
      const def = ((gvs.customValue ?? []) as Xml[]).find((v) => bool(v.default));
      out.set(basename(file).replace('.globalValueSet-meta.xml', '').toLowerCase(), {
        values,
        def: def ? text(def.fullName) : undefined
      });
    } catch {
      // a malformed value set file leaves its fields without values
    }
  }
  return out;
}

const METADATA_TYPES: Record<string, FieldType> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  EncryptedText: 'string',
  Checkbox: 'boolean',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Date: 'date',
  DateTime: 'datetime',
  Picklist: 'picklist',
  MultiselectPicklist: 'multipicklist',
  Lookup: 'reference',
  MasterDetail: 'reference',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  AutoNumber: 'string',
  Summary: 'double'
};

/** A force-app field file, turned into a FieldDef (undefined when the file is not a field). */
export function parseFieldXml(
  content: string,
  gvs = new Map<string, { values: string[]; def?: string }>()
): FieldDef | undefined {
  const doc = xml.parse(content) as Xml;
  const cf = doc.CustomField as Xml | undefined;
  if (!cf) return undefined;
  return fieldFromXml(cf, gvs);
}

/**
 * Parses metadata XML with the options the field/object readers expect (values kept as
 * text; `fields`, `validationRules`, `value`, ... always arrays). Shared with the Metadata
 * API deploy, which reads `objects/X.object` (fields and rules inline) instead of source format.
 */
export function parseMetadataXml(content: string): Record<string, unknown> {
  return xml.parse(content) as Xml;
}

/** A `<CustomField>` element (a source-format field file, or a `<fields>` entry of an .object file). */
export function fieldFromXml(
  cf: Record<string, unknown>,
  gvs = new Map<string, { values: string[]; def?: string }>()
): FieldDef | undefined {
  const name = text(cf.fullName);
  if (!name) return undefined;
  const mdType = text(cf.type) ?? '';
  const formula = text(cf.formula);
  let type: FieldType = METADATA_TYPES[mdType] ?? (formula ? 'string' : 'string');
  const precision = num(cf.precision);
  const scale = num(cf.scale);
  if (mdType === 'Number' && (scale ?? 0) === 0 && !formula) type = 'double';
  if (mdType === 'Checkbox') type = 'boolean';
  const required = bool(cf.required) ?? false;
  const isMd = mdType === 'MasterDetail';
  const calculated = Boolean(formula) || mdType === 'Summary';
  const def: FieldDef = {
    name,
    label: text(cf.label) ?? labelFromName(name),
    type,
    nillable: type === 'boolean' ? false : !(required || isMd),
    createable: !calculated && mdType !== 'AutoNumber',
    updateable: !calculated && mdType !== 'AutoNumber' && !(isMd && !bool(cf.reparentableMasterDetail)),
    custom: name.endsWith('__c'),
    description: text(cf.description),
    inlineHelpText: text(cf.inlineHelpText)
  };
  if (isMd) def.updateable = !calculated && Boolean(bool(cf.reparentableMasterDetail));
  const length = num(cf.length);
  if (type === 'string' || type === 'textarea')
    def.length = length ?? (mdType === 'AutoNumber' ? 30 : mdType === 'Text' ? 255 : 32768);
  if (mdType === 'TextArea') def.length = 255;
  if (type === 'email' || type === 'url' || type === 'picklist') def.length = 255;
  if (type === 'phone') def.length = 40;
  if (type === 'multipicklist') def.length = 4099;
  if (type === 'reference') def.length = 18;
  if (['double', 'currency', 'percent'].includes(type)) {
    def.precision = precision ?? 18;
    def.scale = scale ?? (type === 'currency' ? 2 : 0);
  }
  if (bool(cf.externalId)) def.externalId = true;
  if (bool(cf.unique)) def.unique = true;
  if (bool(cf.caseSensitive)) (def as FieldDef & { caseSensitive?: boolean }).caseSensitive = true;
  if (mdType === 'AutoNumber') {
    def.autoNumber = true;
    def.displayFormat = text(cf.displayFormat);
  }
  if (formula) {
    def.calculated = true;
    def.formula = formula;
    const blanks = text(cf.formulaTreatBlanksAs);
    if (blanks === 'BlankAsZero' || blanks === 'BlankAsBlank') def.formulaTreatBlanksAs = blanks;
  }
  if (type === 'reference') {
    def.referenceTo = ((cf.referenceTo as unknown[] | undefined) ?? [])
      .map((r) => text(r) ?? '')
      .filter(Boolean);
    // <relationshipName> in metadata names the CHILD relationship as the parent sees it
    // (MDF_Requests → MDF_Requests__r); on the child the parent is reached by Field__r.
    const rel = text(cf.relationshipName);
    def.childRelationshipName = rel ? (rel.endsWith('__r') ? rel : `${rel}__r`) : undefined;
    def.relationshipName = name.endsWith('__c') ? name.replace(/__c$/, '__r') : name.replace(/Id$/, '');
    if (isMd) {
      def.masterDetail = true;
      def.cascadeDelete = true;
    } else if (text(cf.deleteConstraint) === 'Cascade') {
      def.cascadeDelete = true;
    }
  }
  if (type === 'picklist' || type === 'multipicklist') {
    const vs = cf.valueSet as Xml | undefined;
    const values: string[] = [];
    let defVal: string | undefined;
    if (vs) {
      const vsd = vs.valueSetDefinition as Xml | undefined;
      for (const v of (vsd?.value ?? []) as Xml[]) {
        const full = text(v.fullName);
        if (full === undefined) continue;
        values.push(full);
        if (bool(v.default)) defVal = full;
      }
      const gName = text(vs.valueSetName);
      if (gName && gvs.has(gName.toLowerCase())) {
        const g = gvs.get(gName.toLowerCase())!;
        values.push(...g.values);
        defVal = defVal ?? g.def;
      }
      def.restrictedPicklist = bool(vs.restricted) ?? Boolean(gName);
    }
    // old-style <picklist><picklistValues>
    const old = cf.picklist as Xml | undefined;
    if (old && Array.isArray((old as Xml).picklistValues)) {
      for (const v of old.picklistValues as Xml[]) {
        const full = text(v.fullName);
        if (full) values.push(full);
        if (full && bool(v.default)) defVal = full;
      }
    }
    def.picklistValues = values;
    if (defVal !== undefined && type === 'picklist') def.defaultPicklistValue = defVal;
  }
  if (mdType === 'Summary') {
    const op = (text(cf.summaryOperation) ?? 'count').toLowerCase() as RollupOperation;
    const fk = text(cf.summaryForeignKey) ?? '';
    const [childObject, fkField] = fk.split('.');
    const summarized = text(cf.summarizedField);
    const filters = ((cf.summaryFilterItems ?? []) as Xml[]).map((item) => {
      const f = text(item.field) ?? '';
      return {
        field: f.includes('.') ? f.split('.').slice(1).join('.') : f,
        operation: (text(item.operation) ?? 'equals') as RollupFilter['operation'],
        value: text(Array.isArray(item.value) ? item.value[0] : item.value)
      };
    });
    def.rollup = {
      summarizedObject: childObject ?? '',
      foreignKey: fkField ?? '',
      operation: op,
      field: summarized ? summarized.split('.').slice(1).join('.') : undefined,
      filters: filters.length ? filters : undefined
    };
    def.calculated = true;
    def.createable = false;
    def.updateable = false;
    // the type of MIN/MAX follows the summarised field; fixed up in loadForceApp.
    def.type = 'double';
    def.precision = precision ?? 18;
    def.scale = scale ?? 2;
  }
  const dv = text(cf.defaultValue);
  if (dv !== undefined && dv !== '') {
    def.defaultValue = parseDefault(dv, type);
  }
  return def;
}

/** Field default values are formulas; we take the literal ones (true, 0, "text", 'text'). */
function parseDefault(expr: string, type: FieldType): unknown {
  const t = expr.trim();
  if (type === 'boolean') return t.toLowerCase() === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t))
    return ['double', 'currency', 'percent', 'int'].includes(type) ? Number(t) : t;
  const quoted = /^"(.*)"$/s.exec(t) ?? /^'(.*)'$/s.exec(t);
  if (quoted) return quoted[1];
  if (/^TODAY\(\)$/i.test(t)) return { formula: 'TODAY()' };
  if (/^NOW\(\)$/i.test(t)) return { formula: 'NOW()' };
  return { formula: t };
}

/** A force-app validation rule file. */
export function parseValidationRuleXml(content: string): ValidationRule | undefined {
  const doc = xml.parse(content) as Xml;
  const vr = doc.ValidationRule as Xml | undefined;
  if (!vr) return undefined;
  return validationRuleFromXml(vr);
}

/** A `<ValidationRule>` element (source format file, or a `<validationRules>` entry of an .object file). */
export function validationRuleFromXml(vr: Record<string, unknown>): ValidationRule | undefined {
  const name = text(vr.fullName);
  const formula = text(vr.errorConditionFormula);
  if (!name || !formula) return undefined;
  return {
    name,
    active: bool(vr.active) ?? true,
    errorConditionFormula: formula,
    errorMessage: text(vr.errorMessage) ?? 'Validation error',
    errorDisplayField: text(vr.errorDisplayField),
    description: text(vr.description)
  };
}

export interface LoadReport {
  objects: string[];
  fields: number;
  validationRules: number;
  /** files that could not be read, with the reason (loading goes on without them) */
  skipped: { file: string; reason: string }[];
}

/**
 * Reads force-app's objects (source format) into the schema: custom objects, custom fields
 * on standard objects, validation rules. Tolerant: a broken file is reported and skipped.
 */
export async function loadForceApp(dir: string, into: Schema): Promise<LoadReport> {
  const report: LoadReport = { objects: [], fields: 0, validationRules: 0, skipped: [] };
  const objectsDir = await objectsDirOf(dir);
  if (!objectsDir) return report;
  const gvs = await globalValueSets(objectsDir);
  const entries = (await readdir(objectsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const objName of entries) {
    const objDir = join(objectsDir, objName);
    let obj = into.get(objName);
    const metaFile = join(objDir, `${objName}.object-meta.xml`);
    let meta: Xml | undefined;
    if (await exists(metaFile)) {
      try {
        meta = ((xml.parse(await readFile(metaFile, 'utf8')) as Xml).CustomObject ?? {}) as Xml;
      } catch (e) {
        report.skipped.push({ file: metaFile, reason: (e as Error).message });
      }
    }
    if (!obj) {
      if (!objName.endsWith('__c') && !meta) continue; // a standard object we do not model
      obj = into.add(customObjectDef(objName, meta));
    }
    report.objects.push(obj.name);
    for (const file of await listFiles(join(objDir, 'fields'), '.field-meta.xml')) {
      try {
        const def = parseFieldXml(await readFile(file, 'utf8'), gvs);
        if (!def) {
          report.skipped.push({ file, reason: 'not a CustomField' });
          continue;
        }
        if (putField(obj, def)) report.fields++;
      } catch (e) {
        report.skipped.push({ file, reason: (e as Error).message });
      }
    }
    for (const file of await listFiles(join(objDir, 'validationRules'), '.validationRule-meta.xml')) {
      try {
        const rule = parseValidationRuleXml(await readFile(file, 'utf8'));
        if (!rule) {
          report.skipped.push({ file, reason: 'not a ValidationRule' });
          continue;
        }
        obj.validationRules = obj.validationRules.filter((r) => r.name !== rule.name);
        obj.validationRules.push(rule);
        report.validationRules++;
      } catch (e) {
        report.skipped.push({ file, reason: (e as Error).message });
      }
    }
  }
  finishCustomObjects(into);
  return report;
}

/**
 * Puts a parsed custom field on an object; a standard field re-declared in metadata (e.g.
 * picklist values of Type) only takes its values. Returns false when nothing was added.
 */
export function putField(obj: ObjectDef, def: FieldDef): boolean {
  const existing = obj.fields.get(def.name.toLowerCase());
  if (existing && !existing.custom) {
    if (def.picklistValues?.length) existing.picklistValues = def.picklistValues;
    return false;
  }
  obj.fields.set(def.name.toLowerCase(), def);
  return true;
}

/** A new custom object (system fields and Name) from its `<CustomObject>` metadata, not yet in a schema. */
export function customObjectDef(objName: string, meta: Record<string, unknown> | undefined): ObjectDef {
  const label = text(meta?.label) ?? labelFromName(objName);
  const nameMeta = (meta?.nameField ?? {}) as Xml;
  const autoNumber = text(nameMeta.type) === 'AutoNumber';
  const fields = [
    ...systemFields(),
    field('Name', {
      type: 'string',
      label: text(nameMeta.label) ?? `${label} Name`,
      length: 80,
      nillable: autoNumber,
      nameField: true,
      autoNumber: autoNumber || undefined,
      displayFormat: text(nameMeta.displayFormat),
      createable: !autoNumber,
      updateable: !autoNumber
    })
  ];
  const map = new Map<string, FieldDef>();
  for (const f of fields) map.set(f.name.toLowerCase(), f);
  return {
    name: objName,
    label,
    labelPlural: text(meta?.pluralLabel) ?? `${label}s`,
    keyPrefix: '',
    custom: true,
    fields: map,
    validationRules: [],
    childRelationships: [],
    createable: true,
    sharingModel: text(meta?.sharingModel)
  };
}

/**
 * After custom objects/fields were put into a schema: owner fields, roll-up types, links.
 */
export function finishCustomObjects(into: Schema): void {
  // Custom objects whose master-detail makes them owner-less; the others get OwnerId.
  for (const obj of into.objects.values()) {
    if (!obj.custom) continue;
    const hasMaster = [...obj.fields.values()].some((f) => f.masterDetail);
    if (!hasMaster && !obj.fields.has('ownerid')) {
      const owner = ownerField();
      const fresh = new Map<string, FieldDef>();
      for (const [k, v] of obj.fields) {
        fresh.set(k, v);
        if (k === 'systemmodstamp') fresh.set('ownerid', owner);
      }
      obj.fields = fresh;
    }
  }
  // Roll-ups take the type of the summarised field (SUM of a currency is a currency); COUNT is a number.
  for (const obj of into.objects.values()) {
    for (const f of obj.fields.values()) {
      if (!f.rollup) continue;
      if (f.rollup.operation === 'count' || !f.rollup.field) {
        f.type = 'double';
        f.scale = 0;
        continue;
      }
      const child = into.get(f.rollup.summarizedObject)?.fields.get(f.rollup.field.toLowerCase());
      if (!child) continue;
      if (['currency', 'double', 'percent', 'int', 'date', 'datetime'].includes(child.type))
        f.type = child.type;
      if (child.scale !== undefined) f.scale = child.scale;
      if (child.precision !== undefined) f.precision = child.precision;
    }
  }
  into.link();
}
