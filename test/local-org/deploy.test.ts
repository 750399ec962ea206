/**
 * The local org's Metadata API without the CLI: deploy zips in Metadata API format through
 * SOAP (`deploy` + `checkDeployStatus`) and REST (`metadata/deployRequest`), all or nothing,
 * check-only, and the errors Salesforce gives for broken components.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import { startLocalOrg, type LocalOrg } from '../../plugin-src/local-org/server.js';
import type { DeployMessage, DeployResult } from '../../plugin-src/local-org/metadata-api/index.js';

const PACKAGE = `<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://soap.sforce.com/2006/04/metadata"><version>64.0</version></Package>`;

function zipOf(files: Record<string, string>): Buffer {
  const entries: Record<string, Uint8Array> = { 'package.xml': strToU8(PACKAGE) };
  for (const [path, text] of Object.entries(files)) entries[path] = strToU8(text);
  return Buffer.from(zipSync(entries));
}

const md = (root: string, body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://soap.sforce.com/2006/04/metadata">${body}</${root}>`;

const TERRITORY = md(
  'CustomObject',
  `<label>Territory</label><pluralLabel>Territories</pluralLabel><sharingModel>ReadWrite</sharingModel><deploymentStatus>Deployed</deploymentStatus>
   <nameField><label>Territory Name</label><type>Text</type></nameField>
   <fields><fullName>Region__c</fullName><label>Region</label><type>Picklist</type><valueSet><restricted>true</restricted><valueSetDefinition>
     <value><fullName>EMEA</fullName><default>false</default><label>EMEA</label></value><value><fullName>APAC</fullName><default>false</default><label>APAC</label></value>
   </valueSetDefinition></valueSet></fields>
   <fields><fullName>Quota__c</fullName><label>Quota</label><type>Currency</type><precision>18</precision><scale>2</scale></fields>
   <fields><fullName>Anchor_Account__c</fullName><label>Anchor Account</label><type>Lookup</type><referenceTo>Account</referenceTo><relationshipName>Territories</relationshipName><deleteConstraint>SetNull</deleteConstraint></fields>
   <fields><fullName>Quota_In_K__c</fullName><label>Quota in k</label><type>Number</type><precision>18</precision><scale>1</scale><formula>Quota__c / 1000</formula></fields>
   <validationRules><fullName>Quota_Not_Negative</fullName><active>true</active><errorConditionFormula>Quota__c &lt; 0</errorConditionFormula><errorMessage>Quota cannot be negative.</errorMessage></validationRules>`
);

const PERMSET = md(
  'PermissionSet',
  `<label>Territory Admin</label><hasActivationRequired>false</hasActivationRequired>
   <fieldPermissions><editable>true</editable><field>Territory__c.Quota__c</field><readable>true</readable></fieldPermissions>
   <objectPermissions><allowCreate>true</allowCreate><allowDelete>true</allowDelete><allowEdit>true</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Territory__c</object><viewAllRecords>false</viewAllRecords></objectPermissions>`
);

const soapParser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreAttributes: true,
  isArray: (name) => ['componentSuccesses', 'componentFailures'].includes(name)
});

describe('the local org Metadata API', () => {
  let org: LocalOrg;

  beforeAll(async () => {
    org = await startLocalOrg({ schema: 'standard' });
  });
  afterAll(async () => {
    await org.close();
  });

  async function soap(
    operation: string,
    body: string,
    session = org.accessToken
  ): Promise<{ status: number; result: Record<string, unknown>; fault?: Record<string, string> }> {
    const envelope = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>${session}</sessionId></SessionHeader></soapenv:Header><soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata"><${operation}>${body}</${operation}></soapenv:Body></soapenv:Envelope>`;
    const res = await fetch(`${org.instanceUrl}//services/Soap/m/65.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
      body: envelope
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    const doc = soapParser.parse(await res.text()) as {
      Envelope: { Body: Record<string, { result?: Record<string, unknown> } & Record<string, string>> };
    };
    const body_ = doc.Envelope.Body;
    return {
      status: res.status,
      result: body_[`${operation}Response`]?.result ?? {},
      fault: body_.Fault as unknown as Record<string, string> | undefined
    };
  }

  async function soapDeploy(zip: Buffer, options = ''): Promise<Record<string, unknown>> {
    const started = await soap(
      'deploy',
      `<ZipFile>${zip.toString('base64')}</ZipFile><DeployOptions><rollbackOnError>true</rollbackOnError><singlePackage>true</singlePackage>${options}</DeployOptions>`
    );
    expect(started.status).toBe(200);
    expect(started.result).toMatchObject({ done: 'false', state: 'Queued' });
    const id = String(started.result.id);
    expect(id).toMatch(/^0Af[a-zA-Z0-9]{15}$/);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const status = await soap(
        'checkDeployStatus',
        `<asyncProcessId>${id}</asyncProcessId><includeDetails>true</includeDetails>`
      );
      seen.add(String(status.result.status));
      if (status.result.done === 'true') return { ...status.result, seen: [...seen] };
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('deploy did not finish');
  }

  const failuresOf = (r: Record<string, unknown>): Array<Record<string, string>> =>
    (r.details as { componentFailures?: Array<Record<string, string>> }).componentFailures ?? [];

  it('refuses a SOAP call without a valid session with the INVALID_SESSION_ID fault jsforce recognises', async () => {
    const r = await soap(
      'checkDeployStatus',
      '<asyncProcessId>0AfLOC000000001</asyncProcessId>',
      'not-a-session'
    );
    expect(r.status).toBe(500);
    expect(r.fault).toMatchObject({ faultcode: 'sf:INVALID_SESSION_ID' });
  });

  it('check-only validates a new object without creating it', async () => {
    // When a new object is deployed check-only
    const r = await soapDeploy(
      zipOf({
        'objects/Territory__c.object': TERRITORY,
        'permissionsets/Territory_Admin.permissionset': PERMSET
      }),
      '<checkOnly>true</checkOnly>'
    );
    // Then it validates, and nothing is in the org
    expect(r).toMatchObject({
      status: 'Succeeded',
      success: 'true',
      checkOnly: 'true',
      numberComponentErrors: '0'
    });
    expect(org.db.schema.get('Territory__c')).toBeUndefined();
    expect(org.db.query("SELECT Id FROM PermissionSet WHERE Name = 'Territory_Admin'").totalSize).toBe(0);
  });

  it('quick-deploys a successful validation once (deployRecentValidation), and refuses anything else', async () => {
    const zip = zipOf({
      'objects/Quick__c.object': md(
        'CustomObject',
        '<label>Quick</label><pluralLabel>Quicks</pluralLabel><sharingModel>ReadWrite</sharingModel><nameField><label>Quick Name</label><type>Text</type></nameField>'
      )
    });
    // Given a successful validation
    const validation = await soapDeploy(
      zip,
      '<checkOnly>true</checkOnly><testLevel>RunLocalTests</testLevel>'
    );
    expect(validation).toMatchObject({ status: 'Succeeded', checkOnly: 'true', runTestsEnabled: 'true' });
    expect(org.db.schema.get('Quick__c')).toBeUndefined();
    // When it is quick-deployed
    const quick = await soap(
      'deployRecentValidation',
      `<validationId>${String(validation.id)}</validationId>`
    );
    const quickId = String(quick.result);
    expect(quickId).toMatch(/^0Af/);
    expect(quickId).not.toBe(validation.id);
    while (org.metadata.deployResult(quickId)?.done !== true) await new Promise((r) => setTimeout(r, 10));
    // Then the object is in the org, and the validation cannot be used again
    expect(org.metadata.deployResult(quickId)).toMatchObject({ status: 'Succeeded', checkOnly: false });
    expect(org.db.schema.get('Quick__c')).toBeDefined();
    const again = await soap(
      'deployRecentValidation',
      `<validationId>${String(validation.id)}</validationId>`
    );
    expect(again.fault).toMatchObject({ faultcode: 'sf:INVALID_ID_FIELD' });
  });

  it('refuses the whole deploy when one rule names an unknown field, with the component error', async () => {
    // Given a valid object and a permission set, plus a broken validation rule on Account
    const account = md(
      'CustomObject',
      `<fields><fullName>Territory__c</fullName><label>Territory</label><type>Lookup</type><referenceTo>Territory__c</referenceTo><relationshipName>Accounts</relationshipName></fields>
       <validationRules><fullName>Needs_Territory_Region</fullName><active>true</active><errorConditionFormula>ISBLANK(Territory__r.Regin__c)</errorConditionFormula><errorMessage>x</errorMessage></validationRules>`
    );
    const r = await soapDeploy(
      zipOf({
        'objects/Territory__c.object': TERRITORY,
        'objects/Account.object': account,
        'permissionsets/Territory_Admin.permissionset': PERMSET
      })
    );
    // Then it fails as a whole, naming the rule and the field
    expect(r).toMatchObject({ status: 'Failed', success: 'false', done: 'true', numberComponentErrors: '1' });
    expect(failuresOf(r)).toEqual([
      expect.objectContaining({
        componentType: 'ValidationRule',
        fullName: 'Account.Needs_Territory_Region',
        fileName: 'objects/Account.object',
        problem: 'Field Regin__c does not exist. Check spelling.',
        problemType: 'Error',
        success: 'false'
      })
    ]);
    // And nothing of it is in the org
    expect(org.db.schema.get('Territory__c')).toBeUndefined();
    expect(org.db.schema.get('Account')?.fields.has('territory__c')).toBe(false);
    expect(org.db.query("SELECT Id FROM PermissionSet WHERE Name = 'Territory_Admin'").totalSize).toBe(0);
  });

  it('reports permission-set grants on unknown or required fields, and roll-ups over a lookup', async () => {
    const child = md(
      'CustomObject',
      `<label>Visit</label><pluralLabel>Visits</pluralLabel><sharingModel>ReadWrite</sharingModel><nameField><label>Visit</label><type>Text</type></nameField>
       <fields><fullName>Account__c</fullName><label>Account</label><type>Lookup</type><referenceTo>Account</referenceTo><relationshipName>Visits</relationshipName></fields>
       <fields><fullName>Note__c</fullName><label>Note</label><type>Text</type><length>80</length><required>true</required></fields>`
    );
    const account = md(
      'CustomObject',
      `<fields><fullName>Visit_Count__c</fullName><label>Visits</label><type>Summary</type><summaryForeignKey>Visit__c.Account__c</summaryForeignKey><summaryOperation>count</summaryOperation></fields>`
    );
    const ps = md(
      'PermissionSet',
      `<label>Visits</label><fieldPermissions><editable>true</editable><field>Visit__c.Note__c</field><readable>true</readable></fieldPermissions><fieldPermissions><editable>true</editable><field>Visit__c.Nope__c</field><readable>true</readable></fieldPermissions>`
    );
    const r = await soapDeploy(
      zipOf({
        'objects/Visit__c.object': child,
        'objects/Account.object': account,
        'permissionsets/Visits.permissionset': ps
      })
    );
    expect(r).toMatchObject({ status: 'Failed', numberComponentErrors: '3' });
    expect(failuresOf(r).map((f) => [f.componentType, f.fullName, f.problem])).toEqual([
      [
        'CustomField',
        'Account.Visit_Count__c',
        'Cannot create a roll-up summary: Visit__c.Account__c is not a master-detail relationship'
      ],
      ['PermissionSet', 'Visits', 'You cannot deploy to a required field: Visit__c.Note__c'],
      ['PermissionSet', 'Visits', 'In field: field - no CustomField named Visit__c.Nope__c found']
    ]);
    expect(org.db.schema.get('Visit__c')).toBeUndefined();
  });

  it('deploys a new object over REST (multipart deployRequest) and the org uses it at once', async () => {
    // Given an Account that exists before the deploy
    const before = org.db.insert('Account', { Name: 'Before Deploy' }, { userId: org.userId });
    // When the zip is posted as the CLI does with org-metadata-rest-deploy=true
    const form = new FormData();
    form.append(
      'file',
      new Blob(
        [
          zipOf({
            'objects/Territory__c.object': TERRITORY,
            'permissionsets/Territory_Admin.permissionset': PERMSET,
            'staticresources/Regions.resource': '["EMEA","APAC"]',
            'staticresources/Regions.resource-meta.xml': md(
              'StaticResource',
              '<cacheControl>Public</cacheControl><contentType>application/json</contentType>'
            )
          })
        ],
        { type: 'application/zip' }
      ),
      'package.xml'
    );
    form.append(
      'entity_content',
      new Blob([JSON.stringify({ deployOptions: { rollbackOnError: true, singlePackage: true } })], {
        type: 'application/json'
      })
    );
    const auth = { Authorization: `Bearer ${org.accessToken}` };
    const post = await fetch(`${org.instanceUrl}/services/data/v65.0/metadata/deployRequest`, {
      method: 'POST',
      headers: auth,
      body: form
    });
    expect(post.status).toBe(201);
    const { id } = (await post.json()) as { id: string };
    let result: DeployResult | undefined;
    for (let i = 0; i < 200 && !result?.done; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const get = await fetch(
        `${org.instanceUrl}/services/data/v65.0/metadata/deployRequest/${id}?includeDetails=true`,
        { headers: auth }
      );
      result = ((await get.json()) as { deployResult: DeployResult }).deployResult;
    }
    // Then it succeeded with one message per component
    expect(result).toMatchObject({ status: 'Succeeded', success: true, numberComponentErrors: 0 });
    const created = (m: DeployMessage): string => `${m.componentType}:${m.fullName}:${m.created}`;
    expect(result!.details.componentSuccesses.map(created)).toEqual(
      expect.arrayContaining([
        'CustomObject:Territory__c:true',
        'CustomField:Territory__c.Quota__c:true',
        'CustomField:Territory__c.Anchor_Account__c:true',
        'ValidationRule:Territory__c.Quota_Not_Negative:true',
        'PermissionSet:Territory_Admin:true',
        'StaticResource:Regions:true'
      ])
    );
    // And records of the new object follow its rules: lookup, formula, validation rule
    const id1 = org.db.insert(
      'Territory__c',
      { Name: 'North', Region__c: 'EMEA', Quota__c: 250000, Anchor_Account__c: before },
      { userId: org.userId }
    );
    const row = org.db.query(
      `SELECT Name, Quota_In_K__c, Anchor_Account__r.Name, OwnerId FROM Territory__c WHERE Id = '${id1}'`
    ).records[0];
    expect(row).toMatchObject({
      Name: 'North',
      Quota_In_K__c: 250,
      Anchor_Account__r: expect.objectContaining({ Name: 'Before Deploy' }),
      OwnerId: org.userId
    });
    expect(() =>
      org.db.insert('Territory__c', { Name: 'South', Quota__c: -1 }, { userId: org.userId })
    ).toThrow('Quota cannot be negative.');
    expect(() =>
      org.db.insert('Territory__c', { Name: 'West', Region__c: 'Mars' }, { userId: org.userId })
    ).toThrow();
    // And the permission set and static resource are records
    expect(
      org.db.query("SELECT Label FROM PermissionSet WHERE Name = 'Territory_Admin'").records[0]
    ).toMatchObject({ Label: 'Territory Admin' });
    expect(
      org.db.query("SELECT ContentType, BodyLength, CacheControl FROM StaticResource WHERE Name = 'Regions'")
        .records[0]
    ).toMatchObject({ ContentType: 'application/json', BodyLength: 15, CacheControl: 'Public' });
    // And the Account row from before the deploy still reads
    expect(org.db.query(`SELECT Name FROM Account WHERE Id = '${before}'`).records[0]).toMatchObject({
      Name: 'Before Deploy'
    });
  });

  it('a redeploy of the same zip reports the components unchanged, and listMetadata lists what is stored', async () => {
    const zip = zipOf({
      'objects/Territory__c.object': TERRITORY,
      'lwc/territoryCard/territoryCard.js': 'export default class X {}',
      'lwc/territoryCard/territoryCard.js-meta.xml': md(
        'LightningComponentBundle',
        '<apiVersion>64.0</apiVersion><isExposed>true</isExposed>'
      )
    });
    const first = await soapDeploy(zip);
    expect(first).toMatchObject({ status: 'Succeeded' });
    const again = await soapDeploy(zip);
    const successes = (again.details as { componentSuccesses: Array<Record<string, string>> })
      .componentSuccesses;
    expect(successes.find((m) => m.fullName === 'territoryCard')).toMatchObject({
      componentType: 'LightningComponentBundle',
      created: 'false',
      changed: 'false'
    });
    const list = await soap('listMetadata', '<queries><type>LightningComponentBundle</type></queries>');
    expect(list.result).toMatchObject({
      fullName: 'territoryCard',
      type: 'LightningComponentBundle',
      fileName: 'lwc/territoryCard',
      manageableState: 'unmanaged'
    });
    expect(String(list.result.id)).toMatch(/^0Rb/);
  });

  it('keeps what deploys built across a restart with a data directory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'channel-ops-deploy-data-'));
    try {
      // Given an org with a data dir, a deploy and a record of the deployed object
      let first: LocalOrg | undefined = await startLocalOrg({ schema: 'standard', dataDir });
      const result = first.metadata.startDeploy(
        zipOf({
          'objects/Territory__c.object': TERRITORY,
          'permissionsets/Territory_Admin.permissionset': PERMSET
        }),
        { singlePackage: true }
      );
      while (!first.metadata.deployResult(result.id)?.done) await new Promise((r) => setTimeout(r, 10));
      expect(first.metadata.deployResult(result.id)).toMatchObject({ status: 'Succeeded' });
      const id = first.db.insert('Territory__c', { Name: 'Kept', Quota__c: 5000 }, { userId: first.userId });
      await first.close();
      first = undefined;
      // When it starts again from the data dir
      const again = await startLocalOrg({ schema: 'standard', dataDir });
      try {
        // Then the deployed object, its record and the permission set (once) are there
        expect(again.db.schema.get('Territory__c')?.fields.has('quota__c')).toBe(true);
        expect(
          again.db.query(`SELECT Name, Quota_In_K__c FROM Territory__c WHERE Id = '${id}'`).records[0]
        ).toMatchObject({ Name: 'Kept', Quota_In_K__c: 5 });
        expect(again.db.query("SELECT Id FROM PermissionSet WHERE Name = 'Territory_Admin'").totalSize).toBe(
          1
        );
        expect(again.metadata.store.get('PermissionSet', 'Territory_Admin')).toBeDefined();
      } finally {
        await again.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('adds a field to an object that already has rows: old rows read it as null and take values', async () => {
    // Given Accounts stored before the field exists
    const ids = [1, 2, 3].map((i) => org.db.insert('Account', { Name: `Old ${i}` }, { userId: org.userId }));
    // When a text field and a checkbox with a default are deployed on Account
    const account = md(
      'CustomObject',
      `<fields><fullName>Segment__c</fullName><label>Segment</label><type>Text</type><length>20</length></fields><fields><fullName>Is_Partner__c</fullName><label>Partner</label><type>Checkbox</type><defaultValue>false</defaultValue></fields>`
    );
    expect(await soapDeploy(zipOf({ 'objects/Account.object': account }))).toMatchObject({
      status: 'Succeeded'
    });
    // Then the old rows read the new fields, can be updated and filtered on them
    const rows = org.db.query(
      `SELECT Name, Segment__c FROM Account WHERE Id IN ('${ids.join("','")}') ORDER BY Name`
    ).records;
    expect(rows.map((r) => [r.Name, r.Segment__c])).toEqual([
      ['Old 1', null],
      ['Old 2', null],
      ['Old 3', null]
    ]);
    // (a checkbox is never null: existing rows take its default, as in Salesforce)
    expect(
      org.db.query(`SELECT Is_Partner__c FROM Account WHERE Id = '${ids[0]}'`).records[0].Is_Partner__c
    ).toBe(false);
    org.db.update('Account', ids[1], { Segment__c: 'SMB', Is_Partner__c: true }, { userId: org.userId });
    expect(
      org.db
        .query("SELECT Name FROM Account WHERE Segment__c = 'SMB' AND Is_Partner__c = true")
        .records.map((r) => r.Name)
    ).toEqual(['Old 2']);
  });

  it('computes a roll-up summary deployed over existing children', async () => {
    // Given a master-detail child object with rows
    const master = md(
      'CustomObject',
      `<label>Plan</label><pluralLabel>Plans</pluralLabel><sharingModel>ReadWrite</sharingModel><nameField><label>Plan</label><type>Text</type></nameField>`
    );
    const detail = md(
      'CustomObject',
      `<label>Step</label><pluralLabel>Steps</pluralLabel><sharingModel>ControlledByParent</sharingModel><nameField><label>Step</label><type>Text</type></nameField>
       <fields><fullName>Plan__c</fullName><label>Plan</label><type>MasterDetail</type><referenceTo>Plan__c</referenceTo><relationshipName>Steps</relationshipName></fields>
       <fields><fullName>Cost__c</fullName><label>Cost</label><type>Currency</type><precision>18</precision><scale>2</scale></fields>`
    );
    expect(
      await soapDeploy(zipOf({ 'objects/Plan__c.object': master, 'objects/Step__c.object': detail }))
    ).toMatchObject({ status: 'Succeeded' });
    const plan = org.db.insert('Plan__c', { Name: 'P1' }, { userId: org.userId });
    for (const cost of [10, 32.5])
      org.db.insert('Step__c', { Name: `S${cost}`, Plan__c: plan, Cost__c: cost }, { userId: org.userId });
    // When a SUM roll-up is deployed on the master
    const rollup = md(
      'CustomObject',
      `<fields><fullName>Total_Cost__c</fullName><label>Total Cost</label><type>Summary</type><summaryForeignKey>Step__c.Plan__c</summaryForeignKey><summaryOperation>sum</summaryOperation><summarizedField>Step__c.Cost__c</summarizedField></fields>`
    );
    expect(await soapDeploy(zipOf({ 'objects/Plan__c.object': rollup }))).toMatchObject({
      status: 'Succeeded'
    });
    // Then it already holds the children's total, and follows new children
    expect(
      org.db.query(`SELECT Total_Cost__c FROM Plan__c WHERE Id = '${plan}'`).records[0].Total_Cost__c
    ).toBe(42.5);
    org.db.insert('Step__c', { Name: 'S3', Plan__c: plan, Cost__c: 7.5 }, { userId: org.userId });
    expect(
      org.db.query(`SELECT Total_Cost__c FROM Plan__c WHERE Id = '${plan}'`).records[0].Total_Cost__c
    ).toBe(50);
  });

  it('fails a deploy whose zip is not a zip, with the error on the result', async () => {
    const r = await soapDeploy(Buffer.from('not a zip at all'));
    expect(r).toMatchObject({
      status: 'Failed',
      success: 'false',
      errorStatusCode: 'INVALID_CROSS_REFERENCE_KEY'
    });
    expect(String(r.errorMessage)).toMatch(/could not be read/);
  });
});
