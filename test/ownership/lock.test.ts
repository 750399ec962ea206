/**
 * The plan lock: one apply or undo of a plan at a time; a lock left by a dead process is taken
 * over; a live holder is named in the refusal.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock, isProcessAlive, lockHolder, LOCK_FILE, PlanLockedError } from '../../plugin-src/ownership/lock.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'lock-'));

/** A pid that surely ran and ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('plan lock', () => {
  it('writes pid, host and start time, refuses a second holder with its details, and is gone after release', () => {
    // Given a plan directory locked by this process
    const d = dir();
    const lock = acquireLock(d, 'channel ownership apply', () => new Date('2026-11-25T08:00:00Z'));
    expect(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8'))).toEqual({
      pid: process.pid,
      host: hostname(),
      startedAt: '2026-11-25T08:00:00.000Z',
      command: 'channel ownership apply'
    });

    // When a second run asks for it
    let refused: unknown;
    try {
      acquireLock(d, 'channel ownership undo');
    } catch (e) {
      refused = e;
    }

    // Then it is refused, naming the holder
    expect(refused).toBeInstanceOf(PlanLockedError);
    expect((refused as Error).message).toContain(`pid ${process.pid} on ${hostname()}`);
    expect(lockHolder(d)).toMatchObject({ pid: process.pid, alive: true });

    // and after release the directory is free again
    lock.release();
    expect(existsSync(join(d, LOCK_FILE))).toBe(false);
    acquireLock(d, 'channel ownership undo').release();
  });

  it('takes over a lock whose process is dead, and one torn by a crash while being written', () => {
    const d = dir();
    const pid = deadPid();
    expect(isProcessAlive(pid)).toBe(false);
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid, host: hostname(), startedAt: '2026-11-25T07:00:00.000Z', command: 'channel ownership apply' }));

    const lock = acquireLock(d, 'channel ownership apply');
    expect(lock.tookOverFrom).toMatchObject({ pid });
    expect(lockHolder(d)).toMatchObject({ pid: process.pid, alive: true });
    lock.release();

    writeFileSync(join(d, LOCK_FILE), '{"pid": 12');
    const again = acquireLock(d, 'channel ownership apply');
    expect(again.tookOverFrom).toBeUndefined();
    again.release();
  });

  it('refuses a lock held on another machine and says how to clear it', () => {
    const d = dir();
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: 4242, host: 'ci-runner-7', startedAt: '2026-11-25T07:00:00.000Z', command: 'channel ownership apply' }));
    expect(() => acquireLock(d, 'channel ownership apply')).toThrow(/another machine.*delete .*apply\.lock/s);
    expect(lockHolder(d)).toMatchObject({ host: 'ci-runner-7', alive: undefined });
  });

  it('does not remove a lock that another run took over meanwhile', () => {
    const d = dir();
    const lock = acquireLock(d, 'channel ownership apply');
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: 1, host: hostname(), startedAt: 'x', command: 'other' }));
    lock.release();
    expect(existsSync(join(d, LOCK_FILE))).toBe(true);
  });
});
