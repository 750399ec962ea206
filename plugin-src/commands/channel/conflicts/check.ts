import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { checkOpportunity, OpportunityNotFoundError, type CheckResult } from '../../../conflicts/check.js';
import { ConfigError, loadRulesConfig } from '../../../conflicts/config.js';
import { today } from '../../../conflicts/rules.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('channel-ops', 'channel.conflicts.check');

/**
 * `--json` result: `{ opportunityId, opportunityName, accountId, isClosed, customerAccounts:
 * [{ id, name, score }], protection: { state, expires, daysLeft }, conflicts: [{ type, key,
 * accountId, opportunityId, conflictingOpportunityId, partnerId, score, reason, existingStatus ... }] }`.
 */
export type ConflictsCheckResult = CheckResult;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export default class ConflictsCheck extends SfCommand<ConflictsCheckResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    opportunity: Flags.salesforceId({ summary: messages.getMessage('flags.opportunity.summary'), startsWith: '006', length: 'both', required: true, char: 'i' }),
    config: Flags.file({ summary: messages.getMessage('flags.config.summary'), exists: true }),
    'as-of': Flags.string({ summary: messages.getMessage('flags.as-of.summary') })
  };

  public async run(): Promise<ConflictsCheckResult> {
    const { flags } = await this.parse(ConflictsCheck);
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
    let result: CheckResult;
    try {
      result = await checkOpportunity(conn, flags.opportunity, asOf, rules);
    } catch (e) {
      if (e instanceof OpportunityNotFoundError) throw messages.createError('error.NotFound', [flags.opportunity]);
      throw messages.createError('error.CheckFailed', [(e as Error).message], [], e as Error);
    }
    const label = result.opportunityName ? `${result.opportunityName} (${result.opportunityId})` : result.opportunityId;
    if (result.isClosed) {
      this.log(messages.getMessage('closed', [label]));
      return result;
    }
    if (result.customerAccounts.length > 0) {
      this.log(messages.getMessage('customer', [result.customerAccounts.map((a) => `${a.name} (${a.id}, ${a.score})`).join('; ')]));
    }
    if (result.protection.state !== 'not registered') {
      const p = result.protection;
      this.log(messages.getMessage('protection', [`${p.state}${p.expires ? `, until ${p.expires}` : ''}${p.daysLeft !== undefined ? ` (${p.daysLeft} days)` : ''}`]));
    }
    if (result.conflicts.length === 0) {
      this.log(messages.getMessage('noConflicts', [label]));
    } else {
      this.table({
        data: result.conflicts.map((c) => ({
          type: c.type,
          severity: c.severity,
          other: c.opportunityId === result.opportunityId ? c.conflictingOpportunityId ?? c.accountId : c.opportunityId,
          reason: c.reason,
          status: c.existingStatus ?? 'not recorded'
        })),
        columns: [
          { key: 'type', name: 'Conflict' },
          { key: 'severity', name: 'Severity' },
          { key: 'other', name: 'Other record' },
          { key: 'reason', name: 'Why' },
          { key: 'status', name: 'In the org' }
        ]
      });
    }
    return result;
  }
}
