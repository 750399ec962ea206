/**
 * The journal: append-only JSON lines flushed per step, replayed into the state a resumed run
 * needs (jobs to finish or abort, rows moved so far, committed result-file sizes), and robust to
 * a line torn by a crash.
 */
import { describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal, parseJournal, pendingJobs, readJournalFile, replayJournal, truncateToCommitted, type JournalEntry } from '../../plugin-src/ownership/journal.js';

const t = '2026-11-25T08:00:00.000Z';
const dir = (): string => mkdtempSync(join(tmpdir(), 'journal-'));

describe('journal replay', () => {
  it('knows which jobs are still to finish or abort, and how many rows earlier runs moved', () => {
    // Given a run that created three jobs: one finished with results, one closed, one only created
    const entries: JournalEntry[] = [
      { t, type: 'run-started', runId: 'r1', mode: 'apply', pid: 1, host: 'h', batchSize: 10 },
      { t, type: 'job-created', runId: 'r1', sobject: 'Account', jobId: 'J1', purpose: 'owner', rows: 10, round: 1 },
      { t, type: 'job-uploaded', jobId: 'J1' },
      { t, type: 'job-closed', jobId: 'J1' },
      { t, type: 'job-finished', jobId: 'J1', state: 'JobComplete', processed: 10, failed: 1 },
      { t, type: 'job-results', jobId: 'J1', sobject: 'Account', succeeded: 9, failed: 0, retryable: 1, files: { 'results/success-Account.csv': 420 } },
      { t, type: 'job-created', runId: 'r1', sobject: 'Account', jobId: 'J2', purpose: 'owner', rows: 10, round: 1 },
      { t, type: 'job-uploaded', jobId: 'J2' },
      { t, type: 'job-closed', jobId: 'J2' },
      { t, type: 'job-created', runId: 'r1', sobject: 'Account', jobId: 'J3', purpose: 'owner', rows: 4, round: 1 }
    ];

    // When it is replayed
    const state = replayJournal(entries);

    // Then J2 (closed) and J3 (created) are pending, J1 is done, 9 rows moved, and the success file is committed at 420 bytes
    expect(pendingJobs(state).map((j) => [j.jobId, j.phase])).toEqual([
      ['J2', 'closed'],
      ['J3', 'created']
    ]);
    expect(state.jobs.get('J1')).toMatchObject({ phase: 'results', state: 'JobComplete', succeeded: 9 });
    expect(state.objects.get('Account')?.succeededAllRuns).toBe(9);
    expect(state.fileSizes).toEqual({ 'results/success-Account.csv': 420 });
    expect(state.runs).toEqual([{ runId: 'r1', mode: 'apply', pid: 1, host: 'h', startedAt: t }]);
  });

  it('does not count team inserts as moved rows, and sums restored members over runs', () => {
    const state = replayJournal([
      { t, type: 'job-created', runId: 'r1', sobject: 'AccountTeamMember', jobId: 'T1', purpose: 'team', rows: 3, round: 1 },
      { t, type: 'job-results', jobId: 'T1', sobject: 'AccountTeamMember', succeeded: 3, failed: 0, retryable: 0, files: {} },
      { t, type: 'teams-restored', runId: 'r1', sobject: 'AccountTeamMember', candidates: 5, existing: 2, inserted: 3, failed: 0 },
      { t, type: 'teams-restored', runId: 'r2', sobject: 'AccountTeamMember', candidates: 5, existing: 4, inserted: 1, failed: 0 }
    ]);
    expect(state.objects.get('AccountTeamMember')).toBeUndefined();
    expect(state.teams.get('AccountTeamMember')).toMatchObject({ inserted: 4, lastRunId: 'r2' });
  });

  it('drops a line torn by a crash and counts lines it cannot read', () => {
    const good = JSON.stringify({ t, type: 'job-uploaded', jobId: 'J1' });
    const { entries, unreadable } = parseJournal(`${good}\n{"t":"x","type":"nonsense"}\n${good.slice(0, 20)}`);
    expect(entries).toHaveLength(1);
    expect(unreadable).toBe(1);
  });
});

describe('journal file', () => {
  it('appends fsynced lines, cuts a torn tail before appending, and reads back what it wrote', () => {
    // Given a journal whose last line was torn by a kill -9
    const path = join(dir(), 'journal.jsonl');
    writeFileSync(path, `${JSON.stringify({ t, type: 'job-uploaded', jobId: 'J1' })}\n{"t":"2026-11-25T08:0`);

    // When it is opened and an entry appended
    const journal = Journal.open(path, () => new Date(t));
    journal.append({ type: 'job-closed', jobId: 'J1' });
    journal.close();

    // Then the file holds two whole lines and the state of both
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[1])).toEqual({ t, type: 'job-closed', jobId: 'J1' });
    const state = readJournalFile(path);
    expect(state.unreadable).toBe(0);
  });

  it('keeps its in-memory state in step with what it appends', () => {
    const journal = Journal.open(join(dir(), 'journal.jsonl'));
    journal.append({ type: 'job-created', runId: 'r', sobject: 'Account', jobId: 'J9', purpose: 'owner', rows: 2, round: 1 });
    expect(pendingJobs(journal.state).map((j) => j.jobId)).toEqual(['J9']);
    journal.append({ type: 'job-aborted', jobId: 'J9' });
    expect(pendingJobs(journal.state)).toEqual([]);
    journal.close();
    expect(() => journal.append({ type: 'job-aborted', jobId: 'J9' })).toThrow(/closed/);
  });

  it('cuts result files back to the size the journal committed', () => {
    // Given a success file with a committed part and rows written by a run killed before journaling them
    const d = dir();
    writeFileSync(join(d, 'success.csv'), 'Id\nA\n');
    appendFileSync(join(d, 'success.csv'), 'B\nC\n');

    // When it is truncated to the committed size
    truncateToCommitted(d, { 'success.csv': 5, 'missing.csv': 10 }, join);

    // Then only the committed rows remain
    expect(readFileSync(join(d, 'success.csv'), 'utf8')).toBe('Id\nA\n');
  });
});
