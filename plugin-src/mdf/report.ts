/**
 * `channel mdf report`: reads the org, computes the figures, writes the CSV and HTML files.
 */
import { writeFile } from 'node:fs/promises';
import { to18 } from '../domain/ids.js';
import { CsvWriter } from '../salesforce/csv.js';
import {
  type ExpiringFunds,
  type PartnerFigures,
  DEFAULT_EXPIRING_WITHIN_DAYS,
  computeFigures,
  expiringFunds
} from './figures.js';
import { type QueryConnection, readMdfData } from './read.js';
import { renderHtmlReport } from './report-html.js';
import type { IsoDate } from './model.js';

export interface MdfReportOptions {
  asOf: IsoDate;
  expiringWithinDays?: number;
  partnerId?: string;
  csvFile?: string;
  htmlFile?: string;
  orgLabel?: string;
  clock?: () => Date;
}

export interface MdfReportResult {
  asOf: IsoDate;
  expiringWithinDays: number;
  partners: PartnerFigures[];
  expiring: ExpiringFunds[];
  csvFile?: string;
  htmlFile?: string;
}

export const CSV_COLUMNS: ReadonlyArray<keyof PartnerFigures> = [
  'partnerId',
  'partnerName',
  'budgetId',
  'periodStart',
  'periodEnd',
  'budget',
  'accrued',
  'requested',
  'approved',
  'claimed',
  'paid',
  'remaining',
  'utilizationPct',
  'atRisk',
  'roi'
];

/** Writes the figures as CSV; cells a spreadsheet would run as formulas are neutralised. */
export async function writeFiguresCsv(path: string, partners: readonly PartnerFigures[]): Promise<void> {
  const out = new CsvWriter(path, CSV_COLUMNS);
  try {
    for (const p of partners) await out.write(CSV_COLUMNS.map((c) => p[c]));
    await out.close();
  } catch (e) {
    out.destroy();
    throw e;
  }
}

export async function runMdfReport(conn: QueryConnection, opts: MdfReportOptions): Promise<MdfReportResult> {
  const expiringWithinDays = opts.expiringWithinDays ?? DEFAULT_EXPIRING_WITHIN_DAYS;
  // records come back with 18-character ids; a partner id may be given in 15
  const partnerId = opts.partnerId ? to18(opts.partnerId) : undefined;
  const data = await readMdfData(conn, { asOf: opts.asOf, partnerId });
  const figureOpts = { asOf: opts.asOf, expiringWithinDays, partnerId };
  const partners = computeFigures(data, figureOpts);
  const expiring = expiringFunds(data, figureOpts);
  const result: MdfReportResult = { asOf: opts.asOf, expiringWithinDays, partners, expiring };
  if (opts.csvFile) {
    await writeFiguresCsv(opts.csvFile, partners);
    result.csvFile = opts.csvFile;
  }
  if (opts.htmlFile) {
    const html = renderHtmlReport({
      asOf: opts.asOf,
      expiringWithinDays,
      partners,
      expiring,
      orgLabel: opts.orgLabel,
      generatedAt: (opts.clock ?? (() => new Date()))().toISOString()
    });
    await writeFile(opts.htmlFile, html, 'utf8');
    result.htmlFile = opts.htmlFile;
  }
  return result;
}
