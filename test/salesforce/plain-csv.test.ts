/**
 * Bulk query pages are split by lines when every cell is plain, and go through the CSV parser
 * otherwise: the fast path must answer exactly what the parser answers, or decline.
 */
import { describe, it, expect } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { plainCsvRecords } from '../../plugin-src/salesforce/bulk2.js';

const parsed = (text: string): Record<string, string>[] => parse(text, { columns: true, bom: true, relax_column_count: true, skip_empty_lines: true }) as Record<string, string>[];

describe('plainCsvRecords', () => {
  it('reads quoted and unquoted plain cells as the CSV parser does', () => {
    for (const text of [
      '"Id","OwnerId"\n"001000000000001AAA","005000000000001AAA"\n"001000000000002AAA",""\n',
      'Id,OwnerId\r\n001000000000001AAA,005000000000001AAA\r\n',
      '\uFEFF"Id","Name"\n"1","a b"\n',
      '"Id"\n'
    ]) {
      expect(plainCsvRecords(text)).toEqual(parsed(text));
    }
  });

  it('declines a page with a comma, quote or line break inside a value', () => {
    expect(plainCsvRecords('"Id","Name"\n"1","Smith, Jones"\n')).toBeUndefined();
    expect(plainCsvRecords('"Id","Name"\n"1","say ""hi"""\n')).toBeUndefined();
    expect(plainCsvRecords('"Id","Name"\n"1","two\nlines"\n')).toBeUndefined();
    expect(plainCsvRecords('Id,Name\n1,a"b\n')).toBeUndefined();
  });
});
