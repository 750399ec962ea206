/**
 * Reading a plan directory: its manifest, and its per-object CSVs row by row with every id
 * checked. A plan is only ever run as `channel ownership plan` wrote it: files whose SHA-256
 * (recorded in plan.json) differs, or whose row count does, are refused before anything is sent.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { to18 } from '../domain/ids.js';
import { readCsvRows } from '../salesforce/csv.js';
import type { PlanRow } from './drift.js';
import { PLAN_MANIFEST_FILE, parsePlanManifest, type PlanManifest, type PlanObjectEntry } from './plan-manifest.js';

export class PlanError extends Error {
  public constructor(
    message: string,
    public readonly code: 'PlanNotFound' | 'PlanInvalid' | 'PlanForAnotherOrg'
  ) {
    super(message);
    this.name = code;
  }
}

function missingFile(planDir: string, file: string): PlanError {
  return new PlanError(`${file}, listed in ${PLAN_MANIFEST_FILE}, is missing from ${planDir}. Re-run channel ownership plan.`, 'PlanInvalid');
}

/**
 * A file's lines in batches as they are read (the last line's \n optional; a \r before it
 * kept): for files this tool writes itself, where a CSV parser's generality only costs time.
 */
export async function* fileLines(path: string): AsyncGenerator<string[]> {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop() ?? '';
    yield lines;
  }
  if (rest !== '') yield [rest];
}

