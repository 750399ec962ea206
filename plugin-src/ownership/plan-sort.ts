/**
 * External merge sort of text lines by a sort key, for inputs too large to hold in memory.
 * Lines are collected into runs of bounded size; each full run is sorted and spilled to a
 * file; reading merges the runs with a small heap. A single run never touches the disk.
 *
 * Keys must not contain a tab or newline, lines no newline; keys are compared as plain strings
 * (code units), the order the plan files are written in. Each entry is kept as ONE string
 * `key \t line` (sorting those is sorting by key, then line), to keep the in-memory run small.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { releaseGarbage } from './plan-memory.js';

export class ExternalSorter {
  private buffer: string[] = [];
  private runs: string[] = [];
  private total = 0;

  /**
   * @param dir a directory for run files (removed by `cleanup()` / after reading)
   * @param runSize lines per in-memory run (memory bound)
   */
  public constructor(
    private readonly dir: string,
    private readonly runSize = 100_000
  ) {}

  public get size(): number {
    return this.total;
  }

  public async add(key: string, line: string): Promise<void> {
    this.buffer.push(`${key}\t${line}`);
    this.total++;
    if (this.buffer.length >= this.runSize) await this.spill();
  }

  private sortBuffer(): void {
    this.buffer.sort();
  }

  private async spill(): Promise<void> {
    this.sortBuffer();
    const file = join(this.dir, `run-${this.runs.length}.txt`);
    const out = createWriteStream(file, { encoding: 'utf8' });
    let chunk = '';
    for (const e of this.buffer) {
      chunk += `${e}\n`;
      if (chunk.length > 64 * 1024) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await once(out, 'finish');
    this.runs.push(file);
    this.buffer = [];
    releaseGarbage();
  }

  /** The lines in key order (ties keep no particular order unless keys differ). */
  public async *sorted(): AsyncGenerator<string> {
    if (this.runs.length === 0) {
      this.sortBuffer();
      const entries = this.buffer;
      this.buffer = [];
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        entries[i] = ''; // let the run go as it is read
        yield e.slice(e.indexOf('\t') + 1);
      }
      return;
    }
    if (this.buffer.length > 0) await this.spill();
    const readers = this.runs.map((file) => createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })[Symbol.asyncIterator]());
    // A binary min-heap of the current head of each run.
    const heap: { entry: string; run: number }[] = [];
    const less = (a: { entry: string }, b: { entry: string }): boolean => a.entry < b.entry;
    const push = (item: { entry: string; run: number }): void => {
      heap.push(item);
      let i = heap.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(heap[i], heap[p])) break;
        [heap[i], heap[p]] = [heap[p], heap[i]];
        i = p;
      }
    };
    const pop = (): { entry: string; run: number } => {
      const top = heap[0];
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && less(heap[l], heap[m])) m = l;
          if (r < heap.length && less(heap[r], heap[m])) m = r;
          if (m === i) break;
          [heap[i], heap[m]] = [heap[m], heap[i]];
          i = m;
        }
      }
      return top;
    };
    const next = async (run: number): Promise<void> => {
      const r = await readers[run].next();
      if (r.done) return;
      push({ entry: r.value, run });
    };
    try {
      for (let run = 0; run < readers.length; run++) await next(run);
      while (heap.length > 0) {
        const top = pop();
        yield top.entry.slice(top.entry.indexOf('\t') + 1);
        await next(top.run);
      }
    } finally {
      for (const r of readers) await r.return?.();
      await this.cleanup();
    }
  }

  public async cleanup(): Promise<void> {
    await Promise.all(this.runs.map((f) => rm(f, { force: true })));
    this.runs = [];
    this.buffer = [];
  }
}
