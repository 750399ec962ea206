import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CsvFormatError,
  CsvWriter,
  csvLine,
  formulaPrefix,
  neutraliseCell,
  readCsvRows,
  type CsvRow
} from '../../plugin-src/salesforce/csv.js';

async function readAll(text: string, canonicalHeaders?: string[]): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const r of readCsvRows(Readable.from([Buffer.from(text, 'utf8')]), { canonicalHeaders })) rows.push(r);
  return rows;
}

async function readError(text: string): Promise<CsvFormatError> {
  try {
    await readAll(text);
  } catch (e) {
    if (e instanceof CsvFormatError) return e;
    throw e;
  }
  throw new Error('expected a CsvFormatError');
}

describe('reading CSV', () => {
  it('reads UTF-8 with a BOM and CRLF line ends, numbering rows as a spreadsheet does', async () => {
    // Given a file saved by Excel: BOM, CRLF, a header and two rows
    const rows = await readAll('\uFEFFAccountId,NewOwnerId\r\n001A0000006Vm9r,005000000000001\r\n001A0000006Vm9s,005000000000002\r\n');
    // Then the BOM is not part of the first header and the rows are 2 and 3
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
    expect(rows[0].fields).toEqual({ AccountId: '001A0000006Vm9r', NewOwnerId: '005000000000001' });
    expect(rows[1].problems).toEqual([]);
  });

  it('reads LF files without BOM and a quoted field spanning lines as one row', async () => {
    const rows = await readAll('Id,OwnerId,Note\n"001A0000006Vm9r","005000000000001","two\nlines, and ""quotes"""\n001A0000006Vm9s,005000000000002,x\n');
    expect(rows).toHaveLength(2);
    expect(rows[0].fields.Note).toBe('two\nlines, and "quotes"');
    // The row after a multi-line cell is still the next spreadsheet row
    expect(rows[1].row).toBe(3);
  });

  it('normalises header names to the canonical ones whatever their case, spaces or underscores', async () => {
    const rows = await readAll(' account id ,NEW_OWNER_ID,Extra\n001A0000006Vm9r,005000000000001,z\n', ['AccountId', 'NewOwnerId']);
    expect(Object.keys(rows[0].fields)).toEqual(['AccountId', 'NewOwnerId', 'Extra']);
  });

  it('skips blank lines but keeps counting them as rows', async () => {
    const rows = await readAll('Id,OwnerId\n\n001A0000006Vm9r,005000000000001\n');
    expect(rows).toHaveLength(1);
    expect(rows[0].row).toBe(3);
  });

  it('reports a row with the wrong number of cells and goes on reading', async () => {
    const rows = await readAll('Id,OwnerId\n001A0000006Vm9r,005000000000001,oops\n001A0000006Vm9s,005000000000002\n');
    expect(rows[0].problems).toEqual([expect.objectContaining({ row: 2, code: 'WRONG_CELL_COUNT' })]);
    expect(rows[0].problems[0].message).toMatch(/Row 2 has 3 cells but the header has 2/);
    expect(rows[1].problems).toEqual([]);
  });

  it('stops with the row number on an unclosed quote', async () => {
    const e = await readError('Id,OwnerId\n001A0000006Vm9r,005000000000001\n001A0000006Vm9s,"0050000\n');
    expect(e.row).toBe(3);
    expect(e.message).toMatch(/not valid CSV at row 3/);
  });

  it('rejects an empty file and a header with a repeated or blank column', async () => {
    expect((await readError('')).code).toBe('EMPTY_FILE');
    expect((await readError('Id,id\n1,2\n')).message).toMatch(/column "id" appears twice/);
    expect((await readError('Id,,x\n1,2,3\n')).message).toMatch(/column 2 has no name/);
    expect((await readError('AccountId,Account_Id\n1,2\n')).code).toBe('DUPLICATE_HEADER');
  });

  it('reports formula-injection cells with row and field', async () => {
    // Given a file with a HYPERLINK formula, a + and a @ cell, and a cell hidden behind spaces
    const rows = await readAll(
      'AccountId,NewOwnerId\n' +
        '"=HYPERLINK(""http://evil.example"",""click"")",005000000000001\n' +
        '001A0000006Vm9r,+005000000000001\n' +
        '001A0000006Vm9s,@SUM(A1)\n' +
        '001A0000006Vm9t,"  =1+1"\n' +
        '001A0000006Vm9u,-2\n' +
        '001A0000006Vm9v,005000000000001\n'
    );
    const problems = rows.flatMap((r) => r.problems);
    expect(problems.map((p) => [p.row, p.field, p.code])).toEqual([
      [2, 'AccountId', 'FORMULA_CELL'],
      [3, 'NewOwnerId', 'FORMULA_CELL'],
      [4, 'NewOwnerId', 'FORMULA_CELL'],
      [5, 'NewOwnerId', 'FORMULA_CELL'],
      [6, 'NewOwnerId', 'FORMULA_CELL']
    ]);
    expect(problems[0].message).toContain('Row 2, AccountId');
    expect(problems[0].message).toContain('=HYPERLINK');
  });

  it('reads a file from disk and says when it does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-'));
    try {
      const file = join(dir, 'moves.csv');
      writeFileSync(file, 'Id,OwnerId\r\n001A0000006Vm9r,005000000000001');
      const rows: CsvRow[] = [];
      for await (const r of readCsvRows(file)) rows.push(r);
      expect(rows).toEqual([{ row: 2, fields: { Id: '001A0000006Vm9r', OwnerId: '005000000000001' }, problems: [] }]);
      const missing = readCsvRows(join(dir, 'nope.csv'));
      await expect(missing.next()).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('writing CSV', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(neutraliseCell('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(neutraliseCell('+1')).toBe("'+1");
    expect(neutraliseCell('-1')).toBe("'-1");
    expect(neutraliseCell('@x')).toBe("'@x");
    expect(neutraliseCell('\tx')).toBe("'\tx");
    expect(neutraliseCell('001A0000006Vm9rIAC')).toBe('001A0000006Vm9rIAC');
    expect(neutraliseCell(null)).toBe('');
    expect(neutraliseCell(12)).toBe('12');
    expect(formulaPrefix('a=b')).toBeUndefined();
  });

  it('quotes cells with commas, quotes and line breaks', () => {
    expect(csvLine(['a', 'b,c', 'd"e', 'f\ng'])).toBe('a,"b,c","d""e","f\ng"\n');
    expect(csvLine(['=1', 'x'])).toBe("'=1,x\n");
    expect(csvLine(['=1', 'x'], true)).toBe('=1,x\n');
  });

  it('writes a file with a header and neutralised rows that reads back the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-'));
    try {
      const file = join(dir, 'out.csv');
      const w = new CsvWriter(file, ['Id', 'Error']);
      for (let i = 0; i < 5000; i++) await w.write([`id${i}`, i === 7 ? '=cmd|calc' : 'ok, fine']);
      await w.close();
      expect(w.rows).toBe(5000);
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith('Id,Error\nid0,"ok, fine"\n')).toBe(true);
      expect(text).toContain("id7,'=cmd|calc\n");
      const rows: CsvRow[] = [];
      for await (const r of readCsvRows(file, { rejectFormulas: true })) rows.push(r);
      expect(rows).toHaveLength(5000);
      expect(rows.flatMap((r) => r.problems)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
