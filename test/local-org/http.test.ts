/**
 * Conformance of the local org's REST API, driven with jsforce exactly as production code
 * drives a real org: versions, identity, describe, CRUD, upsert, query/queryMore, collections,
 * composite, Salesforce's error bodies, and the fault injection.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Connection } from 'jsforce';
import { makeId } from '../../plugin-src/domain/ids.js';
import { startLocalOrg, type LocalOrg } from '../../plugin-src/local-org/server.js';

let org: LocalOrg;
let conn: Connection;

const api = (path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${org.instanceUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${org.accessToken}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });

beforeAll(async () => {
  org = await startLocalOrg();
  conn = new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: '65.0' });
});

afterAll(async () => {
  await org.close();
});

describe('identity and discovery', () => {
  it('answers the version list, also on the double-slash path the sf CLI sends', async () => {
    const res = await fetch(`${org.instanceUrl}//services/data`, { headers: { Authorization: `Bearer ${org.accessToken}` } });
    expect(res.status).toBe(200);
    const versions = (await res.json()) as Array<{ version: string; url: string; label: string }>;
    const numbers = versions.map((v) => v.version);
    expect(numbers).toEqual(expect.arrayContaining(['51.0', '64.0', '65.0']));
    expect(numbers[numbers.length - 1]).toBe('65.0');
    expect(versions.find((v) => v.version === '65.0')).toEqual({ label: "Winter '26", url: '/services/data/v65.0', version: '65.0' });
  });

  it('tells who is logged in through userinfo, with the org id the token starts with', async () => {
    const info = (await conn.request('/services/oauth2/userinfo')) as Record<string, string>;
    expect(info.user_id).toBe(org.userId);
    expect(info.organization_id).toBe(org.orgId);
    expect(info.preferred_username).toBe('admin@channel-ops.local');
    expect(org.accessToken.startsWith(`${org.orgId.slice(0, 15)}!`)).toBe(true);
    expect(org.orgId).toMatch(/^00D[a-zA-Z0-9]{15}$/);
  });

  it('answers resources, limits and the Organization query the CLI makes at login', async () => {
    const resources = (await conn.request('/services/data/v65.0/')) as Record<string, string>;
    expect(resources.query).toBe('/services/data/v65.0/query');
    expect(resources.jobs).toBe('/services/data/v65.0/jobs');
    const limits = (await conn.request('/services/data/v65.0/limits')) as Record<string, { Max: number; Remaining: number }>;
    expect(limits.DailyApiRequests.Max).toBeGreaterThan(0);
    const usage = await api('/services/data/v65.0/limits');
    expect(usage.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/5000000$/);
    const orgRow = await conn.query<{ Id: string; Name: string; IsSandbox: boolean }>('SELECT Id, Name, IsSandbox FROM Organization');
    expect(orgRow.records[0].Id).toBe(org.orgId);
    expect(orgRow.records[0].IsSandbox).toBe(false);
  });

  it('answers a ScratchOrgInfo query with INVALID_TYPE, as an org that is not a Dev Hub does', async () => {
    await expect(conn.query('SELECT Id FROM ScratchOrgInfo LIMIT 1')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
  });

  it('rejects a wrong token with 401 INVALID_SESSION_ID', async () => {
    const res = await fetch(`${org.instanceUrl}/services/data/v65.0/limits`, { headers: { Authorization: 'Bearer 00Dnotvalid!xyz' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('describes the standard objects and the fields force-app adds', async () => {
    const global = await conn.describeGlobal();
    const names = global.sobjects.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['Account', 'Opportunity', 'AccountTeamMember', 'Channel_Conflict__c', 'MDF_Budget__c']));
    const account = await conn.sobject('Account').describe();
    expect(account.keyPrefix).toBe('001');
    const keyAccount = account.fields.find((f) => f.name === 'Key_Account__c');
    expect(keyAccount).toMatchObject({ type: 'boolean', custom: true, soapType: 'xsd:boolean' });
    const tier = account.fields.find((f) => f.name === 'Key_Account_Tier__c');
    expect(tier?.picklistValues?.map((p) => p.value)).toEqual(['Strategic', 'Key', 'Growth']);
    const conflict = await conn.sobject('Channel_Conflict__c').describe();
    expect(conflict.fields.find((f) => f.name === 'Conflict_Key__c')).toMatchObject({ externalId: true, unique: true });
    await expect(conn.sobject('No_Such__c').describe()).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });
});

describe('records', () => {
  it('creates, reads, updates and deletes an account through the sObject resources', async () => {
    // Given a new account
    const created = await conn.sobject('Account').create({ Name: 'Acme GmbH', Website: 'acme.example' });
    expect(created).toMatchObject({ success: true, errors: [] });
    const id = (created as { id: string }).id;
    expect(id).toMatch(/^001[a-zA-Z0-9]{15}$/);
    // When it is read with ?fields=
    const read = (await conn.sobject('Account').retrieve(id)) as Record<string, unknown>;
    expect(read).toMatchObject({ Id: id, Name: 'Acme GmbH', Website: 'acme.example', OwnerId: org.userId });
    expect((read.attributes as { type: string }).type).toBe('Account');
    const some = (await conn.request(`/services/data/v65.0/sobjects/Account/${id}?fields=Name`)) as Record<string, unknown>;
    expect(some.Name).toBe('Acme GmbH');
    expect(some.Website).toBeUndefined();
    // Then an update is visible to SOQL, and a delete hides it (but not from queryAll)
    await conn.sobject('Account').update({ Id: id, Phone: '+49 30 1234' });
    const q = await conn.query<{ Phone: string }>(`SELECT Phone FROM Account WHERE Id = '${id}'`);
    expect(q.records[0].Phone).toBe('+49 30 1234');
    await conn.sobject('Account').destroy(id);
    expect((await conn.query(`SELECT Id FROM Account WHERE Id = '${id}'`)).totalSize).toBe(0);
    const all = (await conn.request(`/services/data/v65.0/queryAll?q=${encodeURIComponent(`SELECT Id, IsDeleted FROM Account WHERE Id = '${id}'`)}`)) as { totalSize: number; records: Array<{ IsDeleted: boolean }> };
    expect(all.totalSize).toBe(1);
    expect(all.records[0].IsDeleted).toBe(true);
    const gone = await api(`/services/data/v65.0/sobjects/Account/${id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });

  it('answers with Salesforce error codes for missing fields, unknown fields and bad picklist values', async () => {
    await expect(conn.sobject('Account').create({ Website: 'no-name.example' })).rejects.toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING' });
    await expect(conn.sobject('Account').create({ Name: 'X', Nope__c: 1 })).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    const res = await api('/services/data/v65.0/sobjects/Account', { method: 'POST', body: JSON.stringify({ Name: 'Y', Key_Account_Tier__c: 'Platinum' }) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Array<{ errorCode: string; message: string; fields: string[] }>;
    expect(body[0].errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(body[0].fields).toEqual(['Key_Account_Tier__c']);
  });

  it('refuses a body that is not JSON with a Salesforce error, not a crash', async () => {
    const wrongType = await api('/services/data/v65.0/sobjects/Account', { method: 'POST', body: 'Name=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(wrongType.status).toBe(415);
    expect(((await wrongType.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('UNSUPPORTED_MEDIA_TYPE');
    const broken = await api('/services/data/v65.0/sobjects/Account', { method: 'POST', body: '{"Name": ' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('JSON_PARSER_ERROR');
  });

  it('upserts by external id: 201 when created, 200 when updated', async () => {
    const first = await api('/services/data/v65.0/sobjects/Channel_Conflict__c/Conflict_Key__c/dup:a:b', {
      method: 'PATCH',
      body: JSON.stringify({ Type__c: 'Duplicate Registration', Status__c: 'Open' })
    });
    expect(first.status).toBe(201);
    const created = (await first.json()) as { id: string; created: boolean; success: boolean };
    expect(created).toMatchObject({ created: true, success: true });
    const again = await conn.sobject('Channel_Conflict__c').upsert({ Conflict_Key__c: 'dup:a:b', Status__c: 'Resolved' }, 'Conflict_Key__c');
    expect(again).toMatchObject({ id: created.id, success: true });
    const rows = await conn.query<{ Id: string; Status__c: string }>("SELECT Id, Status__c FROM Channel_Conflict__c WHERE Conflict_Key__c = 'dup:a:b'");
    expect(rows.records).toEqual([expect.objectContaining({ Id: created.id, Status__c: 'Resolved' })]);
  });
});

describe('SOQL', () => {
  const total = 4500;
  beforeAll(() => {
    org.db.load(
      'Account',
      Array.from({ length: total }, (_, i) => ({ Id: makeId('001', i + 1, 'TST'), Name: `Paging ${String(i).padStart(5, '0')}`, Type: 'Prospect', OwnerId: org.userId }))
    );
  });

  it('pages a large result in batches of 2,000 behind nextRecordsUrl, and queryMore follows it', async () => {
    const first = await conn.query<{ Id: string }>("SELECT Id, Name FROM Account WHERE Type = 'Prospect' ORDER BY Name");
    expect(first.totalSize).toBe(total);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v65\.0\/query\/01g[a-zA-Z0-9]{15}-2000$/);
    const raw = (await conn.request(`/services/data/v65.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`)) as { nextRecordsUrl: string };
    expect(raw.nextRecordsUrl).toMatch(/^\/services\/data\/v65\.0\/query\/01g[a-zA-Z0-9]{15}-2000$/);
    const second = await conn.queryMore<{ Id: string }>(first.nextRecordsUrl!);
    expect(second.records).toHaveLength(2000);
    const third = await conn.queryMore<{ Id: string }>(second.nextRecordsUrl!);
    expect(third.done).toBe(true);
    expect(third.records).toHaveLength(500);
    const all = new Set([...first.records, ...second.records, ...third.records].map((r) => r.Id));
    expect(all.size).toBe(total);
  });

  it('fetches every record with autoFetch, honouring a smaller batch size header', async () => {
    const { records } = await conn.query("SELECT Id FROM Account WHERE Type = 'Prospect'", { autoFetch: true, maxFetch: 10_000 });
    expect(records).toHaveLength(total);
    const res = await api(`/services/data/v65.0/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Type = 'Prospect'")}`, { headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    const page = (await res.json()) as { records: unknown[]; nextRecordsUrl: string };
    expect(page.records).toHaveLength(500);
    expect(page.nextRecordsUrl).toMatch(/-500$/);
  });

  it('answers &columns=true with column metadata as the sf CLI expects', async () => {
    const res = await api(`/services/data/v65.0/query?q=${encodeURIComponent('SELECT Id, Name, Owner.Name FROM Account LIMIT 1')}&columns=true`);
    expect(res.status).toBe(200);
    const meta = (await res.json()) as { columnMetadata: Array<{ columnName: string; joinColumns: Array<{ columnName: string }> }>; entityName: string; idSelected: boolean };
    expect(meta.entityName).toBe('Account');
    expect(meta.idSelected).toBe(true);
    expect(meta.columnMetadata.map((c) => c.columnName)).toEqual(['Id', 'Name', 'Owner']);
    expect(meta.columnMetadata[2].joinColumns.map((c) => c.columnName)).toEqual(['Name']);
  });

  it('reports malformed SOQL and unknown fields with MALFORMED_QUERY and INVALID_FIELD', async () => {
    await expect(conn.query('SELECT Id FROM Account WHERE')).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
    await expect(conn.query('SELECT Nope__c FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    const badLocator = await api('/services/data/v65.0/query/01gXXXXXXXXXXXXXXX-2000');
    expect(badLocator.status).toBe(400);
    expect(((await badLocator.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('INVALID_QUERY_LOCATOR');
  });
});

describe('sObject collections and composite', () => {
  it('creates and updates up to 200 records per call, per-record results when allOrNone is false', async () => {
    const created = await conn.sobject('Account').create([{ Name: 'Col A' }, { Website: 'missing-name.example' }, { Name: 'Col C' }], { allOrNone: false });
    expect(created.map((r) => r.success)).toEqual([true, false, true]);
    const failed = created[1] as { success: false; errors: Array<{ statusCode?: string; errorCode?: string }> };
    expect(JSON.stringify(failed.errors)).toContain('REQUIRED_FIELD_MISSING');
    const ids = created.filter((r) => r.success).map((r) => (r as { id: string }).id);
    const updated = await conn.sobject('Account').update(ids.map((Id) => ({ Id, Phone: '555' })), { allOrNone: false });
    expect(updated.every((r) => r.success)).toBe(true);
    const rows = await conn.query<{ Phone: string }>(`SELECT Phone FROM Account WHERE Id IN ('${ids.join("','")}')`);
    expect(rows.records.map((r) => r.Phone)).toEqual(['555', '555']);
  });

  it('rolls every record back when allOrNone is true and one fails', async () => {
    const res = await api('/services/data/v65.0/composite/sobjects', {
      method: 'POST',
      body: JSON.stringify({
        allOrNone: true,
        records: [
          { attributes: { type: 'Account' }, Name: 'All or none 1' },
          { attributes: { type: 'Account' }, Website: 'no-name.example' }
        ]
      })
    });
    expect(res.status).toBe(200);
    const results = (await res.json()) as Array<{ id: string | null; success: boolean; errors: Array<{ statusCode: string }> }>;
    expect(results[0]).toMatchObject({ id: null, success: false });
    expect(results[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(results[1].errors[0].statusCode).toBe('REQUIRED_FIELD_MISSING');
    expect((await conn.query("SELECT Id FROM Account WHERE Name = 'All or none 1'")).totalSize).toBe(0);
  });

  it('upserts a collection by external id, telling created from updated', async () => {
    const first = await conn.sobject('Channel_Conflict__c').upsert(
      [
        { Conflict_Key__c: 'col:1', Status__c: 'Open' },
        { Conflict_Key__c: 'col:2', Status__c: 'Open' }
      ],
      'Conflict_Key__c'
    );
    expect(first.map((r) => r.success)).toEqual([true, true]);
    const second = (await conn.sobject('Channel_Conflict__c').upsert(
      [
        { Conflict_Key__c: 'col:1', Status__c: 'Resolved' },
        { Conflict_Key__c: 'col:3', Status__c: 'Open' }
      ],
      'Conflict_Key__c'
    )) as Array<{ id: string; created: boolean }>;
    expect(second.map((r) => r.created)).toEqual([false, true]);
    expect(second[0].id).toBe((first[0] as { id: string }).id);
  });

  it('deletes by ids and retrieves several records in one call', async () => {
    const created = await conn.sobject('Account').create([{ Name: 'Del 1' }, { Name: 'Del 2' }]);
    const ids = created.map((r) => (r as { id: string }).id);
    const fetched = (await conn.sobject('Account').retrieve(ids, { fields: ['Name'] })) as Array<{ Name: string }>;
    expect(fetched.map((r) => r.Name)).toEqual(['Del 1', 'Del 2']);
    const deleted = await conn.sobject('Account').destroy(ids);
    expect(deleted.every((r) => r.success)).toBe(true);
    expect((await conn.query(`SELECT Id FROM Account WHERE Id IN ('${ids.join("','")}')`)).totalSize).toBe(0);
  });

  it('runs a composite request with references between sub-requests', async () => {
    const res = (await conn.request({
      method: 'POST',
      url: '/services/data/v65.0/composite',
      body: JSON.stringify({
        allOrNone: true,
        compositeRequest: [
          { method: 'POST', url: '/services/data/v65.0/sobjects/Account', referenceId: 'acct', body: { Name: 'Composite Parent' } },
          { method: 'POST', url: '/services/data/v65.0/sobjects/Contact', referenceId: 'ct', body: { LastName: 'Child', AccountId: '@{acct.id}' } },
          { method: 'GET', url: '/services/data/v65.0/sobjects/Contact/@{ct.id}?fields=AccountId', referenceId: 'read' }
        ]
      }),
      headers: { 'Content-Type': 'application/json' }
    })) as { compositeResponse: Array<{ httpStatusCode: number; body: Record<string, unknown>; referenceId: string }> };
    expect(res.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 201, 200]);
    expect(res.compositeResponse[2].body.AccountId).toBe(res.compositeResponse[0].body.id);
  });

  it('rolls back a whole composite request when one sub-request fails with allOrNone', async () => {
    const res = (await conn.request({
      method: 'POST',
      url: '/services/data/v65.0/composite',
      body: JSON.stringify({
        allOrNone: true,
        compositeRequest: [
          { method: 'POST', url: '/services/data/v65.0/sobjects/Account', referenceId: 'ok', body: { Name: 'Composite Rolled Back' } },
          { method: 'POST', url: '/services/data/v65.0/sobjects/Contact', referenceId: 'bad', body: { FirstName: 'NoLastName' } }
        ]
      }),
      headers: { 'Content-Type': 'application/json' }
    })) as { compositeResponse: Array<{ httpStatusCode: number; body: Array<{ errorCode: string }> }> };
    expect(res.compositeResponse[0].body[0].errorCode).toBe('PROCESSING_HALTED');
    expect(res.compositeResponse[1].body[0].errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect((await conn.query("SELECT Id FROM Account WHERE Name = 'Composite Rolled Back'")).totalSize).toBe(0);
  });
});

describe('fault injection', () => {
  it('answers a share of requests 503 REQUEST_LIMIT_EXCEEDED, set at runtime through the admin endpoint', async () => {
    const set = await api('/__local/faults', { method: 'POST', body: JSON.stringify({ requestLimitRate: 1 }) });
    expect(set.status).toBe(200);
    const res = await api('/services/data/v65.0/limits');
    expect(res.status).toBe(503);
    expect(((await res.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    await api('/__local/faults', { method: 'POST', body: JSON.stringify({}) });
    expect((await api('/services/data/v65.0/limits')).status).toBe(200);
  });

  it('expires the session after N requests', async () => {
    await api('/__local/faults', { method: 'POST', body: JSON.stringify({ sessionExpiresAfter: 2 }) });
    expect((await api('/services/data/v65.0/limits')).status).toBe(200);
    expect((await api('/services/data/v65.0/limits')).status).toBe(200);
    const third = await api('/services/data/v65.0/limits');
    expect(third.status).toBe(401);
    expect(((await third.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('INVALID_SESSION_ID');
    await expect(conn.query('SELECT Id FROM Account LIMIT 1')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
    await api('/__local/faults', { method: 'POST', body: JSON.stringify({}) });
    expect((await conn.query('SELECT Id FROM Account LIMIT 1')).done).toBe(true);
  });

  it('fails a share of REST updates with UNABLE_TO_LOCK_ROW and counts requests in /__local/stats', async () => {
    const { id } = (await conn.sobject('Account').create({ Name: 'Locked' })) as { id: string };
    await api('/__local/faults', { method: 'POST', body: JSON.stringify({ lockRowRate: 1 }) });
    await expect(conn.sobject('Account').update({ Id: id, Phone: '1' })).rejects.toMatchObject({ errorCode: 'UNABLE_TO_LOCK_ROW' });
    await api('/__local/faults', { method: 'POST', body: JSON.stringify({}) });
    const stats = (await (await api('/__local/stats')).json()) as { requests: Record<string, number>; records: Record<string, number> };
    expect(stats.requests.update).toBeGreaterThanOrEqual(1);
    expect(stats.records.Account).toBeGreaterThan(4000);
  });

  it('refuses an invalid fault configuration with a clear message', async () => {
    const res = await api('/__local/faults', { method: 'POST', body: JSON.stringify({ lockRowRate: 3 }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Array<{ message: string }>)[0].message).toContain('lockRowRate');
  });
});
