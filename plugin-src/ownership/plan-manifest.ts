/**
 * The ownership plan directory's manifest, `plan.json`: the contract between
 * `channel ownership plan` (which writes it) and `apply` / `undo` / `status` (which read it).
 *
 * A plan directory holds only what apply needs and never a secret: no access token, no auth
 * file content. Per-object CSVs sit beside the manifest (see PLAN_OBJECT_CSV_HEADER and the
 * team headers below); `objects` lists them in apply order, Account first.
 */
import { z } from 'zod';
import { isSalesforceId, to18 } from '../domain/ids.js';

export const PLAN_FORMAT_VERSION = 1 as const;
export const PLAN_MANIFEST_FILE = 'plan.json';

const Id18 = z
  .string()
  .refine(isSalesforceId, { message: 'is not a Salesforce record id (15 or 18 characters)' })
  .transform(to18);

/** What cascades with an account (Change Owner's choices), in the user's words. */
export const CASCADE_CHOICES = ['opportunities', 'contacts', 'cases', 'activities'] as const;
export const CascadeChoice = z.enum(CASCADE_CHOICES);
export type CascadeChoice = z.infer<typeof CascadeChoice>;

/** Objects whose owner a plan moves, in apply order (parents first). */
export const PLAN_SOBJECTS = ['Account', 'Opportunity', 'Contact', 'Case', 'Task', 'Event'] as const;
export const PlanSObject = z.enum(PLAN_SOBJECTS);
export type PlanSObject = z.infer<typeof PlanSObject>;

/** The objects each cascade choice moves. */
export const CASCADE_SOBJECTS: Readonly<Record<CascadeChoice, readonly PlanSObject[]>> = {
  opportunities: ['Opportunity'],
  contacts: ['Contact'],
  cases: ['Case'],
  activities: ['Task', 'Event']
};

export const TEAM_SOBJECTS = ['AccountTeamMember', 'OpportunityTeamMember'] as const;
export const TeamSObject = z.enum(TEAM_SOBJECTS);
export type TeamSObject = z.infer<typeof TeamSObject>;

/** Header of every `<SObject>.csv` of moves: 18-char ids, sorted by AccountId then Id. */
export const PLAN_OBJECT_CSV_HEADER = ['Id', 'OldOwnerId', 'NewOwnerId', 'AccountId'] as const;
export const ACCOUNT_TEAM_CSV_HEADER = [
  'Id',
  'AccountId',
  'UserId',
  'TeamMemberRole',
  'AccountAccessLevel',
  'OpportunityAccessLevel',
  'CaseAccessLevel',
  'ContactAccessLevel'
] as const;
export const OPPORTUNITY_TEAM_CSV_HEADER = ['Id', 'OpportunityId', 'UserId', 'TeamMemberRole', 'OpportunityAccessLevel'] as const;

/** A CSV file name inside the plan directory (no path separators, no way out of the directory). */
const PlanFileName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\.csv$/, 'must be a plain .csv file name inside the plan directory')
  .refine((f) => !f.startsWith('.'), 'must not start with a dot');

/** SHA-256 of a plan file as plan wrote it: apply/undo refuse a file changed since (absent in older plans). */
const FileDigest = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex').optional();

export const PlanObjectEntry = z.object({
  sobject: PlanSObject,
  file: PlanFileName,
  rows: z.number().int().nonnegative(),
  sha256: FileDigest
});
export type PlanObjectEntry = z.infer<typeof PlanObjectEntry>;

export const PlanTeamEntry = z.object({
  sobject: TeamSObject,
  file: PlanFileName,
  rows: z.number().int().nonnegative(),
  sha256: FileDigest
});
export type PlanTeamEntry = z.infer<typeof PlanTeamEntry>;

/** One problem found while planning; `row` is the input CSV row as a user counts it (header = 1). */
export const PlanIssue = z.object({
  row: z.number().int().positive().nullable().optional(),
  field: z.string().nullable().optional(),
  code: z.string(),
  message: z.string()
});
export type PlanIssue = z.infer<typeof PlanIssue>;

export const PlanInputs = z.object({
  file: z.string().nullable(),
  fromUser: z.string().nullable().optional(),
  toUser: z.string().nullable().optional(),
  where: z.string().nullable().optional(),
  cascade: z.array(CascadeChoice),
  allowOverCapacity: z.boolean()
});
export type PlanInputs = z.infer<typeof PlanInputs>;

export const PlanChecks = z.object({
  /** Always empty in a written plan: a plan with errors is never written. */
  errors: z.array(PlanIssue),
  warnings: z.array(PlanIssue),
  noOpRows: z.number().int().nonnegative(),
  inputRows: z.number().int().nonnegative()
});
export type PlanChecks = z.infer<typeof PlanChecks>;

export const PlanManifest = z
  .object({
    formatVersion: z.literal(PLAN_FORMAT_VERSION),
    planId: z.uuid(),
    createdAt: z.iso.datetime(),
    orgId: Id18,
    username: z.string().min(1),
    inputs: PlanInputs,
    objects: z.array(PlanObjectEntry),
    teams: z.array(PlanTeamEntry),
    checks: PlanChecks
  })
  .superRefine((m, ctx) => {
    const order = m.objects.map((o) => PLAN_SOBJECTS.indexOf(o.sobject));
    for (let i = 1; i < order.length; i++) {
      if (order[i] <= order[i - 1]) {
        ctx.addIssue({ code: 'custom', path: ['objects', i], message: 'objects must be listed once each, in apply order (Account first)' });
      }
    }
    const teams = new Set<string>();
    for (const [i, t] of m.teams.entries()) {
      if (teams.has(t.sobject)) ctx.addIssue({ code: 'custom', path: ['teams', i], message: `${t.sobject} is listed twice` });
      teams.add(t.sobject);
    }
  });
export type PlanManifest = z.infer<typeof PlanManifest>;

/** Parses a plan.json text; the error names each bad field so a user can see what is wrong with the plan. */
export function parsePlanManifest(text: string): PlanManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${PLAN_MANIFEST_FILE} is not valid JSON: ${(e as Error).message}`);
  }
  const result = PlanManifest.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`).join('; ');
  throw new Error(`${PLAN_MANIFEST_FILE} is not a valid ownership plan: ${problems}`);
}
