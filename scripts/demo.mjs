#!/usr/bin/env node
// The README demo: the main job a newcomer watches. Starts the local org with the seeded demo
// data and runs a realistic territory change — Bob leaves, his accounts go to Alice, a key
// account manager — as ops would: plan (nothing written), apply (Bulk API jobs, progress),
// check, undo. Then the other two capabilities: a channel-conflict scan and the MDF report.
//
// Everything runs against a throw-away local org and a throw-away sf auth store; nothing on
// this machine outside a temporary directory is touched.
//   node scripts/demo.mjs [--deploy-first] [--keep]
//     --deploy-first: start the org with only the standard objects and deploy Channel Ops with the
//                     stock sf CLI first, as an admin would (login, deploy, assign permission set)
//     --keep:         leave the org running at the end, to explore
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;
const keep = process.argv.includes('--keep');
const deployFirst = process.argv.includes('--deploy-first');
const sfCli = join(root, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
const work = mkdtempSync(join(tmpdir(), 'channel-ops-demo-'));
const home = join(work, 'home');
const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`, HOME: home, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true', SF_SKIP_NEW_VERSION_CHECK: 'true' };
const alias = 'channel-ops-demo';
const bob = 'rep.bob@channel-ops.local';
const alice = 'kam.alice@channel-ops.local';

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
function step(title, explain) {
  console.log(`\n${bold(`━━ ${title} `.padEnd(78, '━'))}`);
  if (explain) console.log(explain);
}

function plugin(args, opts = {}) {
  return run(join(root, 'bin', 'run.js'), args, opts);
}

/** The stock sf CLI (the project's devDependency), for the admin's steps. */
function sf(args, opts = {}) {
  return run(sfCli, args, opts);
}

function run(script, args, { allowFailure = false, extraEnv = {}, shown = args } = {}) {
  console.log(bold(`$ sf ${shown.join(' ')}`));
  return new Promise((resolve, reject) => {
    const child = spawn(node, [script, ...args], { cwd: root, env: { ...env, ...extraEnv }, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 || allowFailure ? resolve(code) : reject(new Error(`sf ${args.join(' ')} exited with ${code}`))));
  });
}

async function startOrg() {
  const args = deployFirst ? ['--port', '0', '--schema', 'standard'] : ['--port', '0', '--seed', 'demo', '--alias', alias];
  const org = spawn(node, [join(root, 'lib', 'local-org', 'cli.js'), ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  org.stderr.on('data', () => undefined); // the org's log; `npm run local-org` shows it
  const line = await new Promise((resolve, reject) => {
    org.on('error', reject);
    org.on('exit', (code) => reject(new Error(`the local org exited with ${code}`)));
    createInterface({ input: org.stdout }).once('line', resolve);
  });
  return { org, info: JSON.parse(line) };
}

async function deployAsAnAdmin(info) {
  step(
    '0. Deploy Channel Ops, as an admin would',
    'The org starts with only the standard objects. The stock sf CLI logs in, deploys force-app\n' +
      '(objects, fields, validation rules, permission sets, components, record pages) and assigns\n' +
      'the admin permission set; then the demo data is loaded into the new schema.'
  );
  await sf(['org', 'login', 'access-token', '--instance-url', info.instanceUrl, '--alias', alias, '--no-prompt'], {
    extraEnv: { SF_ACCESS_TOKEN: info.accessToken }
  });
  await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', alias]);
  await sf(['org', 'assign', 'permset', '--name', 'Channel_Ops_Admin', '--target-org', alias]);
  const seeded = await fetch(`${info.instanceUrl}/__local/seed`, {
    method: 'POST',
    headers: { authorization: `Bearer ${info.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ scenario: 'demo' })
  });
  if (!seeded.ok) throw new Error(`seeding the demo data failed: ${await seeded.text()}`);
  const { counts } = await seeded.json();
  console.log(`Demo data loaded: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}.`);
}

const { org, info } = await startOrg();
let failed = false;
try {
  step(
    'The local org',
    `A local double of the Salesforce APIs, ${deployFirst ? 'with only the standard objects' : 'seeded with a demo book of business'}, is running at\n${info.instanceUrl}\n` +
      (deployFirst ? `(org ${info.orgId}, user ${info.username}).\n` : `and registered in the sf auth store as "${alias}" (org ${info.orgId}, user ${info.username}).\n`) +
      'Commands are shown as you would type them with the plugin linked into the sf CLI; here they run\n' +
      'through ./bin/run.js, which needs no sf CLI.'
  );

  if (deployFirst) await deployAsAnAdmin(info);
  const plan = join(work, 'bob-leaves');
  step(
    '1. Plan the territory change (writes nothing to the org)',
    `Bob (${bob}) leaves. All his accounts go to Alice (${alice}), a key account manager, with their\n` +
      'open opportunities, contacts, open cases and open activities that Bob owns, as Change Owner does.\n' +
      'The plan checks new owners, KAM capacity and every id, and captures the account and opportunity\n' +
      'teams an API owner change would delete.'
  );
  await plugin(['channel', 'ownership', 'plan', '--target-org', alias, '--from-user', bob, '--to-user', alice, '--output-dir', plan]);

  step('2. Apply the plan', 'Bulk API 2.0 jobs, Account first, children sorted by account; teams put back afterwards.');
  await plugin(['channel', 'ownership', 'apply', '--plan', plan, '--target-org', alias]);

  step('3. Where the apply stands (from its journal in the plan directory)');
  await plugin(['channel', 'ownership', 'status', '--plan', plan]);

  step('4. Undo', 'Every record the apply moved, still owned as it left it, goes back to Bob; teams restored.');
  await plugin(['channel', 'ownership', 'undo', '--plan', plan, '--target-org', alias]);

  step('5. Channel conflicts (dry run)', 'Fuzzy customer matching and the rules of engagement over the whole org.');
  await plugin(['channel', 'conflicts', 'scan', '--target-org', alias]);

  step('6. Market development funds', 'Co-op accruals and expiry of unclaimed funds, then budgets, utilisation, funds at risk and ROI per partner.');
  await plugin(['channel', 'mdf', 'accrue', '--target-org', alias]);
  await plugin(['channel', 'mdf', 'report', '--target-org', alias, '--html', join(work, 'mdf-report.html')]);
} catch (e) {
  failed = true;
  console.error(`\nThe demo stopped: ${e.message}`);
} finally {
  if (keep && !failed) {
    console.log(`\nThe org keeps running (Ctrl-C to stop). Try: HOME=${home} ./bin/run.js channel sync run --target-org ${alias}`);
    await new Promise((resolve) => process.once('SIGINT', resolve));
  }
  org.kill('SIGTERM');
  await new Promise((resolve) => org.once('exit', resolve));
  if (!keep) rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
