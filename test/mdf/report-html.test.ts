import { describe, it, expect } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeFigures, expiringFunds } from '../../plugin-src/mdf/figures.js';
import { renderHtmlReport } from '../../plugin-src/mdf/report-html.js';
import { writeFiguresCsv, CSV_COLUMNS } from '../../plugin-src/mdf/report.js';
import { BUDGETS, mdfWorld } from './fixtures.js';

function world() {
  const data = mdfWorld();
  // a partner whose name a spreadsheet or a browser would run
  return {
    ...data,
    budgets: data.budgets.map((b) =>
      b.id === BUDGETS.acme2026.id
        ? { ...b, partnerName: '=HYPERLINK("http://x")<script>alert(1)</script>' }
        : b
    )
  };
}

describe('MDF report files', () => {
  const opts = { asOf: '2026-11-25', expiringWithinDays: 30 };

  it('renders a self-contained HTML report: bars per partner, expiring funds, ROI, nothing external, names escaped', () => {
    const data = world();
    const html = renderHtmlReport({
      ...opts,
      partners: computeFigures(data, opts),
      expiring: expiringFunds(data, opts),
      generatedAt: '2026-11-25T10:00:00Z'
    });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    // one utilization bar per budget row, with an accessible label giving the figures
    expect(html.match(/<svg class="bar" width="560"/g)).toHaveLength(3);
    expect(html).toContain(
      'aria-label="Northwind: 30.4% of 51,000 claimed; paid 14,000, approved 23,000, remaining 28,000"'
    );
    // expiring funds: R8 in 6 days (highlighted), R1 in 15 days
    expect(html).toMatch(/<tr class="soon"><td>Northwind<\/td><td>R8<\/td>/);
    expect(html).toMatch(
      /<tr><td>Northwind<\/td><td>R1<\/td><td>Webinar<\/td><td>2026-12-10<\/td><td class="n days">15<\/td>/
    );
    expect(html).toContain('5.14×');
    // self-contained: no scripts, links, images or remote URLs
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(|@import/i);
    expect(html).not.toContain('http://x"');
    expect(html).toContain('=HYPERLINK(&quot;http://x&quot;)&lt;script&gt;');
  });

  it('says so when no budget covers the date', () => {
    const html = renderHtmlReport({ ...opts, partners: [], expiring: [] });
    expect(html).toContain('No budget covers this date.');
    expect(html).toContain('No approved funds expire in the next 30 days.');
  });

  it('writes the figures as CSV with formula-like cells neutralised', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mdf-csv-'));
    try {
      const file = join(dir, 'mdf.csv');
      await writeFiguresCsv(file, computeFigures(world(), opts));
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines[0]).toBe(CSV_COLUMNS.join(','));
      expect(lines).toHaveLength(4);
      expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")<script>alert(1)</script>"`);
      expect(lines[3]).toBe(
        `${BUDGETS.northwind2026.partnerId},Northwind,${BUDGETS.northwind2026.id},2026-01-01,2026-12-31,50000,1000,33000,23000,15500,14000,28000,30.39,4500,5.14`
      );
      // no ROI: an empty cell
      expect(lines[1].endsWith(',0,')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
