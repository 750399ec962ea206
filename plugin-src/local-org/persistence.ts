/**
 * Optional persistence of the local org (`--data-dir`): a JSON-lines snapshot written on
 * shutdown and read at start. Line 1 is the org's identity (so a registered alias keeps
 * working across restarts); every other line is `{"o": sobject, "r": row}`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import type { Database, Row } from './database.js';

export const SNAPSHOT_FILE = 'org.jsonl';

export interface SnapshotMeta {
  format: 'channel-ops-local-org/1';
  orgId: string;
  accessToken: string;
  savedAt: string;
}

type RowSource = { export?: (sobject: string) => Iterable<Row> };

/** Every stored row of an object, deleted ones included, as stored (no formulas, no relationships). */
function* rowsOf(db: Database, sobject: string): Iterable<Row> {
  const native = (db as unknown as RowSource).export;
  if (typeof native === 'function') {
    yield* native.call(db, sobject);
    return;
  }
  const def = db.schema.get(sobject);
  if (!def) return;
  const fields = [...def.fields.values()].filter((f) => !f.calculated && !f.formula && !f.rollup && f.type !== 'address').map((f) => f.name);
  const result = db.query(`SELECT ${fields.join(', ')} FROM ${def.name}`, { includeDeleted: true });
  for (const r of result.records) {
    const { attributes, ...row } = r;
    void attributes;
    yield row;
  }
}

export async function saveSnapshot(dir: string, db: Database, meta: Omit<SnapshotMeta, 'format' | 'savedAt'>): Promise<number> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `${SNAPSHOT_FILE}.tmp`);
  const out = createWriteStream(tmp, { encoding: 'utf8' });
  const write = async (line: string): Promise<void> => {
    if (!out.write(line + '\n')) await once(out, 'drain');
  };
  const header: SnapshotMeta = { format: 'channel-ops-local-org/1', savedAt: new Date().toISOString(), ...meta };
  await write(JSON.stringify(header));
  let count = 0;
  for (const def of db.schema.objects.values()) {
    for (const row of rowsOf(db, def.name)) {
      await write(JSON.stringify({ o: def.name, r: row }));
      count++;
    }
  }
  out.end();
  await once(out, 'finish');
  await rename(tmp, join(dir, SNAPSHOT_FILE));
  return count;
}

export async function readSnapshotMeta(dir: string): Promise<SnapshotMeta | undefined> {
  const file = join(dir, SNAPSHOT_FILE);
  try {
    await stat(file);
  } catch {
    return undefined;
  }
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    const meta = JSON.parse(line) as SnapshotMeta;
    if (meta.format !== 'channel-ops-local-org/1') throw new Error(`${file} is not a local org snapshot`);
    return meta;
  }
  return undefined;
}

/** Loads the snapshot's rows into the database (trusted load), then recalculates. */
export async function loadSnapshot(dir: string, db: Database): Promise<number> {
  const file = join(dir, SNAPSHOT_FILE);
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  const pending = new Map<string, Row[]>();
  let count = 0;
  let first = true;
  const flush = (sobject: string): void => {
    const rows = pending.get(sobject);
    if (rows?.length && db.schema.get(sobject)) count += db.load(sobject, rows);
    pending.set(sobject, []);
  };
  for await (const line of lines) {
    if (first) {
      first = false;
      continue;
    }
    if (!line.trim()) continue;
    const { o, r } = JSON.parse(line) as { o: string; r: Row };
    let rows = pending.get(o);
    if (!rows) pending.set(o, (rows = []));
    rows.push(r);
    if (rows.length >= 50_000) flush(o);
  }
  for (const sobject of pending.keys()) flush(sobject);
  db.recalculate();
  return count;
}
