/**
 * The admin's path with the stock sf CLI (npm @salesforce/cli) against a local org started
 * with only the standard objects: log in, deploy force-app, `project deploy report`,
 * `org assign permset`, `data query` of a custom field; a copy with one more field validated
 * with `--dry-run` (nothing applied) and then deployed (the field appears in describe); a
 * broken copy (formula naming an unknown field, lookup to a missing object, malformed XML)
 * that must fail with the component errors and change nothing.
 *
 * Each CLI command costs seconds of start-up (more on a loaded machine), so the independent
 * commands run side by side: four steps in sequence instead of eight.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { withLocalOrg, type TestOrg } from '../helpers/local-org.js';

const repo = process.cwd();
const node = join(repo, 'node_modules', '.bin', 'node');
const sfRun = join(repo, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');

interface SfResult {
  code: number;
  json: { status: number; result: Record<string, unknown>; name?: string; message?: string };
  stdout: string;
}

function sf(
  org: TestOrg,
  cwd: string,
  args: string[],
  opts: { json?: boolean; env?: Record<string, string> } = {}
): Promise<SfResult> {
  const json = opts.json ?? true;
  return new Promise((resolve) => {
    execFile(
      node,
      [sfRun, ...args, ...(json ? ['--json'] : [])],
      {
        env: {
          ...org.env,
          SF_JSON_TO_STDOUT: 'true',
          SF_SKIP_NEW_VERSION_CHECK: 'true',
          FORCE_COLOR: '0',
          ...opts.env
        },
        cwd,
        timeout: 90_000,
        maxBuffer: 32 * 1024 * 1024
      },
      (error, stdout) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        let parsed: SfResult['json'] = { status: -1, result: {} };
        if (json) {
          try {
            parsed = JSON.parse(stdout) as SfResult['json'];
          } catch {
            parsed = { status: -1, result: {}, message: `not JSON: ${stdout.slice(0, 500)}` };
          }
        }
        resolve({ code, json: parsed, stdout });
      }
    );
  });
}

/** A project directory with a copy of force-app (the CLI may write project state; never into the repo). */
async function projectCopy(parent: string, name: string): Promise<string> {
  const dir = join(parent, name);
  await cp(join(repo, 'force-app'), join(dir, 'force-app'), {
    recursive: true,
    filter: (src) => !src.includes('__tests__')
  });
  await cp(join(repo, 'sfdx-project.json'), join(dir, 'sfdx-project.json'));
  await cp(join(repo, '.forceignore'), join(dir, '.forceignore'));
  return dir;
}

