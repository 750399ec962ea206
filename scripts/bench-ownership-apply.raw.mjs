// Helper of bench-ownership-apply.mjs, run as its own process:
//   raw <instanceUrl> <token> <csvFile> [pollMs]   jsforce conn.bulk2.loadAndWaitForResults of an Id,OwnerId CSV
//   engine <instanceUrl> <token> <planDir>         our apply engine (lib/ownership/apply.js) on the same footing
//   login <instanceUrl> <token> <alias>            register the org in the sf auth store of $HOME
// Prints one JSON line: {ms, ...}.
import { readFileSync } from 'node:fs';

const [mode, instanceUrl, accessToken, arg, extra] = process.argv.slice(2);
const version = '65.0';
if (mode === 'raw') {
  const { Connection } = await import('jsforce');
  const conn = new Connection({ instanceUrl, accessToken, version });
  const input = readFileSync(arg, 'utf8');
  const started = performance.now();
  const res = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'update', input, pollTimeout: 600_000, ...(extra ? { pollInterval: Number(extra) } : {}) });
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ ms, ok: res.successfulResults.length, failed: res.failedResults.length })}\n`);
} else if (mode === 'engine') {
  const { applyPlan } = await import('../lib/ownership/apply.js');
  const started = performance.now();
  let peak = { rss: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peak.rss) peak = m;
  };
  const timer = setInterval(sample, 100);
  const res = await applyPlan({ instanceUrl, accessToken, version }, { planDir: arg, ...(process.env.BENCH_BATCH ? { batchSize: Number(process.env.BENCH_BATCH) } : {}), onProgress: (e) => { if (process.env.BENCH_MEMORY && e.kind === 'rows') process.stderr.write(`${e.done} heapUsed=${(process.memoryUsage().heapUsed / 1e6).toFixed(0)}\n`); } });
  clearInterval(timer);
  if (process.env.BENCH_MEMORY) process.stderr.write(`peak memory MB: ${Object.entries(peak).map(([k, v]) => `${k}=${(v / 1e6).toFixed(0)}`).join(' ')}\n`);
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ ms, status: res.status, objects: res.objects })}\n`);
} else if (mode === 'login') {
  const { AuthInfo } = await import('@salesforce/core');
  const auth = await AuthInfo.create({ accessTokenOptions: { accessToken, instanceUrl, loginUrl: instanceUrl } });
  await auth.save();
  await auth.setAlias(arg);
  process.stdout.write('{}\n');
}
