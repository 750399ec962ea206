/**
 * Fixes ownership drift the way an ops engineer would: a plan directory (the same format as
 * `channel ownership plan` writes, so `channel ownership status/undo --plan` work on it), then
 * the ownership apply machinery: Bulk API jobs, journal, retries, and the opportunity teams
 * that an owner change deletes put back.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { CsvWriter } from '../../salesforce/csv.js';
import { collectByIds } from '../../salesforce/query.js';
import { applyPlan } from '../../ownership/apply.js';
import {
  ACCOUNT_TEAM_CSV_HEADER,
  OPPORTUNITY_TEAM_CSV_HEADER,
  PLAN_FORMAT_VERSION,
  PLAN_MANIFEST_FILE,
  PLAN_OBJECT_CSV_HEADER,
  type PlanManifest
} from '../../ownership/plan-manifest.js';
import type { DriftFixer, DriftRow } from './ownership-drift.js';

interface OppTeamMember {
  Id: string;
  OpportunityId: string;
  UserId: string;
  TeamMemberRole: string | null;
  OpportunityAccessLevel: string | null;
}

async function writeMoves(path: string, rows: DriftRow[]): Promise<number> {
  const out = new CsvWriter(path, PLAN_OBJECT_CSV_HEADER, true);
  const sorted = [...rows].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.id.localeCompare(b.id));
  for (const r of sorted) await out.write([r.id, r.ownerId, r.accountOwnerId, r.accountId]);
  await out.close();
  return sorted.length;
}

export async function writeDriftPlan(conn: Connection, drift: DriftRow[], planDir: string): Promise<PlanManifest> {
  mkdirSync(planDir, { recursive: true });
  const opps = drift.filter((d) => d.sobject === 'Opportunity');
  const cases = drift.filter((d) => d.sobject === 'Case');
  const objects: PlanManifest['objects'] = [];
  if (opps.length > 0) objects.push({ sobject: 'Opportunity', file: 'Opportunity.csv', rows: await writeMoves(join(planDir, 'Opportunity.csv'), opps) });
  if (cases.length > 0) objects.push({ sobject: 'Case', file: 'Case.csv', rows: await writeMoves(join(planDir, 'Case.csv'), cases) });

  const members = await collectByIds<OppTeamMember>(
    conn,
    { select: 'Id, OpportunityId, UserId, TeamMemberRole, OpportunityAccessLevel', from: 'OpportunityTeamMember', idField: 'OpportunityId' },
    opps.map((o) => o.id)
  );
  const team = new CsvWriter(join(planDir, 'OpportunityTeamMember.csv'), OPPORTUNITY_TEAM_CSV_HEADER, true);
  for (const m of members) await team.write([m.Id, m.OpportunityId, m.UserId, m.TeamMemberRole ?? '', m.OpportunityAccessLevel ?? '']);
  await team.close();
  const accountTeam = new CsvWriter(join(planDir, 'AccountTeamMember.csv'), ACCOUNT_TEAM_CSV_HEADER, true);
  await accountTeam.close();

  const identity = await conn.query<{ Id: string }>('SELECT Id FROM Organization LIMIT 1');
  const manifest: PlanManifest = {
    formatVersion: PLAN_FORMAT_VERSION,
    planId: randomUUID(),
    createdAt: new Date().toISOString(),
    orgId: identity.records[0].Id,
    username: conn.getUsername() ?? 'unknown',
    inputs: { file: null, fromUser: null, toUser: null, where: 'ownership drift on key accounts (channel sync run)', cascade: [], allowOverCapacity: true },
    objects,
    teams: [
      { sobject: 'AccountTeamMember', file: 'AccountTeamMember.csv', rows: 0 },
      { sobject: 'OpportunityTeamMember', file: 'OpportunityTeamMember.csv', rows: members.length }
    ],
    checks: { errors: [], warnings: [], noOpRows: 0, inputRows: drift.length }
  };
  writeFileSync(join(planDir, PLAN_MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  return manifest;
}

/** Moves drifted children to their key account's owner through `channel ownership apply`'s engine. */
export const fixDriftWithApply: DriftFixer = async (conn, drift, planDir) => {
  const manifest = await writeDriftPlan(conn, drift, planDir);
  const result = await applyPlan(conn, { planDir, orgId: manifest.orgId });
  const moved = result.objects.reduce((n, o) => n + o.succeeded, 0);
  const failed = result.objects.reduce((n, o) => n + o.failed, 0) + result.teamMembersFailed;
  return {
    moved,
    failed,
    planDir,
    errorSummary: failed > 0 ? `${failed} row(s) could not be moved; see ${result.failureFiles.join(', ')}` : undefined
  };
};
