import { describe, expect, it } from '@jest/globals';
import { makeId } from '../../plugin-src/domain/ids.js';
import {
  InvalidIdError,
  chunkIds,
  collectByIds,
  idChunkSoql,
  idsPerQuery,
  queryRecords,
  soqlString,
  type QueryConnection,
  type QueryPage
} from '../../plugin-src/salesforce/query.js';

/** An org that answers queries page by page as the REST API does, and logs the SOQL it got. */
function pagedOrg(records: Record<string, unknown>[], pageSize: number): QueryConnection & { soql: string[]; calls: number } {
  const org = {
    soql: [] as string[],
    calls: 0,
    query<T>(soql: string): Promise<QueryPage<T>> {
      org.soql.push(soql);
      return Promise.resolve(org.page<T>(0));
    },
    queryMore<T>(locator: string): Promise<QueryPage<T>> {
      return Promise.resolve(org.page<T>(Number(locator.split('-').pop())));
    },
    page<T>(from: number): QueryPage<T> {
      org.calls++;
      const slice = records.slice(from, from + pageSize).map((r) => ({ attributes: { type: 'Account' }, ...r }));
      const done = from + pageSize >= records.length;
      return { totalSize: records.length, done, nextRecordsUrl: done ? undefined : `/services/data/v62.0/query/01g-${from + pageSize}`, records: slice as T[] };
    }
  };
  return org;
}

describe('streaming query', () => {
  it('yields every record across queryMore pages without attributes', async () => {
    const records = Array.from({ length: 4500 }, (_, i) => ({ Id: makeId('001', i) }));
    const org = pagedOrg(records, 2000);
    const seen: unknown[] = [];
    for await (const r of queryRecords(org, 'SELECT Id FROM Account')) seen.push(r);
    expect(seen).toEqual(records);
    expect(org.calls).toBe(3);
  });
});

describe('queries by chunks of ids', () => {
  it('keeps each query under the URL budget and validates every id', () => {
    const q = { select: 'Id, OwnerId, AccountId', from: 'Contact', idField: 'AccountId', where: "OwnerId = '005000000000001AAA'", orderBy: 'ORDER BY AccountId, Id' };
    const size = idsPerQuery(q);
    expect(size).toBeGreaterThanOrEqual(400);
    expect(size).toBeLessThanOrEqual(800);
    const ids = Array.from({ length: size }, (_, i) => makeId('001', i));
    const soql = idChunkSoql(q, ids);
    expect(encodeURIComponent(soql).length).toBeLessThanOrEqual(15000);
    expect(soql.startsWith("SELECT Id, OwnerId, AccountId FROM Contact WHERE AccountId IN ('001")).toBe(true);
    expect(soql.endsWith("AND (OwnerId = '005000000000001AAA') ORDER BY AccountId, Id")).toBe(true);
    expect(() => idChunkSoql(q, ["001000000000001' OR Name != '"])).toThrow(InvalidIdError);
    expect(() => chunkIds(['001000000000001', 'nope'], 10)).toThrow(/Not a Salesforce record id: "nope"/);
  });

  it('splits ids into chunks, in 18 characters, without duplicates, and queries them all', async () => {
    const ids = Array.from({ length: 1203 }, (_, i) => makeId('001', i));
    const chunks = chunkIds([ids[0], ids[0].slice(0, 15), ...ids.slice(1)], 500);
    expect(chunks.map((c) => c.length)).toEqual([500, 500, 203]);
    const org = pagedOrg(ids.map((Id) => ({ Id })), 2000);
    const got = await collectByIds(org, { select: 'Id', from: 'Account' }, ids, { maxIds: 500 });
    expect(org.soql).toHaveLength(3);
    expect(got).toHaveLength(ids.length * 3); // this fake org ignores the filter: every chunk returns all rows
  });

  it('escapes string literals', () => {
    expect(soqlString("O'Brien \\ \n")).toBe("'O\\'Brien \\\\ \\n'");
  });
});
