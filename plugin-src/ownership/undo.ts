/**
 * Undo of an applied plan: every record still owned as the plan left it (the plan's new
 * owner) goes back to its old owner, and the captured teams are put back. It is the apply
 * machinery with the owners swapped, journaled separately (undo-journal.jsonl, undo-*.csv) so
 * it is resumable the same way; records whose owner changed since are reported as drift.
 */
import type { OrgSession } from '../salesforce/bulk2.js';
import { runOwnershipPlan, type OwnershipRunOptions, type OwnershipRunResult } from './apply.js';

export function undoPlan(session: OrgSession, opts: Omit<OwnershipRunOptions, 'mode'>): Promise<OwnershipRunResult> {
  return runOwnershipPlan(session, { ...opts, mode: 'undo' });
}
