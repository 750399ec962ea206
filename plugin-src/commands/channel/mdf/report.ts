import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { DEFAULT_EXPIRING_WITHIN_DAYS, type PartnerFigures } from '../../../mdf/figures.js';
import { isIsoDate, today } from '../../../mdf/model.js';
import { type MdfReportResult, runMdfReport } from '../../../mdf/report.js';
import type { QueryConnection } from '../../../mdf/read.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('channel-ops', 'channel.mdf.report');

/** `--json` result: `{ partners: [...] }` plus the date, window, expiring requests and files written. */
export type MdfReportJson = MdfReportResult;
export type { PartnerFigures };

const money = (n: number): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export default class MdfReport extends SfCommand<MdfReportJson> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    partner: Flags.salesforceId({
      summary: messages.getMessage('flags.partner.summary'),
      startsWith: '001',
      length: 'both',
      char: 'p'
    }),
    'as-of': Flags.string({ summary: messages.getMessage('flags.as-of.summary') }),
    'expiring-within': Flags.integer({
      summary: messages.getMessage('flags.expiring-within.summary'),
      default: DEFAULT_EXPIRING_WITHIN_DAYS,
      min: 0,
      max: 3650
    }),
    csv: Flags.file({ summary: messages.getMessage('flags.csv.summary') }),
    html: Flags.file({ summary: messages.getMessage('flags.html.summary') })
  };

  public async run(): Promise<MdfReportJson> {
    const { flags } = await this.parse(MdfReport);
    const asOf = flags['as-of'] ?? today();
    if (!isIsoDate(asOf)) throw messages.createError('error.InvalidAsOf', [asOf]);
    const org = flags['target-org'];
    // jsforce's query() result is a thenable whose typing does not match PromiseLike<QueryPage<T>>; it is one at run time.
    const conn = org.getConnection(flags['api-version']) as unknown as QueryConnection;

    this.spinner.start('Reading MDF budgets, requests and claims');
    let result: MdfReportResult;
    try {
      result = await runMdfReport(conn, {
        asOf,
        expiringWithinDays: flags['expiring-within'],
        partnerId: flags.partner,
        csvFile: flags.csv,
        htmlFile: flags.html,
        orgLabel: org.getUsername()
      });
    } catch (e) {
      this.spinner.stop('failed');
      const err = e as NodeJS.ErrnoException;
      if (err.code && err.path)
        throw messages.createError('error.CannotWrite', [err.path, err.message], [], err);
      throw messages.createError(
        'error.ReadFailed',
        [err.message],
        [],
        e instanceof SfError || e instanceof Error ? e : undefined
      );
    }
    this.spinner.stop();

    if (result.partners.length === 0) {
      this.log(messages.getMessage('noBudgets', [asOf]));
    } else {
      this.table({
        title: messages.getMessage('table.title', [asOf, String(result.expiringWithinDays)]),
        data: result.partners.map((p) => ({
          partner: p.partnerName,
          period: `${p.periodStart}..${p.periodEnd}`,
          budget: money(p.budget),
          accrued: money(p.accrued),
          approved: money(p.approved),
          claimed: money(p.claimed),
          paid: money(p.paid),
          remaining: money(p.remaining),
          used: `${p.utilizationPct.toFixed(1)}%`,
          atRisk: money(p.atRisk),
          roi: p.roi === null ? '-' : `${p.roi.toFixed(2)}x`
        })),
        columns: [
          { key: 'partner', name: 'Partner' },
          { key: 'period', name: 'Period' },
          { key: 'budget', name: 'Budget' },
          { key: 'accrued', name: 'Accrued' },
          { key: 'approved', name: 'Approved' },
          { key: 'claimed', name: 'Claimed' },
          { key: 'paid', name: 'Paid' },
          { key: 'remaining', name: 'Remaining' },
          { key: 'used', name: 'Used' },
          { key: 'atRisk', name: 'At risk' },
          { key: 'roi', name: 'ROI' }
        ]
      });
    }
    if (result.csvFile) this.log(messages.getMessage('wroteCsv', [result.csvFile]));
    if (result.htmlFile) this.log(messages.getMessage('wroteHtml', [result.htmlFile]));
    return result;
  }
}
