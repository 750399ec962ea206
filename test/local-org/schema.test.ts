/**
 * The local org's schema: the standard objects we use, and force-app read from source
 * format the way a deploy adds it to an org.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadForceApp,
  standardSchema,
  type LoadReport,
  type Schema
} from '../../plugin-src/local-org/schema.js';
import { SalesforceError } from '../../plugin-src/local-org/errors.js';

const REPO = process.cwd(); // jest runs from the repository root

describe('standard objects', () => {
  const schema = standardSchema();

  it('has the objects Channel Ops uses, with their key prefixes', () => {
    const prefixes = Object.fromEntries(
      [
        'Account',
        'Contact',
        'Opportunity',
        'OpportunityLineItem',
        'Case',
        'Task',
        'Event',
        'Campaign',
        'User',
        'AccountTeamMember',
        'OpportunityTeamMember',
        'Lead',
        'Product2',
        'Pricebook2',
        'PricebookEntry',
        'Organization',
        'PermissionSet',
        'PermissionSetAssignment',
        'StaticResource'
      ].map((n) => [n, schema.get(n)?.keyPrefix])
    );
    expect(prefixes).toMatchObject({
      Account: '001',
      Contact: '003',
      Opportunity: '006',
      User: '005',
      AccountTeamMember: '01M',
      OpportunityTeamMember: '00q',
      Case: '500',
      Task: '00T',
      Event: '00U',
      Organization: '00D'
    });
    expect(Object.values(prefixes).every(Boolean)).toBe(true);
    expect(schema.byKeyPrefix('001')?.name).toBe('Account');
  });

  it('gives every object the system fields and owned objects a polymorphic Owner', () => {
    for (const obj of schema.objects.values()) {
      for (const f of [
        'Id',
        'IsDeleted',
        'CreatedDate',
        'CreatedById',
        'LastModifiedDate',
        'LastModifiedById',
        'SystemModstamp'
      ])
        expect(obj.fields.has(f.toLowerCase())).toBe(true);
    }
    expect(schema.get('Account')!.fields.get('ownerid')).toMatchObject({
      type: 'reference',
      referenceTo: ['User'],
      relationshipName: 'Owner',
      nillable: false
    });
    expect(schema.get('Task')!.fields.get('whatid')!.referenceTo).toEqual(
      expect.arrayContaining(['Account', 'Opportunity'])
    );
    expect(schema.get('AccountTeamMember')!.fields.has('ownerid')).toBe(false);
  });

  it('knows the standard child relationships (Account.Contacts, Opportunities, AccountTeamMembers)', () => {
    const rels = schema.get('Account')!.childRelationships;
    expect(rels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          childSObject: 'Contact',
          field: 'AccountId',
          relationshipName: 'Contacts'
        }),
        expect.objectContaining({
          childSObject: 'Opportunity',
          field: 'AccountId',
          relationshipName: 'Opportunities'
        }),
        expect.objectContaining({
          childSObject: 'AccountTeamMember',
          field: 'AccountId',
          relationshipName: 'AccountTeamMembers',
          cascadeDelete: true
        })
      ])
    );
  });

  it('marks what the API must be given as required, and what it computes as read-only', () => {
    const opp = schema.get('Opportunity')!;
    expect(['name', 'stagename', 'closedate'].map((n) => opp.fields.get(n)!.required)).toEqual([
      true,
      true,
      true
    ]);
    expect(opp.fields.get('isclosed')).toMatchObject({ createable: false, updateable: false });
    expect(opp.fields.get('amount')!.required).toBe(false);
  });

  it('answers an unknown object with a SalesforceError', () => {
    expect(() => schema.require('Nope__c')).toThrow(SalesforceError);
    expect(() => schema.require('Nope__c')).toThrow(expect.objectContaining({ errorCode: 'INVALID_TYPE' }));
    expect(() => schema.requireForQuery('Nope__c')).toThrow("sObject type 'Nope__c' is not supported.");
  });
});

describe('loadForceApp (source format)', () => {
  let dir: string;
  let schema: Schema;
  let report: LoadReport;
  const put = async (path: string, content: string): Promise<void> => {
    const full = join(dir, 'force-app', 'main', 'default', path);
    await mkdir(join(full, '..'), { recursive: true });
    await writeFile(full, content);
  };

  beforeAll(async () => {
    // Given a force-app with a custom object, custom fields on Account, a global value set and a broken file
    dir = await mkdtemp(join(tmpdir(), 'local-org-schema-'));
    await put(
      'objects/Deal_Note__c/Deal_Note__c.object-meta.xml',
      '<?xml version="1.0"?><CustomObject><label>Deal Note</label><pluralLabel>Deal Notes</pluralLabel><nameField><label>Note Number</label><displayFormat>DN-{0000}</displayFormat><type>AutoNumber</type></nameField></CustomObject>'
    );
    await put(
      'objects/Deal_Note__c/fields/Opportunity__c.field-meta.xml',
      '<CustomField><fullName>Opportunity__c</fullName><label>Opportunity</label><referenceTo>Opportunity</referenceTo><relationshipName>Deal_Notes</relationshipName><type>MasterDetail</type></CustomField>'
    );
    await put(
      'objects/Deal_Note__c/fields/Partner__c.field-meta.xml',
      '<CustomField><fullName>Partner__c</fullName><label>Partner</label><referenceTo>Account</referenceTo><relationshipName>Partner_Notes</relationshipName><type>Lookup</type><deleteConstraint>SetNull</deleteConstraint></CustomField>'
    );
    await put(
      'objects/Deal_Note__c/fields/Key__c.field-meta.xml',
      '<CustomField><fullName>Key__c</fullName><label>Key</label><length>80</length><externalId>true</externalId><unique>true</unique><type>Text</type></CustomField>'
    );
    await put(
      'objects/Deal_Note__c/fields/Weight__c.field-meta.xml',
      '<CustomField><fullName>Weight__c</fullName><label>Weight</label><precision>5</precision><scale>2</scale><defaultValue>1.5</defaultValue><type>Number</type></CustomField>'
    );
    await put(
      'objects/Deal_Note__c/fields/Color__c.field-meta.xml',
      '<CustomField><fullName>Color__c</fullName><label>Color</label><type>Picklist</type><valueSet><valueSetName>Colors</valueSetName></valueSet></CustomField>'
    );
    await put(
      'objects/Deal_Note__c/fields/Label__c.field-meta.xml',
      '<CustomField><fullName>Label__c</fullName><label>Label</label><formula>Opportunity__r.Name &amp; " / " &amp; Key__c</formula><type>Text</type></CustomField>'
    );
    await put(
      'objects/Deal_Note__c/fields/Broken__c.field-meta.xml',
      '<CustomField><fullName>Broken__c</fullName><label>Broken<'
    );
    await put(
      'objects/Deal_Note__c/validationRules/Key_Needed.validationRule-meta.xml',
      '<ValidationRule><fullName>Key_Needed</fullName><active>false</active><errorConditionFormula>ISBLANK(Key__c)</errorConditionFormula><errorMessage>Give a key.</errorMessage></ValidationRule>'
    );
    await put(
      'objects/Opportunity/fields/Note_Count__c.field-meta.xml',
      '<CustomField><fullName>Note_Count__c</fullName><label>Notes</label><summaryForeignKey>Deal_Note__c.Opportunity__c</summaryForeignKey><summaryOperation>count</summaryOperation><type>Summary</type></CustomField>'
    );
    await put(
      'objects/Opportunity/fields/Max_Weight__c.field-meta.xml',
      '<CustomField><fullName>Max_Weight__c</fullName><label>Max Weight</label><summarizedField>Deal_Note__c.Weight__c</summarizedField><summaryFilterItems><field>Deal_Note__c.Color__c</field><operation>notEqual</operation><value>Red</value></summaryFilterItems><summaryForeignKey>Deal_Note__c.Opportunity__c</summaryForeignKey><summaryOperation>max</summaryOperation><type>Summary</type></CustomField>'
    );
    await put(
      'objects/Account/fields/Tier__c.field-meta.xml',
      '<CustomField><fullName>Tier__c</fullName><label>Tier</label><required>false</required><type>Picklist</type><valueSet><restricted>true</restricted><valueSetDefinition><sorted>false</sorted><value><fullName>Gold</fullName><default>false</default><label>Gold</label></value><value><fullName>Silver</fullName><default>true</default><label>Silver</label></value></valueSetDefinition></valueSet></CustomField>'
    );
    await put(
      'objects/Account/fields/Type.field-meta.xml',
      '<CustomField><fullName>Type</fullName><type>Picklist</type><valueSet><valueSetDefinition><value><fullName>Customer</fullName><default>false</default></value><value><fullName>Channel Partner / Reseller</fullName><default>false</default></value></valueSetDefinition></valueSet></CustomField>'
    );
    await put(
      'globalValueSets/Colors.globalValueSet-meta.xml',
      '<GlobalValueSet><customValue><fullName>Red</fullName><default>false</default></customValue><customValue><fullName>Blue</fullName><default>true</default></customValue></GlobalValueSet>'
    );
    schema = standardSchema();
    report = await loadForceApp(dir, schema);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('adds the custom object with an a-prefix, an auto-number name and no owner under a master', () => {
    const obj = schema.get('deal_note__c')!;
    expect(obj).toMatchObject({
      name: 'Deal_Note__c',
      label: 'Deal Note',
      labelPlural: 'Deal Notes',
      custom: true
    });
    expect(obj.keyPrefix).toMatch(/^a[0-9A-Za-z]{2}$/);
    expect(obj.fields.get('name')).toMatchObject({
      autoNumber: true,
      displayFormat: 'DN-{0000}',
      createable: false
    });
    expect(obj.fields.has('ownerid')).toBe(false);
  });

  it('reads lookups and master-detail with their relationship names both ways', () => {
    const obj = schema.get('Deal_Note__c')!;
    expect(obj.fields.get('opportunity__c')).toMatchObject({
      type: 'reference',
      referenceTo: ['Opportunity'],
      relationshipName: 'Opportunity__r',
      masterDetail: true,
      nillable: false,
      required: true
    });
    expect(obj.fields.get('partner__c')).toMatchObject({
      relationshipName: 'Partner__r',
      nillable: true,
      required: false
    });
    expect(schema.get('Opportunity')!.childRelationships).toContainEqual({
      childSObject: 'Deal_Note__c',
      field: 'Opportunity__c',
      relationshipName: 'Deal_Notes__r',
      cascadeDelete: true
    });
    expect(schema.get('Account')!.childRelationships).toContainEqual({
      childSObject: 'Deal_Note__c',
      field: 'Partner__c',
      relationshipName: 'Partner_Notes__r',
      cascadeDelete: false
    });
  });

  it('reads types, external ids, defaults, formulas and picklists (inline, global, restricted)', () => {
    const obj = schema.get('Deal_Note__c')!;
    expect(obj.fields.get('key__c')).toMatchObject({
      type: 'string',
      length: 80,
      externalId: true,
      unique: true
    });
    expect(obj.fields.get('weight__c')).toMatchObject({
      type: 'double',
      precision: 5,
      scale: 2,
      defaultValue: 1.5
    });
    expect(obj.fields.get('color__c')).toMatchObject({
      picklistValues: ['Red', 'Blue'],
      defaultPicklistValue: 'Blue',
      restrictedPicklist: true
    });
    expect(obj.fields.get('label__c')).toMatchObject({
      calculated: true,
      formula: 'Opportunity__r.Name & " / " & Key__c',
      createable: false
    });
    expect(schema.get('Account')!.fields.get('tier__c')).toMatchObject({
      picklistValues: ['Gold', 'Silver'],
      restrictedPicklist: true,
      defaultPicklistValue: 'Silver',
      custom: true
    });
    // a standard field re-declared in source keeps its definition and takes the values
    expect(schema.get('Account')!.fields.get('type')).toMatchObject({
      custom: false,
      picklistValues: ['Customer', 'Channel Partner / Reseller']
    });
  });

  it('reads roll-up summaries with their filters, typed after the summarised field', () => {
    const opp = schema.get('Opportunity')!;
    expect(opp.fields.get('note_count__c')).toMatchObject({
      type: 'double',
      calculated: true,
      rollup: { summarizedObject: 'Deal_Note__c', foreignKey: 'Opportunity__c', operation: 'count' }
    });
    expect(opp.fields.get('max_weight__c')).toMatchObject({
      type: 'double',
      scale: 2,
      rollup: {
        operation: 'max',
        field: 'Weight__c',
        filters: [{ field: 'Color__c', operation: 'notEqual', value: 'Red' }]
      }
    });
  });

  it('reads validation rules, active or not', () => {
    expect(schema.get('Deal_Note__c')!.validationRules).toEqual([
      {
        name: 'Key_Needed',
        active: false,
        errorConditionFormula: 'ISBLANK(Key__c)',
        errorMessage: 'Give a key.',
        errorDisplayField: undefined,
        description: undefined
      }
    ]);
  });

  it('reports a broken file and goes on with the others', () => {
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0].file).toContain('Broken__c.field-meta.xml');
    expect(schema.get('Deal_Note__c')!.fields.has('broken__c')).toBe(false);
    expect(report.objects).toEqual(expect.arrayContaining(['Deal_Note__c', 'Account', 'Opportunity']));
  });
});

describe("the project's own force-app", () => {
  it('loads without a skipped file and yields the objects and fields DESIGN.md names', async () => {
    const schema = standardSchema();
    const report = await loadForceApp(REPO, schema);
    expect(report.skipped).toEqual([]);
    const has = (o: string, f: string): boolean => Boolean(schema.get(o)?.fields.has(f.toLowerCase()));
    const contract: [string, string][] = [
      ['Account', 'Key_Account__c'],
      ['Account', 'Key_Account_Tier__c'],
      ['Account', 'Direct_Only__c'],
      ['User', 'KAM_Capacity__c'],
      ['Opportunity', 'Registered_Partner__c'],
      ['Opportunity', 'Registration_Status__c'],
      ['Opportunity', 'Registration_Date__c'],
      ['Opportunity', 'Registration_Expires__c'],
      ['Opportunity', 'Channel__c'],
      ['Channel_Conflict__c', 'Conflict_Key__c'],
      ['Channel_Conflict__c', 'Type__c'],
      ['Channel_Conflict__c', 'Status__c'],
      ['MDF_Budget__c', 'Partner__c'],
      ['MDF_Budget__c', 'Remaining__c'],
      ['MDF_Request__c', 'Claimed_Total__c'],
      ['MDF_Claim__c', 'Amount__c'],
      ['Channel_Sync_Run__c', 'Status__c']
    ];
    expect(contract.filter(([o, f]) => !has(o, f))).toEqual([]);
    expect(schema.get('Channel_Conflict__c')!.fields.get('conflict_key__c')).toMatchObject({
      externalId: true,
      unique: true
    });
    expect(schema.get('MDF_Budget__c')!.fields.get('remaining__c')!.formula).toBeTruthy();
    expect(schema.get('MDF_Request__c')!.fields.get('claimed_total__c')!.rollup).toBeTruthy();
  });
});
