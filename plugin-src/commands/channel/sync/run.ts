import { join } from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { SyncLockedError } from '../../../sync/runs.js';
import { runSyncJob, type SyncJobResult } from '../../../sync/runner.js';
import { syncJobs } from '../../../sync/jobs/index.js';
import { SYNC_JOB_NAMES, type SyncJobName } from '../../../sync/types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('channel-ops', 'channel.sync.run');

/** `--json` result of `channel sync run`: one entry per job run, in order. */
export interface SyncRunJson {
  status: 'Succeeded' | 'Failed';
  jobs: SyncJobResult[];
}

export default class SyncRun extends SfCommand<SyncRunJson> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    job: Flags.option({
      summary: messages.getMessage('flags.job.summary'),
      options: [...SYNC_JOB_NAMES, 'all'] as const,
      default: 'all'
    })(),
    full: Flags.boolean({ summary: messages.getMessage('flags.full.summary'), default: false }),
    fix: Flags.boolean({ summary: messages.getMessage('flags.fix.summary'), default: false }),
    'work-dir': Flags.directory({ summary: messages.getMessage('flags.work-dir.summary'), default: join('.channel-ops', 'sync') })
  };

  public async run(): Promise<SyncRunJson> {
    const { flags } = await this.parse(SyncRun);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    const names: SyncJobName[] = flags.job === 'all' ? [...SYNC_JOB_NAMES] : [flags.job];
    const results: SyncJobResult[] = [];
    for (const job of syncJobs(names)) {
      this.spinner.start(`Sync job ${job.name}`);
      try {
        const result = await runSyncJob(conn, job, {
          full: flags.full,
          fix: flags.fix,
          workDir: flags['work-dir'],
          progress: (m) => {
            this.spinner.status = m;
          }
        });
        this.spinner.stop(result.status);
        results.push(result);
      } catch (e) {
        this.spinner.stop('refused');
        if (e instanceof SyncLockedError) throw messages.createError('error.Locked', [e.message]);
        throw e;
      }
    }
    this.table({
      data: results.map((r) => ({
        job: r.job,
        status: r.status,
        since: r.since ?? 'full run',
        read: r.recordsRead,
        changed: r.recordsChanged,
        errors: r.errors,
        details: Object.entries(r.details)
          .map(([k, v]) => `${k}: ${String(v)}`)
          .join(', ')
      })),
      columns: [
        { key: 'job', name: 'Job' },
        { key: 'status', name: 'Status' },
        { key: 'since', name: 'Changes since' },
        { key: 'read', name: 'Read' },
        { key: 'changed', name: 'Changed' },
        { key: 'errors', name: 'Errors' },
        { key: 'details', name: 'Details' }
      ]
    });
    const failed = results.filter((r) => r.status === 'Failed');
    for (const f of failed) this.warn(messages.getMessage('jobFailed', [f.job, f.errorSummary ?? 'unknown error']));
    if (failed.length > 0) process.exitCode = 1;
    return { status: failed.length > 0 ? 'Failed' : 'Succeeded', jobs: results };
  }
}
