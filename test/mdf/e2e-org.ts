/**
 * The local org for the MDF end-to-end test, with a throw-away sf auth store.
 *
 * Why not test/helpers/local-org.ts withLocalOrg() directly: inside jest's VM context,
 * @salesforce/core's file handling breaks (its `err instanceof Error` checks fail on errors
 * from Node's fs, which come from another realm, so ConfigFile.write() leaves its lock held),
 * and os.homedir() ignores process.env.HOME set from a test. So the org runs in-process, the
 * alias is registered by a child Node process (a real realm) with HOME set to a temporary
 * directory, and the test talks to the org through a plain jsforce connection, which touches
 * no auth files. Child processes (bin/run.js) get `env`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsforce from 'jsforce';
import { startLocalOrg, type LocalOrg, type LocalOrgOptions } from '../../plugin-src/local-org/server.js';

export interface E2eOrg {
  org: LocalOrg;
  alias: string;
  home: string;
  env: NodeJS.ProcessEnv;
  conn: jsforce.Connection;
  close(): Promise<void>;
}

const ROOT = process.cwd();
export const NODE = join(ROOT, 'node_modules/.bin/node');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, args, { env, cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const REGISTER = `
const { AuthInfo } = await import('@salesforce/core');
const { LOCAL_TOKEN: accessToken, LOCAL_URL: instanceUrl, LOCAL_ALIAS: alias } = process.env;
const auth = await AuthInfo.create({ accessTokenOptions: { accessToken, instanceUrl, loginUrl: instanceUrl } });
await auth.save();
await auth.setAlias(alias);
`;

export async function startE2eOrg(opts: LocalOrgOptions = {}): Promise<E2eOrg> {
  const org = await startLocalOrg(opts);
  const home = await mkdtemp(join(tmpdir(), 'channel-ops-mdf-home-'));
  const alias = `mdf-e2e-${process.pid}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_USE_PROGRESS_BAR: 'false'
  };
  try {
    // the access token goes to the child through its environment, never its arguments
    const reg = await run(['--input-type=module', '-e', REGISTER], {
      ...env,
      LOCAL_TOKEN: org.accessToken,
      LOCAL_URL: org.instanceUrl,
      LOCAL_ALIAS: alias
    });
    if (reg.code !== 0)
      throw new Error(`Could not register the local org in the test auth store:\n${reg.out}`);
  } catch (e) {
    await org.close();
    await rm(home, { recursive: true, force: true });
    throw e;
  }
  const conn = new jsforce.Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    version: '62.0'
  });
  return {
    org,
    alias,
    home,
    env,
    conn,
    async close(): Promise<void> {
      await org.close();
      await rm(home, { recursive: true, force: true });
    }
  };
}
