/** The sync jobs by name, in the order `--job all` runs them. */
import { conflictsJob } from './conflicts.js';
import { fixDriftWithApply } from './drift-fix.js';
import { mdfJob } from './mdf.js';
import { ownershipDriftJob } from './ownership-drift.js';
import type { SyncJob, SyncJobName } from '../types.js';

export function syncJobs(names: readonly SyncJobName[]): SyncJob[] {
  const all: Record<SyncJobName, () => SyncJob> = {
    conflicts: () => conflictsJob(),
    mdf: () => mdfJob(),
    'ownership-drift': () => ownershipDriftJob(fixDriftWithApply)
  };
  return names.map((n) => all[n]());
}
