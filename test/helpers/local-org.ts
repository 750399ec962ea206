/**
 * Starts the local org in-process for an end-to-end test, with a throw-away sf auth store.
 *
 *   const org = await withLocalOrg({ seed: 'demo' });
 *   try {
 *     const conn = await org.connection();                       // @salesforce/core Connection
 *     spawnSync(node, ['bin/run.js', 'channel', ..., '--target-org', org.alias], { env: org.env });
 *   } finally {
 *     await org.close();                                         // stops the server, removes HOME
 *   }
 *
 * While the org is up, the home directory @salesforce/core sees is the temporary HOME (so
 * in-process `Org.create({ aliasOrUsername: org.alias })` finds the registration and the
 * real ~/.sf is never touched); close() restores it. Child processes get `org.env`.
 *
 * Jest gives each test file a copy of process.env, which node:os does not read, so the
 * helper also points os.homedir() at the temporary HOME. It pre-creates .sfdx/alias.json
 * because @salesforce/core's "file not found" check (`instanceof Error`) fails across
 * jest's realms.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthInfo, Connection, StateAggregator } from '@salesforce/core';
import { startLocalOrg, type LocalOrg, type LocalOrgOptions } from '../../plugin-src/local-org/server.js';

export interface TestOrg extends LocalOrg {
  alias: string;
  home: string;
  /** Environment for child processes (bin/run.js, sf): the temporary HOME, telemetry off. */
  env: NodeJS.ProcessEnv;
  /** A @salesforce/core Connection to the org, as production code gets one. */
  connection(): Promise<Connection>;
}

let counter = 0;

export async function withLocalOrg(opts: LocalOrgOptions & { alias?: string } = {}): Promise<TestOrg> {
  const { alias: wanted, ...orgOpts } = opts;
  const alias = wanted ?? `local-org-${process.pid}-${++counter}`;
  const org = await startLocalOrg(orgOpts);
  const home = await mkdtemp(join(tmpdir(), 'channel-ops-home-'));
  const previous = {
    HOME: process.env.HOME,
    SF_DISABLE_TELEMETRY: process.env.SF_DISABLE_TELEMETRY,
    SF_AUTOUPDATE_DISABLE: process.env.SF_AUTOUPDATE_DISABLE,
    SF_USE_PROGRESS_BAR: process.env.SF_USE_PROGRESS_BAR
  };
  const realHomedir = os.homedir;
  await mkdir(join(home, '.sfdx'), { recursive: true });
  await writeFile(join(home, '.sfdx', 'alias.json'), JSON.stringify({ orgs: {} }));
  await mkdir(join(home, '.sf'), { recursive: true });
  await writeFile(join(home, '.sf', 'config.json'), '{}');
  os.homedir = () => home;
  process.env.HOME = home;
  process.env.SF_DISABLE_TELEMETRY = 'true';
  process.env.SF_AUTOUPDATE_DISABLE = 'true';
  process.env.SF_USE_PROGRESS_BAR = 'false';
  let authInfo: AuthInfo;
  try {
    StateAggregator.clearInstance();
    authInfo = await AuthInfo.create({
      accessTokenOptions: { accessToken: org.accessToken, instanceUrl: org.instanceUrl, loginUrl: org.instanceUrl }
    });
    await authInfo.save();
    await authInfo.setAlias(alias);
  } catch (e) {
    restore(previous, home, realHomedir);
    await org.close();
    await rm(home, { recursive: true, force: true });
    throw e;
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_USE_PROGRESS_BAR: 'false'
  };
  let closed = false;
  return {
    ...org,
    alias,
    home,
    env,
    connection: () => Connection.create({ authInfo }),
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      restore(previous, home, realHomedir);
      await org.close();
      await rm(home, { recursive: true, force: true });
    }
  };
}

function restore(previous: Record<string, string | undefined>, home: string, realHomedir: () => string): void {
  StateAggregator.clearInstance();
  if (os.homedir() === home) os.homedir = realHomedir;
  for (const [key, value] of Object.entries(previous)) {
    if (key === 'HOME' && process.env.HOME !== home) continue;
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}
