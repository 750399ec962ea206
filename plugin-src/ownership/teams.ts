/**
 * Account and opportunity teams across an owner change. Salesforce deletes a record's
 * AccountTeamMember / OpportunityTeamMember rows when its owner changes through the API; the
 * plan captured them, and after the moves we put back the members of every record that moved
 * — and only those missing (queried first), so a re-run never duplicates a member.
 */
import { to18, isSalesforceId } from '../domain/ids.js';
import { readCsvRows } from '../salesforce/csv.js';
import type { Bulk2 } from '../salesforce/bulk2.js';
import { ACCOUNT_TEAM_CSV_HEADER, OPPORTUNITY_TEAM_CSV_HEADER, type PlanManifest, type TeamSObject } from './plan-manifest.js';

export interface TeamSpec {
  sobject: TeamSObject;
  /** The object whose owner change deletes these members. */
  parentSObject: 'Account' | 'Opportunity';
  parentField: 'AccountId' | 'OpportunityId';
  /** Columns sent on insert (the captured member minus its old Id). */
  insertColumns: readonly string[];
}

export const TEAM_SPECS: Readonly<Record<TeamSObject, TeamSpec>> = {
  AccountTeamMember: {
    sobject: 'AccountTeamMember',
    parentSObject: 'Account',
    parentField: 'AccountId',
    insertColumns: ACCOUNT_TEAM_CSV_HEADER.filter((c) => c !== 'Id')
  },
  OpportunityTeamMember: {
    sobject: 'OpportunityTeamMember',
    parentSObject: 'Opportunity',
    parentField: 'OpportunityId',
    insertColumns: OPPORTUNITY_TEAM_CSV_HEADER.filter((c) => c !== 'Id')
  }
};

/** A captured member, keyed for matching: `<parentId>|<userId>`. */
export interface TeamMemberRow {
  key: string;
  parentId: string;
  userId: string;
  /** Cells in the order of insertColumns. */
  cells: string[];
}

/**
 * The captured members of one team object and which of their parents moved in this run. Only
 * parent ids are held in memory; the members are streamed from the plan's CSV when restored.
 */
export class CapturedTeam {
  private readonly moved = new Set<string>();

  public constructor(
    public readonly spec: TeamSpec,
    private readonly path: string,
    private readonly parents: Set<string>,
    public readonly rows: number
  ) {}

  /** Notes that a parent now has the owner the run gives it (moved now or before). */
  public markMoved(parentId: string): void {
    if (this.parents.has(parentId)) this.moved.add(parentId);
  }

  public get movedCount(): number {
    return this.moved.size;
  }

  /** The captured members of the parents that moved, in batches (streamed from the plan). */
  public async *movedMembers(batchSize: number): AsyncGenerator<TeamMemberRow[]> {
    if (this.moved.size === 0) return;
    let batch: TeamMemberRow[] = [];
    for await (const member of readMembers(this.path, this.spec)) {
      if (!this.moved.has(member.parentId)) continue;
      batch.push(member);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}

async function* readMembers(path: string, spec: TeamSpec): AsyncGenerator<TeamMemberRow> {
  const file = path.split(/[\\/]/).pop() ?? path;
  for await (const { row, fields } of readCsvRows(path, { rejectFormulas: false })) {
    const parent = fields[spec.parentField] ?? '';
    const user = fields.UserId ?? '';
    if (!isSalesforceId(parent) || !isSalesforceId(user)) {
      throw new Error(`${file} row ${row}: ${spec.parentField} and UserId must be Salesforce ids. The plan directory was changed by hand or is damaged: re-run channel ownership plan.`);
    }
    yield {
      key: `${to18(parent)}|${to18(user)}`,
      parentId: to18(parent),
      userId: to18(user),
      cells: spec.insertColumns.map((c) => (c === spec.parentField ? to18(parent) : c === 'UserId' ? to18(user) : (fields[c] ?? '')))
    };
  }
}

/** Reads the plan's captured team CSVs (checking every row) and keeps the ids of the parents that have members. */
export async function loadCapturedTeams(planDir: string, manifest: PlanManifest, join: (a: string, b: string) => string): Promise<CapturedTeam[]> {
  const teams: CapturedTeam[] = [];
  for (const entry of manifest.teams) {
    const spec = TEAM_SPECS[entry.sobject];
    const path = join(planDir, entry.file);
    const parents = new Set<string>();
    let rows = 0;
    for await (const member of readMembers(path, spec)) {
      parents.add(member.parentId);
      rows++;
    }
    teams.push(new CapturedTeam(spec, path, parents, rows));
  }
  return teams;
}

/** The `<parentId>|<userId>` keys of the members the parents have now. */
export async function existingMemberKeys(bulk: Bulk2, spec: TeamSpec, parentIds: readonly string[], chunk = 500): Promise<Set<string>> {
  const keys = new Set<string>();
  for (let i = 0; i < parentIds.length; i += chunk) {
    const ids = parentIds.slice(i, i + chunk);
    const soql = `SELECT ${spec.parentField}, UserId FROM ${spec.sobject} WHERE ${spec.parentField} IN ('${ids.join("','")}')`;
    for await (const r of bulk.query(soql)) {
      const parent = r[spec.parentField];
      const user = r.UserId;
      if (typeof parent === 'string' && typeof user === 'string') keys.add(`${to18(parent)}|${to18(user)}`);
    }
  }
  return keys;
}
