/**
 * The local org as @salesforce/core sees it: login through AuthInfo into a temporary auth
 * store, Org.create by alias, the Connection production code gets (query paging, collections,
 * bulk2), persistence across restarts, and the `npm run local-org` command line.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Org } from '@salesforce/core';
import { makeId } from '../../plugin-src/domain/ids.js';
import { startLocalOrg } from '../../plugin-src/local-org/server.js';
import { withLocalOrg, type TestOrg } from '../helpers/local-org.js';

describe('@salesforce/core against the local org', () => {
  let org: TestOrg;

  beforeAll(async () => {
    org = await withLocalOrg({ alias: 'core-conformance' });
    org.db.load(
      'Account',
      Array.from({ length: 2500 }, (_, i) => ({ Id: makeId('001', i + 1, 'CLI'), Name: `Core ${i}`, Type: 'Customer - Direct' }))
    );
  });

  afterAll(async () => {
    await org.close();
  });

  it('finds the org by alias in the auth store, as a command with --target-org does', async () => {
    const target = await Org.create({ aliasOrUsername: 'core-conformance' });
    expect(target.getOrgId()).toBe(org.orgId);
    expect(target.getUsername()).toBe('admin@channel-ops.local');
    const conn = target.getConnection();
    expect(conn.instanceUrl.replace(/\/$/, '')).toBe(org.instanceUrl);
    expect(await conn.retrieveMaxApiVersion()).toBe('65.0');
    const orgRow = await conn.singleRecordQuery<{ Id: string; Name: string }>('SELECT Id, Name FROM Organization');
    expect(orgRow.Id).toBe(org.orgId);
  });

  it('pages queries over 2,000 rows with autoFetchQuery', async () => {
    const conn = await org.connection();
    const result = await conn.autoFetchQuery<{ Id: string }>("SELECT Id FROM Account WHERE Type = 'Customer - Direct'");
    expect(result.totalSize).toBe(2500);
    expect(result.records).toHaveLength(2500);
    expect(new Set(result.records.map((r) => r.Id)).size).toBe(2500);
  });

  it('updates records in collections and in a bulk2 job through the same connection', async () => {
    const conn = await org.connection();
    const ids = Array.from({ length: 3 }, (_, i) => makeId('001', i + 1, 'CLI'));
    const saved = await conn.sobject('Account').update(ids.map((Id) => ({ Id, Phone: '+1 555 0100' })));
    expect(saved.every((r) => r.success)).toBe(true);
    conn.bulk2.pollInterval = 20;
    const bulk = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'update',
      input: ids.map((Id) => ({ Id, Website: 'core.example' }))
    });
    expect(bulk.successfulResults).toHaveLength(3);
    const rows = await conn.query<{ Phone: string; Website: string }>(`SELECT Phone, Website FROM Account WHERE Id IN ('${ids.join("','")}')`);
    expect(rows.records.every((r) => r.Phone === '+1 555 0100' && r.Website === 'core.example')).toBe(true);
  });

  it('describes objects through the connection', async () => {
    const conn = await org.connection();
    const global = await conn.describeGlobal();
    expect(global.sobjects.find((s) => s.name === 'MDF_Claim__c')).toBeDefined();
    const user = await conn.describe('User');
    expect(user.fields.find((f) => f.name === 'KAM_Capacity__c')).toBeDefined();
  });
});

describe('persistence', () => {
  it('keeps records, org id and token across a restart with the same data directory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'local-org-data-'));
    try {
      // Given an org with a record, stopped
      const first = await startLocalOrg({ dataDir });
      const id = first.db.insert('Account', { Name: 'Persisted Ltd' }, { userId: first.userId });
      await first.close();
      // When it starts again from the same directory
      const second = await startLocalOrg({ dataDir });
      try {
        // Then the record is there and the old token still works
        expect(second.orgId).toBe(first.orgId);
        expect(second.accessToken).toBe(first.accessToken);
        const res = await fetch(`${second.instanceUrl}/services/data/v65.0/sobjects/Account/${id}?fields=Name`, { headers: { Authorization: `Bearer ${first.accessToken}` } });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { Name: string }).Name).toBe('Persisted Ltd');
        expect(second.db.count('User')).toBe(first.db.count('User'));
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm run local-org', () => {
  const cli = join(process.cwd(), 'lib', 'local-org', 'cli.js');
  const node = join(process.cwd(), 'node_modules', '.bin', 'node');

  it('prints one JSON line when ready, registers the alias, and exits 0 on SIGTERM', async () => {
    if (!existsSync(cli)) throw new Error('lib/local-org/cli.js is missing: run npm run build first (npm test does)');
    const home = await mkdtemp(join(tmpdir(), 'local-org-home-'));
    const child = spawn(node, [cli, '--port', '0', '--alias', 'cli-org', '--faults', '{"latencyMs":1}'], {
      env: { ...process.env, HOME: home, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true' },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const ready = JSON.parse(line) as { instanceUrl: string; accessToken: string; username: string; orgId: string };
      expect(Object.keys(ready).sort()).toEqual(['accessToken', 'instanceUrl', 'orgId', 'username']);
      expect(ready.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${ready.instanceUrl}/services/oauth2/userinfo`, { headers: { Authorization: `Bearer ${ready.accessToken}` } });
      expect(((await res.json()) as { organization_id: string }).organization_id).toBe(ready.orgId);
      const aliases = JSON.parse(await readFile(join(home, '.sfdx', 'alias.json'), 'utf8')) as { orgs: Record<string, string> };
      expect(aliases.orgs['cli-org']).toBe(ready.username);
      expect(stderr).toContain('registered as alias cli-org');
      const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(home, { recursive: true, force: true });
    }
  });
});
