/** CSV conventions of Bulk API 2.0: delimiters by name, line endings, quoted result files. */
import { stringify } from 'csv-stringify/sync';
import { SalesforceError } from '../errors.js';

export const DELIMITERS = { BACKQUOTE: '`', CARET: '^', COMMA: ',', PIPE: '|', SEMICOLON: ';', TAB: '\t' } as const;
export type ColumnDelimiter = keyof typeof DELIMITERS;
export type LineEnding = 'LF' | 'CRLF';

export function delimiterOf(name: unknown): ColumnDelimiter {
  const value = name === undefined || name === null ? 'COMMA' : String(name);
  if (!(value in DELIMITERS)) {
    throw new SalesforceError('INVALIDJOB', `InvalidJob : Invalid column delimiter: ${value}. Use one of ${Object.keys(DELIMITERS).join(', ')}`);
  }
  return value as ColumnDelimiter;
}

export function lineEndingOf(name: unknown): LineEnding {
  const value = name === undefined || name === null ? 'LF' : String(name);
  if (value !== 'LF' && value !== 'CRLF') {
    throw new SalesforceError('INVALIDJOB', `InvalidJob : Invalid line ending: ${value}. Use LF or CRLF`);
  }
  return value;
}

/** Serialises rows as Salesforce writes result files: every value quoted. */
export function csvChunk(rows: unknown[][], delimiter: ColumnDelimiter, lineEnding: LineEnding): string {
  if (rows.length === 0) return '';
  return stringify(rows, {
    delimiter: DELIMITERS[delimiter],
    record_delimiter: lineEnding === 'CRLF' ? '\r\n' : '\n',
    quoted: true,
    cast: { boolean: (b) => (b ? 'true' : 'false') }
  });
}

/** A stream of CSV text: the header, then rows in chunks (so a million rows never make one string). */
export async function* csvStream(header: string[], rows: Iterable<unknown[]>, delimiter: ColumnDelimiter, lineEnding: LineEnding, chunk = 2000): AsyncGenerator<string> {
  yield csvChunk([header], delimiter, lineEnding);
  let batch: unknown[][] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= chunk) {
      yield csvChunk(batch, delimiter, lineEnding);
      batch = [];
    }
  }
  if (batch.length) yield csvChunk(batch, delimiter, lineEnding);
}
