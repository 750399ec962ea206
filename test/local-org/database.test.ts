/**
 * The local org's Database: platform behaviour our code depends on, checked on the stored
 * rows and the error codes Salesforce would answer with. Pure (no HTTP), fast.
 */
import { describe, it, expect, beforeAll, beforeEach } from '@jest/globals';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, type Ctx } from '../../plugin-src/local-org/database.js';
import { loadForceApp, standardSchema, type Schema } from '../../plugin-src/local-org/schema.js';
import { SalesforceError } from '../../plugin-src/local-org/errors.js';
import { makeId } from '../../plugin-src/domain/ids.js';
import { evaluateFormula } from '../../plugin-src/local-org/platform/formula.js';
import type { FieldDef } from '../../plugin-src/local-org/schema.js';

const field = (xml: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">${xml}</CustomField>`;
const rule = (name: string, formula: string, message: string, displayField?: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ValidationRule xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>${name}</fullName><active>true</active>` +
  `<errorConditionFormula>${formula}</errorConditionFormula>${displayField ? `<errorDisplayField>${displayField}</errorDisplayField>` : ''}<errorMessage>${message}</errorMessage></ValidationRule>`;
const picklist = (values: string[], restricted = true, def?: string): string =>
  `<valueSet><restricted>${restricted}</restricted><valueSetDefinition><sorted>false</sorted>${values
    .map((v) => `<value><fullName>${v}</fullName><default>${v === def}</default><label>${v}</label></value>`)
    .join('')}</valueSetDefinition></valueSet>`;

/** A small force-app in source format: MDF budget ← request (master-detail), conflicts, Account fields. */
const FIXTURE: Record<string, string> = {
  'Account/fields/Key_Account__c.field-meta.xml': field(
    '<fullName>Key_Account__c</fullName><defaultValue>false</defaultValue><label>Key Account</label><type>Checkbox</type>'
  ),
  'Account/fields/Key_Account_Tier__c.field-meta.xml': field(
    `<fullName>Key_Account_Tier__c</fullName><label>Key Account Tier</label><type>Picklist</type>${picklist(['Strategic', 'Key', 'Growth'])}`
  ),
  'MDF_Budget__c/MDF_Budget__c.object-meta.xml':
    '<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>MDF Budget</label><pluralLabel>MDF Budgets</pluralLabel><nameField><label>Budget Name</label><type>Text</type></nameField><sharingModel>ReadWrite</sharingModel></CustomObject>',
  'MDF_Budget__c/fields/Partner__c.field-meta.xml': field(
    '<fullName>Partner__c</fullName><label>Partner</label><referenceTo>Account</referenceTo><relationshipName>MDF_Budgets</relationshipName><required>true</required><type>Lookup</type><deleteConstraint>Restrict</deleteConstraint>'
  ),
  'MDF_Budget__c/fields/Amount__c.field-meta.xml': field(
    '<fullName>Amount__c</fullName><label>Amount</label><precision>16</precision><scale>2</scale><required>true</required><type>Currency</type>'
  ),
  'MDF_Budget__c/fields/Approved_Total__c.field-meta.xml': field(
    '<fullName>Approved_Total__c</fullName><label>Approved Total</label><summarizedField>MDF_Request__c.Amount_Approved__c</summarizedField><summaryFilterItems><field>MDF_Request__c.Status__c</field><operation>equals</operation><value>Approved, Closed</value></summaryFilterItems><summaryForeignKey>MDF_Request__c.Budget__c</summaryForeignKey><summaryOperation>sum</summaryOperation><type>Summary</type>'
  ),
  'MDF_Budget__c/fields/Request_Count__c.field-meta.xml': field(
    '<fullName>Request_Count__c</fullName><label>Requests</label><summaryForeignKey>MDF_Request__c.Budget__c</summaryForeignKey><summaryOperation>count</summaryOperation><type>Summary</type>'
  ),
  'MDF_Budget__c/fields/Remaining__c.field-meta.xml': field(
    '<fullName>Remaining__c</fullName><formula>Amount__c - Approved_Total__c</formula><formulaTreatBlanksAs>BlankAsZero</formulaTreatBlanksAs><label>Remaining</label><precision>18</precision><scale>2</scale><type>Currency</type>'
  ),
  'MDF_Budget__c/validationRules/Approved_Total_Within_Budget.validationRule-meta.xml': rule(
    'Approved_Total_Within_Budget',
    'Approved_Total__c &gt; Amount__c',
    'Approved requests exceed the budget.'
  ),
  'MDF_Request__c/MDF_Request__c.object-meta.xml':
    '<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>MDF Request</label><pluralLabel>MDF Requests</pluralLabel><nameField><label>Request Number</label><displayFormat>MDFR-{00000}</displayFormat><type>AutoNumber</type></nameField><sharingModel>ControlledByParent</sharingModel></CustomObject>',
  'MDF_Request__c/fields/Budget__c.field-meta.xml': field(
    '<fullName>Budget__c</fullName><label>Budget</label><referenceTo>MDF_Budget__c</referenceTo><relationshipName>MDF_Requests</relationshipName><type>MasterDetail</type><reparentableMasterDetail>false</reparentableMasterDetail>'
  ),
  'MDF_Request__c/fields/Amount_Requested__c.field-meta.xml': field(
    '<fullName>Amount_Requested__c</fullName><label>Amount Requested</label><precision>16</precision><scale>2</scale><required>true</required><type>Currency</type>'
  ),
  'MDF_Request__c/fields/Amount_Approved__c.field-meta.xml': field(
    '<fullName>Amount_Approved__c</fullName><label>Amount Approved</label><precision>16</precision><scale>2</scale><type>Currency</type>'
  ),
  'MDF_Request__c/fields/Status__c.field-meta.xml': field(
    `<fullName>Status__c</fullName><label>Status</label><type>Picklist</type>${picklist(['Draft', 'Submitted', 'Approved', 'Rejected', 'Closed'], true, 'Draft')}`
  ),
  'MDF_Request__c/fields/Claim_Deadline__c.field-meta.xml': field(
    '<fullName>Claim_Deadline__c</fullName><label>Claim Deadline</label><type>Date</type>'
  ),
  'MDF_Request__c/validationRules/Approved_Not_Above_Remaining.validationRule-meta.xml': rule(
    'Approved_Not_Above_Remaining',
    'AND(OR(ISNEW(), ISCHANGED(Amount_Approved__c)), NOT(ISBLANK(Amount_Approved__c)), Amount_Approved__c - IF(ISNEW(), 0, BLANKVALUE(PRIORVALUE(Amount_Approved__c), 0)) &gt; Budget__r.Remaining__c)',
    'The approved amount is more than the budget has left.',
    'Amount_Approved__c'
  ),
  'MDF_Request__c/validationRules/Approved_Needs_Amount.validationRule-meta.xml': rule(
    'Approved_Needs_Amount',
    'AND(ISPICKVAL(Status__c, "Approved"), ISBLANK(Amount_Approved__c))',
    'An approved request needs an approved amount.'
  ),
  'Channel_Conflict__c/Channel_Conflict__c.object-meta.xml':
    '<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>Channel Conflict</label><pluralLabel>Channel Conflicts</pluralLabel><nameField><label>Conflict Number</label><displayFormat>CC-{000000}</displayFormat><type>AutoNumber</type></nameField></CustomObject>',
  'Channel_Conflict__c/fields/Conflict_Key__c.field-meta.xml': field(
    '<fullName>Conflict_Key__c</fullName><caseSensitive>false</caseSensitive><externalId>true</externalId><label>Conflict Key</label><length>255</length><type>Text</type><unique>true</unique>'
  ),
  'Channel_Conflict__c/fields/Score__c.field-meta.xml': field(
    '<fullName>Score__c</fullName><label>Score</label><precision>5</precision><scale>2</scale><type>Number</type>'
  ),
  'Channel_Conflict__c/fields/Account__c.field-meta.xml': field(
    '<fullName>Account__c</fullName><label>Account</label><referenceTo>Account</referenceTo><relationshipName>Channel_Conflicts</relationshipName><type>Lookup</type><deleteConstraint>SetNull</deleteConstraint>'
  )
};

let fixtureDir: string;
let schema: Schema;
let db: Database;
let admin: string;
let alice: string;
let bob: string;
let retired: string;
let ctx: Ctx;

function errorOf(fn: () => unknown): SalesforceError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SalesforceError) return e;
    throw e;
  }
  throw new Error('expected a SalesforceError, but the call succeeded');
}

beforeAll(async () => {
  fixtureDir = await mkdtemp(join(tmpdir(), 'local-org-db-'));
  for (const [path, content] of Object.entries(FIXTURE)) {
    const full = join(fixtureDir, 'force-app', 'main', 'default', 'objects', path);
    await mkdir(join(full, '..'), { recursive: true });
    await writeFile(full, content);
  }
  schema = standardSchema();
  await loadForceApp(fixtureDir, schema);
  return async () => rm(fixtureDir, { recursive: true, force: true });
});

beforeEach(() => {
  // Given an org with an admin, two active reps and one inactive user
  db = new Database(schema);
  admin = makeId('005', 1, 'SED');
  alice = makeId('005', 2, 'SED');
  bob = makeId('005', 3, 'SED');
  retired = makeId('005', 4, 'SED');
  db.load('User', [
    { Id: admin, Username: 'admin@x.test', LastName: 'Admin', Email: 'admin@x.test', IsActive: true },
    {
      Id: alice,
      Username: 'alice@x.test',
      FirstName: 'Alice',
      LastName: 'Kam',
      Email: 'alice@x.test',
      IsActive: true
    },
    {
      Id: bob,
      Username: 'bob@x.test',
      FirstName: 'Bob',
      LastName: 'Rep',
      Email: 'bob@x.test',
      IsActive: true
    },
    {
      Id: retired,
      Username: 'old@x.test',
      FirstName: 'Old',
      LastName: 'Timer',
      Email: 'old@x.test',
      IsActive: false
    }
  ]);
  ctx = { userId: admin, now: new Date('2026-03-01T10:00:00Z') };
});

describe('insert', () => {
  it('assigns an 18-character id with the object key prefix, audit fields and the running user as owner', () => {
    const id = db.insert('Account', { Name: 'Acme GmbH', Type: 'Customer - Direct' }, ctx);
    expect(id).toMatch(/^001[0-9A-Za-z]{12}[A-Z0-5]{3}$/);
    const row = db.retrieve('Account', id)!;
    expect(row).toMatchObject({
      Id: id,
      Name: 'Acme GmbH',
      OwnerId: admin,
      CreatedById: admin,
      LastModifiedById: admin,
      IsDeleted: false
    });
    expect(row.CreatedDate).toBe('2026-03-01T10:00:00.000+0000');
    expect(row.SystemModstamp).toBe('2026-03-01T10:00:00.000+0000');
    expect(row.Key_Account__c).toBe(false);
    expect(db.count('Account')).toBe(1);
  });

  it('gives custom objects a generated a-prefix and auto-numbers their name', () => {
    const partner = db.insert('Account', { Name: 'Partner' }, ctx);
    const budget = db.insert('MDF_Budget__c', { Name: 'FY26', Partner__c: partner, Amount__c: 1000 }, ctx);
    const req = db.insert('MDF_Request__c', { Budget__c: budget, Amount_Requested__c: 10 }, ctx);
    expect(budget.slice(0, 1)).toBe('a');
    expect(db.retrieve('MDF_Request__c', req)).toMatchObject({ Name: 'MDFR-00001', Status__c: 'Draft' });
  });

  it('refuses missing required fields with REQUIRED_FIELD_MISSING naming them', () => {
    const e = errorOf(() => db.insert('Opportunity', { Name: 'Deal' }, ctx));
    expect(e.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(e.message).toBe('Required fields are missing: [StageName, CloseDate]');
    expect(e.fields).toEqual(['StageName', 'CloseDate']);
    expect(db.count('Opportunity')).toBe(0);
  });

  it('refuses unknown fields, wrong types, long text and bad restricted picklist values', () => {
    expect(errorOf(() => db.insert('Account', { Name: 'A', Foo__c: 1 }, ctx))).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Foo__c' on sobject of type Account"
    });
    expect(errorOf(() => db.insert('Account', { Name: 'A', AnnualRevenue: 'lots' }, ctx))).toMatchObject({
      errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
      fields: ['AnnualRevenue']
    });
    expect(errorOf(() => db.insert('Account', { Name: 'x'.repeat(256) }, ctx))).toMatchObject({
      errorCode: 'STRING_TOO_LONG',
      fields: ['Name']
    });
    const pick = errorOf(() => db.insert('Account', { Name: 'A', Key_Account_Tier__c: 'Platinum' }, ctx));
    expect(pick).toMatchObject({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Key Account Tier: bad value for restricted picklist field: Platinum'
    });
    expect(errorOf(() => db.insert('Account', { Name: 'A', IsDeleted: true }, ctx)).errorCode).toBe(
      'INVALID_FIELD_FOR_INSERT_UPDATE'
    );
    expect(db.count('Account')).toBe(0);
  });

  it('coerces Bulk-style text values to the field types', () => {
    const id = db.insert(
      'Account',
      { Name: 'A', AnnualRevenue: '1234.5', NumberOfEmployees: '12', Key_Account__c: 'true', Website: '' },
      ctx
    );
    expect(
      db.retrieve('Account', id, ['AnnualRevenue', 'NumberOfEmployees', 'Key_Account__c', 'Website'])
    ).toMatchObject({ AnnualRevenue: 1234.5, NumberOfEmployees: 12, Key_Account__c: true, Website: null });
  });

  it('checks references: malformed, of the wrong object, or pointing at nothing', () => {
    expect(errorOf(() => db.insert('Contact', { LastName: 'X', AccountId: 'nope' }, ctx)).errorCode).toBe(
      'MALFORMED_ID'
    );
    expect(errorOf(() => db.insert('Contact', { LastName: 'X', AccountId: alice }, ctx))).toMatchObject({
      errorCode: 'FIELD_INTEGRITY_EXCEPTION',
      fields: ['AccountId']
    });
    expect(
      errorOf(() => db.insert('Contact', { LastName: 'X', AccountId: makeId('001', 999, 'SED') }, ctx))
    ).toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['AccountId'] });
  });

  it('accepts 15-character ids and stores them in 18', () => {
    const acc = db.insert('Account', { Name: 'A' }, ctx);
    const c = db.insert('Contact', { LastName: 'X', AccountId: acc.slice(0, 15) }, ctx);
    expect(db.retrieve('Contact', c.slice(0, 15))!.AccountId).toBe(acc);
  });

  it('fails an inactive or unknown owner with INACTIVE_OWNER_OR_USER', () => {
    expect(errorOf(() => db.insert('Account', { Name: 'A', OwnerId: retired }, ctx))).toMatchObject({
      errorCode: 'INACTIVE_OWNER_OR_USER',
      fields: ['OwnerId']
    });
    expect(
      errorOf(() => db.insert('Account', { Name: 'A', OwnerId: makeId('005', 77, 'SED') }, ctx)).errorCode
    ).toBe('INACTIVE_OWNER_OR_USER');
    expect(db.count('Account')).toBe(0);
  });
});

describe('update and ownership', () => {
  it('changes fields, bumps LastModifiedDate/SystemModstamp and keeps CreatedDate', () => {
    const id = db.insert('Account', { Name: 'A' }, ctx);
    db.update(
      'Account',
      id,
      { OwnerId: alice, Phone: '+49 30 1234' },
      { userId: bob, now: new Date('2026-03-02T00:00:00Z') }
    );
    expect(db.retrieve('Account', id)).toMatchObject({
      OwnerId: alice,
      Phone: '+49 30 1234',
      CreatedDate: '2026-03-01T10:00:00.000+0000',
      LastModifiedDate: '2026-03-02T00:00:00.000+0000',
      SystemModstamp: '2026-03-02T00:00:00.000+0000',
      LastModifiedById: bob
    });
  });

  it('deletes the account team when the account owner changes, and only then', () => {
    const acc = db.insert('Account', { Name: 'A', OwnerId: alice }, ctx);
    const other = db.insert('Account', { Name: 'B', OwnerId: alice }, ctx);
    db.insert(
      'AccountTeamMember',
      { AccountId: acc, UserId: bob, TeamMemberRole: 'Sales Rep', AccountAccessLevel: 'Edit' },
      ctx
    );
    db.insert('AccountTeamMember', { AccountId: other, UserId: bob, TeamMemberRole: 'Sales Rep' }, ctx);
    // When a field other than the owner changes, the team stays
    db.update('Account', acc, { Phone: '1' }, ctx);
    expect(db.query(`SELECT Id FROM AccountTeamMember WHERE AccountId = '${acc}'`).totalSize).toBe(1);
    // When the owner changes, that account's team is gone, the other account's is not
    db.update('Account', acc, { OwnerId: bob }, ctx);
    expect(db.query(`SELECT Id FROM AccountTeamMember WHERE AccountId = '${acc}'`).totalSize).toBe(0);
    expect(db.query(`SELECT Id FROM AccountTeamMember WHERE AccountId = '${other}'`).totalSize).toBe(1);
  });

  it('deletes the opportunity team when the opportunity owner changes', () => {
    const opp = db.insert(
      'Opportunity',
      { Name: 'D', StageName: 'Prospecting', CloseDate: '2026-06-30', OwnerId: alice },
      ctx
    );
    db.insert(
      'OpportunityTeamMember',
      { OpportunityId: opp, UserId: bob, TeamMemberRole: 'Sales Rep', OpportunityAccessLevel: 'Edit' },
      ctx
    );
    db.update('Opportunity', opp, { OwnerId: bob }, ctx);
    expect(db.count('OpportunityTeamMember')).toBe(0);
  });

  it('keeps the teams when the OwnerChangeOptions say so, and changes no child owner either way (API behaviour)', () => {
    const acc = db.insert('Account', { Name: 'A', OwnerId: alice }, ctx);
    const contact = db.insert('Contact', { LastName: 'C', AccountId: acc, OwnerId: alice }, ctx);
    const opp = db.insert(
      'Opportunity',
      { Name: 'D', StageName: 'Prospecting', CloseDate: '2026-06-30', AccountId: acc, OwnerId: alice },
      ctx
    );
    db.insert('AccountTeamMember', { AccountId: acc, UserId: bob }, ctx);
    db.insert('OpportunityTeamMember', { OpportunityId: opp, UserId: bob }, ctx);
    db.update('Account', acc, { OwnerId: bob }, { ...ctx, ownerChangeOptions: { keepAccountTeam: true } });
    db.update('Opportunity', opp, { OwnerId: bob }, { ...ctx, ownerChangeOptions: { keepSalesTeam: true } });
    expect([db.count('AccountTeamMember'), db.count('OpportunityTeamMember')]).toEqual([1, 1]);
    expect(db.retrieve('Contact', contact)!.OwnerId).toBe(alice);
  });

  it('refuses an inactive new owner and leaves the record and its team untouched', () => {
    const acc = db.insert('Account', { Name: 'A', OwnerId: alice }, ctx);
    db.insert('AccountTeamMember', { AccountId: acc, UserId: bob }, ctx);
    const e = errorOf(() => db.update('Account', acc, { OwnerId: retired }, ctx));
    expect(e.errorCode).toBe('INACTIVE_OWNER_OR_USER');
    expect(db.retrieve('Account', acc)!.OwnerId).toBe(alice);
    expect(db.count('AccountTeamMember')).toBe(1);
  });

  it('answers an unknown or deleted id like Salesforce', () => {
    expect(errorOf(() => db.update('Account', makeId('001', 5, 'SED'), { Name: 'x' }, ctx))).toMatchObject({
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
      statusCode: 404
    });
    expect(errorOf(() => db.update('Account', alice, { Name: 'x' }, ctx)).errorCode).toBe('MALFORMED_ID');
    const id = db.insert('Account', { Name: 'A' }, ctx);
    db.delete('Account', id, ctx);
    expect(errorOf(() => db.update('Account', id, { Name: 'x' }, ctx)).errorCode).toBe('ENTITY_IS_DELETED');
  });

  it('derives IsClosed/IsWon from the stage, Case and Task IsClosed from the status', () => {
    const opp = db.insert(
      'Opportunity',
      { Name: 'D', StageName: 'Prospecting', CloseDate: '2026-06-30' },
      ctx
    );
    expect(db.retrieve('Opportunity', opp)).toMatchObject({ IsClosed: false, IsWon: false, Probability: 10 });
    db.update('Opportunity', opp, { StageName: 'Closed Won' }, ctx);
    expect(db.retrieve('Opportunity', opp)).toMatchObject({ IsClosed: true, IsWon: true, Probability: 100 });
    db.update('Opportunity', opp, { StageName: 'Closed Lost' }, ctx);
    expect(db.retrieve('Opportunity', opp)).toMatchObject({ IsClosed: true, IsWon: false });
    const c = db.insert('Case', { Subject: 'Broken' }, ctx);
    expect(db.retrieve('Case', c)).toMatchObject({ Status: 'New', IsClosed: false, CaseNumber: '00000001' });
    db.update('Case', c, { Status: 'Closed' }, ctx);
    expect(db.retrieve('Case', c)!.IsClosed).toBe(true);
    const t = db.insert('Task', { Subject: 'Call', Status: 'Completed', WhatId: opp }, ctx);
    expect(db.retrieve('Task', t)).toMatchObject({ IsClosed: true, AccountId: null });
  });
});

describe('products', () => {
  it('prices line items from the price book entry and sums them into the opportunity amount', () => {
    const product = db.insert('Product2', { Name: 'Widget', ProductCode: 'W-1', IsActive: true }, ctx);
    const book = db.insert('Pricebook2', { Name: 'Standard', IsActive: true }, ctx);
    const entry = db.insert(
      'PricebookEntry',
      { Pricebook2Id: book, Product2Id: product, UnitPrice: 120, IsActive: true },
      ctx
    );
    const opp = db.insert(
      'Opportunity',
      { Name: 'D', StageName: 'Prospecting', CloseDate: '2026-06-30', Amount: 5, Pricebook2Id: book },
      ctx
    );
    const li = db.insert(
      'OpportunityLineItem',
      { OpportunityId: opp, PricebookEntryId: entry, Quantity: 3 },
      ctx
    );
    expect(db.retrieve('OpportunityLineItem', li)).toMatchObject({
      Product2Id: product,
      ListPrice: 120,
      UnitPrice: 120,
      TotalPrice: 360,
      ProductCode: 'W-1'
    });
    db.insert(
      'OpportunityLineItem',
      { OpportunityId: opp, PricebookEntryId: entry, Quantity: 1, UnitPrice: 99.5 },
      ctx
    );
    expect(db.retrieve('Opportunity', opp)).toMatchObject({ Amount: 459.5, HasOpportunityLineItem: true });
    db.delete('OpportunityLineItem', li, ctx);
    expect(db.retrieve('Opportunity', opp)!.Amount).toBe(99.5);
  });
});

describe('unique and external ids', () => {
  it('rejects a duplicate unique value (case-insensitive) with DUPLICATE_VALUE', () => {
    const first = db.insert('Channel_Conflict__c', { Conflict_Key__c: 'DUP|001A|006B' }, ctx);
    const e = errorOf(() => db.insert('Channel_Conflict__c', { Conflict_Key__c: 'dup|001a|006b' }, ctx));
    expect(e).toMatchObject({ errorCode: 'DUPLICATE_VALUE', fields: ['Conflict_Key__c'] });
    expect(e.message).toBe(
      `duplicate value found: Conflict_Key__c duplicates value on record with id: ${first}`
    );
  });

  it('upserts by external id: creates once, then updates the same record', () => {
    const a = db.upsert('Channel_Conflict__c', 'Conflict_Key__c', 'K1', { Score__c: 0.5 }, ctx);
    const b = db.upsert('Channel_Conflict__c', 'Conflict_Key__c', 'K1', { Score__c: 0.75 }, ctx);
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
    expect(db.count('Channel_Conflict__c')).toBe(1);
    expect(db.retrieve('Channel_Conflict__c', a.id)).toMatchObject({
      Name: 'CC-000001',
      Score__c: 0.75,
      Conflict_Key__c: 'K1'
    });
  });

  it('frees a unique value when its record is deleted', () => {
    const id = db.insert('Channel_Conflict__c', { Conflict_Key__c: 'K2' }, ctx);
    db.delete('Channel_Conflict__c', id, ctx);
    expect(db.upsert('Channel_Conflict__c', 'Conflict_Key__c', 'K2', {}, ctx).created).toBe(true);
  });
});

describe('validation rules, formulas and roll-ups', () => {
  let partner: string;
  let budget: string;
  beforeEach(() => {
    partner = db.insert('Account', { Name: 'Partner Co', Type: 'Channel Partner / Reseller' }, ctx);
    budget = db.insert('MDF_Budget__c', { Name: 'FY26', Partner__c: partner, Amount__c: 1000 }, ctx);
  });

  it('computes formula fields on read and keeps roll-ups current (with their filter)', () => {
    const r1 = db.insert(
      'MDF_Request__c',
      { Budget__c: budget, Amount_Requested__c: 400, Amount_Approved__c: 300, Status__c: 'Approved' },
      ctx
    );
    db.insert(
      'MDF_Request__c',
      { Budget__c: budget, Amount_Requested__c: 100, Amount_Approved__c: 50, Status__c: 'Submitted' },
      ctx
    );
    expect(db.retrieve('MDF_Budget__c', budget)).toMatchObject({
      Approved_Total__c: 300,
      Request_Count__c: 2,
      Remaining__c: 700
    });
    db.update('MDF_Request__c', r1, { Status__c: 'Rejected' }, ctx);
    expect(db.retrieve('MDF_Budget__c', budget)).toMatchObject({ Approved_Total__c: 0, Remaining__c: 1000 });
    db.update('MDF_Request__c', r1, { Status__c: 'Closed' }, ctx);
    expect(db.retrieve('MDF_Budget__c', budget)!.Approved_Total__c).toBe(300);
    db.delete('MDF_Request__c', r1, ctx);
    expect(db.retrieve('MDF_Budget__c', budget)).toMatchObject({ Approved_Total__c: 0, Request_Count__c: 1 });
  });

  it('fails a rule with FIELD_CUSTOM_VALIDATION_EXCEPTION and the rule message, reading the parent through Budget__r', () => {
    db.insert(
      'MDF_Request__c',
      { Budget__c: budget, Amount_Requested__c: 800, Amount_Approved__c: 800, Status__c: 'Approved' },
      ctx
    );
    const e = errorOf(() =>
      db.insert(
        'MDF_Request__c',
        { Budget__c: budget, Amount_Requested__c: 300, Amount_Approved__c: 300, Status__c: 'Submitted' },
        ctx
      )
    );
    expect(e).toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'The approved amount is more than the budget has left.',
      fields: ['Amount_Approved__c']
    });
    // a smaller amount fits
    db.insert(
      'MDF_Request__c',
      { Budget__c: budget, Amount_Requested__c: 200, Amount_Approved__c: 200, Status__c: 'Submitted' },
      ctx
    );
    expect(
      errorOf(() =>
        db.insert('MDF_Request__c', { Budget__c: budget, Amount_Requested__c: 1, Status__c: 'Approved' }, ctx)
      ).message
    ).toBe('An approved request needs an approved amount.');
  });

  it('runs the parent rule when a roll-up changes, and rolls the child save back when it fails', () => {
    const r = db.insert(
      'MDF_Request__c',
      { Budget__c: budget, Amount_Requested__c: 900, Amount_Approved__c: 900, Status__c: 'Submitted' },
      ctx
    );
    db.insert(
      'MDF_Request__c',
      { Budget__c: budget, Amount_Requested__c: 100, Amount_Approved__c: 100, Status__c: 'Approved' },
      ctx
    );
    // When the 900 request is approved too, the budget's approved total would be 1000... fine; lower the budget first
    db.update('MDF_Budget__c', budget, { Amount__c: 950 }, ctx);
    const e = errorOf(() => db.update('MDF_Request__c', r, { Status__c: 'Approved' }, ctx));
    expect(e).toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Approved requests exceed the budget.'
    });
    expect(db.retrieve('MDF_Request__c', r)!.Status__c).toBe('Submitted');
    expect(db.retrieve('MDF_Budget__c', budget)!.Approved_Total__c).toBe(100);
  });

  it('recalculates roll-ups of loaded rows', () => {
    const b2 = makeId(schema.get('MDF_Budget__c')!.keyPrefix, 1, 'SED');
    db.load('MDF_Budget__c', [{ Id: b2, Name: 'Loaded', Partner__c: partner, Amount__c: 500 }]);
    db.load('MDF_Request__c', [
      { Budget__c: b2, Amount_Requested__c: 10, Amount_Approved__c: 10, Status__c: 'Approved' },
      { Budget__c: b2, Amount_Requested__c: 20, Amount_Approved__c: 20, Status__c: 'Approved' }
    ]);
    expect(db.retrieve('MDF_Budget__c', b2)!.Approved_Total__c).toBe(0);
    db.recalculate();
    expect(db.retrieve('MDF_Budget__c', b2)).toMatchObject({
      Approved_Total__c: 30,
      Request_Count__c: 2,
      Remaining__c: 470
    });
  });
});

describe('formula engine', () => {
  it('gives the same answers as formulon itself on the functions our metadata uses', () => {
    const fields: Record<string, FieldDef> = {
      Amount__c: {
        name: 'Amount__c',
        label: 'Amount',
        type: 'currency',
        scale: 2,
        precision: 18,
        nillable: true,
        createable: true,
        updateable: true
      },
      Status__c: {
        name: 'Status__c',
        label: 'Status',
        type: 'picklist',
        nillable: true,
        createable: true,
        updateable: true
      },
      Due__c: {
        name: 'Due__c',
        label: 'Due',
        type: 'date',
        nillable: true,
        createable: true,
        updateable: true
      },
      Note__c: {
        name: 'Note__c',
        label: 'Note',
        type: 'string',
        nillable: true,
        createable: true,
        updateable: true
      },
      Flag__c: {
        name: 'Flag__c',
        label: 'Flag',
        type: 'boolean',
        nillable: false,
        createable: true,
        updateable: true
      }
    };
    const formulas = [
      'AND(ISPICKVAL(Status__c, "Approved"), ISBLANK(Amount__c))',
      'AND(NOT(ISBLANK(Amount__c)), OR(Amount__c < 0, Amount__c > 100))',
      'Amount__c * 2 - BLANKVALUE(Amount__c, 0) / 4 + 1',
      'IF(Flag__c, Amount__c, 0) >= 10',
      'AND(NOT(ISBLANK(Due__c)), BLANKVALUE(Due__c, TODAY()) > DATE(2026, 3, 1))',
      'Due__c + 30 < DATE(2026, 12, 31)',
      'Note__c = "x"',
      'ISBLANK(Note__c)',
      'NOT(ISPICKVAL(Status__c, "Approved"))',
      'MAX(Amount__c, 5) <> 5'
    ];
    const records = [
      { Amount__c: 50, Status__c: 'Approved', Due__c: '2026-05-01', Note__c: 'x', Flag__c: true },
      { Amount__c: null, Status__c: 'Approved', Due__c: null, Note__c: null, Flag__c: false },
      { Amount__c: 150.25, Status__c: 'Draft', Due__c: '2026-01-01', Note__c: 'y', Flag__c: true },
      { Amount__c: -3, Status__c: null, Due__c: '2027-01-01', Note__c: '', Flag__c: false }
    ];
    const disagreements: string[] = [];
    for (const formula of formulas) {
      for (const rec of records) {
        const env = {
          resolve: (p: string) => ({ value: (rec as Record<string, unknown>)[p] ?? null, field: fields[p] }),
          isNew: false,
          now: new Date('2026-03-15T12:00:00Z')
        };
        const fast = evaluateFormula(formula, env);
        const reference = evaluateFormula(formula, env, { engine: 'formulon' });
        // formulon refuses blank operands where Salesforce answers blank: count both as "no value"
        const norm = (r: { ok: boolean; value?: unknown }): unknown =>
          r.ok ? (typeof r.value === 'number' ? Math.round(r.value * 1e6) / 1e6 : (r.value ?? null)) : null;
        if (JSON.stringify(norm(fast)) !== JSON.stringify(norm(reference)))
          disagreements.push(
            `${formula} on ${JSON.stringify(rec)}: ${JSON.stringify(fast)} vs ${JSON.stringify(reference)}`
          );
      }
    }
    expect(disagreements).toEqual([]);
  });
});

describe('delete', () => {
  it('soft-deletes (queryAll still sees it), cascades master-detail children and clears plain lookups', () => {
    const partner = db.insert('Account', { Name: 'P' }, ctx);
    const conflict = db.insert('Channel_Conflict__c', { Account__c: partner, Conflict_Key__c: 'K' }, ctx);
    const budget = db.insert('MDF_Budget__c', { Name: 'B', Partner__c: partner, Amount__c: 10 }, ctx);
    const req = db.insert('MDF_Request__c', { Budget__c: budget, Amount_Requested__c: 1 }, ctx);
    db.delete('MDF_Budget__c', budget, ctx);
    expect(db.retrieve('MDF_Request__c', req)).toBeUndefined();
    expect(db.count('MDF_Request__c')).toBe(0);
    expect(
      db.query(`SELECT Id, IsDeleted FROM MDF_Request__c`, { includeDeleted: true }).records[0]
    ).toMatchObject({ Id: req, IsDeleted: true });
    db.delete('Account', partner, ctx);
    expect(db.retrieve('Channel_Conflict__c', conflict)!.Account__c).toBeNull();
  });

  it("deletes an account's contacts, opportunities (with line items and teams) and activities with it", () => {
    const acc = db.insert('Account', { Name: 'A' }, ctx);
    const contact = db.insert('Contact', { LastName: 'C', AccountId: acc }, ctx);
    const opp = db.insert(
      'Opportunity',
      { Name: 'O', StageName: 'Prospecting', CloseDate: '2026-05-01', AccountId: acc },
      ctx
    );
    db.insert('OpportunityTeamMember', { OpportunityId: opp, UserId: bob }, ctx);
    db.insert('Task', { Subject: 'T', WhatId: acc, Status: 'Not Started' }, ctx);
    const kept = db.insert('Case', { Subject: 'S', AccountId: acc }, ctx);
    db.delete('Account', acc, ctx);
    expect([
      db.count('Contact'),
      db.count('Opportunity'),
      db.count('OpportunityTeamMember'),
      db.count('Task')
    ]).toEqual([0, 0, 0, 0]);
    expect(db.retrieve('Contact', contact)).toBeUndefined();
    expect(db.retrieve('Case', kept)!.AccountId).toBeNull();
  });

  it('hard-deletes: gone from queryAll too', () => {
    const id = db.insert('Account', { Name: 'Gone' }, ctx);
    db.delete('Account', id, ctx);
    db.hardDelete('Account', id);
    expect(db.query(`SELECT Id FROM Account WHERE Id = '${id}'`, { includeDeleted: true }).totalSize).toBe(0);
  });

  it('rolls everything back when a write fails part-way', () => {
    const acc = db.insert('Account', { Name: 'A', OwnerId: alice }, ctx);
    db.insert('AccountTeamMember', { AccountId: acc, UserId: bob }, ctx);
    const before = db.retrieve('Account', acc);
    expect(() => db.update('Account', acc, { OwnerId: bob, Name: 'y'.repeat(300) }, ctx)).toThrow(
      SalesforceError
    );
    expect(db.retrieve('Account', acc)).toEqual(before);
    expect(db.count('AccountTeamMember')).toBe(1);
  });
});

describe('transactions', () => {
  it('undoes only the failing record inside an open transaction (allOrNone=false), everything when the outer one fails (allOrNone=true)', () => {
    const acc = db.insert('Account', { Name: 'A', OwnerId: alice }, ctx);
    db.insert('AccountTeamMember', { AccountId: acc, UserId: bob }, ctx);
    // allOrNone=false: one good, one bad record in one transaction
    db.transaction(() => {
      db.update('Account', acc, { OwnerId: bob }, ctx);
      expect(() => db.insert('Account', { Name: 'B', OwnerId: retired }, ctx)).toThrow(SalesforceError);
    });
    expect(db.retrieve('Account', acc)!.OwnerId).toBe(bob);
    expect(db.count('Account')).toBe(1);
    expect(db.count('AccountTeamMember')).toBe(0);
    // allOrNone=true: the failure undoes the good record too
    expect(() =>
      db.transaction(() => {
        db.update('Account', acc, { OwnerId: alice, Name: 'Renamed' }, ctx);
        db.insert('Account', { Name: 'C', OwnerId: retired }, ctx);
      })
    ).toThrow(SalesforceError);
    expect(db.retrieve('Account', acc)).toMatchObject({ OwnerId: bob, Name: 'A' });
    expect(db.query(`SELECT Id FROM Account WHERE OwnerId = '${alice}'`).totalSize).toBe(0);
  });

  it('upserts on Id: updates a known Id, creates without one, refuses an unknown one', () => {
    const id = db.insert('Account', { Name: 'A' }, ctx);
    expect(db.upsert('Account', 'Id', id, { Name: 'A2' }, ctx)).toEqual({ id, created: false });
    expect(db.upsert('Account', 'Id', '', { Name: 'New' }, ctx).created).toBe(true);
    expect(
      errorOf(() => db.upsert('Account', 'Id', makeId('001', 9, 'SED'), { Name: 'x' }, ctx)).errorCode
    ).toBe('NOT_FOUND');
    expect(db.count('Account')).toBe(2);
  });
});

describe('load', () => {
  it('takes preset ids, fills audit fields and derived fields, and never collides with assigned ids', () => {
    const preset = makeId('001', 1, 'SED');
    expect(
      db.load('Account', [
        { Id: preset, Name: 'Seeded', OwnerId: alice, CreatedDate: '2025-01-01T00:00:00Z' }
      ])
    ).toBe(1);
    db.load('Opportunity', [
      { Name: 'O', StageName: 'Closed Won', CloseDate: '2025-02-01', AccountId: preset, OwnerId: alice }
    ]);
    const assigned = db.insert('Account', { Name: 'New' }, ctx);
    expect(assigned).not.toBe(preset);
    expect(db.retrieve('Account', preset)).toMatchObject({
      CreatedDate: '2025-01-01T00:00:00.000+0000',
      SystemModstamp: '2025-01-01T00:00:00.000+0000',
      CreatedById: alice
    });
    expect(db.query('SELECT IsClosed, IsWon FROM Opportunity').records[0]).toMatchObject({
      IsClosed: true,
      IsWon: true
    });
    expect(db.count('Account')).toBe(2);
  });

  it('continues the id sequence after reloading rows the database assigned (a restored data dir)', () => {
    const id = db.insert('Account', { Name: 'A' }, ctx);
    const dump = [...db.export('Account')];
    const fresh = new Database(schema);
    fresh.load('User', [...db.export('User')]);
    fresh.load('Account', dump);
    const next = fresh.insert('Account', { Name: 'B' }, ctx);
    expect(next).not.toBe(id);
    expect(fresh.retrieve('Account', id)!.Name).toBe('A');
  });
});

describe("the project's own MDF metadata (force-app)", () => {
  let real: Database;
  let partner: string;
  let budget: string;
  beforeAll(async () => {
    const s = standardSchema();
    await loadForceApp(process.cwd(), s);
    real = new Database(s);
  });

  beforeEach(() => {
    // Given a partner with a budget of 1000 (+100 accrued) for 2026
    real.load('User', [
      {
        Id: makeId('005', 1, 'SED'),
        Username: 'admin@x.test',
        LastName: 'Admin',
        Email: 'admin@x.test',
        IsActive: true
      }
    ]);
    partner = real.insert(
      'Account',
      { Name: 'Partner ' + Math.random(), Type: 'Channel Partner / Reseller' },
      ctx
    );
    budget = real.insert(
      'MDF_Budget__c',
      {
        Name: 'FY26',
        Partner__c: partner,
        Amount__c: 1000,
        Accrued_Amount__c: 100,
        Period_Start__c: '2026-01-01',
        Period_End__c: '2026-12-31'
      },
      ctx
    );
  });

  it('stops approving more than the budget holds, and keeps the roll-ups and Remaining__c current', () => {
    const tooMuch = errorOf(() =>
      real.insert(
        'MDF_Request__c',
        { Budget__c: budget, Amount_Requested__c: 2000, Amount_Approved__c: 1500, Status__c: 'Approved' },
        ctx
      )
    );
    expect(tooMuch.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    const a = real.insert(
      'MDF_Request__c',
      { Budget__c: budget, Amount_Requested__c: 700, Amount_Approved__c: 600, Status__c: 'Approved' },
      ctx
    );
    expect(real.retrieve('MDF_Budget__c', budget)).toMatchObject({
      Approved_Total__c: 600,
      Requested_Total__c: 700,
      Remaining__c: 500
    });
    // a second approval that would take the approved total past amount + accrued fails on the budget's rule
    const b = real.insert(
      'MDF_Request__c',
      { Budget__c: budget, Amount_Requested__c: 600, Status__c: 'Submitted' },
      ctx
    );
    const over = errorOf(() =>
      real.update('MDF_Request__c', b, { Amount_Approved__c: 600, Status__c: 'Approved' }, ctx)
    );
    expect(over.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(real.retrieve('MDF_Request__c', b)!.Status__c).toBe('Submitted');
    expect(real.retrieve('MDF_Budget__c', budget)!.Approved_Total__c).toBe(600);
    expect(real.retrieve('MDF_Request__c', a)).toMatchObject({
      Name: expect.any(String),
      Partner__c: partner.slice(0, 15)
    });
  });

  it('stops claims above the approved amount, on unapproved requests and after the deadline', () => {
    const req = real.insert(
      'MDF_Request__c',
      {
        Budget__c: budget,
        Amount_Requested__c: 300,
        Amount_Approved__c: 300,
        Status__c: 'Approved',
        Claim_Deadline__c: '2026-06-30'
      },
      ctx
    );
    const first = real.insert(
      'MDF_Claim__c',
      { Request__c: req, Amount__c: 200, Status__c: 'Submitted', Claim_Date__c: '2026-05-01' },
      ctx
    );
    real.update('MDF_Claim__c', first, { Status__c: 'Approved' }, ctx);
    expect(real.retrieve('MDF_Request__c', req)).toMatchObject({
      Claimed_Total__c: 200,
      Remaining_To_Claim__c: 100
    });
    expect(
      errorOf(() =>
        real.insert(
          'MDF_Claim__c',
          { Request__c: req, Amount__c: 150, Status__c: 'Submitted', Claim_Date__c: '2026-05-02' },
          ctx
        )
      ).errorCode
    ).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(
      errorOf(() =>
        real.insert(
          'MDF_Claim__c',
          { Request__c: req, Amount__c: 50, Status__c: 'Submitted', Claim_Date__c: '2026-07-15' },
          ctx
        )
      ).errorCode
    ).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    const draft = real.insert(
      'MDF_Request__c',
      { Budget__c: budget, Amount_Requested__c: 10, Status__c: 'Submitted' },
      ctx
    );
    expect(
      errorOf(() =>
        real.insert(
          'MDF_Claim__c',
          { Request__c: draft, Amount__c: 5, Status__c: 'Submitted', Claim_Date__c: '2026-05-02' },
          ctx
        )
      ).errorCode
    ).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    // a claim within amount and deadline passes
    real.insert(
      'MDF_Claim__c',
      { Request__c: req, Amount__c: 100, Status__c: 'Submitted', Claim_Date__c: '2026-06-30' },
      ctx
    );
    expect(real.count('MDF_Claim__c')).toBeGreaterThanOrEqual(2);
  });
});
