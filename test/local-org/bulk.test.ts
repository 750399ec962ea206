/**
 * Conformance of the local org's Bulk API 2.0, driven with jsforce's bulk2 as production
 * code drives a real org: ingest with per-row failures, step-by-step jobs, states, result
 * resources, faults, query jobs with locators, and Salesforce's errors for bad requests.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Connection } from 'jsforce';
import { makeId } from '../../plugin-src/domain/ids.js';
import { startLocalOrg, type LocalOrg } from '../../plugin-src/local-org/server.js';

let org: LocalOrg;
let conn: Connection;
const kamId = makeId('005', 1, 'TST');
const inactiveId = makeId('005', 2, 'TST');
const accountIds = Array.from({ length: 3000 }, (_, i) => makeId('001', i + 1, 'TST'));

const api = (path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${org.instanceUrl}/services/data/v65.0${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${org.accessToken}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) }
  });

async function setFaults(config: object): Promise<void> {
  const res = await fetch(`${org.instanceUrl}/__local/faults`, { method: 'POST', body: JSON.stringify(config), headers: { Authorization: `Bearer ${org.accessToken}` } });
  expect(res.status).toBe(200);
}

async function waitForJob(id: string, kind = 'ingest'): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const info = (await (await api(`/jobs/${kind}/${id}`)).json()) as Record<string, unknown>;
    if (['JobComplete', 'Failed', 'Aborted'].includes(String(info.state))) return info;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}

async function openJob(body: object): Promise<string> {
  const res = await api('/jobs/ingest', { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  org = await startLocalOrg({ limits: { maxUploadBytes: 256 * 1024, bulkBatchSize: 500 } });
  conn = new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: '65.0' });
  conn.bulk2.pollInterval = 20;
  conn.bulk2.pollTimeout = 60_000;
  org.db.load('User', [
    { Id: kamId, Username: 'kam.bulk@channel-ops.local', LastName: 'Kam', Email: 'kam.bulk@channel-ops.local', Alias: 'kamb', IsActive: true },
    { Id: inactiveId, Username: 'gone.bulk@channel-ops.local', LastName: 'Gone', Email: 'gone.bulk@channel-ops.local', Alias: 'gone', IsActive: false }
  ]);
  org.db.load('Account', accountIds.map((Id, i) => ({ Id, Name: `Bulk ${i}`, OwnerId: org.userId })));
});

afterAll(async () => {
  await org.close();
});

describe('Bulk API 2.0 ingest', () => {
  it('inserts through loadAndWaitForResults and reports the failing rows with sf__Error', async () => {
    // Given three accounts, one without the required Name
    const input = [
      { Name: 'Inserted A', Website: 'a.example' },
      { Name: '', Website: 'b.example' },
      { Name: 'Inserted C', Website: 'c.example' }
    ];
    // When they are loaded with jsforce
    const results = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input });
    // Then two succeed with new ids and one fails with REQUIRED_FIELD_MISSING
    expect(results.successfulResults).toHaveLength(2);
    expect(results.successfulResults[0]).toMatchObject({ sf__Created: 'true', Name: 'Inserted A' });
    expect(String(results.successfulResults[0].sf__Id)).toMatch(/^001[a-zA-Z0-9]{15}$/);
    expect(results.failedResults).toHaveLength(1);
    expect(String(results.failedResults[0].sf__Error)).toMatch(/^REQUIRED_FIELD_MISSING:.*Name/);
    expect(results.unprocessedRecords).toHaveLength(0);
    const rows = await conn.query<{ Website: string }>("SELECT Website FROM Account WHERE Name LIKE 'Inserted %' ORDER BY Website");
    expect(rows.records.map((r) => r.Website)).toEqual(['a.example', 'c.example']);
  });

  it('updates owners step by step, failing inactive owners per row, and the job info counts add up', async () => {
    // Given a CSV moving 1,000 accounts to an active KAM and 10 to an inactive user
    const lines = ['Id,OwnerId'];
    for (let i = 0; i < 1000; i++) lines.push(`${accountIds[i]},${kamId}`);
    for (let i = 1000; i < 1010; i++) lines.push(`${accountIds[i]},${inactiveId}`);
    const job = conn.bulk2.createJob({ object: 'Account', operation: 'update', lineEnding: 'LF' });
    const opened = await job.open();
    expect(opened).toMatchObject({ state: 'Open', object: 'Account', operation: 'update', contentType: 'CSV', lineEnding: 'LF', columnDelimiter: 'COMMA' });
    expect(opened.id).toMatch(/^750[a-zA-Z0-9]{15}$/);
    // When the data is uploaded and the job closed
    await job.uploadData(lines.join('\n') + '\n');
    await job.close();
    await job.poll(20, 60_000);
    // Then the job is complete with per-row results
    const info = await job.check();
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1010, numberRecordsFailed: 10 });
    const failed = await job.getFailedResults();
    expect(failed).toHaveLength(10);
    expect(String(failed[0].sf__Error)).toMatch(/^INACTIVE_OWNER_OR_USER:/);
    expect(failed[0].sf__Id).toBe(accountIds[1000]);
    const moved = await conn.query(`SELECT COUNT() FROM Account WHERE OwnerId = '${kamId}'`);
    expect(moved.totalSize).toBe(1000);
  });

  it('fails a share of rows with UNABLE_TO_LOCK_ROW when the fault is on, and only those rows', async () => {
    await setFaults({ lockRowRate: 0.3, seed: 7 });
    const input = accountIds.slice(1100, 1600).map((Id) => ({ Id, Description: 'locked-run' }));
    const results = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'update', input });
    await setFaults({});
    const locked = results.failedResults.filter((r) => String(r.sf__Error).startsWith('UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record'));
    expect(locked.length).toBe(results.failedResults.length);
    expect(locked.length).toBeGreaterThan(100);
    expect(locked.length).toBeLessThan(200);
    const updated = await conn.query("SELECT COUNT() FROM Account WHERE Description = 'locked-run'");
    expect(updated.totalSize).toBe(results.successfulResults.length);
    expect(results.successfulResults.length + locked.length).toBe(500);
  });

  it('keeps answering job polls while a job is processed in internal batches', async () => {
    const lines = ['Id,Description', ...accountIds.map((id) => `${id},poll-run`)];
    const id = await openJob({ object: 'Account', operation: 'update' });
    await api(`/jobs/ingest/${id}/batches`, { method: 'PUT', body: lines.join('\n'), headers: { 'Content-Type': 'text/csv' } });
    await api(`/jobs/ingest/${id}`, { method: 'PATCH', body: JSON.stringify({ state: 'UploadComplete' }) });
    const seen = new Set<string>();
    let info: Record<string, unknown> = {};
    for (let i = 0; i < 500 && info.state !== 'JobComplete'; i++) {
      info = (await (await api(`/jobs/ingest/${id}`)).json()) as Record<string, unknown>;
      seen.add(String(info.state));
    }
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3000, numberRecordsFailed: 0 });
    expect(seen.has('InProgress') || seen.has('UploadComplete')).toBe(true);
  });

  it('upserts by external id and deletes, with sf__Created telling inserts from updates', async () => {
    const csv = 'Conflict_Key__c,Type__c,Status__c\nbulk:1,Price,Open\nbulk:2,Price,Open\n';
    const first = await conn.bulk2.loadAndWaitForResults({ object: 'Channel_Conflict__c', operation: 'upsert', externalIdFieldName: 'Conflict_Key__c', input: csv });
    expect(first.successfulResults.map((r) => r.sf__Created)).toEqual(['true', 'true']);
    const second = await conn.bulk2.loadAndWaitForResults({
      object: 'Channel_Conflict__c',
      operation: 'upsert',
      externalIdFieldName: 'Conflict_Key__c',
      input: 'Conflict_Key__c,Status__c\nbulk:1,Resolved\nbulk:3,Open\n'
    });
    expect(second.successfulResults.map((r) => [(r as Record<string, unknown>).Conflict_Key__c, r.sf__Created])).toEqual([
      ['bulk:1', 'false'],
      ['bulk:3', 'true']
    ]);
    const ids = first.successfulResults.map((r) => String(r.sf__Id));
    const deleted = await conn.bulk2.loadAndWaitForResults({ object: 'Channel_Conflict__c', operation: 'delete', input: ids.map((Id) => ({ Id })) });
    expect(deleted.successfulResults).toHaveLength(2);
    const left = await conn.query<{ Conflict_Key__c: string }>("SELECT Conflict_Key__c FROM Channel_Conflict__c WHERE Conflict_Key__c LIKE 'bulk:%'");
    expect(left.records.map((r) => r.Conflict_Key__c)).toEqual(['bulk:3']);
  });

  it('sets a field to null with #N/A and leaves empty cells unchanged', async () => {
    const id = accountIds[2000];
    await conn.sobject('Account').update({ Id: id, Phone: '111', Website: 'keep.example' });
    const results = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'update', input: `Id,Phone,Website\n${id},#N/A,\n` });
    expect(results.successfulResults).toHaveLength(1);
    const row = (await conn.sobject('Account').retrieve(id)) as Record<string, unknown>;
    expect(row.Phone).toBeNull();
    expect(row.Website).toBe('keep.example');
  });

  it('ends a job Failed when the fault says so, and every row is in unprocessedrecords', async () => {
    await setFaults({ failJobs: 1 });
    const id = await openJob({ object: 'Account', operation: 'update' });
    await api(`/jobs/ingest/${id}/batches`, { method: 'PUT', body: `Id,Description\n${accountIds[0]},x\n${accountIds[1]},y\n`, headers: { 'Content-Type': 'text/csv' } });
    await api(`/jobs/ingest/${id}`, { method: 'PATCH', body: JSON.stringify({ state: 'UploadComplete' }) });
    const info = await waitForJob(id);
    expect(info.state).toBe('Failed');
    expect(String(info.errorMessage)).toContain('InternalServerError');
    const unprocessed = await (await api(`/jobs/ingest/${id}/unprocessedrecords`)).text();
    expect(unprocessed.trim().split('\n')).toHaveLength(3);
    // and the next job runs normally
    const next = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'update', input: `Id,Description\n${accountIds[0]},after-failure\n` });
    expect(next.successfulResults).toHaveLength(1);
  });

  it('can fail a job part-way: processed rows stay, the rest are unprocessed (to test resumption)', async () => {
    await setFaults({ failJobs: 1, failJobsAfterRows: 2 });
    const ids = accountIds.slice(2500, 2505);
    const id = await openJob({ object: 'Account', operation: 'update' });
    await api(`/jobs/ingest/${id}/batches`, { method: 'PUT', body: ['Id,Description', ...ids.map((i) => `${i},part-way`)].join('\n'), headers: { 'Content-Type': 'text/csv' } });
    await api(`/jobs/ingest/${id}`, { method: 'PATCH', body: JSON.stringify({ state: 'UploadComplete' }) });
    expect(await waitForJob(id)).toMatchObject({ state: 'Failed', numberRecordsProcessed: 2, numberRecordsFailed: 0 });
    const ok = (await (await api(`/jobs/ingest/${id}/successfulResults`)).text()).trim().split('\n');
    const rest = (await (await api(`/jobs/ingest/${id}/unprocessedrecords`)).text()).trim().split('\n');
    expect(ok.slice(1).map((l) => l.split(',')[0].replace(/"/g, ''))).toEqual(ids.slice(0, 2));
    expect(rest.slice(1).map((l) => l.split(',')[0].replace(/"/g, ''))).toEqual(ids.slice(2));
    const changed = await conn.query<{ Id: string }>("SELECT Id FROM Account WHERE Description = 'part-way' ORDER BY Name");
    expect(changed.records.map((r) => r.Id).sort()).toEqual(ids.slice(0, 2).sort());
    await setFaults({});
  });

  it('fails a job whose header names an unknown field, or whose line endings differ from the job', async () => {
    const unknown = await openJob({ object: 'Account', operation: 'update' });
    await api(`/jobs/ingest/${unknown}/batches`, { method: 'PUT', body: `Id,Nope__c\n${accountIds[0]},x\n`, headers: { 'Content-Type': 'text/csv' } });
    await api(`/jobs/ingest/${unknown}`, { method: 'PATCH', body: JSON.stringify({ state: 'UploadComplete' }) });
    expect(await waitForJob(unknown)).toMatchObject({ state: 'Failed', errorMessage: 'InvalidBatch : Field name not found : Nope__c' });

    const crlf = await openJob({ object: 'Account', operation: 'update', lineEnding: 'LF' });
    await api(`/jobs/ingest/${crlf}/batches`, { method: 'PUT', body: `Id,Description\r\n${accountIds[0]},x\r\n`, headers: { 'Content-Type': 'text/csv' } });
    await api(`/jobs/ingest/${crlf}`, { method: 'PATCH', body: JSON.stringify({ state: 'UploadComplete' }) });
    const info = await waitForJob(crlf);
    expect(info.state).toBe('Failed');
    expect(String(info.errorMessage)).toContain('LineEnding is invalid on user data');

    const ok = await openJob({ object: 'Account', operation: 'update', lineEnding: 'CRLF', columnDelimiter: 'SEMICOLON' });
    await api(`/jobs/ingest/${ok}/batches`, { method: 'PUT', body: `Id;Description\r\n${accountIds[5]};semi\r\n`, headers: { 'Content-Type': 'text/csv' } });
    await api(`/jobs/ingest/${ok}`, { method: 'PATCH', body: JSON.stringify({ state: 'UploadComplete' }) });
    expect(await waitForJob(ok)).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1, numberRecordsFailed: 0 });
  });

  it('answers bad requests with Salesforce errors: content type, oversize upload, unknown job, bad operation', async () => {
    const id = await openJob({ object: 'Account', operation: 'update' });
    const wrongType = await api(`/jobs/ingest/${id}/batches`, { method: 'PUT', body: '{"Id":"x"}', headers: { 'Content-Type': 'application/json' } });
    expect(wrongType.status).toBe(415);
    expect(((await wrongType.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('UNSUPPORTED_MEDIA_TYPE');

    const big = 'Id,Description\n' + `${accountIds[0]},${'x'.repeat(100)}\n`.repeat(3000);
    const oversize = await api(`/jobs/ingest/${id}/batches`, { method: 'PUT', body: big, headers: { 'Content-Type': 'text/csv' } });
    expect(oversize.status).toBe(413);
    expect(((await oversize.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('REQUEST_ENTITY_TOO_LARGE');

    const unknownJob = await api('/jobs/ingest/750000000000000AAA');
    expect(unknownJob.status).toBe(404);
    expect(await unknownJob.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    await expect(conn.bulk2.job('ingest', { id: '7505g00000ABCDEAAA' }).check()).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });

    const badOp = await api('/jobs/ingest', { method: 'POST', body: JSON.stringify({ object: 'Account', operation: 'merge' }) });
    expect(badOp.status).toBe(400);
    expect(((await badOp.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('INVALIDJOB');
    const badObject = await api('/jobs/ingest', { method: 'POST', body: JSON.stringify({ object: 'Nope__c', operation: 'insert' }) });
    expect(badObject.status).toBe(400);

    // the job is still Open and usable after the refused uploads
    await api(`/jobs/ingest/${id}`, { method: 'PATCH', body: JSON.stringify({ state: 'Aborted' }) });
    expect(((await (await api(`/jobs/ingest/${id}`)).json()) as { state: string }).state).toBe('Aborted');
  });

  it('lists jobs and deletes finished ones', async () => {
    const list = (await (await api('/jobs/ingest')).json()) as { done: boolean; records: Array<{ id: string }> };
    expect(list.done).toBe(true);
    expect(list.records.length).toBeGreaterThan(3);
    const finished = list.records[0].id;
    expect((await api(`/jobs/ingest/${finished}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/jobs/ingest/${finished}`)).status).toBe(404);
  });
});

describe('Bulk API 2.0 query', () => {
  it('returns every record through jsforce, following locators', async () => {
    const records = await (await conn.bulk2.query("SELECT Id, Name, Owner.Username FROM Account WHERE Name LIKE 'Bulk %'")).toArray();
    expect(records.length).toBe(3000);
    const sample = records.find((r) => r.Id === accountIds[0]) as Record<string, unknown>;
    expect(sample.Name).toBe('Bulk 0');
    expect(sample['Owner.Username']).toBe('kam.bulk@channel-ops.local');
  });

  it('keeps quotes, delimiters and line breaks inside values intact in result CSVs', async () => {
    const tricky = 'He said "hi", then; left\nnext line | done';
    await conn.sobject('Account').update({ Id: accountIds[2999], Description: tricky });
    const records = await (await conn.bulk2.query(`SELECT Id, Description FROM Account WHERE Id = '${accountIds[2999]}'`)).toArray();
    expect(records).toEqual([{ Id: accountIds[2999], Description: tricky }]);
    const results = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'update', input: [{ Id: accountIds[2999], Description: tricky }] });
    expect(results.successfulResults[0].Description).toBe(tricky);
  });

  it('pages results with maxRecords and Sforce-Locator headers', async () => {
    const created = await api('/jobs/query', { method: 'POST', body: JSON.stringify({ operation: 'query', query: "SELECT Id FROM Account WHERE Name LIKE 'Bulk %'" }) });
    const job = (await created.json()) as { id: string; state: string };
    expect(job.state).toBe('UploadComplete');
    expect(await waitForJob(job.id, 'query')).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3000 });
    let locator: string | null = null;
    let pages = 0;
    let rows = 0;
    do {
      const res = await api(`/jobs/query/${job.id}/results?maxRecords=1200${locator ? `&locator=${locator}` : ''}`);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const text = await res.text();
      const n = Number(res.headers.get('sforce-numberofrecords'));
      expect(text.trim().split('\n').length - 1).toBe(n);
      rows += n;
      pages++;
      locator = res.headers.get('sforce-locator');
    } while (locator && locator !== 'null');
    expect(pages).toBe(3);
    expect(rows).toBe(3000);
  });

  it('refuses malformed SOQL when the job is created and answers unknown jobs 404', async () => {
    const bad = await api('/jobs/query', { method: 'POST', body: JSON.stringify({ operation: 'query', query: 'SELECT FROM Account' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('MALFORMED_QUERY');
    const unknownField = await api('/jobs/query', { method: 'POST', body: JSON.stringify({ operation: 'query', query: 'SELECT Nope__c FROM Account' }) });
    expect(((await unknownField.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('INVALID_FIELD');
    expect((await api('/jobs/query/750000000000000AAA/results')).status).toBe(404);
  });
});
