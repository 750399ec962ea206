/**
 * The pieces apply decides with, without an org: the drift split, which failures are retried,
 * backoff, upload splitting, and the Bulk driver's request retries and session refresh against
 * a scripted HTTP server.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeId } from '../../plugin-src/domain/ids.js';
import { classifyRow, splitByCurrentOwner, type PlanRow } from '../../plugin-src/ownership/drift.js';
import { isRetryableRowError, parseRowError, retryRoundDelay, whatToDo } from '../../plugin-src/ownership/retry.js';
import { Bulk2, SalesforceApiError, SessionExpiredError, backoffDelay, isRetryableRequestFailure, splitUploads } from '../../plugin-src/salesforce/bulk2.js';

const OLD = makeId('005', 1);
const NEW = makeId('005', 2);
const OTHER = makeId('005', 3);
const row = (i: number): PlanRow => ({ Id: makeId('001', i), OldOwnerId: OLD, NewOwnerId: NEW, AccountId: makeId('001', i) });

describe('drift split', () => {
  it('sends rows still with the old owner, skips rows already with the new one, and reports anything else as drift', () => {
    // Given four plan rows whose records are owned by the old owner, the new owner, someone else, and nobody (deleted)
    const rows = [row(1), row(2), row(3), row(4)];
    const current = new Map([
      [rows[0].Id, OLD],
      [rows[1].Id, NEW],
      [rows[2].Id, OTHER]
    ]);

    // When they are split for an apply
    const split = splitByCurrentOwner(rows, current, 'apply');

    // Then one is to do, one done, two drifted (with their current owner, or none)
    expect(split.todo).toEqual([rows[0]]);
    expect(split.done).toEqual([rows[1]]);
    expect(split.drift).toEqual([
      { row: rows[2], currentOwnerId: OTHER },
      { row: rows[3], currentOwnerId: undefined }
    ]);
  });

  it('swaps the owners for an undo', () => {
    expect(classifyRow(row(1), NEW, 'undo')).toBe('todo');
    expect(classifyRow(row(1), OLD, 'undo')).toBe('done');
    expect(classifyRow(row(1), OTHER, 'undo')).toBe('drift');
  });
});

describe('retry classification', () => {
  it('reads the code and message of a failedResults error', () => {
    expect(parseRowError('UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--')).toEqual({ code: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' });
    expect(parseRowError('INACTIVE_OWNER_OR_USER:owner or user is inactive:OwnerId --')).toEqual({ code: 'INACTIVE_OWNER_OR_USER', message: 'owner or user is inactive' });
    expect(parseRowError('something odd')).toEqual({ code: 'UNKNOWN_ERROR', message: 'something odd' });
  });

  it('retries locks, limits, timeouts and unprocessed rows, and nothing about the row or the rights', () => {
    for (const code of ['UNABLE_TO_LOCK_ROW', 'REQUEST_LIMIT_EXCEEDED', 'UNPROCESSED', 'SERVER_UNAVAILABLE']) expect(isRetryableRowError(code)).toBe(true);
    expect(isRetryableRowError('UNKNOWN_EXCEPTION', 'Processing Timed Out')).toBe(true);
    for (const code of ['INACTIVE_OWNER_OR_USER', 'INSUFFICIENT_ACCESS_OR_READONLY', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'INVALID_CROSS_REFERENCE_KEY']) {
      expect(isRetryableRowError(code, 'nope')).toBe(false);
    }
  });

  it('names the missing permission for a row the running user may not change', () => {
    expect(whatToDo('INSUFFICIENT_ACCESS_OR_READONLY', 'Account')).toMatch(/Transfer Record.*edit access/s);
    expect(whatToDo('INACTIVE_OWNER_OR_USER', 'Account')).toMatch(/inactive/);
  });

  it('classifies request failures: 503 and connection resets are retried, a bad request is not', () => {
    expect(isRetryableRequestFailure(new SalesforceApiError('x', 'REQUEST_LIMIT_EXCEEDED', 503, true))).toBe(true);
    expect(isRetryableRequestFailure(new SalesforceApiError('x', 'MALFORMED_QUERY', 400, false))).toBe(false);
    expect(isRetryableRequestFailure(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }))).toBe(true);
    expect(isRetryableRequestFailure(new Error('boom'))).toBe(false);
  });

  it('backs off exponentially with jitter, within its ceiling', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 1)).toBe(800);
    expect(backoffDelay(10, policy, () => 1)).toBe(1000);
    expect(retryRoundDelay(1, 500, 15_000, () => 1)).toBe(500);
    expect(retryRoundDelay(3, 500, 15_000, () => 0)).toBe(1000);
  });
});

describe('upload splitting', () => {
  it('starts a new upload at the row limit and before the character limit, each with the header', async () => {
    const lines = Array.from({ length: 7 }, (_, i) => `${makeId('001', i)},${NEW}\n`);
    const byRows = [];
    for await (const u of splitUploads('Id,OwnerId\n', lines, 3)) byRows.push(u);
    expect(byRows.map((u) => u.rows)).toEqual([3, 3, 1]);
    expect(byRows.every((u) => u.csv.startsWith('Id,OwnerId\n'))).toBe(true);
    const bySize = [];
    for await (const u of splitUploads('Id,OwnerId\n', lines, 100, 11 + 2 * 38)) bySize.push(u);
    expect(bySize.map((u) => u.rows)).toEqual([2, 2, 2, 1]);
    expect(bySize.every((u) => u.csv.length <= 11 + 2 * 38)).toBe(true);
  });
});

describe('Bulk driver requests', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    server = undefined;
  });

  async function serve(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<string> {
    let n = 0;
    server = createServer((req, res) => handler(req, res, ++n));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  }
  const job = (state: string): string => JSON.stringify({ id: '750000000000001AAA', state, numberRecordsProcessed: 3, numberRecordsFailed: 0 });
  const noSleep = { sleep: async (): Promise<void> => undefined };

  it('retries a job create refused with 503 REQUEST_LIMIT_EXCEEDED, then succeeds', async () => {
    const url = await serve((req, res, n) => {
      if (n <= 2) {
        res.writeHead(503, { 'Content-Type': 'application/json' }).end('[{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"ConcurrentPerOrgLongTxn Limit exceeded"}]');
      } else res.writeHead(200, { 'Content-Type': 'application/json' }).end(job('Open'));
    });
    const retries: string[] = [];
    const bulk = new Bulk2({ instanceUrl: url, accessToken: 't', version: '65.0' }, { ...noSleep, onRetry: (i) => retries.push(i.reason) });
    const info = await bulk.createIngestJob({ object: 'Account', operation: 'update' });
    expect(info.state).toBe('Open');
    expect(retries).toEqual(['REQUEST_LIMIT_EXCEEDED', 'REQUEST_LIMIT_EXCEEDED']);
  });

  it('gives up after its bounded attempts with the error code', async () => {
    const url = await serve((req, res) => res.writeHead(503).end('[{"errorCode":"SERVER_UNAVAILABLE","message":"down"}]'));
    const bulk = new Bulk2({ instanceUrl: url, accessToken: 't', version: '65.0' }, { ...noSleep, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(bulk.getJob('750000000000001AAA')).rejects.toMatchObject({ errorCode: 'SERVER_UNAVAILABLE', statusCode: 503 });
  });

  it('fails at once on a request Salesforce rejects for its content', async () => {
    let calls = 0;
    const url = await serve((req, res) => {
      calls++;
      res.writeHead(400).end('[{"errorCode":"INVALIDJOB","message":"Invalid job id"}]');
    });
    const bulk = new Bulk2({ instanceUrl: url, accessToken: 't', version: '65.0' }, noSleep);
    await expect(bulk.getJob('750000000000001AAA')).rejects.toMatchObject({ errorCode: 'INVALIDJOB', retryable: false });
    expect(calls).toBe(1);
  });

  it('refreshes an expired session once through the connection and repeats the request with the new token', async () => {
    const url = await serve((req, res) => {
      if (req.headers.authorization === 'Bearer fresh') res.writeHead(200, { 'Content-Type': 'application/json' }).end(job('JobComplete'));
      else res.writeHead(401).end('[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]');
    });
    const session = { instanceUrl: url, accessToken: 'stale', version: '65.0', refreshAuth: async (): Promise<void> => void (session.accessToken = 'fresh') };
    const bulk = new Bulk2(session, noSleep);
    expect((await bulk.getJob('750000000000001AAA')).state).toBe('JobComplete');
  });

  it('says how to log in again when the session cannot be refreshed', async () => {
    const url = await serve((req, res) => res.writeHead(401).end('[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]'));
    const bulk = new Bulk2({ instanceUrl: url, accessToken: 'stale', version: '65.0', getUsername: () => 'ops@acme.com' }, noSleep);
    const failure = bulk.getJob('750000000000001AAA');
    await expect(failure).rejects.toBeInstanceOf(SessionExpiredError);
    await expect(failure).rejects.toThrow(/session of ops@acme.com expired.*Log in to the org again/s);
  });

  it('polls fast first and backs off until the job ends', async () => {
    const url = await serve((req, res, n) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(job(n < 6 ? 'InProgress' : 'JobComplete')));
    const waits: number[] = [];
    const bulk = new Bulk2({ instanceUrl: url, accessToken: 't', version: '65.0' }, { pollInitialMs: 50, pollMaxMs: 300, sleep: async (ms) => void waits.push(ms) });
    expect((await bulk.waitForJob('750000000000001AAA')).state).toBe('JobComplete');
    expect(waits).toEqual([50, 75, 113, 170, 255]);
  });
});
