/**
 * CSV in and out, streaming, for files people make and read in spreadsheets.
 *
 * Reading: UTF-8 with or without BOM, LF or CRLF, quoted fields (also with line breaks inside),
 * header names matched forgivingly (case, spaces, underscores), and row numbers as a user
 * counts them in a spreadsheet: the header is row 1, the first data row is row 2 (a quoted
 * field spanning lines is still one row). Cells that a spreadsheet would run as a formula
 * (`=HYPERLINK(...)`, `+`, `-`, `@`, a leading tab or CR) are found per row and field, so the
 * caller can reject them with a clear message.
 *
 * Writing: csv-stringify with backpressure; every cell is neutralised against formulas (a `'`
 * prefix) before it reaches a file someone may open in a spreadsheet.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';

/** A problem with one row/field of an input CSV; `row` as a user counts it (header = 1). */
export interface CsvProblem {
  row: number | null;
  field?: string;
  code: string;
  message: string;
}

/** A structural problem that stops reading (e.g. a quote never closed). */
export class CsvFormatError extends Error {
  public constructor(
    message: string,
    public readonly row: number | null,
    public readonly code: string
  ) {
    super(message);
    this.name = 'CsvFormatError';
  }
}

export interface CsvRow {
  /** Row number as a user counts it in a spreadsheet: header = 1, first data row = 2. */
  row: number;
  /** Cells by (canonical) header name; missing trailing cells are ''. */
  fields: Record<string, string>;
  /** Problems of this row found while reading: wrong number of cells, formula cells. */
  problems: CsvProblem[];
}

export interface ReadCsvOptions {
  /**
   * Header names to recognise whatever their case, spaces or underscores: a header cell
   * "account id" or "ACCOUNTID" becomes "AccountId". Other headers are kept, trimmed.
   */
  canonicalHeaders?: readonly string[];
  /** Report cells starting like a spreadsheet formula as row problems (default true). */
  rejectFormulas?: boolean;
}

/** First characters that make a spreadsheet evaluate a cell (OWASP CSV injection list). */
const FORMULA_PREFIXES = new Set(['=', '+', '-', '@', '\t', '\r']);

/** The formula-like start of a cell, or undefined. Leading spaces are looked through. */
export function formulaPrefix(value: string): string | undefined {
  if (value.length === 0) return undefined;
  if (FORMULA_PREFIXES.has(value[0])) return value[0];
  const trimmed = value.trimStart();
  if (trimmed.length > 0 && trimmed.length !== value.length && FORMULA_PREFIXES.has(trimmed[0])) return trimmed[0];
  return undefined;
}

function describePrefix(prefix: string): string {
  if (prefix === '\t') return 'a tab';
  if (prefix === '\r') return 'a carriage return';
  return `'${prefix}'`;
}

function preview(value: string): string {
  const oneLine = value.replace(/[\r\n\t]/g, ' ').trim();
  return oneLine.length > 40 ? `${oneLine.slice(0, 40)}…` : oneLine;
}

/** A problem for a cell that starts like a spreadsheet formula, or undefined if it does not. */
export function formulaCellProblem(row: number, field: string, value: string): CsvProblem | undefined {
  const prefix = formulaPrefix(value);
  if (prefix === undefined) return undefined;
  return {
    row,
    field,
    code: 'FORMULA_CELL',
    message: `Row ${row}, ${field}: the cell starts with ${describePrefix(prefix)} as a spreadsheet formula does ("${preview(value)}"). ` +
      'Formula cells are refused: put the plain value (an Id, username or email) in the cell.'
  };
}

/** Neutralises a cell for a file people open in spreadsheets: a formula-like start gets a `'` prefix. */
export function neutraliseCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return formulaPrefix(text) === undefined ? text : `'${text}`;
}

function headerKey(name: string): string {
  return name.replace(/[\s_]/g, '').toLowerCase();
}

/** Trims a header cell and maps it to one of `canonical` when it matches ignoring case, spaces and underscores. */
export function normaliseHeader(name: string, canonical: readonly string[] = []): string {
  const trimmed = name.replace(/^\uFEFF/, '').trim();
  const key = headerKey(trimmed);
  return canonical.find((c) => headerKey(c) === key) ?? trimmed;
}

function isEmptyRecord(record: string[]): boolean {
  return record.length === 0 || (record.length === 1 && record[0].trim() === '');
}

/**
 * Reads a CSV file (or stream) row by row without holding it whole. Throws CsvFormatError
 * (with the row) on a structural error that makes the rest unreadable, on an empty file or
 * a header with a blank or repeated name. Blank lines are skipped but still counted as rows.
 */
