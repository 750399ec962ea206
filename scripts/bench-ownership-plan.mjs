#!/usr/bin/env node
/**
 * Benchmark of `channel ownership plan` over a `scale:N` local org: wall time and peak RSS of
 * the plugin process (bin/run.js, measured with /usr/bin/time, the org runs in this process).
 *
 *   npm run build && node scripts/bench-ownership-plan.mjs [--accounts 100000] [--mode csv|rule|both] [--cascade all|none]
 *
 * csv mode: a moves file with every customer account going to another active rep (the file is
 * shuffled, so the planner's external sort is exercised). rule mode: --from-user the rep with the
 * most accounts --to-user another rep. Prints one JSON line per run.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100000' },
    mode: { type: 'string', default: 'both' },
    cascade: { type: 'string', default: 'all' },
    keep: { type: 'boolean', default: false },
    'node-options': { type: 'string', default: '' }
  }
});
const accounts = Number(values.accounts);
if (!existsSync(join(ROOT, 'lib', 'commands', 'channel', 'ownership', 'plan.js'))) {
  console.error('Build first: npm run build');
  process.exit(1);
}

// A temporary HOME for the auth store, before @salesforce/core is loaded.
const home = mkdtempSync(join(tmpdir(), 'bench-plan-home-'));
process.env.HOME = home;
process.env.SF_DISABLE_TELEMETRY = 'true';
process.env.SF_AUTOUPDATE_DISABLE = 'true';
const work = mkdtempSync(join(tmpdir(), 'bench-plan-'));

const { startLocalOrg } = await import(join(ROOT, 'lib', 'local-org', 'server.js'));
const { AuthInfo } = await import('@salesforce/core');

const t0 = Date.now();
const org = await startLocalOrg({ seed: `scale:${accounts}` });
const seedSeconds = (Date.now() - t0) / 1000;
const auth = await AuthInfo.create({ accessTokenOptions: { accessToken: org.accessToken, instanceUrl: org.instanceUrl, loginUrl: org.instanceUrl } });
await auth.save();
await auth.setAlias('bench');
const counts = Object.fromEntries(['Account', 'Opportunity', 'Contact', 'Case', 'Task', 'Event', 'AccountTeamMember', 'OpportunityTeamMember'].map((s) => [s, org.db.count(s)]));
console.error(`seeded scale:${accounts} in ${seedSeconds.toFixed(1)} s: ${JSON.stringify(counts)}`);

const reps = org.db
  .query("SELECT Id FROM User WHERE IsActive = true AND KAM_Capacity__c = null")
  .records.map((r) => String(r.Id))
  .filter((id) => id !== org.userId);

/** Runs the plan command under /usr/bin/time; returns wall seconds, peak RSS (MB) and the JSON result. */
async function runPlan(args) {
  const timeFile = join(work, `time-${Date.now()}.txt`);
  const child = spawn('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, NODE, join(ROOT, 'bin', 'run.js'), 'channel', 'ownership', 'plan', '--target-org', 'bench', '--json', ...args], {
    cwd: ROOT,
    env: { ...process.env, SF_USE_PROGRESS_BAR: 'false', ...(values['node-options'] ? { NODE_OPTIONS: values['node-options'] } : {}) }
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const [code] = await once(child, 'close');
  const [seconds, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  let result;
  try {
    result = JSON.parse(stdout);
  } catch {
    result = { stdout: stdout.slice(0, 2000), stderr: stderr.slice(0, 2000) };
  }
  return { code, seconds, peakRssMb: Math.round(kb / 1024), result };
}

const cascadeArgs = values.cascade === 'none' ? ['--cascade', 'none'] : [];
const runs = [];

if (values.mode === 'csv' || values.mode === 'both') {
  // Every customer account to another active rep, in a scrambled order.
  const file = join(work, 'moves.csv');
  const out = createWriteStream(file);
  out.write('AccountId,NewOwnerId\n');
  const rows = org.db.query("SELECT Id, OwnerId FROM Account WHERE Type != 'Channel Partner / Reseller'").records;
  let i = 0;
  const order = rows.map((_, k) => k).sort((x, y) => ((x * 2654435761) % 4294967296) - ((y * 2654435761) % 4294967296));
  for (const k of order) {
    const r = rows[k];
    let to = reps[i++ % reps.length];
    if (to === r.OwnerId) to = reps[i++ % reps.length];
    if (!out.write(`${r.Id},${to}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const dir = join(work, 'plan-csv');
  const run = await runPlan(['--file', file, '--output-dir', dir, '--allow-over-capacity', ...cascadeArgs]);
  runs.push({ mode: 'csv', inputRows: rows.length, ...run });
}

if (values.mode === 'rule' || values.mode === 'both') {
  const byOwner = new Map();
  for (const r of org.db.query('SELECT OwnerId FROM Account').records) byOwner.set(r.OwnerId, (byOwner.get(r.OwnerId) ?? 0) + 1);
  const from = [...byOwner.entries()].filter(([id]) => reps.includes(id)).sort((a, b) => b[1] - a[1])[0][0];
  const to = reps.find((r) => r !== from);
  const dir = join(work, 'plan-rule');
  const run = await runPlan(['--from-user', from, '--to-user', to, '--output-dir', dir, '--allow-over-capacity', ...cascadeArgs]);
  runs.push({ mode: 'rule', fromUserAccounts: byOwner.get(from), ...run });
}

for (const r of runs) {
  const res = r.result?.result;
  console.log(
    JSON.stringify({
      bench: 'ownership-plan',
      scale: accounts,
      mode: r.mode,
      exit: r.code,
      seconds: r.seconds,
      peakRssMb: r.peakRssMb,
      inputRows: res?.inputRows ?? r.inputRows ?? r.fromUserAccounts,
      counts: res?.counts,
      rowsPerSecond: res ? Math.round(res.inputRows / r.seconds) : undefined,
      error: res ? undefined : (r.result?.message ?? r.result)
    })
  );
}

await org.close();
if (!values.keep) rmSync(work, { recursive: true, force: true });
else console.error(`kept ${work}`);
rmSync(home, { recursive: true, force: true });
