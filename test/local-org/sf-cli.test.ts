/**
 * The stock sf CLI (npm @salesforce/cli, a devDependency) against the local org: log in with
 * `sf org login access-token` over http, `sf data query` (which asks for //services/data and
 * &columns=true), and one `sf data update bulk` job (the CLI polls every 5 s, so only one).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeId } from '../../plugin-src/domain/ids.js';
import { withLocalOrg, type TestOrg } from '../helpers/local-org.js';

const node = join(process.cwd(), 'node_modules', '.bin', 'node');
const sfRun = join(process.cwd(), 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');

interface SfResult {
  code: number;
  json: { status: number; result: Record<string, unknown>; name?: string; message?: string };
  stderr: string;
}

function sf(org: TestOrg, args: string[], extraEnv: Record<string, string> = {}): Promise<SfResult> {
  return new Promise((resolve) => {
    execFile(node, [sfRun, ...args, '--json'], { env: { ...org.env, SF_JSON_TO_STDOUT: 'true', ...extraEnv }, cwd: org.home, timeout: 90_000 }, (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
      let json: SfResult['json'];
      try {
        json = JSON.parse(stdout) as SfResult['json'];
      } catch {
        json = { status: -1, result: {}, message: `not JSON: ${stdout.slice(0, 500)}` };
      }
      resolve({ code, json, stderr });
    });
  });
}

describe('the stock sf CLI against the local org', () => {
  let org: TestOrg;
  const ids = Array.from({ length: 5 }, (_, i) => makeId('001', i + 1, 'SFC'));
  const kamId = makeId('005', 1, 'SFC');

  beforeAll(async () => {
    org = await withLocalOrg();
    org.db.load('User', [{ Id: kamId, Username: 'kam.cli@channel-ops.local', LastName: 'Cli', Email: 'kam.cli@channel-ops.local', Alias: 'kcli', IsActive: true }]);
    org.db.load('Account', ids.map((Id, i) => ({ Id, Name: `CLI Account ${i}`, OwnerId: org.userId })));
  });

  afterAll(async () => {
    await org.close();
  });

  it('logs in with an access token, queries, and bulk-updates owners', async () => {
    // Given the org logged in with the stock command, as a user would
    const login = await sf(org, ['org', 'login', 'access-token', '--instance-url', org.instanceUrl, '--alias', 'stock', '--no-prompt'], { SF_ACCESS_TOKEN: org.accessToken });
    expect(login.json.message ?? '').toBe('');
    expect(login.code).toBe(0);
    expect(login.json.result).toMatchObject({ orgId: org.orgId, username: 'admin@channel-ops.local', instanceApiVersion: '65.0' });

    // When sf data query runs
    const query = await sf(org, ['data', 'query', '-q', "SELECT Id, Name, Owner.Name FROM Account WHERE Name LIKE 'CLI Account%' ORDER BY Name", '-o', 'stock']);
    expect(query.code).toBe(0);
    const records = query.json.result.records as Array<{ Id: string; Name: string; Owner: { Name: string } }>;
    expect(records.map((r) => r.Id)).toEqual(ids);
    expect(records[0].Owner.Name).toBe('Channel Ops Admin');

    // And sf data update bulk moves three accounts to the KAM
    const csv = join(org.home, 'owners.csv');
    await writeFile(csv, ['Id,OwnerId', ...ids.slice(0, 3).map((id) => `${id},${kamId}`)].join('\n') + '\n');
    const update = await sf(org, ['data', 'update', 'bulk', '--sobject', 'Account', '--file', csv, '-o', 'stock', '--wait', '5']);
    expect(update.json.message ?? '').toBe('');
    expect(update.code).toBe(0);
    expect(update.json.result).toMatchObject({ processedRecords: 3, successfulRecords: 3, failedRecords: 0 });
    expect(String(update.json.result.jobId)).toMatch(/^750[a-zA-Z0-9]{15}$/);

    // Then the org has the new owners, and only for those rows
    const owners = org.db.query(`SELECT Id, OwnerId FROM Account WHERE Id IN ('${ids.join("','")}') ORDER BY Name`).records.map((r) => r.OwnerId);
    expect(owners).toEqual([kamId, kamId, kamId, org.userId, org.userId]);
  });
});
