import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import type { OwnershipRunResult } from '../../../ownership/apply.js';
import { undoPlan } from '../../../ownership/undo.js';
import { runWithOutput } from '../../../ownership/apply-cli.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('channel-ops', 'channel.ownership.undo');

/** The `--json` result of `channel.ownership.undo`. */
export type UndoResult = OwnershipRunResult;

export default class OwnershipUndo extends SfCommand<UndoResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    plan: Flags.directory({ char: 'p', summary: messages.getMessage('flags.plan.summary'), required: true, exists: true }),
    'batch-size': Flags.integer({ char: 'b', summary: messages.getMessage('flags.batch-size.summary'), min: 1, max: 1_000_000, default: 10_000 })
  };

  public async run(): Promise<UndoResult> {
    const { flags } = await this.parse(OwnershipUndo);
    const org = flags['target-org'];
    return runWithOutput(this, messages, (onProgress) =>
      undoPlan(org.getConnection(), { planDir: flags.plan, batchSize: flags['batch-size'], orgId: org.getOrgId(), onProgress })
    );
  }
}
