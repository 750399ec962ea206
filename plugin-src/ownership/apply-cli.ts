/**
 * What the apply and undo commands share: progress per object (rows done / total, rate),
 * the mapping of known failures to the commands' errors, and the summary rows.
 */
import { SfError, type Messages } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import { SingleBar } from 'cli-progress';
import { SalesforceApiError, SessionExpiredError } from '../salesforce/bulk2.js';
import { PlanError, type ObjectOutcome, type OwnershipRunResult, type ProgressEvent } from './apply.js';
import { PlanLockedError } from './lock.js';

export interface ProgressSink {
  start(total: number, payload: Record<string, unknown>, options: { title: string; format: string }): void;
  update(value: number, payload: Record<string, unknown>): void;
  finish(payload: Record<string, unknown>): void;
  info(message: string): void;
}

/** Turns run events into a progress bar per object and short info lines. */
export function progressRenderer(sink: ProgressSink, messages: Messages<string>): (e: ProgressEvent) => void {
  let startedAt = Date.now();
  let open = false;
  const rate = (done: number): string => {
    const seconds = (Date.now() - startedAt) / 1000;
    return seconds > 0 ? String(Math.round(done / seconds)) : '0';
  };
  return (e) => {
    switch (e.kind) {
      case 'resume':
        sink.info(messages.getMessage('info.resumed', [e.pendingJobs]));
        break;
      case 'object-start':
        startedAt = Date.now();
        open = true;
        sink.start(e.total, { rate: '0' }, { title: e.sobject.padEnd(11), format: '%s | {bar} | {value}/{total} rows | {rate} rows/s' });
        break;
      case 'rows':
        if (open) sink.update(e.done, { rate: rate(e.done) });
        break;
      case 'retry-round':
        if (messages.messages.has('info.retry')) sink.info(messages.getMessage('info.retry', [e.sobject, e.rows, e.delayMs, e.round]));
        break;
      case 'object-end':
        if (open) sink.finish({ rate: rate(e.outcome.planned) });
        open = false;
        break;
      case 'teams':
        if (e.missing > 0 && messages.messages.has('info.teams')) sink.info(messages.getMessage('info.teams', [e.sobject, e.missing, e.candidates]));
        break;
    }
  };
}

/**
 * One bar per object, on stderr (sf-plugins-core's Progress starts only once per command, and
 * draws its first frame before the payload, so `{rate}` would show as text). Without a terminal
 * each bar prints a line at start, every few seconds, and at the end. Silent under --json.
 */
export function progressBars(enabled: boolean): Pick<ProgressSink, 'start' | 'update' | 'finish'> & { stop(): void } {
  let bar: SingleBar | undefined;
  return {
    start(total, payload, { title, format }) {
      bar?.stop();
      if (!enabled) return;
      bar = new SingleBar({
        format: format.replace('%s', title),
        barCompleteChar: '\u2588',
        barIncompleteChar: '\u2591',
        linewrap: true,
        noTTYOutput: process.env.TERM === 'dumb' || !process.stderr.isTTY
      });
      bar.start(total, 0, payload);
    },
    update: (value, payload) => bar?.update(value, payload),
    finish(payload) {
      bar?.update(bar.getTotal(), payload);
      bar?.stop();
      bar = undefined;
    },
    stop() {
      bar?.stop();
      bar = undefined;
    }
  };
}

/** The command error for a failure the run knows (plan, lock, session, org), or the error as it is. */
export function toCommandError(e: unknown, messages: Messages<string>): Error {
  const make = (name: string, text: string): SfError =>
    new SfError(messages.getMessage(`error.${name}`, [text]), name, messages.messages.has(`error.${name}.actions`) ? messages.getMessages(`error.${name}.actions`) : undefined, 1);
  if (e instanceof PlanLockedError) return make('PlanLocked', e.message);
  if (e instanceof PlanError) return make(e.code, e.message);
  if (e instanceof SessionExpiredError) return make('SessionExpired', e.message);
  if (e instanceof SalesforceApiError && messages.messages.has('error.OrgRequestFailed')) return make('OrgRequestFailed', e.message);
  return e instanceof Error ? e : new Error(String(e));
}

export function summaryRows(objects: ObjectOutcome[]): Array<Record<string, string | number>> {
  return objects.map((o) => ({ object: o.sobject, planned: o.planned, moved: o.succeeded, failed: o.failed, drifted: o.drifted, skipped: o.skipped }));
}

export const SUMMARY_COLUMNS = [
  { key: 'object', name: 'Object' },
  { key: 'planned', name: 'Planned' },
  { key: 'moved', name: 'Moved' },
  { key: 'failed', name: 'Failed' },
  { key: 'drifted', name: 'Drifted' },
  { key: 'skipped', name: 'Already done' }
] as const;

export function totalFailed(result: OwnershipRunResult): number {
  return result.objects.reduce((n, o) => n + o.failed, 0) + result.teamMembersFailed;
}

export function totalDrifted(result: OwnershipRunResult): number {
  return result.objects.reduce((n, o) => n + o.drifted, 0);
}

/** What `apply` and `undo` need of their command: sf-plugins-core's output helpers. */
export type RunCommandOutput = Pick<SfCommand<OwnershipRunResult>, 'jsonEnabled' | 'table' | 'log' | 'warn' | 'logToStderr'>;

/**
 * The shared body of `channel ownership apply` and `undo`: progress per object, the summary
 * table, drift and failure notices, and a non-zero exit code when any row failed.
 */
export async function runWithOutput(
  cmd: RunCommandOutput,
  messages: Messages<string>,
  run: (onProgress: (e: ProgressEvent) => void) => Promise<OwnershipRunResult>
): Promise<OwnershipRunResult> {
  const bars = progressBars(!cmd.jsonEnabled());
  const render = progressRenderer({ ...bars, info: (message) => cmd.log(message) }, messages);
  let result: OwnershipRunResult;
  try {
    result = await run(render);
  } catch (e) {
    bars.stop();
    throw toCommandError(e, messages);
  }
  cmd.table({ data: summaryRows(result.objects), columns: [...SUMMARY_COLUMNS] });
  cmd.log(`Team members restored: ${result.teamMembersRestored}. Journal: ${result.files.journal}`);
  const drifted = totalDrifted(result);
  if (drifted > 0) cmd.warn(messages.getMessage('warning.drift', [drifted, result.files.drift]));
  const failed = totalFailed(result);
  if (failed > 0) {
    process.exitCode = 1;
    cmd.logToStderr(messages.getMessage('error.Partial', [failed, result.failureFiles.join(', ')]));
  }
  return result;
}
