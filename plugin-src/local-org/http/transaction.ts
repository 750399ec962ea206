/**
 * All-or-none work against the database (collections with allOrNone, composite): either
 * every change stays, or none does. The database keeps an undo log while a transaction is
 * open; nested writes join it.
 */
import type { Database } from '../database.js';

/** Thrown inside `atomically` to undo the work without it being an error. */
export class RollBack extends Error {
  public constructor() {
    super('rolled back');
  }
}

interface Transactional {
  transaction?: <T>(fn: () => T) => T;
  undoLog?: Array<() => void> | null;
}

/** Runs `fn` in one database transaction: if it throws, the database is as it was before. */
export function atomically<T>(db: Database, fn: () => T): T {
  const tx = (db as unknown as Transactional).transaction;
  if (typeof tx === 'function') return tx.call(db, fn) as T;
  return fn();
}

/**
 * As `atomically`, for work that awaits only already-settled promises (composite sub-requests
 * run in-process, no I/O in between), so no other request can interleave. `fn` answers
 * whether to keep the changes.
 */
export async function atomicallyAsync(db: Database, fn: () => Promise<boolean>): Promise<boolean> {
  const t = db as unknown as Transactional;
  if (!('undoLog' in t) || t.undoLog) return fn();
  t.undoLog = [];
  let keep = false;
  try {
    keep = await fn();
  } finally {
    const log = t.undoLog ?? [];
    t.undoLog = null;
    if (!keep) for (let i = log.length - 1; i >= 0; i--) log[i]();
  }
  return keep;
}
