/**
 * The conflicts sync job: re-evaluates only the customers touched since the watermark, with
 * the same engine and conflict keys as `channel conflicts scan --write`. For each open
 * opportunity that changed (itself, its account or its line items) it runs the targeted
 * check (the customer's look-alike accounts only), upserts what holds and auto-resolves the
 * Open conflicts of those opportunities that no longer do. A first run, `--full`, or a change
 * set too large for targeted checks runs the full scan instead.
 */
import type { Connection } from '@salesforce/core';
import { checkOpportunity } from '../../conflicts/check.js';
import { CONFLICT_OBJECT, KEY_FIELD, PERSON_STATUSES, conflictRecord, scanConflicts, updateComposite, upsertComposite, type ScanConflict, type WriteFailure } from '../../conflicts/scan.js';
import { collectByIds, queryRecords, type QueryConnection } from '../../salesforce/query.js';
import type { SyncContext, SyncJob, SyncJobOutcome } from '../types.js';

/** Beyond this many touched opportunities a full scan is cheaper than targeted checks. */
export const TARGETED_LIMIT = 500;

const q = (conn: Connection): QueryConnection => conn as unknown as QueryConnection;

/** Opportunities whose conflicts may have changed: changed themselves, or their account or line items did. */
async function touchedOpportunities(conn: Connection, since: Date): Promise<{ ids: Set<string>; read: number }> {
  const after = `SystemModstamp > ${since.toISOString()}`;
  const ids = new Set<string>();
  let read = 0;
  for await (const o of queryRecords<{ Id: string }>(q(conn), `SELECT Id FROM Opportunity WHERE ${after}`)) {
    ids.add(o.Id);
    read++;
  }
  for await (const l of queryRecords<{ OpportunityId: string }>(q(conn), `SELECT OpportunityId FROM OpportunityLineItem WHERE ${after}`)) {
    ids.add(l.OpportunityId);
    read++;
  }
  const accounts: string[] = [];
  for await (const a of queryRecords<{ Id: string }>(q(conn), `SELECT Id FROM Account WHERE ${after}`)) {
    accounts.push(a.Id);
    read++;
  }
  for (const o of await collectByIds<{ Id: string }>(q(conn), { select: 'Id', from: 'Opportunity', idField: 'AccountId', where: 'IsClosed = false' }, accounts)) {
    ids.add(o.Id);
    read++;
  }
  return { ids, read };
}

async function fullScan(ctx: SyncContext, asOf: string): Promise<SyncJobOutcome> {
  const result = await scanConflicts(ctx.conn, { asOf, write: true, onStage: (s) => ctx.progress(`conflicts: ${s}`) });
  return {
    recordsRead: result.read.accounts + result.read.opportunities + result.read.lineItems,
    recordsChanged: result.written.created + result.written.updated + result.written.autoResolved,
    errors: result.failures.length,
    errorSummary: summarise(result.failures),
    details: { mode: 'full scan', found: result.counts.total, ...result.written }
  };
}

function summarise(failures: WriteFailure[]): string | undefined {
  return failures.length ? failures.slice(0, 20).map((f) => `${f.operation} ${f.key}: ${f.errors}`).join('\n') : undefined;
}

export function conflictsJob(): SyncJob {
  return {
    name: 'conflicts',
    watches: ['Account', 'Opportunity', 'OpportunityLineItem'],
    async run(ctx: SyncContext): Promise<SyncJobOutcome> {
      const asOf = ctx.now.toISOString().slice(0, 10);
      if (!ctx.since) return fullScan(ctx, asOf);
      const touched = await touchedOpportunities(ctx.conn, ctx.since);
      if (touched.ids.size === 0) return { recordsRead: touched.read, recordsChanged: 0, errors: 0, details: { mode: 'incremental', opportunitiesChecked: 0 } };
      if (touched.ids.size > TARGETED_LIMIT) return fullScan(ctx, asOf);

      ctx.progress(`conflicts: checking ${touched.ids.size} changed opportunit(ies)`);
      const found = new Map<string, ScanConflict>();
      for (const id of touched.ids) {
        const check = await checkOpportunity(ctx.conn, id, asOf);
        for (const c of check.conflicts) found.set(c.key, c);
      }
      const failures: WriteFailure[] = [];
      const now = ctx.now.toISOString();
      const upserts = [...found.values()]
        .filter((c) => c.existingStatus === null || !PERSON_STATUSES.has(c.existingStatus))
        .map((c) => conflictRecord(c, c.existingStatus === null ? now : undefined));
      const written = upserts.length ? await upsertComposite(ctx.conn, upserts, failures) : { created: 0, updated: 0 };

      // Open conflicts of the touched opportunities that the rules no longer find.
      const ids = [...touched.ids];
      const open = [
        ...(await collectByIds<{ Id: string; Conflict_Key__c: string }>(q(ctx.conn), { select: `Id, ${KEY_FIELD}`, from: CONFLICT_OBJECT, idField: 'Opportunity__c', where: "Status__c = 'Open'" }, ids)),
        ...(await collectByIds<{ Id: string; Conflict_Key__c: string }>(q(ctx.conn), { select: `Id, ${KEY_FIELD}`, from: CONFLICT_OBJECT, idField: 'Conflicting_Opportunity__c', where: "Status__c = 'Open'" }, ids))
      ];
      const stale = new Map(open.filter((c) => !found.has(c.Conflict_Key__c)).map((c) => [c.Id, c]));
      const note = `Auto-resolved: no longer detected by the conflicts sync of ${asOf}.`;
      const autoResolved = stale.size
        ? await updateComposite(
            ctx.conn,
            [...stale.values()].map((c) => ({ id: c.Id, key: c.Conflict_Key__c, fields: { Status__c: 'Auto-Resolved', Resolution__c: note, Resolved_At__c: now } })),
            failures
          )
        : 0;
      return {
        recordsRead: touched.read + open.length,
        recordsChanged: written.created + written.updated + autoResolved,
        errors: failures.length,
        errorSummary: summarise(failures),
        details: { mode: 'incremental', opportunitiesChecked: touched.ids.size, found: found.size, ...written, autoResolved }
      };
    }
  };
}
