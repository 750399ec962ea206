#!/usr/bin/env node
/**
 * Benchmarks of the local org (run after `npm run build`):
 *
 *   node scripts/bench-local-org.js [--rows 100000] [--big 1000000] [--skip-big]
 *
 * 1. Bulk API 2.0 throughput: the org runs in its own process, seeded with `scale:<rows>`;
 *    jsforce (as production code) uploads an owner-change CSV for every account with
 *    bulk2.loadAndWaitForResults. Reports rows/s end to end and the server-side processing time.
 * 2. Memory: RSS of an org holding <big> accounts: (a) accounts only, loaded directly;
 *    (b) the full `scale:<big>` scenario (accounts plus contacts, opportunities, cases ...).
 *
 * Prints a JSON summary on stdout; progress on stderr.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'lib', 'local-org', 'cli.js');
const log = (line) => process.stderr.write(`[bench] ${line}\n`);

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    big: { type: 'string', default: '1000000' },
    'skip-big': { type: 'boolean', default: false },
    'accounts-only-child': { type: 'string' }
  }
});

/** Child mode: load N plain accounts into an org in this process and report its RSS. */
async function accountsOnlyChild(n) {
  const { startLocalOrg } = await import(join(root, 'lib', 'local-org', 'server.js'));
  const { makeId } = await import(join(root, 'lib', 'domain', 'ids.js'));
  const org = await startLocalOrg({});
  const started = Date.now();
  const chunk = 50_000;
  for (let from = 0; from < n; from += chunk) {
    const rows = [];
    for (let i = from; i < Math.min(n, from + chunk); i++) {
      rows.push({ Id: makeId('001', i + 1, 'BEN'), Name: `Bench Account ${i}`, OwnerId: org.userId, Website: `bench${i}.example`, BillingPostalCode: String(10000 + (i % 89999)), Type: 'Customer - Direct' });
    }
    org.db.load('Account', rows);
  }
  const loadMs = Date.now() - started;
  global.gc?.();
  const rss = process.memoryUsage().rss;
  const updStart = Date.now();
  const kam = org.userId;
  for (let i = 0; i < 100_000; i++) org.db.update('Account', makeId('001', i + 1, 'BEN'), { Description: 'x' }, { userId: kam });
  const updMs = Date.now() - updStart;
  await org.close();
  process.stdout.write(JSON.stringify({ accounts: org.db.count('Account'), loadMs, rssMB: Math.round(rss / 1048576), inProcessUpdateRowsPerSec: Math.round(100_000 / (updMs / 1000)) }) + '\n');
}

function startOrg(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=8192', cli, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.once('exit', (code) => reject(new Error(`local org exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, ...JSON.parse(line) }));
  });
}

async function stop(org) {
  const exited = new Promise((resolve) => org.child.once('exit', resolve));
  org.child.kill('SIGTERM');
  await exited;
}

async function stats(org) {
  const res = await fetch(`${org.instanceUrl}/__local/stats`, { headers: { Authorization: `Bearer ${org.accessToken}` } });
  return res.json();
}

