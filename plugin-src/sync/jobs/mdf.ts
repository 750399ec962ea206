/**
 * The MDF sync job: co-op accruals and the expiry of unclaimed funds, as `channel mdf accrue`
 * does them. Accrual is a recomputation over the (few) budgets, so incrementality is in
 * deciding whether to run it: nothing relevant changed since the watermark and no claim
 * deadline passed → nothing is read beyond a handful of counts, and nothing is written.
 */
import type { Connection } from '@salesforce/core';
import { runAccrual } from '../../mdf/accrue.js';
import type { SyncContext, SyncJob, SyncJobOutcome } from '../types.js';

/** The changes that can move an accrual or an expiry. */
const TRIGGERS = [
  { sobject: 'Opportunity', where: 'Registered_Partner__c != null' },
  { sobject: 'MDF_Budget__c', where: '' },
  { sobject: 'MDF_Request__c', where: '' },
  { sobject: 'MDF_Claim__c', where: '' }
] as const;

async function changesSince(conn: Connection, since: Date): Promise<number> {
  let total = 0;
  for (const t of TRIGGERS) {
    const where = [t.where, `SystemModstamp > ${since.toISOString()}`].filter(Boolean).join(' AND ');
    total += (await conn.query(`SELECT COUNT() FROM ${t.sobject} WHERE ${where}`)).totalSize;
  }
  return total;
}

/**
 * Approved requests whose claim deadline passed since the last run: they expire whatever else
 * changed. (Overdue requests still waiting on a claim decision change when that claim does.)
 */
async function newlyOverdueRequests(conn: Connection, since: Date | null, asOf: string): Promise<number> {
  const from = since ? ` AND Claim_Deadline__c >= ${new Date(since.getTime() - 86_400_000).toISOString().slice(0, 10)}` : '';
  return (await conn.query(`SELECT COUNT() FROM MDF_Request__c WHERE Status__c = 'Approved' AND Claim_Deadline__c < ${asOf}${from}`)).totalSize;
}

export function mdfJob(): SyncJob {
  return {
    name: 'mdf',
    watches: TRIGGERS.map((t) => t.sobject),
    async run(ctx: SyncContext): Promise<SyncJobOutcome> {
      const asOf = ctx.now.toISOString().slice(0, 10);
      const changed = ctx.since ? await changesSince(ctx.conn, ctx.since) : null;
      const overdue = await newlyOverdueRequests(ctx.conn, ctx.since, asOf);
      if (changed === 0 && overdue === 0) {
        return { recordsRead: 0, recordsChanged: 0, errors: 0, details: { asOf, skipped: 'nothing changed since the last run' } };
      }
      ctx.progress(`mdf: accruing as of ${asOf} (${changed ?? 'all'} change(s), ${overdue} overdue request(s))`);
      const result = await runAccrual(ctx.conn, { asOf });
      const changedRecords = result.budgetsUpdated.length + result.requestsExpired.length + result.requestsClosed.length;
      return {
        recordsRead: (changed ?? 0) + overdue + result.budgetsUpdated.length + result.unchangedBudgets,
        recordsChanged: changedRecords,
        errors: result.failures.length,
        errorSummary: result.failures.length ? result.failures.map((f) => `${f.id}: ${f.message}`).slice(0, 20).join('\n') : undefined,
        details: {
          asOf,
          budgetsUpdated: result.budgetsUpdated.length,
          requestsExpired: result.requestsExpired.length,
          requestsClosed: result.requestsClosed.length,
          awaitingClaimReview: result.awaitingClaimReview.length
        }
      };
    }
  };
}
