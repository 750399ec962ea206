import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { recentRuns, type RunRow } from '../../../sync/runs.js';
import { SYNC_JOB_NAMES } from '../../../sync/types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('channel-ops', 'channel.sync.status');

export interface SyncStatusRun {
  id: string;
  name: string | null;
  job: string | null;
  status: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  watermark: string | null;
  recordsRead: number | null;
  recordsChanged: number | null;
  errors: number | null;
  errorSummary: string | null;
  runner: string | null;
}

/** `--json` result of `channel sync status`: the most recent runs, newest first. */
export interface SyncStatusJson {
  runs: SyncStatusRun[];
}

const toRun = (r: RunRow): SyncStatusRun => ({
  id: r.Id,
  name: r.Name ?? null,
  job: r.Job__c,
  status: r.Status__c,
  startedAt: r.Started_At__c,
  finishedAt: r.Finished_At__c ?? null,
  watermark: r.Watermark__c ?? null,
  recordsRead: r.Records_Read__c ?? null,
  recordsChanged: r.Records_Changed__c ?? null,
  errors: r.Errors__c ?? null,
  errorSummary: r.Error_Summary__c ?? null,
  runner: r.Runner__c ?? null
});

export default class SyncStatus extends SfCommand<SyncStatusJson> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    job: Flags.option({ summary: messages.getMessage('flags.job.summary'), options: SYNC_JOB_NAMES })(),
    limit: Flags.integer({ summary: messages.getMessage('flags.limit.summary'), default: 10, min: 1, max: 200 })
  };

  public async run(): Promise<SyncStatusJson> {
    const { flags } = await this.parse(SyncStatus);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    const runs = (await recentRuns(conn, flags.job, flags.limit)).map(toRun);
    if (runs.length === 0) {
      this.log(messages.getMessage('noRuns'));
    } else {
      this.table({
        data: runs.map((r) => ({
          run: r.name ?? r.id,
          job: r.job ?? '',
          status: r.status ?? '',
          started: r.startedAt ?? '',
          finished: r.finishedAt ?? '',
          watermark: r.watermark ?? '',
          read: r.recordsRead ?? '',
          changed: r.recordsChanged ?? '',
          errors: r.errors ?? ''
        })),
        columns: [
          { key: 'run', name: 'Run' },
          { key: 'job', name: 'Job' },
          { key: 'status', name: 'Status' },
          { key: 'started', name: 'Started' },
          { key: 'finished', name: 'Finished' },
          { key: 'watermark', name: 'Watermark' },
          { key: 'read', name: 'Read' },
          { key: 'changed', name: 'Changed' },
          { key: 'errors', name: 'Errors' }
        ]
      });
    }
    return { runs };
  }
}
