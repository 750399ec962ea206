/**
 * Id-range filters (`Id >= x AND Id <= y`) are answered from the table's sorted ids rather than
 * a scan: the rows, their order and deleted-row handling must be exactly what a scan gives.
 */
import { describe, it, expect, beforeEach } from '@jest/globals';
import { Database, type Ctx } from '../../plugin-src/local-org/database.js';
import { standardSchema } from '../../plugin-src/local-org/schema.js';
import { makeId } from '../../plugin-src/domain/ids.js';

const NOW = new Date('2026-03-15T12:00:00Z');
let db: Database;
let ctx: Ctx;
const alice = makeId('005', 1, 'RNG');
const bob = makeId('005', 2, 'RNG');
const acc = (n: number): string => makeId('001', n, 'RNG');

const ids = (soql: string, includeDeleted = false): string[] => db.query(soql, { now: NOW, includeDeleted }).records.map((r) => String(r.Id));

/** What a scan answers: every row in table order, filtered in JS. */
function scan(keep: (id: string, owner: string) => boolean, includeDeleted = false): string[] {
  return db
    .query('SELECT Id, OwnerId FROM Account', { now: NOW, includeDeleted })
    .records.filter((r) => keep(String(r.Id), String(r.OwnerId)))
    .map((r) => String(r.Id));
}

beforeEach(() => {
  db = new Database(standardSchema());
  db.load('User', [
    { Id: alice, Username: 'alice@rng.test', LastName: 'Alice', Email: 'alice@rng.test', IsActive: true },
    { Id: bob, Username: 'bob@rng.test', LastName: 'Bob', Email: 'bob@rng.test', IsActive: true }
  ]);
  ctx = { userId: alice, now: NOW };
  // Given accounts loaded out of id order, owned by Alice and Bob in turn
  const order = [7, 3, 9, 1, 12, 5, 2, 11, 4, 10, 8, 6];
  db.load(
    'Account',
    order.map((n) => ({ Id: acc(n), Name: `A${n}`, OwnerId: n % 2 ? alice : bob }))
  );
});

describe('Id range filters', () => {
  it('return the rows a scan returns, in table order, for every bound kind', () => {
    const lo = acc(3);
    const hi = acc(9);
    expect(ids(`SELECT Id FROM Account WHERE Id >= '${lo}' AND Id <= '${hi}'`)).toEqual(scan((id) => id >= lo && id <= hi));
    expect(ids(`SELECT Id FROM Account WHERE Id > '${lo}' AND Id < '${hi}'`)).toEqual(scan((id) => id > lo && id < hi));
    expect(ids(`SELECT Id FROM Account WHERE Id > '${lo}'`)).toEqual(scan((id) => id > lo));
    expect(ids(`SELECT Id FROM Account WHERE Id < '${hi}' AND Id >= '${acc(5)}' AND Id <= '${acc(11)}'`)).toEqual(scan((id) => id < hi && id >= acc(5)));
    expect(ids(`SELECT Id FROM Account WHERE Id >= '${hi}' AND Id <= '${lo}'`)).toEqual([]);
    // and the table order is not the id order here: the answer keeps the scan's order
    expect(ids(`SELECT Id FROM Account WHERE Id >= '${lo}' AND Id <= '${hi}'`)[0]).toBe(acc(7));
  });

  it('combine with an owner filter, as the ownership apply reads current owners', () => {
    const soql = `SELECT Id, OwnerId FROM Account WHERE OwnerId IN ('${alice}') AND Id >= '${acc(2)}' AND Id <= '${acc(10)}'`;
    expect(ids(soql)).toEqual(scan((id, owner) => owner === alice && id >= acc(2) && id <= acc(10)));
    // an owner change is seen at once (the range index holds ids, not owners)
    db.update('Account', acc(3), { OwnerId: bob }, ctx);
    expect(ids(soql)).not.toContain(acc(3));
    expect(ids(soql)).toEqual(scan((id, owner) => owner === alice && id >= acc(2) && id <= acc(10)));
  });

  it('see inserted rows and leave deleted rows to queryAll', () => {
    const lo = acc(1);
    const hi = acc(99);
    const inserted = db.insert('Account', { Name: 'New one', OwnerId: alice }, ctx);
    db.delete('Account', acc(4), ctx);
    const soql = `SELECT Id FROM Account WHERE Id >= '${lo}' AND Id <= '${hi}'`;
    expect(ids(soql)).toEqual(scan((id) => id >= lo && id <= hi));
    expect(ids(soql)).not.toContain(acc(4));
    expect(ids(soql, true)).toEqual(scan((id) => id >= lo && id <= hi, true));
    expect(ids(soql, true)).toContain(acc(4));
    // the new row's id sorts wherever it sorts: it is in the answer exactly when a scan has it
    expect(ids(`SELECT Id FROM Account WHERE Id >= '${inserted}' AND Id <= '${inserted}'`)).toEqual([inserted]);
  });
});
