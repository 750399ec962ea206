/**
 * Ownership planning: turns a moves CSV (or a rule: from one user to another, with an optional
 * condition on Account) into a plan directory that `channel ownership apply` executes. Nothing
 * is written to the org.
 *
 * How it stays within bounded memory for a million accounts and their children:
 *   1. The input is read once as a stream; each valid row goes to an external sorter keyed by
 *      AccountId (then row), the distinct new owners are collected (few), problems are recorded.
 *   2. New owners are resolved (Id, username or email) in id/value chunks.
 *   3. The sorted rows are merged back in AccountId order; duplicates are adjacent. They are
 *      processed in chunks of a few thousand accounts: account owners looked up, no-ops counted,
 *      open children owned by the old owner and the team members queried, and every per-object
 *      CSV appended. Because chunks come in AccountId order and each chunk's rows are sorted by
 *      (AccountId, Id), every file ends up sorted by AccountId then Id without a second sort.
 *   4. KAM capacity is checked at the end (current key accounts + planned in − planned out).
 * Everything is written to a hidden working directory beside the output directory; only when
 * every check has passed is it renamed to the output directory. With any error, nothing is
 * left behind and every problem is reported together with its row.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isSalesforceId, keyPrefixOf, STANDARD_KEY_PREFIXES, to18 } from '../domain/ids.js';
import { UserRecord, parseRecord } from '../domain/records.js';
import { CsvFormatError, CsvWriter, readCsvRows } from '../salesforce/csv.js';
import { collectByIds, queryPages, soqlId, soqlString, type QueryConnection } from '../salesforce/query.js';
import { safeAccountCondition, SoqlConditionError, type ConditionField } from '../salesforce/soql-condition.js';
import {
  ACCOUNT_TEAM_CSV_HEADER,
  CASCADE_CHOICES,
  CASCADE_SOBJECTS,
  OPPORTUNITY_TEAM_CSV_HEADER,
  PLAN_FORMAT_VERSION,
  PLAN_MANIFEST_FILE,
  PLAN_OBJECT_CSV_HEADER,
  PLAN_SOBJECTS,
  PlanManifest,
  type CascadeChoice,
  type PlanIssue,
  type PlanObjectEntry,
  type PlanSObject,
  type PlanTeamEntry,
  type TeamSObject
} from './plan-manifest.js';
import { fileSha256 } from './plan-files.js';
import { releaseGarbage } from './plan-memory.js';
import { ExternalSorter } from './plan-sort.js';

// ---------------------------------------------------------------------------------------------
// Inputs, outputs, errors

/** What planning needs from the org: queries and describes (a jsforce / @salesforce/core Connection fits). */
export interface PlanOrg extends QueryConnection {
  describe(sobject: string): PromiseLike<{ fields: readonly ConditionField[] }>;
}

export interface PlanProgress {
  phase: 'reading' | 'resolving-users' | 'planning' | 'checking-capacity' | 'writing';
  /** Rows or accounts handled so far in this phase. */
  done: number;
  total?: number;
}

export interface PlanContext {
  org: PlanOrg;
  orgId: string;
  /** The running user (recorded in the manifest). */
  username: string;
  now?: () => Date;
  onProgress?: (p: PlanProgress) => void;
  /** Accounts per planning chunk (default 2000). */
  chunkSize?: number;
  /** Input rows per in-memory sort run (default 100 000). */
  sortRunSize?: number;
}

export interface PlanRequest {
  outputDir: string;
  /** A moves CSV (AccountId|Id, NewOwnerId|OwnerId|NewOwnerUsername|NewOwnerEmail). */
  file?: string;
  fromUser?: string;
  toUser?: string;
  where?: string;
  /** Default: all four. Empty: accounts only. */
  cascade?: readonly CascadeChoice[];
  allowOverCapacity?: boolean;
}

export interface PlanSummary {
  planId: string;
  planDir: string;
  manifestFile: string;
  manifest: PlanManifest;
  /** Rows per object, including objects with no rows (0). */
  counts: Record<PlanSObject | TeamSObject, number>;
  files: Record<string, string>;
}

export type PlanErrorKind =
  | 'InvalidFlags'
  | 'OutputDirNotEmpty'
  | 'InvalidCsv'
  | 'MissingColumns'
  | 'InvalidWhere'
  | 'UserNotFound'
  | 'NoAccountsMatch'
  | 'ChecksFailed';

