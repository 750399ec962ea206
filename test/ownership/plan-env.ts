/**
 * Test environment fixes for jest's vm realms, used by the ownership-plan tests (import first).
 *
 * 1. Errors thrown by Node itself (fs ENOENT ...) come from the main realm, so
 *    `e instanceof Error` is false inside a test's realm; @salesforce/core relies on it (e.g. to
 *    create a missing auth file, and to release its file lock when that fails). Make `Error`
 *    recognise native errors of any realm (subclasses keep their own check).
 */
const realmHasInstance = Function.prototype[Symbol.hasInstance];
Object.defineProperty(Error, Symbol.hasInstance, {
  value(this: unknown, x: unknown): boolean {
    return realmHasInstance.call(this, x) || (this === Error && types.isNativeError(x));
  },
  configurable: true
});

/**
 * 2. Jest runs test modules in a vm context whose `Symbol` lacks Node's `Symbol.dispose`; undici
 * (under jsforce) indexes Node's own `events.addAbortListener` result with it and crashes
 * ("removeAbortListener is not a function"). Give the context Node's symbol. Import first.
 */
import { addAbortListener } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { types } from 'node:util';

const symbols = Symbol as unknown as { dispose?: symbol; asyncDispose?: symbol };
if (typeof symbols.dispose !== 'symbol' || !(symbols.dispose in addAbortListener(new AbortController().signal, () => undefined))) {
  const probe = addAbortListener(new AbortController().signal, () => undefined);
  const [dispose] = Object.getOwnPropertySymbols(probe);
  if (dispose) Object.defineProperty(Symbol, 'dispose', { value: dispose, configurable: true });
}

/**
 * Jest gives each test file its own copy of process.env, so a temporary HOME set there (as
 * withLocalOrg does) does not reach os.homedir(), and @salesforce/core would use the real auth
 * store. Point os.homedir() at a fresh temporary HOME for this file instead, with the auth store
 * files already there (@salesforce/core creates them on ENOENT, but its `instanceof Error` check
 * fails across jest's vm realms). Returns the HOME and a function that undoes it all.
 */
export function useTestHome(): { home: string; env: NodeJS.ProcessEnv; restore: () => void } {
  const original = os.homedir;
  const home = mkdtempSync(join(tmpdir(), 'plan-test-home-'));
  mkdirSync(join(home, '.sfdx'), { recursive: true });
  mkdirSync(join(home, '.sf'), { recursive: true });
  writeFileSync(join(home, '.sfdx', 'alias.json'), JSON.stringify({ orgs: {} }));
  os.homedir = () => home;
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true', SF_USE_PROGRESS_BAR: 'false' };
  return {
    home,
    env,
    restore: () => {
      os.homedir = original;
      rmSync(home, { recursive: true, force: true });
    }
  };
}
