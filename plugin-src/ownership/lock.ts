/**
 * The lock of a plan directory (`apply.lock`): one apply or undo of a plan at a time.
 *
 * The lock file holds the holder's pid, host and start time. A second run is refused with
 * who holds the lock. A lock left by a process that died (same host, pid no longer running)
 * is taken over, so a crash never needs a manual clean-up. A lock from another host cannot
 * be checked and is refused: the message says how to remove it when that run is known dead.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, linkSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

export const LOCK_FILE = 'apply.lock';

export const LockInfo = z.object({ pid: z.number().int(), host: z.string(), startedAt: z.string(), command: z.string() });
export type LockInfo = z.infer<typeof LockInfo>;

export class PlanLockedError extends Error {
  public constructor(
    public readonly lockPath: string,
    public readonly holder: LockInfo,
    sameHost: boolean
  ) {
    super(
      `Another run holds this plan: ${holder.command} (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}). ` +
        (sameHost
          ? 'Wait for it to finish, or stop that process; a re-run then continues where it stopped.'
          : `It runs on another machine, so it cannot be checked from here. If you are sure it is no longer running, delete ${lockPath} and re-run.`)
    );
    this.name = 'PlanLockedError';
  }
}

/** Whether a process with this pid runs on this machine. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dir: string): LockInfo | undefined {
  try {
    const parsed = LockInfo.safeParse(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The lock holder and whether it still runs (undefined when unknown: another host). */
export function lockHolder(dir: string): (LockInfo & { alive: boolean | undefined }) | undefined {
  const info = readLock(dir);
  if (!info) return undefined;
  return { ...info, alive: info.host === hostname() ? isProcessAlive(info.pid) : undefined };
}

export interface PlanLock {
  readonly path: string;
  readonly info: LockInfo;
  /** Set when a dead run's lock was taken over. */
  readonly tookOverFrom?: LockInfo;
  release(): void;
}

function writeNew(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(info));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the lock of a plan directory, or throws PlanLockedError. A lock whose process is dead
 * (same host) — or unreadable, as a crash during its writing leaves it — is taken over.
 */
export function acquireLock(dir: string, command: string, now: () => Date = () => new Date()): PlanLock {
  const path = join(dir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: now().toISOString(), command };
  let tookOverFrom: LockInfo | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (writeNew(path, info)) {
      let released = false;
      return {
        path,
        info,
        tookOverFrom,
        release(): void {
          if (released) return;
          released = true;
          const current = readLock(dir);
          if (current && current.pid === info.pid && current.host === info.host && current.startedAt === info.startedAt) {
            try {
              unlinkSync(path);
            } catch {
              // already gone
            }
          }
        }
      };
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // removed meanwhile: try again
    }
    let holder: LockInfo | undefined;
    try {
      const parsed = LockInfo.safeParse(JSON.parse(text));
      holder = parsed.success ? parsed.data : undefined;
    } catch {
      holder = undefined;
    }
    if (holder && holder.host !== info.host) throw new PlanLockedError(path, holder, false);
    if (holder && isProcessAlive(holder.pid)) throw new PlanLockedError(path, holder, true);
    // Stale: move it aside under a name of our own (only one taker can), check it is the lock we judged, then retry.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch {
      continue;
    }
    const movedText = readFileSync(aside, 'utf8');
    if (movedText !== text) {
      // Someone else took the lock over between our read and our rename: put theirs back.
      try {
        if (!existsSync(path)) linkSync(aside, path);
      } finally {
        unlinkSync(aside);
      }
      continue;
    }
    unlinkSync(aside);
    tookOverFrom = holder;
  }
  const holder = readLock(dir);
  if (holder) throw new PlanLockedError(path, holder, holder.host === info.host);
  throw new Error(`Could not take the lock ${path}; re-run the command.`);
}
