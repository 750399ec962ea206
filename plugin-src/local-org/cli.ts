#!/usr/bin/env node
/**
 * `npm run local-org -- [--port N] [--seed S] [--faults JSON|FILE] [--data-dir D] [--alias NAME] [--schema force-app|standard]`
 *
 * Starts the local org and prints ONE JSON line to stdout when it is ready:
 *   {"instanceUrl": "...", "accessToken": "...", "username": "...", "orgId": "..."}
 * then serves until SIGINT/SIGTERM. Everything else goes to stderr.
 *
 * Targeting it with the stock sf CLI (works over plain http; sf warns "Using insecure protocol"):
 *   SF_ACCESS_TOKEN='<accessToken>' sf org login access-token --instance-url <instanceUrl> --alias local --no-prompt
 *   sf data query -q "SELECT Id, Name, Owner.Name FROM Account LIMIT 5" -o local
 *   sf data update bulk --sobject Account --file owners.csv -o local --wait 5
 * or start it with `--alias local`, which registers it in the sf auth store directly.
 * With `--data-dir`, the org id and token survive restarts, so the registration stays valid
 * as long as the port is the same (`--port`).
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startLocalOrg, type LocalOrg } from './server.js';
import { parseFaultArg } from './faults.js';

const USAGE = `Usage: npm run local-org -- [options]
  --port N                 port on 127.0.0.1 (default 0: any free port)
  --seed SCENARIO          demo | scale:N | path/to/scenario.json
  --faults JSON|FILE       fault injection, e.g. '{"lockRowRate":0.05,"seed":1}'
  --data-dir DIR           persist the org in DIR (snapshot on exit, loaded at start)
  --alias NAME             register the org in the sf auth store under NAME
  --schema force-app|standard   objects from force-app (default) or standard objects only
  --force-app DIR          where force-app is (default: this project's)

Log in with the stock sf CLI:
  SF_ACCESS_TOKEN='<accessToken>' sf org login access-token --instance-url <instanceUrl> --alias local --no-prompt`;

function log(line: string): void {
  process.stderr.write(`[local-org] ${line}\n`);
}

async function registerAlias(org: LocalOrg, alias: string): Promise<void> {
  const { AuthInfo } = await import('@salesforce/core');
  const authInfo = await AuthInfo.create({
    accessTokenOptions: { accessToken: org.accessToken, instanceUrl: org.instanceUrl, loginUrl: org.instanceUrl }
  });
  await authInfo.save();
  await authInfo.setAlias(alias);
  log(`registered as alias ${alias} (${org.username}); try: sf data query -q "SELECT Id, Name FROM Account LIMIT 5" -o ${alias}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
      'data-dir': { type: 'string' },
      alias: { type: 'string' },
      schema: { type: 'string' },
      'force-app': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    strict: true
  });
  if (values.help) {
    process.stderr.write(USAGE + '\n');
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`);
  if (values.schema !== undefined && values.schema !== 'force-app' && values.schema !== 'standard') {
    throw new Error(`--schema must be force-app or standard, got ${values.schema}`);
  }
  const faults = values.faults ? await parseFaultArg(values.faults) : undefined;
  const started = Date.now();
  const org = await startLocalOrg({
    port,
    seed: values.seed,
    faults,
    dataDir: values['data-dir'] ? resolve(values['data-dir']) : undefined,
    forceAppDir: values['force-app'] ? resolve(values['force-app']) : undefined,
    schema: values.schema as 'force-app' | 'standard' | undefined,
    log
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    org.close().then(
      () => process.exit(0),
      (e: unknown) => {
        log(`error while stopping: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      }
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (values.alias) await registerAlias(org, values.alias);
  log(`ready in ${Date.now() - started} ms; RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
  process.stdout.write(JSON.stringify({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, username: org.username, orgId: org.orgId }) + '\n');
}

main().catch((e: unknown) => {
  log(`failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