async function bulkQueryIds(org, soql) {
  const base = `${org.instanceUrl}/services/data/v65.0/jobs/query`;
  const headers = { Authorization: `Bearer ${org.accessToken}`, 'Content-Type': 'application/json' };
  const job = await (await fetch(base, { method: 'POST', headers, body: JSON.stringify({ operation: 'query', query: soql }) })).json();
  for (;;) {
    const info = await (await fetch(`${base}/${job.id}`, { headers })).json();
    if (info.state === 'JobComplete') break;
    if (info.state === 'Failed' || info.state === 'Aborted') throw new Error(`query job ${info.state}: ${info.errorMessage}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const out = [];
  let locator = null;
  do {
    const res = await fetch(`${base}/${job.id}/results${locator ? `?locator=${locator}` : ''}`, { headers });
    const lines = (await res.text()).split('\n');
    for (let i = 1; i < lines.length; i++) if (lines[i]) out.push({ Id: lines[i].replace(/"/g, '') });
    locator = res.headers.get('sforce-locator');
  } while (locator && locator !== 'null');
  return out;
}

async function throughput(rows) {
  const { Connection } = (await import('jsforce')).default ?? (await import('jsforce'));
  const t0 = Date.now();
  const org = await startOrg(['--seed', `scale:${rows}`]);
  const seedMs = Date.now() - t0;
  try {
    const conn = new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: '65.0' });
    conn.bulk2.pollInterval = 100;
    conn.bulk2.pollTimeout = 600_000;
    const users = (await conn.query('SELECT Id FROM User WHERE IsActive = true')).records.map((u) => u.Id);
    const q0 = Date.now();
    // Paged by hand, as production code must: jsforce's bulk2.query() pipes every result page
    // into one CSV parser and breaks on multi-page results (a known jsforce defect).
    const accounts = await bulkQueryIds(org, 'SELECT Id FROM Account');
    const queryMs = Date.now() - q0;
    log(`bulk2 query of ${accounts.length} account ids: ${queryMs} ms`);
    const rounds = [];
    for (let round = 0; round < 2; round++) {
      // round 0 is cold (first writes build the indexes); round 1 moves every account again
      const lines = ['Id,OwnerId'];
      accounts.forEach((a, i) => lines.push(`${a.Id},${users[(i + round) % users.length]}`));
      const csv = lines.join('\n') + '\n';
      const cpuBefore = (await stats(org)).cpuMs;
      const u0 = Date.now();
      const job = conn.bulk2.createJob({ object: 'Account', operation: 'update' });
      await job.open();
      await job.uploadData(csv);
      await job.close();
      await job.poll(100, 600_000);
      const jobMs = Date.now() - u0;
      const info = await job.check();
      const cpuMs = (await stats(org)).cpuMs - cpuBefore;
      const r0 = Date.now();
      const [ok, failed] = await Promise.all([job.getSuccessfulResults(), job.getFailedResults()]);
      const resultsMs = Date.now() - r0;
      rounds.push({
        rows: accounts.length,
        createUploadCloseAndPollMs: jobMs,
        serverProcessingMs: info.totalProcessingTime,
        rowsPerSecEndToEnd: Math.round(accounts.length / (jobMs / 1000)),
        rowsPerSecServer: Math.round(accounts.length / (info.totalProcessingTime / 1000)),
        // CPU seconds the org spent on the upload and the job: independent of other load on the machine
        orgCpuMs: cpuMs,
        rowsPerOrgCpuSec: Math.round(accounts.length / (cpuMs / 1000)),
        fetchResultsMs: resultsMs,
        successful: ok.length,
        failed: failed.length,
        failedSample: failed.slice(0, 2).map((f) => f.sf__Error)
      });
      log(`owner update round ${round}: ${JSON.stringify(rounds[round])}`);
    }
    const s = await stats(org);
    return {
      accounts: accounts.length,
      seedScenario: `scale:${rows}`,
      seedAndStartMs: seedMs,
      bulkQueryMs: queryMs,
      bulkQueryRowsPerSec: Math.round(accounts.length / (queryMs / 1000)),
      ownerUpdate: rounds,
      loadAverage: (await import('node:os')).loadavg().map((l) => Math.round(l * 10) / 10),
      orgRssMB: Math.round(s.rssBytes / 1048576),
      records: s.records
    };
  } finally {
    await stop(org);
  }
}

async function accountsOnly(n) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=8192', fileURLToPath(import.meta.url), '--accounts-only-child', String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}`))));
  });
}

async function fullScenario(n) {
  const t0 = Date.now();
  const org = await startOrg(['--seed', `scale:${n}`]);
  const seedMs = Date.now() - t0;
  try {
    const s = await stats(org);
    return { scenario: `scale:${n}`, seedAndStartMs: seedMs, rssMB: Math.round(s.rssBytes / 1048576), records: s.records, totalRecords: Object.values(s.records).reduce((a, b) => a + b, 0) };
  } finally {
    await stop(org);
  }
}

async function main() {
  if (values['accounts-only-child']) return accountsOnlyChild(Number(values['accounts-only-child']));
  const rows = Number(values.rows);
  const big = Number(values.big);
  const summary = { node: process.version, cpus: (await import('node:os')).cpus().length };
  log(`throughput: scale:${rows}, bulk2 owner update through jsforce`);
  summary.throughput = await throughput(rows);
  log(JSON.stringify(summary.throughput));
  if (!values['skip-big']) {
    log(`memory: ${big} plain accounts`);
    summary.memoryAccountsOnly = await accountsOnly(big);
    log(JSON.stringify(summary.memoryAccountsOnly));
    log(`memory: scale:${big} scenario`);
    summary.memoryFullScenario = await fullScenario(big);
  }
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
}

main().catch((e) => {
  log(e.stack ?? String(e));
  process.exit(1);
});
