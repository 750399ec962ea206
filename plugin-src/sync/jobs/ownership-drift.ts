/**
 * Ownership drift on key accounts: open opportunities and cases owned by someone who is
 * neither the account's accountable owner (the KAM) nor on its account team. Reported; with
 * `--fix` they move to the account owner through the ownership apply machinery (journal,
 * retries, opportunity teams kept), as a plan any ops engineer can inspect or undo.
 */
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { CsvWriter } from '../../salesforce/csv.js';
import { collectByIds, queryRecords } from '../../salesforce/query.js';
import type { SyncContext, SyncJob, SyncJobOutcome } from '../types.js';

export interface DriftRow {
  accountId: string;
  accountOwnerId: string;
  sobject: 'Opportunity' | 'Case';
  id: string;
  ownerId: string;
}

/** Applies the found drift; provided by the ownership module (writes a plan, then applies it). */
export type DriftFixer = (conn: Connection, drift: DriftRow[], planDir: string) => Promise<{ moved: number; failed: number; planDir: string; errorSummary?: string }>;

const CHILD_OBJECTS = ['Opportunity', 'Case'] as const;

/** The key accounts whose ownership picture may have changed since the watermark. */
async function touchedKeyAccounts(conn: Connection, since: Date | null): Promise<{ ids: Set<string>; read: number }> {
  const ids = new Set<string>();
  let read = 0;
  const after = since ? ` AND SystemModstamp > ${since.toISOString()}` : '';
  for await (const a of queryRecords<{ Id: string }>(conn, `SELECT Id FROM Account WHERE Key_Account__c = true${after}`)) {
    ids.add(a.Id);
    read++;
  }
  if (since) {
    const sources = [
      `SELECT AccountId FROM Opportunity WHERE IsClosed = false AND Account.Key_Account__c = true${after}`,
      `SELECT AccountId FROM Case WHERE IsClosed = false AND Account.Key_Account__c = true${after}`,
      `SELECT AccountId FROM AccountTeamMember WHERE Account.Key_Account__c = true${after}`
    ];
    for (const soql of sources) {
      for await (const r of queryRecords<{ AccountId: string | null }>(conn, soql)) {
        read++;
        if (r.AccountId) ids.add(r.AccountId);
      }
    }
  }
  return { ids, read };
}

/** Drift among the given key accounts, read in chunks of ids. */
export async function findDrift(conn: Connection, accountIds: Iterable<string>): Promise<{ drift: DriftRow[]; read: number }> {
  const ids = [...accountIds];
  const drift: DriftRow[] = [];
  let read = 0;
  const chunkSize = 400;
  for (let i = 0; i < ids.length; i += chunkSize) {
    const chunk = ids.slice(i, i + chunkSize);
    const accounts = await collectByIds<{ Id: string; OwnerId: string }>(conn, { select: 'Id, OwnerId', from: 'Account', where: 'Key_Account__c = true' }, chunk);
    const team = await collectByIds<{ AccountId: string; UserId: string }>(
      conn,
      { select: 'AccountId, UserId', from: 'AccountTeamMember', idField: 'AccountId' },
      chunk
    );
    read += accounts.length + team.length;
    const allowed = new Map<string, Set<string>>();
    for (const a of accounts) allowed.set(a.Id, new Set([a.OwnerId]));
    for (const m of team) allowed.get(m.AccountId)?.add(m.UserId);
    const ownerOf = new Map(accounts.map((a) => [a.Id, a.OwnerId]));
    for (const sobject of CHILD_OBJECTS) {
      const children = await collectByIds<{ Id: string; AccountId: string; OwnerId: string }>(
        conn,
        { select: 'Id, AccountId, OwnerId', from: sobject, idField: 'AccountId', where: 'IsClosed = false', orderBy: 'ORDER BY AccountId, Id' },
        accounts.map((a) => a.Id)
      );
      read += children.length;
      for (const child of children) {
        const ok = allowed.get(child.AccountId);
        if (ok && !ok.has(child.OwnerId)) {
          drift.push({ accountId: child.AccountId, accountOwnerId: ownerOf.get(child.AccountId)!, sobject, id: child.Id, ownerId: child.OwnerId });
        }
      }
    }
  }
  return { drift, read };
}

async function writeDriftReport(path: string, drift: DriftRow[]): Promise<void> {
  const out = new CsvWriter(path, ['SObject', 'Id', 'AccountId', 'CurrentOwnerId', 'AccountOwnerId']);
  for (const d of drift) await out.write([d.sobject, d.id, d.accountId, d.ownerId, d.accountOwnerId]);
  await out.close();
}

export function ownershipDriftJob(fixer?: DriftFixer): SyncJob {
  return {
    name: 'ownership-drift',
    watches: ['Account', 'Opportunity', 'Case', 'AccountTeamMember'],
    async run(ctx: SyncContext): Promise<SyncJobOutcome> {
      const touched = await touchedKeyAccounts(ctx.conn, ctx.since);
      ctx.progress(`ownership-drift: checking ${touched.ids.size} key account(s)`);
      const { drift, read } = await findDrift(ctx.conn, touched.ids);
      const report = join(ctx.workDir, 'drift.csv');
      await writeDriftReport(report, drift);
      const details: Record<string, unknown> = { keyAccountsChecked: touched.ids.size, drift: drift.length, report };
      if (!ctx.fix || drift.length === 0) {
        return { recordsRead: touched.read + read, recordsChanged: 0, errors: 0, details };
      }
      if (!fixer) throw new Error('Fixing ownership drift needs the ownership apply machinery, which is not available.');
      const fixed = await fixer(ctx.conn, drift, join(ctx.workDir, 'fix-plan'));
      return {
        recordsRead: touched.read + read,
        recordsChanged: fixed.moved,
        errors: fixed.failed,
        errorSummary: fixed.errorSummary,
        details: { ...details, moved: fixed.moved, failed: fixed.failed, planDir: fixed.planDir }
      };
    }
  };
}
