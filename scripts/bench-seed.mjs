#!/usr/bin/env node
/**
 * Benchmark of the seed generator: `scale:N` generated alone (no database) and seeded into
 * the local org's in-process Database; time, rows per object, heap and RSS.
 *
 *   npm run build && node --expose-gc --max-old-space-size=6144 scripts/bench-seed.mjs [accounts=1000000] [--generate-only]
 *
 * Prints one JSON line with the figures.
 */
import { standardSchema, loadForceApp } from '../lib/local-org/schema.js';
import { Database } from '../lib/local-org/database.js';
import { generateScenario, seedScenario } from '../lib/local-org/seed/index.js';

const N = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const generateOnly = process.argv.includes('--generate-only');
const scenario = `scale:${N}`;
const gc = globalThis.gc ?? (() => {});
const mb = (n) => Math.round(n / 1024 / 1024);
function memory() {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed) };
}

/** user + system CPU time since `start` (less sensitive than wall time to other work on the machine) */
function cpuSeconds(start) {
  const d = process.cpuUsage(start);
  return +((d.user + d.system) / 1e6).toFixed(1);
}

const result = { loadAverage: (await import('node:os')).loadavg().map((x) => +x.toFixed(1)), scenario, node: process.version, baseline: memory() };

// 1. generation alone: the stream, nothing kept (shows the generator's own cost and memory)
{
  const t = performance.now();
  const cpu = process.cpuUsage();
  const { batches } = generateScenario(scenario, { truth: false });
  let rows = 0;
  let peakHeap = 0;
  for (const b of batches) {
    rows += b.rows.length;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  const s = (performance.now() - t) / 1000;
  result.generateOnly = { seconds: +s.toFixed(1), cpuSeconds: cpuSeconds(cpu), rows, rowsPerSecond: Math.round(rows / s), peakHeapMB: mb(peakHeap) };
}

// 2. seeding the in-process database (what `npm run local-org -- --seed scale:N` does)
if (!generateOnly) {
  const schema = standardSchema();
  await loadForceApp(new URL('..', import.meta.url).pathname, schema);
  const db = new Database(schema);
  const t = performance.now();
  const cpu = process.cpuUsage();
  let peakHeap = 0;
  const summary = seedScenario(db, scenario, {
    truth: false,
    onProgress: () => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
  });
  const s = (performance.now() - t) / 1000;
  const rows = Object.values(summary.counts).reduce((a, b) => a + b, 0);
  result.seed = { seconds: +s.toFixed(1), cpuSeconds: cpuSeconds(cpu), rows, rowsPerSecond: Math.round(rows / s), counts: summary.counts, peakHeapMB: mb(peakHeap), after: memory() };
  if (db.count('Account') !== N) throw new Error(`expected ${N} accounts, got ${db.count('Account')}`);
}
console.log(JSON.stringify(result));