export async function* readCsvRows(source: string | Readable, options: ReadCsvOptions = {}): AsyncGenerator<CsvRow> {
  const rejectFormulas = options.rejectFormulas ?? true;
  const input = typeof source === 'string' ? createReadStream(source) : source;
  const parser = input.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: false, trim: false, encoding: 'utf8' })
  );
  input.on('error', (e: Error) => parser.destroy(e));
  let header: string[] | undefined;
  let records = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      records++;
      const row = records;
      if (header === undefined) {
        if (isEmptyRecord(record)) throw new CsvFormatError('Row 1 is empty: the first row must be the header (column names).', 1, 'EMPTY_HEADER');
        header = record.map((h) => normaliseHeader(h, options.canonicalHeaders));
        const seen = new Set<string>();
        for (const [i, h] of header.entries()) {
          if (h === '') throw new CsvFormatError(`Row 1 (header), column ${i + 1} has no name. Name every column or remove the empty one.`, 1, 'BLANK_HEADER');
          if (seen.has(headerKey(h))) throw new CsvFormatError(`Row 1 (header): the column "${h}" appears twice. Keep one.`, 1, 'DUPLICATE_HEADER');
          seen.add(headerKey(h));
        }
        continue;
      }
      if (isEmptyRecord(record)) continue;
      const problems: CsvProblem[] = [];
      if (record.length !== header.length) {
        problems.push({
          row,
          code: 'WRONG_CELL_COUNT',
          message: `Row ${row} has ${record.length} cells but the header has ${header.length}. Check for an unquoted comma or a missing cell.`
        });
      }
      const fields: Record<string, string> = {};
      for (const [i, name] of header.entries()) {
        const value = record[i] ?? '';
        fields[name] = value;
        if (rejectFormulas) {
          const problem = formulaCellProblem(row, name, value);
          if (problem) problems.push(problem);
        }
      }
      if (rejectFormulas) {
        for (let i = header.length; i < record.length; i++) {
          const problem = formulaCellProblem(row, `column ${i + 1}`, record[i]);
          if (problem) problems.push(problem);
        }
      }
      yield { row, fields, problems };
    }
  } catch (e) {
    if (e instanceof CsvError) {
      const info = e as CsvError & { records?: number };
      const row = typeof info.records === 'number' ? info.records + 1 : null;
      throw new CsvFormatError(
        `The file is not valid CSV${row ? ` at row ${row}` : ''}: ${e.message}. ` +
          'Fix the quoting (a quoted cell must end with a quote before the next comma or line end; a quote inside a cell is written twice).',
        row,
        e.code
      );
    }
    if (e instanceof CsvFormatError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CsvFormatError(`The file ${typeof source === 'string' ? source : ''} does not exist.`, null, 'FILE_NOT_FOUND');
    }
    throw e;
  } finally {
    if (typeof source === 'string') input.destroy();
  }
  if (header === undefined) throw new CsvFormatError('The file is empty: it needs a header row and at least one data row.', null, 'EMPTY_FILE');
}

/** Reads just the header of a CSV (normalised), for early checks. */
export async function readCsvHeader(source: string, canonicalHeaders: readonly string[] = []): Promise<string[]> {
  const input = createReadStream(source);
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, to_line: 1 }));
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      return record.map((h) => normaliseHeader(h, canonicalHeaders));
    }
    return [];
  } finally {
    input.destroy();
  }
}

const NEEDS_QUOTES = /[",\r\n]/;

/** The CSV text of one row (RFC 4180 quoting, LF line end), cells neutralised unless `raw`. */
export function csvLine(cells: readonly unknown[], raw = false): string {
  const values = cells.map((c) => (raw ? (c === null || c === undefined ? '' : String(c)) : neutraliseCell(c)));
  if (!values.some((v) => NEEDS_QUOTES.test(v))) return `${values.join(',')}\n`;
  return stringify([values], { eof: true, record_delimiter: 'unix' });
}

/**
 * Writes a CSV file row by row with backpressure. Cells are neutralised against spreadsheet
 * formulas unless `raw` (use raw only for files no person opens, e.g. sort spill files).
 */
export class CsvWriter {
  private readonly out: WriteStream;
  private rowsWritten = 0;
  private buffer = '';
  private closed = false;

  public constructor(
    public readonly path: string,
    header: readonly string[] | undefined,
    private readonly raw = false
  ) {
    this.out = createWriteStream(path, { encoding: 'utf8' });
    this.out.on('error', () => undefined); // surfaced by write()/close()
    if (header) this.buffer += csvLine(header, true);
  }

  public get rows(): number {
    return this.rowsWritten;
  }

  public async write(cells: readonly unknown[]): Promise<void> {
    this.buffer += csvLine(cells, this.raw);
    this.rowsWritten++;
    if (this.buffer.length >= 64 * 1024) await this.flush();
  }

  /** Writes pre-formatted CSV text (one or more complete lines). */
  public async writeLine(text: string): Promise<void> {
    this.buffer += text;
    this.rowsWritten++;
    if (this.buffer.length >= 64 * 1024) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  public async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }

  /** Closes without caring about errors (on the failure path). */
  public destroy(): void {
    this.closed = true;
    this.out.destroy();
  }
}
