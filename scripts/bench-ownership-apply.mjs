#!/usr/bin/env node
/**
 * Benchmark of `channel ownership apply` against a raw Bulk API 2.0 upload, on one local org
 * (in its own process) holding N accounts (default 100,000) owned by Alice. Each measurement
 * moves all N accounts to Bob with an `Id,OwnerId` CSV (no cascade); between measurements an
 * untimed raw upload gives them back to Alice.
 *
 *   (a)  jsforce conn.bulk2.loadAndWaitForResults (its default 1 s poll, and a 100 ms poll)
 *   (a') the same raw upload timed as a whole node process (start-up, jsforce import, CSV read)
 *   (b)  our apply engine (lib/ownership/apply.js) on the same footing: time inside one process
 *   (b') `channel ownership apply --plan DIR` as a user runs it: whole process, with CLI start-up,
 *        and its peak RSS
 *   (c)  `sf data update bulk` of the same CSV (stock CLI, node_modules, polls every 5 s), whole process
 *
 * Usage: npm run build && node_modules/.bin/node scripts/bench-ownership-apply.mjs [N] [--rounds K] [--skip-sf] [--quick] [--undo]
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
// The stock sf CLI, run on the project's Node 22 (its undici needs it).
const SF = join(ROOT, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
const N = Number(process.argv.slice(2).find((a, i, all) => /^\d+$/.test(a) && all[i - 1] !== '--rounds') ?? 100_000);
const skipSf = process.argv.includes('--skip-sf');
// --quick: one round of (a) and (b') only, e.g. to read the apply process's peak RSS at 1M rows.
const quick = process.argv.includes('--quick');
// --undo: also time `channel ownership undo` of the CLI apply (and its peak RSS).
const withUndo = process.argv.includes('--undo');
// --rounds K: measure K rounds (default 3); figures are given as best and median of the rounds.
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3;
const work = mkdtempSync(join(tmpdir(), 'bench-apply-'));
const home = join(work, 'home');
const env = { ...process.env, HOME: home, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true', SF_USE_PROGRESS_BAR: 'false' };

function run(cmd, args, { measureRss = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(measureRss ? '/usr/bin/time' : cmd, measureRss ? ['-f', '__RSS_KB=%M', cmd, ...args] : args, { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const rss = /__RSS_KB=(\d+)/.exec(stderr);
      resolve({ code, ms, stdout, stderr, rssMb: rss ? Number(rss[1]) / 1024 : undefined });
    });
  });
}

const json = (text) => JSON.parse(text.trim().split('\n').filter(Boolean).at(-1));

async function main() {
  console.log(`bench-ownership-apply: ${N.toLocaleString('en')} accounts`);
  const org = spawn(NODE, [join(ROOT, 'scripts', 'bench-ownership-apply.org.mjs'), String(N)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise((resolve) => createInterface({ input: org.stdout }).once('line', resolve));
  const o = JSON.parse(first);
  try {
    const toBob = join(work, 'to-bob.csv');
    const toAlice = join(work, 'to-alice.csv');
    const ids = Array.from({ length: N }, (_, i) => i + 1);
    const { makeId } = await import('../lib/domain/ids.js');
    writeFileSync(toBob, `Id,OwnerId\n${ids.map((i) => `${makeId('001', i, 'BEN')},${o.bob}\n`).join('')}`);
    writeFileSync(toAlice, `Id,OwnerId\n${ids.map((i) => `${makeId('001', i, 'BEN')},${o.alice}\n`).join('')}`);
    const helper = join(ROOT, 'scripts', 'bench-ownership-apply.raw.mjs');
    const raw = (file, poll) => run(NODE, [helper, 'raw', o.instanceUrl, o.accessToken, file, ...(poll ? [String(poll)] : [])]);
    const reset = async () => {
      const r = await raw(toAlice, 100);
      if (r.code !== 0) throw new Error(`reset failed: ${r.stderr}`);
    };
    await run(NODE, [helper, 'login', o.instanceUrl, o.accessToken, 'bench']);

    // The plan of the same moves, made by the real plan command (untimed).
    const plan = join(work, 'plan');
    const planned = await run(NODE, ['bin/run.js', 'channel', 'ownership', 'plan', '--target-org', 'bench', '--file', toBob, '--cascade', 'none', '--output-dir', plan, '--json']);
    if (planned.code !== 0) throw new Error(`plan failed: ${planned.stdout}${planned.stderr}`);
    const freshPlan = (name) => {
      const dir = join(work, name);
      cpSync(plan, dir, { recursive: true });
      return dir;
    };

    const figures = [];
    const record = (label, ms, extra = '') => {
      figures.push({ label, ms });
      console.log(`${label.padEnd(58)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${extra}`);
    };
    const rounds = quick ? 1 : ROUNDS;
    for (let round = 1; round <= rounds; round++) {
      console.log(`-- round ${round}`);
      const a = await raw(toBob, undefined);
      record('(a)  jsforce loadAndWaitForResults, default 1 s poll', json(a.stdout).ms, `${json(a.stdout).ok} ok`);
      record("(a') the same, timed as a whole node process", a.ms);
      await reset();
      if (!quick) {
        const a2 = await raw(toBob, 100);
        record('(a2) jsforce loadAndWaitForResults, 100 ms poll', json(a2.stdout).ms, `${json(a2.stdout).ok} ok`);
        await reset();
        const b = await run(NODE, [helper, 'engine', o.instanceUrl, o.accessToken, freshPlan(`plan-engine-${round}`)]);
        if (b.code !== 0) throw new Error(b.stderr);
        record('(b)  our apply engine, in one process', json(b.stdout).ms, json(b.stdout).status);
        await reset();
      }
      const cliPlan = freshPlan(`plan-cli-${round}`);
      const b2 = await run(NODE, ['bin/run.js', 'channel', 'ownership', 'apply', '--plan', cliPlan, '--target-org', 'bench', '--json'], { measureRss: true });
      record("(b') channel ownership apply, whole process", b2.ms, `exit ${b2.code}, peak RSS ${b2.rssMb?.toFixed(0)} MB`);
      if (withUndo) {
        const u = await run(NODE, ['bin/run.js', 'channel', 'ownership', 'undo', '--plan', cliPlan, '--target-org', 'bench', '--json'], { measureRss: true });
        record('(u)  channel ownership undo of it, whole process', u.ms, `exit ${u.code}, peak RSS ${u.rssMb?.toFixed(0)} MB`);
      }
      await reset();
      if (!skipSf && !quick && existsSync(SF)) {
        const c = await run(NODE, [SF, 'data', 'update', 'bulk', '--sobject', 'Account', '--file', toBob, '--wait', '30', '--target-org', 'bench', '--json']);
        record('(c)  sf data update bulk, whole process (5 s poll)', c.ms, `exit ${c.code}`);
        if (c.code !== 0) console.log(`     sf said: ${(c.stdout || c.stderr).replace(/\s+/g, ' ').slice(0, 400)}`);
        await reset();
      }
    }
    if (quick) return;
    const of = (prefix) => figures.filter((f) => f.label.startsWith(prefix)).map((f) => f.ms).sort((x, y) => x - y);
    const best = (prefix) => of(prefix)[0];
    const median = (prefix) => {
      const v = of(prefix);
      return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    };
    for (const [name, pick] of [['best', best], ['median', median]]) {
      console.log(`-- ${name} of ${rounds} rounds`);
      console.log(`(b) / (a)  = ${(pick('(b) ') / pick('(a) ')).toFixed(2)}   (target <= 1.10)`);
      console.log(`(b) / (a2) = ${(pick('(b) ') / pick('(a2)')).toFixed(2)}`);
      console.log(`(b') / (a) = ${(pick("(b')") / pick('(a) ')).toFixed(2)}   (includes CLI start-up and login)`);
      console.log(`(b') / (a') = ${(pick("(b')") / pick("(a')")).toFixed(2)}   (both whole processes)`);
    }
  } finally {
    org.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
