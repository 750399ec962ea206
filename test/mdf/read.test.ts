import { describe, it, expect } from '@jest/globals';
import { to18 } from '../../plugin-src/domain/ids.js';
import { readBudgets, readMdfData, type QueryConnection } from '../../plugin-src/mdf/read.js';

/** A connection that answers from canned records per object and records the SOQL it was sent. */
function fakeConnection(records: Record<string, unknown[]>): QueryConnection & { soql: string[] } {
  const soql: string[] = [];
  return {
    soql,
    query<T>(q: string) {
      soql.push(q);
      const from = /FROM (\w+)/.exec(q)![1];
      return Promise.resolve({
        totalSize: records[from]?.length ?? 0,
        done: true,
        records: (records[from] ?? []) as T[]
      });
    },
    queryMore<T>() {
      return Promise.resolve({ totalSize: 0, done: true, records: [] as T[] });
    }
  };
}

const budget = {
  attributes: { type: 'MDF_Budget__c' },
  Id: 'a0B000000000001',
  Name: 'FY26',
  Partner__c: to18('001000000000001'),
  Partner__r: { Name: 'Northwind' },
  Period_Start__c: '2026-01-01',
  Period_End__c: '2026-12-31',
  Amount__c: 1000,
  Accrual_Rate__c: null,
  Accrued_Amount__c: null,
  Claimed_Total__c: 0,
  Paid_Total__c: 0
};

describe('reading MDF records from the org', () => {
  it('maps records to the model with 18-character ids and blanks as zero or null', async () => {
    // Given a budget with a 15-character id and a blank accrued amount
    const conn = fakeConnection({ MDF_Budget__c: [budget] });
    // When it is read
    const [b] = await readBudgets(conn, { startedBy: '2026-11-25', partnerId: '001000000000001' });
    // Then ids are 18 characters, blanks are 0, and the query filtered on the date and the partner
    expect(b).toMatchObject({
      id: to18('a0B000000000001'),
      partnerName: 'Northwind',
      accruedAmount: 0,
      accrualRate: null
    });
    expect(conn.soql[0]).toContain(
      "WHERE Period_Start__c <= 2026-11-25 AND Partner__c = '001000000000001AAA'"
    );
  });

  it('fails with the object, record and field named when the org returns something unexpected', async () => {
    const conn = fakeConnection({
      MDF_Budget__c: [budget],
      MDF_Request__c: [
        {
          Id: to18('a0C000000000001'),
          Budget__c: to18('a0B000000000001'),
          Status__c: 'Pending',
          Amount_Requested__c: 10,
          Amount_Approved__c: null
        }
      ]
    });
    await expect(readMdfData(conn, { asOf: '2026-11-25' })).rejects.toThrow(
      new RegExp(`^MDF_Request__c ${to18('a0C000000000001')}: Status__c Invalid option`)
    );
  });

  it('never puts a flag value that is not an id or a date into SOQL', async () => {
    const conn = fakeConnection({});
    await expect(readBudgets(conn, { partnerId: "001' OR Name != '" })).rejects.toThrow(
      /Not a Salesforce record id/
    );
    await expect(readBudgets(conn, { startedBy: '2026-11-25 OR Id != null' })).rejects.toThrow(/Not a date/);
    expect(conn.soql).toEqual([]);
  });

  it('asks only for what the budgets need, and nothing more when there are no budgets', async () => {
    const conn = fakeConnection({});
    const data = await readMdfData(conn, { asOf: '2026-11-25' });
    expect(data).toEqual({ budgets: [], requests: [], claims: [], wonOpportunities: [] });
    expect(conn.soql).toHaveLength(1);
  });
});