async function edit(file: string, from: string | RegExp, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit of ${file} changed nothing`);
  await writeFile(file, next);
}

/** What describe says about the custom objects and fields: the schema a deploy must not touch when it fails. */
async function customSchema(conn: Connection): Promise<Record<string, string[]>> {
  const global = await conn.describeGlobal();
  const out: Record<string, string[]> = {};
  for (const s of global.sobjects.filter(
    (o) => o.custom || ['Account', 'Opportunity', 'User'].includes(o.name)
  )) {
    const d = await conn.describe(s.name);
    out[s.name] = d.fields
      .filter((f) => f.custom)
      .map((f) => `${f.name}:${f.type}:${f.referenceTo?.join('|') ?? ''}:${f.calculatedFormula ?? ''}`);
  }
  return out;
}

const DEFAULT = join('force-app', 'main', 'default');

describe('the admin deploys force-app with the stock sf CLI', () => {
  let org: TestOrg;
  let work: string;
  let project: string;
  let conn: Connection;
  let deployId = '';
  const alias = 'rehearsal';

  beforeAll(async () => {
    org = await withLocalOrg({ schema: 'standard' });
    conn = await org.connection();
    work = await mkdtemp(join(tmpdir(), 'channel-ops-deploy-'));
    project = await projectCopy(work, 'project');
  });

  afterAll(async () => {
    await org?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('logs in to an org that has only the standard objects', async () => {
    // Given a local org started with --schema standard
    const before = await conn.describeGlobal();
    expect(before.sobjects.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Account', 'Opportunity', 'PermissionSet', 'PermissionSetAssignment'])
    );
    expect(before.sobjects.filter((s) => s.custom)).toEqual([]);
    expect((await conn.describe('Account')).fields.some((f) => f.name === 'Key_Account__c')).toBe(false);

    // When the admin logs in with an access token
    const login = await sf(
      org,
      project,
      ['org', 'login', 'access-token', '--instance-url', org.instanceUrl, '--alias', alias, '--no-prompt'],
      { env: { SF_ACCESS_TOKEN: org.accessToken } }
    );

    // Then the CLI knows the org
    expect(login.json.message ?? '').toBe('');
    expect(login.code).toBe(0);
    expect(login.json.result).toMatchObject({ orgId: org.orgId, username: 'admin@channel-ops.local' });
  });

  it('deploys force-app: describe shows the schema, permission sets and resources are records, components are stored', async () => {
    // When the admin deploys
    const deploy = await sf(org, project, [
      'project',
      'deploy',
      'start',
      '--source-dir',
      'force-app',
      '-o',
      alias
    ]);
    expect(deploy.json.message ?? '').toBe('');
    expect(deploy.code).toBe(0);
    const result = deploy.json.result as {
      id: string;
      status: string;
      success: boolean;
      checkOnly: boolean;
      numberComponentErrors: number;
      numberComponentsDeployed: number;
      files: { state: string; type: string; fullName: string }[];
    };
    expect(result).toMatchObject({
      status: 'Succeeded',
      success: true,
      checkOnly: false,
      numberComponentErrors: 0
    });
    expect(result.id).toMatch(/^0Af[a-zA-Z0-9]{15}$/);
    deployId = result.id;
    expect(result.files.filter((f) => f.state === 'Failed')).toEqual([]);
    expect(result.files).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ state: 'Created', type: 'CustomField', fullName: 'Account.Key_Account__c' })
      ])
    );

    // Then describe shows the deployed schema
    const names = (await conn.describeGlobal()).sobjects
      .filter((s) => s.custom)
      .map((s) => s.name)
      .sort();
    expect(names).toEqual([
      'Channel_Conflict__c',
      'Channel_Sync_Run__c',
      'MDF_Budget__c',
      'MDF_Claim__c',
      'MDF_Request__c'
    ]);
    const account = await conn.describe('Account');
    const keyAccount = account.fields.find((f) => f.name === 'Key_Account__c');
    // the running user is the local org's System Administrator: every deployed field is editable
    expect(keyAccount).toMatchObject({ type: 'boolean', createable: true, updateable: true });
    expect(
      account.fields.find((f) => f.name === 'Key_Account_Tier__c')?.picklistValues?.map((p) => p.value)
    ).toEqual(['Strategic', 'Key', 'Growth']);
    const budget = await conn.describe('MDF_Budget__c');
    expect(budget.fields.find((f) => f.name === 'Remaining__c')).toMatchObject({
      calculated: true,
      createable: false,
      updateable: false
    });
    expect(budget.fields.find((f) => f.name === 'Partner__c')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account']
    });
    const request = await conn.describe('MDF_Request__c');
    expect(request.fields.find((f) => f.name === 'Budget__c')).toMatchObject({
      type: 'reference',
      referenceTo: ['MDF_Budget__c']
    });
    expect(budget.childRelationships.map((r) => r.childSObject)).toContain('MDF_Request__c');
    // permission sets and the static resource are records; LWC bundles, pages and layouts are stored
    const permsets = await conn.query<{ Name: string }>(
      "SELECT Name FROM PermissionSet WHERE Name LIKE 'Channel_Ops%' ORDER BY Name"
    );
    expect(permsets.records.map((r) => r.Name)).toEqual(['Channel_Ops_Admin', 'Channel_Ops_User']);
    const resource = await conn.query<{ Name: string; ContentType: string }>(
      "SELECT Name, ContentType FROM StaticResource WHERE Name = 'ChannelOpsRules'"
    );
    expect(resource.records[0]).toMatchObject({ Name: 'ChannelOpsRules', ContentType: 'application/json' });
    expect(org.metadata.store.list('LightningComponentBundle').map((c) => c.fullName)).toEqual(
      expect.arrayContaining(['channelConflicts', 'keyAccountOwner', 'mdfBudget'])
    );
    expect(org.metadata.store.list('FlexiPage').map((c) => c.fullName)).toEqual([
      'Channel_Ops_Account_Record_Page',
      'Channel_Ops_Opportunity_Record_Page'
    ]);
    expect(org.metadata.store.list('Layout')).toHaveLength(5);
  });

  it('reports the deploy, assigns the admin permission set, queries a custom field, validates a changed copy with --dry-run without applying it, and refuses a broken copy', async () => {
    const schemaBefore = await customSchema(conn);
    await conn
      .sobject('Account')
      .create({ Name: 'Rehearsal Key Account', Key_Account__c: true, Key_Account_Tier__c: 'Strategic' });

    // Given a copy of force-app with three mistakes (and one new field that must not arrive)
    const broken = await projectCopy(work, 'broken');
    const objects = join(broken, DEFAULT, 'objects');
    await edit(
      join(objects, 'MDF_Budget__c', 'fields', 'Remaining__c.field-meta.xml'),
      'Accrued_Amount__c',
      'Bogus_Amount__c'
    );
    await edit(
      join(objects, 'Channel_Conflict__c', 'fields', 'Partner__c.field-meta.xml'),
      '<referenceTo>Account</referenceTo>',
      '<referenceTo>Missing_Partner__c</referenceTo>'
    );
    await edit(
      join(broken, DEFAULT, 'layouts', 'MDF_Claim__c-MDF Claim Layout.layout-meta.xml'),
      '</label>',
      '</labl>'
    );
    await writeFile(
      join(objects, 'MDF_Budget__c', 'fields', 'Region__c.field-meta.xml'),
      regionField('Region__c')
    );
    // And a sound copy with that new field
    const extended = await projectCopy(work, 'extended');
    await writeFile(
      join(extended, DEFAULT, 'objects', 'MDF_Budget__c', 'fields', 'Region__c.field-meta.xml'),
      regionField('Region__c')
    );

    // When report, assign, query, a dry run of the sound copy and the broken deploy run (side by side: independent)
    const [report, assign, query, dry, brokenDeploy] = await Promise.all([
      sf(org, project, ['project', 'deploy', 'report', '--job-id', deployId, '-o', alias]),
      sf(org, project, ['org', 'assign', 'permset', '--name', 'Channel_Ops_Admin', '-o', alias]),
      sf(org, project, [
        'data',
        'query',
        '-q',
        'SELECT Name, Key_Account__c, Key_Account_Tier__c FROM Account WHERE Key_Account__c = true',
        '-o',
        alias
      ]),
      sf(org, extended, [
        'project',
        'deploy',
        'start',
        '--source-dir',
        'force-app',
        '--dry-run',
        '-o',
        alias
      ]),
      sf(org, broken, ['project', 'deploy', 'start', '--source-dir', 'force-app', '-o', alias], {
        json: false
      })
    ]);

    // Then the report shows the finished deploy
    expect(report.code).toBe(0);
    expect(report.json.result).toMatchObject({ id: deployId, status: 'Succeeded', success: true });

    // And the running user holds Channel_Ops_Admin
    expect(assign.json.message ?? '').toBe('');
    expect(assign.code).toBe(0);
    expect(assign.json.result).toMatchObject({
      successes: [{ name: 'admin@channel-ops.local', value: 'Channel_Ops_Admin' }],
      failures: []
    });
    const assignments = org.db.query(
      `SELECT AssigneeId, PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '${org.userId}'`
    ).records;
    expect(assignments.map((a) => (a.PermissionSet as { Name: string }).Name)).toEqual(['Channel_Ops_Admin']);

    // And the custom field is queryable through the CLI
    expect(query.code).toBe(0);
    expect(query.json.result.records).toEqual([
      expect.objectContaining({
        Name: 'Rehearsal Key Account',
        Key_Account__c: true,
        Key_Account_Tier__c: 'Strategic'
      })
    ]);

    // And the dry run validated the new field without deploying it
    expect(dry.json.message ?? '').toBe('');
    expect(dry.code).toBe(0);
    expect(dry.json.result).toMatchObject({
      status: 'Succeeded',
      success: true,
      checkOnly: true,
      numberComponentErrors: 0
    });
    expect((dry.json.result.files as { fullName: string }[]).map((f) => f.fullName)).toContain(
      'MDF_Budget__c.Region__c'
    );

    // And the broken deploy failed with each component error printed, and changed nothing
    expect(brokenDeploy.code).toBe(1);
    expect(brokenDeploy.stdout).toContain('Component Failures [3]');
    expect(brokenDeploy.stdout).toContain('Field Bogus_Amount__c does not exist. Check spelling.');
    expect(brokenDeploy.stdout).toContain(
      "referenceTo value of 'Missing_Partner__c' does not resolve to a valid sObject type"
    );
    expect(brokenDeploy.stdout).toMatch(
      /MDF_Claim__c-MDF Claim Layout\s.*Error parsing file: Expected closing tag 'label'/
    );
    expect(await customSchema(conn)).toEqual(schemaBefore);
    expect(schemaBefore.MDF_Budget__c.some((f) => f.startsWith('Region__c:'))).toBe(false);
  });

  it('brings a field added to force-app into describe on redeploy', async () => {
    // Given the copy of force-app with one more field (validated above)
    const extended = join(work, 'extended');

    // When it is deployed
    const deploy = await sf(org, extended, [
      'project',
      'deploy',
      'start',
      '--source-dir',
      'force-app',
      '-o',
      alias
    ]);
    expect(deploy.json.message ?? '').toBe('');
    expect(deploy.code).toBe(0);
    expect(
      (deploy.json.result.files as { state: string; fullName: string }[]).find(
        (f) => f.fullName === 'MDF_Budget__c.Region__c'
      )?.state
    ).toBe('Created');

    // Then describe shows it, and records take it
    const region = (await conn.describe('MDF_Budget__c')).fields.find((f) => f.name === 'Region__c');
    expect(region).toMatchObject({ type: 'string', length: 40, label: 'Region', createable: true });
    const partner = await conn.sobject('Account').create({ Name: 'Region Partner' });
    const budget = await conn.sobject('MDF_Budget__c').create({
      Name: 'FY27 EMEA',
      Partner__c: (partner as { id: string }).id,
      Period_Start__c: '2027-01-01',
      Period_End__c: '2027-12-31',
      Amount__c: 1000,
      Region__c: 'EMEA'
    });
    expect(budget).toMatchObject({ success: true });
    const row = await conn.query<{ Region__c: string }>(
      `SELECT Region__c FROM MDF_Budget__c WHERE Id = '${(budget as { id: string }).id}'`
    );
    expect(row.records[0].Region__c).toBe('EMEA');
  });
});

function regionField(name: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${name}</fullName>
    <description>Sales region the budget belongs to.</description>
    <inlineHelpText>The region of the partner's budget.</inlineHelpText>
    <label>Region</label>
    <length>40</length>
    <required>false</required>
    <type>Text</type>
</CustomField>
`;
}