/** Planning stopped: `issues` lists every problem found (capped), `totalIssues` how many there were. */
export class PlanError extends Error {
  public constructor(
    public readonly kind: PlanErrorKind,
    message: string,
    public readonly issues: PlanIssue[] = [],
    public readonly totalIssues = issues.length,
    public readonly warnings: PlanIssue[] = []
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

/** Most problems kept for the report; the count of all of them is kept too. */
const MAX_REPORTED_ISSUES = 1000;
/** Most rows named in one "user X is unknown" style message. */
const MAX_ROWS_NAMED = 20;
/** More distinct new owners than this in one plan is almost certainly a wrong column. */
const MAX_DISTINCT_OWNERS = 50_000;

class IssueLog {
  public readonly errors: PlanIssue[] = [];
  public readonly warnings: PlanIssue[] = [];
  public errorCount = 0;
  public warningCount = 0;

  public error(issue: PlanIssue): void {
    this.errorCount++;
    if (this.errors.length < MAX_REPORTED_ISSUES) this.errors.push(issue);
  }

  public warning(issue: PlanIssue): void {
    this.warningCount++;
    if (this.warnings.length < MAX_REPORTED_ISSUES) this.warnings.push(issue);
  }
}

/** Parses `--cascade`: a comma list of opportunities, contacts, cases, activities, or `none`; default all four. */
export function parseCascade(value: string | undefined): CascadeChoice[] {
  if (value === undefined) return [...CASCADE_CHOICES];
  const parts = value
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p.length > 0);
  if (parts.length === 1 && parts[0] === 'none') return [];
  const bad = parts.filter((p) => !(CASCADE_CHOICES as readonly string[]).includes(p));
  if (bad.length > 0 || parts.length === 0) {
    throw new PlanError('InvalidFlags', `--cascade "${value}" is not valid${bad.length ? ` (unknown: ${bad.join(', ')})` : ''}: use a comma list of ${CASCADE_CHOICES.join(', ')}, or none.`);
  }
  return [...new Set(parts)] as CascadeChoice[];
}

// ---------------------------------------------------------------------------------------------
// Input columns and owner references

export const ACCOUNT_COLUMNS = ['AccountId', 'Id'] as const;
export const OWNER_COLUMNS = ['NewOwnerId', 'NewOwnerUsername', 'NewOwnerEmail', 'OwnerId'] as const;
type OwnerColumn = (typeof OWNER_COLUMNS)[number];
type OwnerKind = 'id' | 'username' | 'email';
const OWNER_KIND: Record<OwnerColumn, OwnerKind> = { NewOwnerId: 'id', OwnerId: 'id', NewOwnerUsername: 'username', NewOwnerEmail: 'email' };

const USER_PREFIX = STANDARD_KEY_PREFIXES.User;
const ACCOUNT_PREFIX = STANDARD_KEY_PREFIXES.Account;
/** Usernames and emails: something@something, no spaces, quotes or separators. */
const USERNAME_PATTERN = /^[^\s@,;'"\\<>()]+@[^\s@,;'"\\<>()]+$/;

interface OwnerRefInfo {
  kind: OwnerKind;
  value: string;
  /** The value as the user wrote it (for messages). */
  written: string;
  rows: number[];
  count: number;
}

interface ResolvedUser {
  Id: string;
  Username: string;
  Name?: string | null;
  Email?: string | null;
  IsActive: boolean;
  KAM_Capacity__c?: number | null;
}

function ownerRefKey(kind: OwnerKind, value: string): string {
  return `${kind}:${value}`;
}

function userLabel(u: ResolvedUser): string {
  return `${u.Username} (${u.Id})`;
}

function rowsText(rows: readonly number[], count: number): string {
  const listed = rows.slice(0, MAX_ROWS_NAMED).join(', ');
  const text = count > rows.length ? `${listed} and ${count - rows.length} more` : listed;
  return `${count === 1 ? 'Row' : 'Rows'} ${text}`;
}

// ---------------------------------------------------------------------------------------------
// The org: describes, users

interface OrgShape {
  /** Lower-case field names per object, or undefined when the object is not available. */
  fields: Map<string, Set<string> | undefined>;
}

async function describeFields(org: PlanOrg, sobject: string, cache: Map<string, readonly ConditionField[]>): Promise<readonly ConditionField[]> {
  const cached = cache.get(sobject);
  if (cached) return cached;
  const d = await org.describe(sobject);
  cache.set(sobject, d.fields);
  return d.fields;
}

async function orgShape(org: PlanOrg, sobjects: readonly string[], cache: Map<string, readonly ConditionField[]>): Promise<OrgShape> {
  const fields = new Map<string, Set<string> | undefined>();
  await Promise.all(
    sobjects.map(async (s) => {
      try {
        const f = await describeFields(org, s, cache);
        fields.set(s, new Set(f.map((x) => x.name.toLowerCase())));
      } catch {
        fields.set(s, undefined);
      }
    })
  );
  return { fields };
}

function hasField(shape: OrgShape, sobject: string, field: string): boolean {
  return shape.fields.get(sobject)?.has(field.toLowerCase()) ?? false;
}

function userSelect(shape: OrgShape): string {
  return ['Id', 'Username', 'Name', 'Email', 'IsActive', ...(hasField(shape, 'User', 'KAM_Capacity__c') ? ['KAM_Capacity__c'] : [])].join(', ');
}

async function collectPages<T>(org: QueryConnection, soql: string): Promise<T[]> {
  const out: T[] = [];
  for await (const page of queryPages<T>(org, soql)) for (const r of page) out.push(r);
  return out;
}

/** Users by username or email, in chunks of values (escaped literals). */
async function usersByField(org: PlanOrg, shape: OrgShape, field: 'Username' | 'Email', values: readonly string[]): Promise<ResolvedUser[]> {
  const out: ResolvedUser[] = [];
  for (let i = 0; i < values.length; i += 100) {
    const list = values.slice(i, i + 100).map(soqlString).join(',');
    const rows = await collectPages<unknown>(org, `SELECT ${userSelect(shape)} FROM User WHERE ${field} IN (${list})`);
    for (const r of rows) out.push(parseRecord(UserRecord, 'User', r));
  }
  return out;
}

async function usersById(org: PlanOrg, shape: OrgShape, ids: readonly string[]): Promise<ResolvedUser[]> {
  const rows = await collectByIds<unknown>(org, { select: userSelect(shape), from: 'User' }, ids);
  return rows.map((r) => parseRecord(UserRecord, 'User', r));
}

/**
 * Resolves owner references to users. Returns the users found by reference key; records an
 * error for each reference that is unknown, ambiguous (an email shared by several users) or,
 * when `mustBeActive`, inactive.
 */
async function resolveOwnerRefs(
  org: PlanOrg,
  shape: OrgShape,
  refs: Map<string, OwnerRefInfo>,
  issues: IssueLog,
  field: string
): Promise<Map<string, ResolvedUser>> {
  const byKind: Record<OwnerKind, string[]> = { id: [], username: [], email: [] };
  for (const ref of refs.values()) byKind[ref.kind].push(ref.value);
  const resolved = new Map<string, ResolvedUser>();
  for (const u of await usersById(org, shape, byKind.id)) resolved.set(ownerRefKey('id', u.Id), u);
  for (const u of await usersByField(org, shape, 'Username', byKind.username)) resolved.set(ownerRefKey('username', u.Username.toLowerCase()), u);
  const byEmail = new Map<string, ResolvedUser[]>();
  for (const u of await usersByField(org, shape, 'Email', byKind.email)) {
    const key = (u.Email ?? '').toLowerCase();
    byEmail.set(key, [...(byEmail.get(key) ?? []), u]);
  }
  for (const [email, users] of byEmail) {
    const ref = refs.get(ownerRefKey('email', email));
    if (!ref) continue;
    const active = users.filter((u) => u.IsActive);
    if (users.length === 1 || active.length === 1) {
      resolved.set(ownerRefKey('email', email), users.length === 1 ? users[0] : active[0]);
    } else {
      issues.error({
        row: ref.rows[0] ?? null,
        field,
        code: 'AMBIGUOUS_EMAIL',
        message: `${ref.rows.length ? `${rowsText(ref.rows, ref.count)}` : field}: the email ${ref.written} belongs to ${users.length} users (${users.map(userLabel).join(', ')}). Use NewOwnerUsername or NewOwnerId instead.`
      });
    }
  }
  for (const [key, ref] of refs) {
    const user = resolved.get(key);
    const where = ref.rows.length ? `${rowsText(ref.rows, ref.count)}, ${field}` : field;
    if (!user) {
      if (ref.kind === 'email' && byEmail.has(ref.value)) continue; // ambiguous, reported above
      issues.error({
        row: ref.rows[0] ?? null,
        field,
        code: 'UNKNOWN_USER',
        message: `${where}: no user with ${ref.kind === 'id' ? 'Id' : ref.kind} ${ref.written} in the org. Check the value (or whether the user exists in this org).`
      });
    }
  }
  return resolved;
}

/** A single user given on the command line as Id, username or email. */
async function resolveFlagUser(org: PlanOrg, shape: OrgShape, flag: string, value: string): Promise<ResolvedUser> {
  const v = value.trim();
  let found: ResolvedUser[] = [];
  if (isSalesforceId(v)) {
    if (keyPrefixOf(v) !== USER_PREFIX) throw new PlanError('UserNotFound', `${flag} ${v} is an id but not a user id (user ids start with ${USER_PREFIX}).`);
    found = await usersById(org, shape, [to18(v)]);
  } else if (USERNAME_PATTERN.test(v)) {
    found = await usersByField(org, shape, 'Username', [v]);
    if (found.length === 0) found = await usersByField(org, shape, 'Email', [v]);
    if (found.length > 1) {
      const active = found.filter((u) => u.IsActive);
      if (active.length === 1) found = active;
      else throw new PlanError('UserNotFound', `${flag} ${v} is the email of ${found.length} users (${found.map(userLabel).join(', ')}); give a username or user Id.`);
    }
  } else {
    throw new PlanError('UserNotFound', `${flag} "${v}" is neither a user Id, a username nor an email.`);
  }
  if (found.length === 0) throw new PlanError('UserNotFound', `${flag} ${v}: no such user in the org (tried Id, username and email).`);
  return found[0];
}

// ---------------------------------------------------------------------------------------------
// Reading the input into the sorter

/** A move request in the sorter: `AccountId \t row \t ownerRefKey \t oldOwnerId \t key(0|1|'')`. */
interface Request {
  accountId: string;
  row: number;
  ownerRef: string;
  oldOwnerId?: string;
  keyAccount?: boolean;
}

function encodeRequest(r: Request): string {
  return `${r.accountId}\t${r.row}\t${r.ownerRef}\t${r.oldOwnerId ?? ''}\t${r.keyAccount === undefined ? '' : r.keyAccount ? '1' : '0'}`;
}

function decodeRequest(line: string): Request {
  const [accountId, row, ownerRef, old, key] = line.split('\t');
  return { accountId, row: Number(row), ownerRef, oldOwnerId: old || undefined, keyAccount: key === '' ? undefined : key === '1' };
}

function sortKey(accountId: string, row: number): string {
  return `${accountId}${String(row).padStart(10, '0')}`;
}

interface InputRead {
  inputRows: number;
  accountColumn: string;
  ownerColumn: OwnerColumn;
  refs: Map<string, OwnerRefInfo>;
}

async function readMovesCsv(file: string, sorter: ExternalSorter, issues: IssueLog, onProgress: (n: number) => void): Promise<InputRead> {
  const refs = new Map<string, OwnerRefInfo>();
  let accountColumn: string | undefined;
  let ownerColumn: OwnerColumn | undefined;
  let inputRows = 0;
  const canonical = [...ACCOUNT_COLUMNS, ...OWNER_COLUMNS];
  try {
    for await (const { row, fields, problems } of readCsvRows(file, { canonicalHeaders: canonical })) {
      if (accountColumn === undefined || ownerColumn === undefined) {
        const names = Object.keys(fields);
        accountColumn = ACCOUNT_COLUMNS.find((c) => names.includes(c));
        ownerColumn = OWNER_COLUMNS.find((c) => names.includes(c));
        if (!accountColumn || !ownerColumn) {
          throw new PlanError(
            'MissingColumns',
            `The file's header (row 1) has ${names.map((n) => `"${n}"`).join(', ')}; it needs an account column (${ACCOUNT_COLUMNS.join(' or ')}) and a new-owner column (${OWNER_COLUMNS.join(', ')}).` +
              (names.some((n) => n.includes(';')) ? ' The file looks separated by semicolons: save it as CSV with commas.' : '')
          );
        }
      }
      inputRows++;
      if (inputRows % 10000 === 0) onProgress(inputRows);
      if (inputRows % GC_EVERY_ROWS === 0) releaseGarbage();
      for (const p of problems) issues.error(p);
      if (problems.length > 0) continue;

      const account = (fields[accountColumn] ?? '').trim();
      const owner = (fields[ownerColumn] ?? '').trim();
      let ok = true;
      if (account === '') {
        issues.error({ row, field: accountColumn, code: 'MISSING_VALUE', message: `Row ${row}, ${accountColumn}: the account id is empty. Fill it in or remove the row.` });
        ok = false;
      } else if (!isSalesforceId(account)) {
        issues.error({ row, field: accountColumn, code: 'MALFORMED_ID', message: `Row ${row}, ${accountColumn}: "${account.slice(0, 40)}" is not a Salesforce record id (15 or 18 characters). Fix the id.` });
        ok = false;
      } else if (keyPrefixOf(account) !== ACCOUNT_PREFIX) {
        issues.error({ row, field: accountColumn, code: 'NOT_AN_ACCOUNT_ID', message: `Row ${row}, ${accountColumn}: ${account} is not an Account id (Account ids start with ${ACCOUNT_PREFIX}).` });
        ok = false;
      }
      const kind = OWNER_KIND[ownerColumn];
      let value = '';
      if (owner === '') {
        issues.error({ row, field: ownerColumn, code: 'MISSING_VALUE', message: `Row ${row}, ${ownerColumn}: the new owner is empty. Fill it in or remove the row.` });
        ok = false;
      } else if (kind === 'id') {
        if (!isSalesforceId(owner)) {
          issues.error({ row, field: ownerColumn, code: 'MALFORMED_ID', message: `Row ${row}, ${ownerColumn}: "${owner.slice(0, 40)}" is not a Salesforce user id (15 or 18 characters). Fix it, or use a NewOwnerUsername column.` });
          ok = false;
        } else if (keyPrefixOf(owner) !== USER_PREFIX) {
          issues.error({ row, field: ownerColumn, code: 'NOT_A_USER_ID', message: `Row ${row}, ${ownerColumn}: ${owner} is not a user id (user ids start with ${USER_PREFIX}); a queue or group cannot own these records here.` });
          ok = false;
        } else value = to18(owner);
      } else if (!USERNAME_PATTERN.test(owner)) {
        issues.error({ row, field: ownerColumn, code: 'MALFORMED_USER', message: `Row ${row}, ${ownerColumn}: "${owner.slice(0, 60)}" is not a ${kind} (name@domain).` });
        ok = false;
      } else value = owner.toLowerCase();
      if (!ok) continue;

      const key = ownerRefKey(kind, value);
      let ref = refs.get(key);
      if (!ref) {
        if (refs.size >= MAX_DISTINCT_OWNERS) {
          throw new PlanError('InvalidCsv', `Row ${row}: more than ${MAX_DISTINCT_OWNERS} different new owners in one file. Check that ${ownerColumn} is the new-owner column, or split the file.`);
        }
        ref = { kind, value, written: owner, rows: [], count: 0 };
        refs.set(key, ref);
      }
      ref.count++;
      if (ref.rows.length < MAX_ROWS_NAMED) ref.rows.push(row);
      const accountId = to18(account);
      await sorter.add(sortKey(accountId, row), encodeRequest({ accountId, row, ownerRef: key }));
    }
  } catch (e) {
    if (e instanceof CsvFormatError) throw new PlanError('InvalidCsv', e.message, [{ row: e.row, code: e.code, message: e.message }]);
    throw e;
  }
  if (accountColumn === undefined || ownerColumn === undefined) {
    throw new PlanError('InvalidCsv', 'The file has a header but no rows: add one row per account to move.');
  }
  return { inputRows, accountColumn, ownerColumn, refs };
}

// ---------------------------------------------------------------------------------------------
// Planning chunk by chunk

interface Move {
  accountId: string;
  row: number | null;
  oldOwnerId: string;
  newOwnerId: string;
}

interface ChildSpec {
  sobject: PlanSObject;
  /** Condition for "open", composed here (never from user input). */
  open: (now: Date) => string | undefined;
}

const CHILD_SPECS: Record<Exclude<PlanSObject, 'Account'>, ChildSpec> = {
  Opportunity: { sobject: 'Opportunity', open: () => 'IsClosed = false' },
  Contact: { sobject: 'Contact', open: () => undefined },
  Case: { sobject: 'Case', open: () => 'IsClosed = false' },
  Task: { sobject: 'Task', open: () => 'IsClosed = false' },
  // Salesforce's Change Owner moves open activities: events that have not ended yet.
  Event: { sobject: 'Event', open: (now) => `EndDateTime >= ${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}` }
};

/** A full garbage collection every this many input rows read. */
const GC_EVERY_ROWS = 25_000;
/** A full garbage collection every this many chunks keeps RSS near the live set on huge plans. */
const GC_EVERY_CHUNKS = 5;

/** Chunks whose queries run at the same time (their rows are still written in order). */
const CHUNKS_IN_FLIGHT = 3;

/** One chunk's rows per file, in file order. */
interface ChunkOutput {
  objects: Map<PlanSObject, unknown[][]>;
  teams: Map<TeamSObject, unknown[][]>;
}

/** Above this many distinct old owners in a chunk, children are filtered by owner here rather than in SOQL. */
const MAX_OWNER_FILTER = 50;

function byAccountThenId(a: { AccountId: string; Id: string }, b: { AccountId: string; Id: string }): number {
  return a.AccountId < b.AccountId ? -1 : a.AccountId > b.AccountId ? 1 : a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0;
}

interface OwnedRow {
  Id: string;
  OwnerId: string;
  AccountId: string;
}

function cell(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

class PlanWriters {
  public readonly objects = new Map<PlanSObject, CsvWriter>();
  public readonly teams = new Map<TeamSObject, CsvWriter>();

  public constructor(
    private readonly dir: string,
    sobjects: readonly PlanSObject[],
    teams: readonly TeamSObject[]
  ) {
    for (const s of sobjects) this.objects.set(s, new CsvWriter(join(dir, `${s}.csv`), PLAN_OBJECT_CSV_HEADER));
    for (const t of teams) {
      this.teams.set(t, new CsvWriter(join(dir, `${t}.csv`), t === 'AccountTeamMember' ? ACCOUNT_TEAM_CSV_HEADER : OPPORTUNITY_TEAM_CSV_HEADER));
    }
  }

  public async close(): Promise<void> {
    for (const w of [...this.objects.values(), ...this.teams.values()]) await w.close();
  }

  public destroy(): void {
    for (const w of [...this.objects.values(), ...this.teams.values()]) w.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// The planner

function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function ensureOutputDirFree(outputDir: string): Promise<void> {
  try {
    const s = await stat(outputDir);
    if (!s.isDirectory()) throw new PlanError('OutputDirNotEmpty', `${outputDir} exists and is not a directory.`);
    const entries = await readdir(outputDir);
    if (entries.length > 0) {
      throw new PlanError('OutputDirNotEmpty', `${outputDir} already exists and is not empty${entries.includes(PLAN_MANIFEST_FILE) ? ' (it holds a plan)' : ''}.`);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
}

/** Builds a plan and writes it to `request.outputDir`, or throws PlanError with every problem found. */
export async function buildPlan(ctx: PlanContext, request: PlanRequest): Promise<PlanSummary> {
  const now = (ctx.now ?? (() => new Date()))();
  const progress = ctx.onProgress ?? (() => undefined);
  const chunkSize = ctx.chunkSize ?? 2000;
  const cascade: CascadeChoice[] = [...new Set(request.cascade ?? CASCADE_CHOICES)].sort((a, b) => CASCADE_CHOICES.indexOf(a) - CASCADE_CHOICES.indexOf(b));
  const allowOverCapacity = request.allowOverCapacity ?? false;
  const rulesMode = request.file === undefined;

  if (rulesMode && (!request.fromUser || !request.toUser)) {
    throw new PlanError('InvalidFlags', 'Give either --file with the moves, or both --from-user and --to-user.');
  }
  if (!rulesMode && (request.fromUser || request.toUser || request.where)) {
    throw new PlanError('InvalidFlags', '--file cannot be combined with --from-user, --to-user or --where.');
  }
  const outputDir = resolve(request.outputDir);
  await ensureOutputDirFree(outputDir);

  const planId = randomUUID();
  const workDir = join(dirname(outputDir), `.${basename(outputDir)}.planning-${planId.slice(0, 8)}`);
  const sortDir = join(workDir, '.sort');
  await mkdir(sortDir, { recursive: true });
  const issues = new IssueLog();
  const sorter = new ExternalSorter(sortDir, ctx.sortRunSize ?? 100_000);
  let writers: PlanWriters | undefined;
  let finished = false;

  try {
    // The org's shape: which objects and fields exist (KAM fields, team objects).
    const childSObjects = cascade.flatMap((c) => CASCADE_SOBJECTS[c]);
    const describeCache = new Map<string, readonly ConditionField[]>();
    const shape = await orgShape(ctx.org, ['Account', 'User', ...childSObjects, 'AccountTeamMember', 'OpportunityTeamMember'], describeCache);
    for (const s of ['Account', 'User', ...childSObjects]) {
      if (!shape.fields.get(s)) throw new PlanError('InvalidFlags', `The org does not let this user read ${s} (describe failed); ownership cannot be planned.`);
    }
    const kamAware = hasField(shape, 'Account', 'Key_Account__c') && hasField(shape, 'User', 'KAM_Capacity__c');
    if (!kamAware) {
      issues.warning({ row: null, code: 'NO_KAM_FIELDS', message: 'Account.Key_Account__c or User.KAM_Capacity__c is not in this org (or not readable): KAM capacity is not checked. Deploy the Channel Ops metadata to check it.' });
    }
    const teamObjects = (['AccountTeamMember', 'OpportunityTeamMember'] as const).filter((t) => t === 'AccountTeamMember' || childSObjects.includes('Opportunity'));
    for (const t of teamObjects) {
      if (!shape.fields.get(t)) {
        issues.warning({ row: null, code: 'NO_TEAMS', message: `${t} is not available in this org: team members are not captured (team selling may be off).` });
      }
    }
    const capturedTeams = teamObjects.filter((t) => shape.fields.get(t));

    // 1. Read the input into the sorter.
    let inputRows = 0;
    let refs = new Map<string, OwnerRefInfo>();
    let ownerField = 'NewOwnerId';
    let users = new Map<string, ResolvedUser>();
    let whereCondition: string | undefined;
    if (!rulesMode) {
      progress({ phase: 'reading', done: 0 });
      const read = await readMovesCsv(request.file!, sorter, issues, (n) => progress({ phase: 'reading', done: n }));
      inputRows = read.inputRows;
      refs = read.refs;
      ownerField = read.ownerColumn;
      progress({ phase: 'resolving-users', done: 0, total: refs.size });
      users = await resolveOwnerRefs(ctx.org, shape, refs, issues, ownerField);
    } else {
      progress({ phase: 'resolving-users', done: 0, total: 2 });
      const from = await resolveFlagUser(ctx.org, shape, '--from-user', request.fromUser!);
      const to = await resolveFlagUser(ctx.org, shape, '--to-user', request.toUser!);
      if (from.Id === to.Id) throw new PlanError('InvalidFlags', `--from-user and --to-user are the same user, ${userLabel(to)}.`);
      const toKey = ownerRefKey('id', to.Id);
      users.set(toKey, to);
      refs.set(toKey, { kind: 'id', value: to.Id, written: request.toUser!, rows: [], count: 0 });
      ownerField = '--to-user';
      if (request.where !== undefined) {
        try {
          whereCondition = (await safeAccountCondition(request.where, (s) => describeFields(ctx.org, s, describeCache))).condition;
        } catch (e) {
          if (e instanceof SoqlConditionError) throw new PlanError('InvalidWhere', e.message, [{ row: null, field: '--where', code: e.code, message: e.message }]);
          throw e;
        }
      }
      progress({ phase: 'reading', done: 0 });
      const select = ['Id', 'OwnerId', ...(kamAware ? ['Key_Account__c'] : [])].join(', ');
      const soql = `SELECT ${select} FROM Account WHERE OwnerId = ${soqlId(from.Id)}${whereCondition ? ` AND (${whereCondition})` : ''}`;
      try {
        for await (const page of queryPages<{ Id: string; OwnerId: string; Key_Account__c?: boolean }>(ctx.org, soql)) {
          for (const a of page) {
            const accountId = to18(a.Id);
            await sorter.add(sortKey(accountId, 0), encodeRequest({ accountId, row: 0, ownerRef: toKey, oldOwnerId: to18(a.OwnerId), keyAccount: a.Key_Account__c === true }));
            inputRows++;
          }
          progress({ phase: 'reading', done: inputRows });
          if (inputRows % GC_EVERY_ROWS < page.length) releaseGarbage();
        }
      } catch (e) {
        if (whereCondition) throw new PlanError('InvalidWhere', `The org refused the --where condition "${whereCondition}": ${describeError(e)}`);
        throw e;
      }
      if (inputRows === 0) {
        throw new PlanError('NoAccountsMatch', `No account owned by ${userLabel(from)}${whereCondition ? ` matches ${whereCondition}` : ''}: there is nothing to move.`);
      }
      const toUser = to;
      if (!toUser.IsActive) {
        issues.error({ row: null, field: '--to-user', code: 'INACTIVE_USER', message: `--to-user ${userLabel(toUser)} is inactive: records cannot be given to an inactive user. Activate the user or choose another.` });
      }
    }
    if (!rulesMode) {
      for (const [key, ref] of refs) {
        const u = users.get(key);
        if (u && !u.IsActive) {
          issues.error({
            row: ref.rows[0] ?? null,
            field: ownerField,
            code: 'INACTIVE_USER',
            message: `${rowsText(ref.rows, ref.count)}, ${ownerField}: ${userLabel(u)} is inactive; records cannot be given to an inactive user. Activate the user or choose another owner.`
          });
        }
      }
    }

    // 2. Merge the sorted requests and plan chunk by chunk.
    const sobjects: PlanSObject[] = PLAN_SOBJECTS.filter((s) => s === 'Account' || childSObjects.includes(s));
    writers = new PlanWriters(workDir, sobjects, capturedTeams);
    const kamIn = new Map<string, number>();
    const kamOut = new Map<string, number>();
    const kamRows = new Map<string, { rows: number[]; accounts: string[]; count: number }>();
    let noOpRows = 0;
    let planned = 0;
    const accountSelect = ['Id', 'OwnerId', ...(kamAware ? ['Key_Account__c'] : [])].join(', ');

    const planChunk = async (chunk: Request[]): Promise<ChunkOutput | undefined> => {
      const lookup = chunk.filter((r) => r.oldOwnerId === undefined).map((r) => r.accountId);
      const found = new Map<string, { OwnerId: string; key: boolean }>();
      if (lookup.length > 0) {
        for (const a of await collectByIds<{ Id: string; OwnerId: string; Key_Account__c?: boolean }>(ctx.org, { select: accountSelect, from: 'Account' }, lookup)) {
          found.set(to18(a.Id), { OwnerId: to18(a.OwnerId), key: a.Key_Account__c === true });
        }
      }
      const moves: Move[] = [];
      for (const r of chunk) {
        const account = r.oldOwnerId !== undefined ? { OwnerId: r.oldOwnerId, key: r.keyAccount === true } : found.get(r.accountId);
        const rowRef = r.row > 0 ? r.row : null;
        if (!account) {
          issues.error({
            row: rowRef,
            field: 'AccountId',
            code: 'UNKNOWN_ACCOUNT',
            message: `Row ${r.row}: account ${r.accountId} does not exist in the org (or this user cannot see it). Check the id or remove the row.`
          });
          continue;
        }
        const user = users.get(r.ownerRef);
        if (!user) continue; // unknown new owner: reported once per owner
        if (user.Id === account.OwnerId) {
          noOpRows++;
          continue;
        }
        if (kamAware && account.key) {
          const where = rowRef ? `Row ${r.row}` : `Account ${r.accountId}`;
          if (user.KAM_Capacity__c === null || user.KAM_Capacity__c === undefined) {
            const issue: PlanIssue = {
              row: rowRef,
              field: ownerField,
              code: 'NOT_A_KAM',
              message: `${where}: ${r.accountId} is a key account and ${userLabel(user)} is not a key account manager (no KAM_Capacity__c). ${allowOverCapacity ? 'Planned anyway (--allow-over-capacity).' : 'Give it to a KAM, set the user\'s KAM capacity, or pass --allow-over-capacity.'}`
            };
            if (allowOverCapacity) issues.warning(issue);
            else issues.error(issue);
          }
          kamIn.set(user.Id, (kamIn.get(user.Id) ?? 0) + 1);
          kamOut.set(account.OwnerId, (kamOut.get(account.OwnerId) ?? 0) + 1);
          const kr = kamRows.get(user.Id) ?? { rows: [], accounts: [], count: 0 };
          kr.count++;
          if (rowRef && kr.rows.length < MAX_ROWS_NAMED) kr.rows.push(rowRef);
          if (kr.accounts.length < MAX_ROWS_NAMED) kr.accounts.push(r.accountId);
          kamRows.set(user.Id, kr);
        }
        moves.push({ accountId: r.accountId, row: rowRef, oldOwnerId: account.OwnerId, newOwnerId: user.Id });
      }
      planned += moves.length;
      // Once the plan cannot be written, keep checking rows but skip the cascade queries.
      if (issues.errorCount > 0 || moves.length === 0) return undefined;
      return collectChunk(moves);
    };

    /** Queries the children and teams of one chunk's moves; the rows come back in file order. */
    const collectChunk = async (moves: Move[]): Promise<ChunkOutput> => {
      const output: ChunkOutput = { objects: new Map(), teams: new Map() };
      const byAccount = new Map(moves.map((m) => [m.accountId, m]));
      const accountIds = moves.map((m) => m.accountId);
      const oldOwners = [...new Set(moves.map((m) => m.oldOwnerId))];
      const ownerFilter = oldOwners.length <= MAX_OWNER_FILTER ? `OwnerId IN (${oldOwners.map(soqlId).join(',')})` : undefined;
      output.objects.set(
        'Account',
        moves.map((m) => [m.accountId, m.oldOwnerId, m.newOwnerId, m.accountId])
      );

      const childObjects = sobjects.filter((x): x is Exclude<PlanSObject, 'Account'> => x !== 'Account');
      const accountTeamFields = ACCOUNT_TEAM_CSV_HEADER.filter((f) => hasField(shape, 'AccountTeamMember', f));
      const [children, accountTeam] = await Promise.all([
        Promise.all(
          childObjects.map(async (sobject) => {
            const open = CHILD_SPECS[sobject].open(now);
            const where = [open, ownerFilter].filter(Boolean).join(' AND ') || undefined;
            const rows = await collectByIds<OwnedRow>(ctx.org, { select: 'Id, OwnerId, AccountId', from: sobject, idField: 'AccountId', where }, accountIds);
            const mine = rows
              .map((r) => ({ Id: to18(r.Id), OwnerId: to18(r.OwnerId), AccountId: to18(r.AccountId) }))
              .filter((r) => byAccount.get(r.AccountId)?.oldOwnerId === r.OwnerId)
              .sort(byAccountThenId);
            return { sobject, rows: mine };
          })
        ),
        capturedTeams.includes('AccountTeamMember')
          ? collectByIds<Record<string, unknown>>(ctx.org, { select: accountTeamFields.join(', '), from: 'AccountTeamMember', idField: 'AccountId' }, accountIds)
          : Promise.resolve(undefined)
      ]);
      let opportunityIds: string[] = [];
      for (const { sobject, rows } of children) {
        output.objects.set(
          sobject,
          rows.map((r) => [r.Id, r.OwnerId, byAccount.get(r.AccountId)!.newOwnerId, r.AccountId])
        );
        if (sobject === 'Opportunity') opportunityIds = rows.map((r) => r.Id);
      }
      if (accountTeam) {
        const rows = accountTeam
          .map((m) => ({ ...m, Id: to18(String(m.Id)), AccountId: to18(String(m.AccountId)) }) as Record<string, unknown> & { Id: string; AccountId: string })
          .sort(byAccountThenId);
        output.teams.set(
          'AccountTeamMember',
          rows.map((m) => ACCOUNT_TEAM_CSV_HEADER.map((f) => (f === 'UserId' ? to18(String(m.UserId)) : cell(m[f]))))
        );
      }
      if (capturedTeams.includes('OpportunityTeamMember') && opportunityIds.length > 0) {
        const fields = OPPORTUNITY_TEAM_CSV_HEADER.filter((f) => hasField(shape, 'OpportunityTeamMember', f));
        const members = await collectByIds<Record<string, unknown>>(ctx.org, { select: fields.join(', '), from: 'OpportunityTeamMember', idField: 'OpportunityId' }, opportunityIds);
        const order = new Map(opportunityIds.map((id, i) => [id, i]));
        const rows = members
          .map((m) => ({ ...m, Id: to18(String(m.Id)), OpportunityId: to18(String(m.OpportunityId)) }) as Record<string, unknown> & { Id: string; OpportunityId: string })
          .sort((a, b) => order.get(a.OpportunityId)! - order.get(b.OpportunityId)! || (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
        output.teams.set(
          'OpportunityTeamMember',
          rows.map((m) => OPPORTUNITY_TEAM_CSV_HEADER.map((f) => (f === 'UserId' ? to18(String(m.UserId)) : cell(m[f]))))
        );
      }
      return output;
    };

    /** Appends one chunk's rows to the files (chunks are written in AccountId order). */
    const writeOutput = async (output: ChunkOutput | undefined): Promise<void> => {
      if (!output || issues.errorCount > 0) return;
      for (const [sobject, rows] of output.objects) {
        const w = writers!.objects.get(sobject)!;
        for (const r of rows) await w.write(r);
      }
      for (const [sobject, rows] of output.teams) {
        const w = writers!.teams.get(sobject)!;
        for (const r of rows) await w.write(r);
      }
    };

    // Chunks are planned a few at a time (their queries overlap) and written in order.
    const inFlight: Promise<ChunkOutput | undefined>[] = [];
    const submit = async (chunk: Request[]): Promise<void> => {
      const p = planChunk(chunk);
      p.catch(() => undefined); // awaited below, in order
      inFlight.push(p);
      if (inFlight.length >= CHUNKS_IN_FLIGHT) await writeOutput(await inFlight.shift()!);
    };
    const drain = async (): Promise<void> => {
      while (inFlight.length > 0) await writeOutput(await inFlight.shift()!);
    };

    progress({ phase: 'planning', done: 0, total: sorter.size });
    let chunk: Request[] = [];
    let previous: Request | undefined;
    let merged = 0;
    let chunksDone = 0;
    for await (const line of sorter.sorted()) {
      const r = decodeRequest(line);
      merged++;
      if (previous && previous.accountId === r.accountId) {
        issues.error({
          row: r.row,
          field: 'AccountId',
          code: 'DUPLICATE_ACCOUNT',
          message: `Row ${r.row}: account ${r.accountId} is already moved by row ${previous.row}. Keep one row per account (one accountable owner).`
        });
        continue;
      }
      previous = r;
      chunk.push(r);
      if (chunk.length >= chunkSize) {
        await submit(chunk);
        chunk = [];
        if (++chunksDone % GC_EVERY_CHUNKS === 0) releaseGarbage();
        progress({ phase: 'planning', done: merged, total: sorter.size });
      }
    }
    if (chunk.length > 0) await submit(chunk);
    await drain();
    progress({ phase: 'planning', done: merged, total: sorter.size });

    // 3. KAM capacity: key accounts each new owner would own after the plan.
    if (kamAware && kamIn.size > 0) {
      progress({ phase: 'checking-capacity', done: 0, total: kamIn.size });
      const owners = [...kamIn.keys()];
      const current = new Map<string, number>();
      for (const a of await collectByIds<{ Id: string; OwnerId: string }>(ctx.org, { select: 'Id, OwnerId', from: 'Account', idField: 'OwnerId', where: 'Key_Account__c = true' }, owners)) {
        const o = to18(a.OwnerId);
        current.set(o, (current.get(o) ?? 0) + 1);
      }
      const byId = new Map([...users.values()].map((u) => [u.Id, u]));
      for (const owner of owners) {
        const u = byId.get(owner)!;
        const capacity = u.KAM_Capacity__c;
        if (capacity === null || capacity === undefined) continue; // NOT_A_KAM reported per row
        const now_ = current.get(owner) ?? 0;
        const into = kamIn.get(owner) ?? 0;
        const out = kamOut.get(owner) ?? 0;
        const after = now_ + into - out;
        if (after > capacity) {
          const kr = kamRows.get(owner)!;
          const issue: PlanIssue = {
            row: kr.rows[0] ?? null,
            field: ownerField,
            code: 'OVER_CAPACITY',
            message:
              `${kr.rows.length ? `${rowsText(kr.rows, kr.count)}` : ownerField}: ${userLabel(u)} may own ${capacity} key account(s) (KAM_Capacity__c) but would own ${after} ` +
              `(${now_} now + ${into} moved in − ${out} moved out)${kr.rows.length ? '' : `; key accounts moved in: ${kr.accounts.join(', ')}${kr.count > kr.accounts.length ? ` and ${kr.count - kr.accounts.length} more` : ''}`}. ${allowOverCapacity ? 'Planned anyway (--allow-over-capacity).' : 'Give some to another KAM, raise the capacity, or pass --allow-over-capacity.'}`
          };
          if (allowOverCapacity) issues.warning(issue);
          else issues.error(issue);
        }
      }
    }

    // 4. All checks are done: write nothing on error, or publish the plan.
    if (issues.errorCount > 0) {
      throw new PlanError(
        'ChecksFailed',
        `The plan has ${issues.errorCount} problem(s); nothing was written.`,
        issues.errors,
        issues.errorCount,
        issues.warnings
      );
    }
    if (noOpRows > 0) {
      issues.warning({ row: null, code: 'NO_OP_ROWS', message: `${noOpRows} account(s) already belong to their new owner; they are skipped.` });
    }
    if (planned === 0) {
      issues.warning({ row: null, code: 'NOTHING_TO_MOVE', message: 'Every account already belongs to its new owner: the plan moves nothing.' });
    }
    progress({ phase: 'writing', done: 0 });
    await writers.close();
    await rm(sortDir, { recursive: true, force: true });

    const objects: PlanObjectEntry[] = [];
    const teams: PlanTeamEntry[] = [];
    const counts = Object.fromEntries([...PLAN_SOBJECTS, 'AccountTeamMember', 'OpportunityTeamMember'].map((s) => [s, 0])) as PlanSummary['counts'];
    for (const [sobject, w] of writers.objects) {
      counts[sobject] = w.rows;
      if (w.rows > 0) objects.push({ sobject, file: basename(w.path), rows: w.rows, sha256: await fileSha256(w.path) });
      else await rm(w.path, { force: true });
    }
    for (const [sobject, w] of writers.teams) {
      counts[sobject] = w.rows;
      if (w.rows > 0) teams.push({ sobject, file: basename(w.path), rows: w.rows, sha256: await fileSha256(w.path) });
      else await rm(w.path, { force: true });
    }
    const manifest = PlanManifest.parse({
      formatVersion: PLAN_FORMAT_VERSION,
      planId,
      createdAt: now.toISOString(),
      orgId: ctx.orgId,
      username: ctx.username,
      inputs: {
        file: request.file ?? null,
        fromUser: request.fromUser ?? null,
        toUser: request.toUser ?? null,
        where: whereCondition ?? null,
        cascade,
        allowOverCapacity
      },
      objects,
      teams,
      checks: { errors: [], warnings: issues.warnings, noOpRows, inputRows }
    });
    await writeFile(join(workDir, PLAN_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
    await rmdir(outputDir).catch(() => undefined); // an empty directory given as output (checked empty above)
    await rename(workDir, outputDir);
    finished = true;
    const files: Record<string, string> = { manifest: join(outputDir, PLAN_MANIFEST_FILE) };
    for (const e of [...objects, ...teams]) files[e.sobject] = join(outputDir, e.file);
    return { planId, planDir: outputDir, manifestFile: files.manifest, manifest, counts, files };
  } finally {
    if (!finished) {
      writers?.destroy();
      await sorter.cleanup().catch(() => undefined);
      await rm(workDir, { recursive: true, force: true });
    }
  }
}
