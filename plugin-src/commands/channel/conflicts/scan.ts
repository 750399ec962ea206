import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { ConfigError, loadRulesConfig } from '../../../conflicts/config.js';
import { today } from '../../../conflicts/rules.js';
import { scanConflicts, type ScanConflict, type ScanResult } from '../../../conflicts/scan.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('channel-ops', 'channel.conflicts.scan');

/**
 * `--json` result: `{ conflicts: [{ type, key, accountId, opportunityId, conflictingOpportunityId,
 * partnerId, score, reason, ... }], counts: { <type>: n, total }, written: { created, updated,
 * autoResolved, untouched, failed }, plan, failures, read, matching, asOf, dryRun }`.
 */
export type ConflictsScanResult = ScanResult;
export type { ScanConflict };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export default class ConflictsScan extends SfCommand<ConflictsScanResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    config: Flags.file({ summary: messages.getMessage('flags.config.summary'), exists: true }),
    'as-of': Flags.string({ summary: messages.getMessage('flags.as-of.summary') }),
    write: Flags.boolean({ summary: messages.getMessage('flags.write.summary'), default: false }),
    output: Flags.file({ summary: messages.getMessage('flags.output.summary') }),
    'bulk-threshold': Flags.integer({ summary: messages.getMessage('flags.bulk-threshold.summary'), default: 10_000, min: 0, hidden: true }),
    'bulk-write-threshold': Flags.integer({ summary: messages.getMessage('flags.bulk-write-threshold.summary'), default: 2_000, min: 0, hidden: true })
  };

  public async run(): Promise<ConflictsScanResult> {
    const { flags } = await this.parse(ConflictsScan);
    const asOf = flags['as-of'] ?? today();
    if (!DATE.test(asOf) || Number.isNaN(Date.parse(asOf))) throw messages.createError('error.InvalidAsOf', [asOf]);
    let rules;
    try {
      rules = await loadRulesConfig(flags.config);
    } catch (e) {
      if (e instanceof ConfigError) throw messages.createError('error.InvalidConfig', [e.message]);
      throw e;
    }
    const conn = flags['target-org'].getConnection(flags['api-version']);
    this.spinner.start('Scanning for channel conflicts');
    let result: ScanResult;
    try {
      result = await scanConflicts(conn, {
        rules,
        asOf,
        write: flags.write,
        output: flags.output,
        bulkThreshold: flags['bulk-threshold'],
        bulkWriteThreshold: flags['bulk-write-threshold'],
        onStage: (stage) => {
          this.spinner.status = stage;
        }
      });
    } catch (e) {
      this.spinner.stop('failed');
      throw messages.createError('error.ScanFailed', [(e as Error).message], [], e as Error);
    }
    this.spinner.stop();

    this.styledHeader(messages.getMessage('summary.title', [asOf]));
    this.table({
      data: Object.entries(result.counts)
        .filter(([type]) => type !== 'total')
        .map(([type, count]) => ({ type, count }))
        .concat([{ type: 'Total', count: result.counts.total }]),
      columns: [
        { key: 'type', name: 'Conflict type' },
        { key: 'count', name: 'Conflicts' }
      ]
    });
    this.log(messages.getMessage('summary.matching', [String(result.matching.records), String(result.matching.clusters), String(result.matching.comparisons)]));
    if (result.dryRun) {
      this.log(messages.getMessage('summary.dryRun', [String(result.plan.create), String(result.plan.update), String(result.plan.autoResolve)]));
    } else {
      const w = result.written;
      this.log(messages.getMessage('summary.written', [String(w.created), String(w.updated), String(w.autoResolved), String(w.untouched)]));
    }
    if (result.outputFile) this.log(messages.getMessage('wroteCsv', [result.outputFile]));
    if (result.failures.length > 0) {
      const first = result.failures[0];
      // the full result (every failure) still goes out under --json
      process.exitCode = 1;
      this.logToStderr(messages.getMessage('error.WriteFailed', [String(result.failures.length), `${first.key}: ${first.errors}`]));
    }
    return result;
  }
}
