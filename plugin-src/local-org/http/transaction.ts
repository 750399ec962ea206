/**
 * All-or-none work against the database (collections with allOrNone, composite): either
 * every change stays, or none does.
 */
import type { Database } from '../database.js';

/** Thrown inside `atomically` to undo the work without it being an error. */
export class RollBack extends Error {
  public constructor() {
    super('rolled back');
  }
}

type Transactional = { transaction?: <T>(fn: () => T) => T };

/** Runs `fn` in one database transaction: if it throws, the database is as it was before. */
export function atomically<T>(db: Database, fn: () => T): T {
  const tx = (db as unknown as Transactional).transaction;
  if (typeof tx === 'function') return tx.call(db, fn) as T;
  return fn();
}
