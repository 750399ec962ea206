#!/usr/bin/env node
/**
 * Benchmark of `channel conflicts scan`: N accounts × N/10 registrations, at two sizes, to
 * show the cost grows near-linearly (10× data ≤ 12× time) and 1M × 100k stays under 10 min.
 *
 *   npm run build && node --max-old-space-size=12288 scripts/bench-conflicts.mjs [--sizes 100000,1000000] [--engine-only]
 *
 * For each size: the labelled generator makes N accounts (customers with 1–4 spellings each,
 * near-miss siblings) and open opportunities of which about N/10 are partner registrations,
 * plus line items. Two measurements:
 * - engine: matching of ALL N accounts + the rules (pure, in-process);
 * - scan: the real scan (dry run) in a child process, as the plugin runs, against the local
 *   org served from this process: count queries, Bulk API 2.0 query jobs over HTTP for
 *   Opportunity/Account/OpportunityLineItem, zod checks, matching of the accounts that can take
 *   part, rules, existing conflicts; then `check` of 20 single deals. The org (the "Salesforce
 *   side") shares the 2 cores, so wall times include its work; CPU seconds are the client's.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AuthInfo, Connection } from '@salesforce/core';
import { generateSynthetic } from '../lib/conflicts/synthetic.js';
import { computeConflicts, scanConflicts } from '../lib/conflicts/scan.js';
import { checkOpportunity } from '../lib/conflicts/check.js';
import { startLocalOrg } from '../lib/local-org/server.js';

/**
 * Client mode: the plugin side of a scan in its own process (as `sf channel conflicts scan`
 * runs), against an org given by instance URL and token; prints one JSON line.
 */
async function client() {
  const { CLIENT_URL: url, CLIENT_TOKEN: token, CLIENT_AS_OF: asOf } = process.env;
  const authInfo = await AuthInfo.create({ accessTokenOptions: { accessToken: token, instanceUrl: url, loginUrl: url } });
  const conn = await Connection.create({ authInfo });
  const stages = [];
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let last = t0;
  const scan = await scanConflicts(conn, {
    asOf,
    onStage: (s) => {
      const now = performance.now();
      stages.push(`${((now - last) / 1000).toFixed(1)}s→${s.split(' ').slice(0, 2).join(' ')}`);
      last = now;
    }
  });
  const scanS = +((performance.now() - t0) / 1000).toFixed(1);
  const u = process.cpuUsage(c0);
  const times = [];
  const sample = scan.conflicts.filter((_, i) => i % Math.max(1, Math.floor(scan.conflicts.length / 20)) === 0).slice(0, 20);
  for (const c of sample) {
    const tc = performance.now();
    await checkOpportunity(conn, c.opportunityId, asOf);
    times.push(performance.now() - tc);
  }
  times.sort((x, y) => x - y);
  console.log(
    JSON.stringify({
      scanS,
      scanCpuS: +((u.user + u.system) / 1e6).toFixed(1),
      scanMatchedAccounts: scan.matching.records,
      scanComparisons: scan.matching.comparisons,
      scanConflicts: scan.conflicts.length,
      scanStages: stages.join(' | '),
      clientPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      checkMedianMs: Math.round(times[Math.floor(times.length / 2)] ?? 0),
      checkMaxMs: Math.round(times[times.length - 1] ?? 0)
    })
  );
}
if (process.argv.includes('--client')) {
  await client();
  process.exit(0);
}

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const sizes = String(arg('--sizes', '100000,1000000')).split(',').map(Number);
const engineOnly = process.argv.includes('--engine-only');
const mb = () => Math.round(process.memoryUsage().rss / 1048576);
/** CPU seconds (user + system) of this process since `from`: less sensitive than wall time to other load. */
const cpu = (from) => {
  const u = process.cpuUsage(from);
  return +((u.user + u.system) / 1e6).toFixed(1);
};

const results = [];
for (const accountsWanted of sizes) {
  // about 2 account records per customer; scenarios add ~1.4 registrations each
  const t0 = performance.now();
  const data = generateSynthetic({ customers: Math.round(accountsWanted / 2.0), seed: 5, scenarioShare: 0.18, siblingShare: 0.1, partners: 500 });
  const registrations = data.opportunities.filter((o) => o.Registered_Partner__c && !o.IsClosed).length;
  const gen = performance.now() - t0;
  const row = { accounts: data.accounts.length + data.partners.length, opportunities: data.opportunities.length, registrations, lineItems: data.lineItems.length, generateS: +(gen / 1000).toFixed(1) };

  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const engine = computeConflicts({ accounts: data.accounts, opportunities: data.opportunities, lineItems: data.lineItems }, data.asOf);
  row.engineS = +((performance.now() - t1) / 1000).toFixed(1);
  row.engineCpuS = cpu(c1);
  row.engineComparisons = engine.matching.comparisons;
  row.engineConflicts = engine.conflicts.length;
  row.rssMbAfterEngine = mb();

  if (!engineOnly) {
    const org = await startLocalOrg({});
    try {
      const owner = org.userId;
      const tl = performance.now();
      org.db.load('Account', [...data.partners, ...data.accounts].map((a) => ({ ...a, OwnerId: owner })));
      org.db.load('Product2', data.products.map((Id, i) => ({ Id, Name: `Product ${i + 1}`, IsActive: true })));
      org.db.load('Opportunity', data.opportunities.map((o) => ({ ...o, OwnerId: owner, StageName: o.IsClosed ? 'Closed Won' : o.StageName })));
      org.db.load('OpportunityLineItem', data.lineItems.map((l) => ({ ...l, TotalPrice: l.UnitPrice * l.Quantity })));
      org.db.recalculate();
      row.orgLoadS = +((performance.now() - tl) / 1000).toFixed(1);
      // free what the generator made before the client runs: the org keeps its own copy
      data.opportunities.length = 0;
      data.lineItems.length = 0;
      data.accounts.length = 0;
      const { spawn } = await import('node:child_process');
      const out = await new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--max-old-space-size=4096', fileURLToPath(import.meta.url), '--client'], {
          env: { ...process.env, CLIENT_URL: org.instanceUrl, CLIENT_TOKEN: org.accessToken, CLIENT_AS_OF: data.asOf },
          stdio: ['ignore', 'pipe', 'inherit']
        });
        let text = '';
        child.stdout.on('data', (d) => (text += d));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`client exited ${code}`))));
      });
      Object.assign(row, JSON.parse(out.trim().split('\n').pop()));
    } finally {
      await org.close();
    }
  }
  row.loadAvg1m = +loadavg()[0].toFixed(1);
  results.push(row);
  console.log(JSON.stringify(row));
  data.accounts.length = 0;
}
if (results.length >= 2) {
  const [a, b] = results;
  const ratio = (k) => (a[k] && b[k] ? +(b[k] / a[k]).toFixed(2) : null);
  console.log(
    JSON.stringify({
      dataRatio: +(b.accounts / a.accounts).toFixed(2),
      engineTimeRatio: ratio('engineS'),
      engineCpuRatio: ratio('engineCpuS'),
      scanTimeRatio: ratio('scanS'),
      scanCpuRatio: ratio('scanCpuS')
    })
  );
}
