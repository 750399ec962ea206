import { describe, expect, it } from '@jest/globals';
import { IdSet } from '../../../plugin-src/domain/id-set.js';
import { makeId, to18 } from '../../../plugin-src/domain/ids.js';

describe('IdSet', () => {
  it('holds exactly the ids added, across many growths', () => {
    // Given 50,000 contact ids added to a set sized for 10
    const set = new IdSet(10);
    for (let i = 1; i <= 100_000; i += 2) set.add(makeId('003', i, 'AB1'));

    // Then each added id is in it, and none of the ids in between
    expect(set.size).toBe(50_000);
    let found = 0;
    let strays = 0;
    for (let i = 1; i <= 100_000; i++) {
      const has = set.has(makeId('003', i, 'AB1'));
      if (i % 2 === 1 && has) found++;
      if (i % 2 === 0 && has) strays++;
    }
    expect([found, strays]).toEqual([50_000, 0]);
  });

  it('treats the 15- and 18-character forms of an id as one record, and ids differing only in case as two', () => {
    const set = new IdSet();
    set.add('001aB00000000Xy');
    set.add(to18('001aB00000000Xy'));
    expect(set.size).toBe(1);
    expect(set.has(to18('001aB00000000Xy'))).toBe(true);
    expect(set.has('001ab00000000xy')).toBe(false);
    expect(set.has('001AB00000000XY')).toBe(false);
  });

  it('refuses what is not an id', () => {
    expect(() => new IdSet().add('not-an-id')).toThrow('Not a Salesforce id: not-an-id');
  });
});