export function readPlan(planDir: string): PlanManifest {
  const path = join(planDir, PLAN_MANIFEST_FILE);
  if (!existsSync(path)) throw new PlanError(`No plan in ${planDir}: ${PLAN_MANIFEST_FILE} is missing. Make one with channel ownership plan --output-dir.`, 'PlanNotFound');
  try {
    return parsePlanManifest(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PlanError((e as Error).message, 'PlanInvalid');
  }
}

const PLAIN_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const PLAN_HEADER_LINE = 'Id,OldOwnerId,NewOwnerId,AccountId';

/** Checked ids, so the few owner ids (and an account's repeated id) of a plan are checked once. */
const checkedIds = new Map<string, string>();

/** The 18-character form of a plan cell, or undefined when it is not a Salesforce id. */
function planId(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const known = checkedIds.get(value);
  if (known !== undefined) return known;
  if (!PLAIN_ID.test(value)) return undefined;
  const id18 = to18(value.slice(0, 15));
  if (value.length === 18 && id18 !== value) return undefined;
  return id18;
}

function remember(value: string, id18: string): void {
  if (checkedIds.size >= 10_000) checkedIds.clear();
  checkedIds.set(value, id18);
}

function planRowFrom(entry: PlanObjectEntry, row: number, Id: string | undefined, OldOwnerId: string | undefined, NewOwnerId: string | undefined, AccountId: string | undefined): PlanRow {
  const id = planId(Id);
  const oldOwner = planId(OldOwnerId);
  const newOwner = planId(NewOwnerId);
  for (const [name, value, checked] of [['Id', Id, id], ['OldOwnerId', OldOwnerId, oldOwner], ['NewOwnerId', NewOwnerId, newOwner]] as const) {
    if (checked === undefined) {
      throw new PlanError(`${entry.file} row ${row}: ${name} "${value ?? ''}" is not a Salesforce id. The plan was changed by hand or is damaged: re-run channel ownership plan.`, 'PlanInvalid');
    }
  }
  remember(OldOwnerId!, oldOwner!);
  remember(NewOwnerId!, newOwner!);
  let account = '';
  if (AccountId) {
    account = AccountId === Id ? id! : (planId(AccountId) ?? '');
    if (account && AccountId !== Id) remember(AccountId, account);
  }
  return { Id: id!, OldOwnerId: oldOwner!, NewOwnerId: newOwner!, AccountId: account };
}

/**
 * Reads a plan object's CSV row by row, checking every id (a plan changed by hand fails here,
 * before any job). The plan's own format (plain ids, LF) is read with a fast line splitter;
 * anything else (quotes, other column order) through the general CSV reader.
 */
export async function* readPlanRows(planDir: string, entry: PlanObjectEntry): AsyncGenerator<PlanRow> {
  for await (const batch of readPlanBatches(planDir, entry, 5_000)) yield* batch;
}

/** Reads a plan object's CSV in batches of `size` rows (see readPlanRows). */
export async function* readPlanBatches(planDir: string, entry: PlanObjectEntry, size: number): AsyncGenerator<PlanRow[]> {
  const path = join(planDir, entry.file);
  if (!existsSync(path)) throw missingFile(planDir, entry.file);
  const fast = await (async (): Promise<boolean> => {
    const stream = createReadStream(path, { encoding: 'utf8', start: 0, end: 4095 });
    let text = '';
    for await (const chunk of stream) text += chunk as string;
    const first = text.replace(/^\uFEFF/, '').split('\n')[0].replace(/\r$/, '');
    return first === PLAN_HEADER_LINE;
  })();
  let batch: PlanRow[] = [];
  if (!fast) {
    for await (const { row, fields } of readCsvRows(path, { rejectFormulas: false })) {
      batch.push(planRowFrom(entry, row, fields.Id, fields.OldOwnerId, fields.NewOwnerId, fields.AccountId));
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  let row = 0;
  const take = (raw: string): void => {
    row++;
    if (row === 1) return;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') return;
    if (line.includes('"')) throw new PlanError(`${entry.file} row ${row}: unexpected quotes in a plan file. The plan was changed by hand or is damaged: re-run channel ownership plan.`, 'PlanInvalid');
    const cells = line.split(',');
    batch.push(planRowFrom(entry, row, cells[0], cells[1], cells[2], cells[3]));
  };
  for await (const lines of fileLines(path)) {
    for (const raw of lines) take(raw);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Re-cuts batches of any size into windows of exactly `size` (the last one shorter). */
export async function* rebatch<T>(source: AsyncIterable<T[]>, size: number, firstSize = size): AsyncGenerator<T[]> {
  let batch: T[] = [];
  let limit = firstSize;
  for await (const items of source) {
    for (const item of items) {
      batch.push(item);
      if (batch.length >= limit) {
        yield batch;
        batch = [];
        limit = size;
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** SHA-256 (hex) of a file, read as a stream. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Checks a plan's files before a run sends anything. A file whose manifest entry has a digest
 * must match it (as fast as the disk reads); an entry without one (a plan made by an older
 * version) is read whole, every id checked and the rows counted.
 */
export async function checkPlanFiles(planDir: string, manifest: PlanManifest): Promise<void> {
  const digestMatches = async (entry: { file: string; sha256?: string }): Promise<boolean> => {
    const path = join(planDir, entry.file);
    if (!existsSync(path)) throw missingFile(planDir, entry.file);
    if (entry.sha256 && (await fileSha256(path)) !== entry.sha256) {
      throw new PlanError(
        `${entry.file} is not the file channel ownership plan wrote (its SHA-256 differs from ${PLAN_MANIFEST_FILE}): it was changed by hand or is damaged. Re-run channel ownership plan.`,
        'PlanInvalid'
      );
    }
    return entry.sha256 !== undefined;
  };
  for (const team of manifest.teams) await digestMatches(team); // rows are checked as they load
  for (const entry of manifest.objects) {
    if (await digestMatches(entry)) continue;
    let rows = 0;
    for await (const batch of readPlanBatches(planDir, entry, 10_000)) rows += batch.length;
    if (rows !== entry.rows) {
      throw new PlanError(`${entry.file} has ${rows} rows but ${PLAN_MANIFEST_FILE} says ${entry.rows}. The plan was changed by hand or is damaged: re-run channel ownership plan.`, 'PlanInvalid');
    }
  }
}
