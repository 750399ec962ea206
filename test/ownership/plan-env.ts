/**
 * Test environment fixes for jest's vm realms, used by the ownership-plan tests (import first).
 */
import { addAbortListener } from 'node:events';
import { types } from 'node:util';

/**
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
 *    (under jsforce) indexes Node's own `events.addAbortListener` result with it and crashes
 *    ("removeAbortListener is not a function"). Give the context Node's symbol.
 */
const symbols = Symbol as unknown as { dispose?: symbol };
const probe = addAbortListener(new AbortController().signal, () => undefined);
if (typeof symbols.dispose !== 'symbol' || !(symbols.dispose in probe)) {
  const [dispose] = Object.getOwnPropertySymbols(probe);
  if (dispose) Object.defineProperty(Symbol, 'dispose', { value: dispose, configurable: true });
}
