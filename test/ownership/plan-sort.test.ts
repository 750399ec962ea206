import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExternalSorter } from '../../plugin-src/ownership/plan-sort.js';

async function sortAll(keys: string[], runSize: number): Promise<{ lines: string[]; leftover: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'sort-'));
  try {
    const sorter = new ExternalSorter(dir, runSize);
    for (const [i, k] of keys.entries()) await sorter.add(k, `${k},line ${i}`);
    expect(sorter.size).toBe(keys.length);
    const lines: string[] = [];
    for await (const l of sorter.sorted()) lines.push(l);
    return { lines, leftover: readdirSync(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('external merge sort', () => {
  // Given keys in a scrambled order, some repeated, with prefixes of one another
  const keys = Array.from({ length: 2500 }, (_, i) => `00${((i * 7919) % 1000).toString(36)}`);
  keys.push('001', '0010', '001');

  it('sorts in memory when everything fits one run', async () => {
    const { lines } = await sortAll(keys, 10_000);
    expect(lines.map((l) => l.split(',')[0])).toEqual([...keys].sort());
  });

  it('gives the same order when spilled to many runs and merged, and removes its run files', async () => {
    const { lines, leftover } = await sortAll(keys, 97);
    const inMemory = await sortAll(keys, 10_000);
    expect(lines).toEqual(inMemory.lines);
    expect(lines.map((l) => l.split(',')[0])).toEqual([...keys].sort());
    expect(leftover).toEqual([]);
  });
});
