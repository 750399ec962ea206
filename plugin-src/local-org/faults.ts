/**
 * Fault injection for the local org: the failures a real org throws at a client under load,
 * made reproducible (a seeded PRNG) so that tests of retries and resumption are deterministic.
 *
 * Set at start (`--faults`) or at runtime through `POST /__local/faults`.
 */
import { z } from 'zod';

export const FaultConfig = z
  .object({
    /** Share (0..1) of bulk ingest rows and REST updates that fail with UNABLE_TO_LOCK_ROW. */
    lockRowRate: z.number().min(0).max(1).optional(),
    /** Share (0..1) of API requests answered 503 REQUEST_LIMIT_EXCEEDED. */
    requestLimitRate: z.number().min(0).max(1).optional(),
    /** The session expires (401 INVALID_SESSION_ID) after this many API requests. */
    sessionExpiresAfter: z.number().int().min(0).optional(),
    /** Added latency per API request, in milliseconds. */
    latencyMs: z.number().min(0).max(60_000).optional(),
    /** The next N bulk jobs end `Failed`. */
    failJobs: z.number().int().min(0).optional(),
    /** A failing ingest job first processes this many rows (they stay committed; the rest are unprocessed). */
    failJobsAfterRows: z.number().int().min(0).optional(),
    /** PRNG seed, so that which rows fail is reproducible. */
    seed: z.number().int().optional()
  })
  .strict();
export type FaultConfig = z.infer<typeof FaultConfig>;

/** mulberry32: small, fast, good enough to pick which rows fail. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const LOCK_ROW_MESSAGE = 'unable to obtain exclusive access to this record';

export class FaultController {
  private config: FaultConfig = {};
  private random: () => number = prng(1);
  private apiRequests = 0;
  private jobsToFail = 0;

  public constructor(config: FaultConfig = {}) {
    this.set(config);
  }

  /** Replaces the whole configuration and restarts the counters (session, PRNG, failing jobs). */
  public set(config: FaultConfig): void {
    this.config = FaultConfig.parse(config);
    this.random = prng(this.config.seed ?? 1);
    this.apiRequests = 0;
    this.jobsToFail = this.config.failJobs ?? 0;
  }

  public get current(): FaultConfig & { apiRequests: number; jobsToFail: number } {
    return { ...this.config, apiRequests: this.apiRequests, jobsToFail: this.jobsToFail };
  }

  /** Counts one API request; true when the session has expired by now. */
  public countRequestAndCheckExpired(): boolean {
    this.apiRequests++;
    const limit = this.config.sessionExpiresAfter;
    return limit !== undefined && this.apiRequests > limit;
  }

  public requestLimited(): boolean {
    const rate = this.config.requestLimitRate ?? 0;
    return rate > 0 && this.random() < rate;
  }

  public lockRow(): boolean {
    const rate = this.config.lockRowRate ?? 0;
    return rate > 0 && this.random() < rate;
  }

  public get failJobsAfterRows(): number {
    return this.config.failJobsAfterRows ?? 0;
  }

  public get latencyMs(): number {
    return this.config.latencyMs ?? 0;
  }

  /** True (once per job) while the "next N jobs fail" budget lasts. */
  public takeJobFailure(): boolean {
    if (this.jobsToFail <= 0) return false;
    this.jobsToFail--;
    return true;
  }
}

/** Reads a FaultConfig from inline JSON or from a JSON file. */
export async function parseFaultArg(value: string): Promise<FaultConfig> {
  const trimmed = value.trim();
  let text = trimmed;
  if (!trimmed.startsWith('{')) {
    const { readFile } = await import('node:fs/promises');
    text = await readFile(trimmed, 'utf8');
  }
  return FaultConfig.parse(JSON.parse(text));
}
