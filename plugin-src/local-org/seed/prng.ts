/**
 * A tiny deterministic pseudo-random generator (mulberry32) and the draws the seed
 * generator needs. Same seed, same sequence, on every machine and Node version: the whole
 * seed data set is a pure function of the scenario.
 */

/** A 32-bit hash of a string (FNV-1a), used to derive independent streams from one seed. */
export function hash32(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export class Rng {
  private state: number;

  public constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** An independent stream for one concern (names, children, ...) of one seed. */
  public static stream(seed: number, name: string): Rng {
    return new Rng(hash32(`${seed}:${name}`));
  }

  /** Uniform in [0, 1). */
  public next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  public int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  public chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  public pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One of the entries, with probability proportional to its weight. */
  public weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    let r = this.next() * total;
    for (const [v, w] of entries) {
      r -= w;
      if (r < 0) return v;
    }
    return entries[entries.length - 1][0];
  }

  /** A Poisson-distributed count (Knuth; fine for the small means used here). */
  public poisson(mean: number): number {
    if (mean <= 0) return 0;
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** `count` distinct items of `items` (count clamped to the length), in random order. */
  public sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  }

  /** `count` distinct integers in [0, n), for small counts (rejection sampling, no big arrays). */
  public distinct(n: number, count: number): number[] {
    const out: number[] = [];
    const k = Math.min(count, n);
    while (out.length < k) {
      const v = Math.floor(this.next() * n);
      if (!out.includes(v)) out.push(v);
    }
    return out;
  }

  /** Digits as a string, e.g. digits(7) → "4829105" (first digit never 0 unless allowed). */
  public digits(count: number, leadingZero = false): string {
    let s = String(leadingZero ? this.int(0, 9) : this.int(1, 9));
    for (let i = 1; i < count; i++) s += String(this.int(0, 9));
    return s;
  }
}
