import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { applyPlan, type OwnershipRunResult } from '../../../ownership/apply.js';
import { runWithOutput } from '../../../ownership/apply-cli.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('channel-ops', 'channel.ownership.apply');

/** The `--json` result of `channel ownership apply`. */
export type ApplyResult = OwnershipRunResult;

export default class OwnershipApply extends SfCommand<ApplyResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    plan: Flags.directory({ char: 'p', summary: messages.getMessage('flags.plan.summary'), required: true, exists: true }),
    'batch-size': Flags.integer({ char: 'b', summary: messages.getMessage('flags.batch-size.summary'), min: 1, max: 1_000_000, default: 10_000 })
  };

  public async run(): Promise<ApplyResult> {
    const { flags } = await this.parse(OwnershipApply);
    const org = flags['target-org'];
    return runWithOutput(this, messages, (onProgress) =>
      applyPlan(org.getConnection(), { planDir: flags.plan, batchSize: flags['batch-size'], orgId: org.getOrgId(), onProgress })
    );
  }
}
