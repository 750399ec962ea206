/**
 * Keeps a long streaming run's memory near its live set. V8 lets garbage pile up in the old
 * generation while there is room (gigabytes on a large machine), so a plan over a million rows
 * that never holds more than a few thousand at once could still show a large RSS. Planning calls
 * `releaseGarbage()` at its natural boundaries (after each sort run, every ~100k accounts) to
 * run a full collection. Uses V8's own gc() (exposed at run time); does nothing if unavailable.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (gc !== undefined) return gc;
  try {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === 'function') gc = existing;
    else {
      setFlagsFromString('--expose-gc');
      const fn = runInNewContext('gc') as unknown;
      gc = typeof fn === 'function' ? (fn as () => void) : null;
    }
  } catch {
    gc = null;
  }
  return gc;
}

/** Runs a full garbage collection if the runtime allows it. */
export function releaseGarbage(): void {
  collector()?.();
}
