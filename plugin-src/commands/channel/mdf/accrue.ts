import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { type AccrueResult, runAccrual } from '../../../mdf/accrue.js';
import { isIsoDate, today } from '../../../mdf/model.js';
import type { QueryConnection } from '../../../mdf/read.js';
import type { UpdateConnection } from '../../../mdf/accrue.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('channel-ops', 'channel.mdf.accrue');

/** `--json` result of `channel mdf accrue`. */
export type MdfAccrueJson = AccrueResult;

const money = (n: number): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** "before -> after" when a figure changes, the figure alone when it stays. */
const change = (before: number, after: number): string =>
  before === after ? money(after) : `${money(before)} -> ${money(after)}`;

export default class MdfAccrue extends SfCommand<MdfAccrueJson> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    'as-of': Flags.string({ summary: messages.getMessage('flags.as-of.summary') }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false })
  };

  public async run(): Promise<MdfAccrueJson> {
    const { flags } = await this.parse(MdfAccrue);
    const asOf = flags['as-of'] ?? today();
    if (!isIsoDate(asOf)) throw messages.createError('error.InvalidAsOf', [asOf]);
    // jsforce's query() result is a thenable whose typing does not match PromiseLike<QueryPage<T>>; it is one at run time.
    const conn = flags['target-org'].getConnection(flags['api-version']) as unknown as QueryConnection &
      UpdateConnection;

    this.spinner.start(flags['dry-run'] ? 'Planning accruals and expiries' : 'Accruing and expiring');
    let result: AccrueResult;
    try {
      result = await runAccrual(conn, { asOf, dryRun: flags['dry-run'] });
    } catch (e) {
      this.spinner.stop('failed');
      throw messages.createError(
        'error.ReadFailed',
        [(e as Error).message],
        [],
        e instanceof SfError || e instanceof Error ? e : undefined
      );
    }
    this.spinner.stop();

    if (result.budgetsUpdated.length) {
      this.table({
        title: 'Budgets',
        data: result.budgetsUpdated.map((b) => ({
          partner: b.partnerName,
          period: `${b.periodStart}..${b.periodEnd}`,
          rate: b.accrualRate === null ? '-' : `${b.accrualRate}%`,
          won: money(b.wonAmount),
          accrued: change(b.previousAccrued, b.accrued),
          claimed: change(b.previousClaimedTotal, b.claimedTotal),
          paid: change(b.previousPaidTotal, b.paidTotal)
        })),
        columns: [
          { key: 'partner', name: 'Partner' },
          { key: 'period', name: 'Period' },
          { key: 'rate', name: 'Rate' },
          { key: 'won', name: 'Closed won' },
          { key: 'accrued', name: 'Accrued' },
          { key: 'claimed', name: 'Claimed total' },
          { key: 'paid', name: 'Paid total' }
        ]
      });
    }
    const moved = [...result.requestsExpired, ...result.requestsClosed];
    if (moved.length) {
      this.table({
        title: 'Requests past their claim deadline',
        data: moved.map((r) => ({
          request: r.requestName ?? r.requestId,
          partner: r.partnerName,
          deadline: r.claimDeadline,
          approved: money(r.approved),
          claimed: money(r.claimed),
          status: `Approved -> ${r.newStatus}`
        })),
        columns: [
          { key: 'request', name: 'Request' },
          { key: 'partner', name: 'Partner' },
          { key: 'deadline', name: 'Claim deadline' },
          { key: 'approved', name: 'Approved' },
          { key: 'claimed', name: 'Claimed' },
          { key: 'status', name: 'Status' }
        ]
      });
    }
    if (result.awaitingClaimReview.length) {
      this.warn(
        messages.getMessage('awaitingReview', [
          String(result.awaitingClaimReview.length),
          result.awaitingClaimReview.map((r) => r.requestName ?? r.requestId).join(', ')
        ])
      );
    }
    const counts = [
      String(result.budgetsUpdated.length),
      String(result.requestsExpired.length),
      String(result.requestsClosed.length),
      String(result.unchangedBudgets)
    ];
    this.log(
      result.dryRun
        ? messages.getMessage('summary.dryRun', [asOf, ...counts])
        : messages.getMessage('summary.done', [asOf, ...counts])
    );
    if (result.failures.length) {
      this.table({
        title: 'Not updated',
        data: result.failures.map((f) => ({
          object: f.sobject,
          id: f.id,
          rule: f.rule ?? '',
          message: f.message
        })),
        columns: [
          { key: 'object', name: 'Object' },
          { key: 'id', name: 'Record' },
          { key: 'rule', name: 'Rule / error' },
          { key: 'message', name: 'Message' }
        ]
      });
      this.warn(messages.getMessage('failures', [String(result.failures.length)]));
      process.exitCode = 1;
    }
    return result;
  }
}
