import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { PlanError } from '../../../ownership/apply.js';
import { planStatus, type PlanStatus, type RunStatusView } from '../../../ownership/status.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('channel-ops', 'channel.ownership.status');

/** The `--json` result of `channel ownership status`. */
export type StatusResult = PlanStatus;

export default class OwnershipStatus extends SfCommand<StatusResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    plan: Flags.directory({ char: 'p', summary: messages.getMessage('flags.plan.summary'), required: true, exists: true })
  };

  public async run(): Promise<StatusResult> {
    const { flags } = await this.parse(OwnershipStatus);
    let status: PlanStatus;
    try {
      status = planStatus(flags.plan);
    } catch (e) {
      if (e instanceof PlanError && e.code !== 'PlanForAnotherOrg') {
        throw new SfError(messages.getMessage(`error.${e.code}`, [e.message]), e.code, messages.getMessages(`error.${e.code}.actions`), 1);
      }
      throw e;
    }
    this.show('Apply', status.apply);
    if (status.undo) this.show('Undo', status.undo);
    if (status.lock) {
      const alive = status.lock.alive === null ? 'on another machine' : status.lock.alive ? 'running' : 'no longer running (the next run takes the lock over)';
      this.log(`Lock: ${status.lock.command}, pid ${status.lock.pid} on ${status.lock.host} since ${status.lock.startedAt} — ${alive}`);
    }
    return status;
  }

  private show(title: string, v: RunStatusView): void {
    const last = v.lastRun ? ` — last run ${v.lastRun.startedAt}${v.lastRun.finishedAt ? ` to ${v.lastRun.finishedAt}` : ''}` : '';
    this.styledHeader(`${title}: ${v.state}${last}`);
    this.table({
      data: v.objects.map((o) => ({
        object: o.sobject,
        planned: o.planned,
        moved: o.succeeded,
        failed: o.failed,
        drifted: o.drifted,
        todo: o.todoAtLastCheck ?? '',
        done: o.finished ? 'yes' : 'no'
      })),
      columns: [
        { key: 'object', name: 'Object' },
        { key: 'planned', name: 'Planned' },
        { key: 'moved', name: 'Moved' },
        { key: 'failed', name: 'Failed' },
        { key: 'drifted', name: 'Drifted' },
        { key: 'todo', name: 'To do at last check' },
        { key: 'done', name: 'Finished' }
      ]
    });
    for (const t of v.teams) this.log(`${t.sobject}: ${t.restored} member(s) restored, ${t.failed} failed`);
    for (const j of v.openJobs) this.log(`Job ${j.jobId} (${j.sobject}, ${j.rows} rows) left at step "${j.phase}": the next run finishes or aborts it.`);
  }
}
