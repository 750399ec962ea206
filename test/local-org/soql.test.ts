/**
 * SOQL against the local org's Database: what our code and the stock clients send, with
 * REST-shaped records and Salesforce's errors. Pure and fast.
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { Database, type Ctx } from '../../plugin-src/local-org/database.js';
import { parseFieldXml, standardSchema, type Schema } from '../../plugin-src/local-org/schema.js';
import { SalesforceError } from '../../plugin-src/local-org/errors.js';
import { makeId } from '../../plugin-src/domain/ids.js';

const NOW = new Date('2026-03-15T12:00:00Z');
let schema: Schema;
let db: Database;
let ctx: Ctx;
const users: Record<string, string> = {};
const accounts: Record<string, string> = {};
const opps: Record<string, string> = {};

function errorOf(fn: () => unknown): SalesforceError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SalesforceError) return e;
    throw e;
  }
  throw new Error('expected a SalesforceError');
}

const q = (soql: string, opts: { includeDeleted?: boolean } = {}) => db.query(soql, { ...opts, now: NOW });
const names = (soql: string): unknown[] => q(soql).records.map((r) => r.Name);

beforeAll(() => {
  // Given a schema with a custom lookup Account.Partner__c and a multi-select picklist
  schema = standardSchema();
  const account = schema.get('Account')!;
  const partner = parseFieldXml(
    '<CustomField><fullName>Partner__c</fullName><label>Partner</label><referenceTo>Account</referenceTo><relationshipName>Customers</relationshipName><type>Lookup</type></CustomField>'
  )!;
  const regions = parseFieldXml(
    '<CustomField><fullName>Regions__c</fullName><label>Regions</label><type>MultiselectPicklist</type><visibleLines>4</visibleLines><valueSet><restricted>true</restricted><valueSetDefinition><value><fullName>EMEA</fullName><default>false</default></value><value><fullName>APAC</fullName><default>false</default></value><value><fullName>AMER</fullName><default>false</default></value></valueSetDefinition></valueSet></CustomField>'
  )!;
  account.fields.set('partner__c', partner);
  account.fields.set('regions__c', regions);
  schema.link();
  db = new Database(schema);
  // And users, accounts (one partner), contacts and opportunities
  const u = (n: number, first: string, active = true) => ({
    Id: makeId('005', n, 'SED'),
    Username: `${first.toLowerCase()}@x.test`,
    FirstName: first,
    LastName: 'User',
    Email: `${first.toLowerCase()}@x.test`,
    IsActive: active
  });
  const userRows = [u(1, 'Admin'), u(2, 'Alice'), u(3, 'Bob'), u(4, 'Carol', false)];
  db.load('User', userRows);
  for (const r of userRows) users[String(r.FirstName)] = String(r.Id);
  ctx = { userId: users.Admin, now: NOW };
  accounts.partner = db.insert(
    'Account',
    { Name: 'Reseller AG', Type: 'Channel Partner / Reseller', OwnerId: users.Alice },
    ctx
  );
  accounts.acme = db.insert(
    'Account',
    {
      Name: 'Acme GmbH',
      OwnerId: users.Alice,
      Partner__c: accounts.partner,
      Website: 'acme.example',
      Regions__c: 'EMEA;APAC',
      AnnualRevenue: 5000000
    },
    ctx
  );
  accounts.globex = db.insert(
    'Account',
    { Name: 'Globex', OwnerId: users.Bob, Regions__c: 'AMER', AnnualRevenue: 100 },
    ctx
  );
  accounts.initech = db.insert('Account', { Name: 'initech', OwnerId: users.Bob }, ctx);
  db.load('Account', [
    {
      Id: makeId('001', 50, 'SED'),
      Name: 'Old Co',
      OwnerId: users.Carol,
      CreatedDate: '2025-01-01T00:00:00Z'
    }
  ]);
  accounts.old = makeId('001', 50, 'SED');
  db.insert('Contact', { LastName: 'Doe', FirstName: 'Jane', AccountId: accounts.acme }, ctx);
  db.insert('Contact', { LastName: 'Roe', FirstName: 'Rick', AccountId: accounts.acme }, ctx);
  db.insert('Contact', { LastName: 'Poe', AccountId: accounts.globex }, ctx);
  opps.a1 = db.insert(
    'Opportunity',
    {
      Name: 'Acme 1',
      AccountId: accounts.acme,
      StageName: 'Prospecting',
      CloseDate: '2026-03-20',
      Amount: 100,
      OwnerId: users.Alice
    },
    ctx
  );
  opps.a2 = db.insert(
    'Opportunity',
    {
      Name: 'Acme 2',
      AccountId: accounts.acme,
      StageName: 'Closed Won',
      CloseDate: '2026-02-01',
      Amount: 300,
      OwnerId: users.Alice
    },
    ctx
  );
  opps.g1 = db.insert(
    'Opportunity',
    {
      Name: 'Globex 1',
      AccountId: accounts.globex,
      StageName: 'Qualification',
      CloseDate: '2026-04-10',
      Amount: 50,
      OwnerId: users.Bob
    },
    ctx
  );
  const gone = db.insert('Account', { Name: 'Deleted Inc', OwnerId: users.Bob }, ctx);
  db.delete('Account', gone, ctx);
});

describe('SELECT and parent relationships', () => {
  it('returns REST-shaped records with attributes and parent objects', () => {
    const res = q(
      `SELECT Id, Name, Owner.Name, Owner.IsActive, Partner__r.Name FROM Account WHERE Id = '${accounts.acme}'`
    );
    expect(res.totalSize).toBe(1);
    expect(res.records[0]).toEqual({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${accounts.acme}` },
      Id: accounts.acme,
      Name: 'Acme GmbH',
      Owner: {
        attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${users.Alice}` },
        Name: 'Alice User',
        IsActive: true
      },
      Partner__r: {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${accounts.partner}` },
        Name: 'Reseller AG'
      }
    });
  });

  it('leaves attributes out when asked (Bulk API query results)', () => {
    const rec = db.query(`SELECT Id, Owner.Name FROM Account WHERE Id = '${accounts.acme}'`, {
      attributes: false
    }).records[0];
    expect(rec).toEqual({ Id: accounts.acme, Owner: { Name: 'Alice User' } });
  });

  it('follows two hops and gives null for an empty lookup', () => {
    const res = q(
      `SELECT Name, Account.Owner.IsActive, Account.Partner__r.Name FROM Opportunity WHERE Name = 'Globex 1'`
    );
    expect(res.records[0].Account).toMatchObject({ Owner: { IsActive: true }, Partner__r: null });
  });

  it('answers child subqueries, null when there are no children', () => {
    const res = q(
      `SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name IN ('Acme GmbH', 'initech') ORDER BY Name`
    );
    expect(res.records[0].Contacts).toMatchObject({
      totalSize: 2,
      done: true,
      records: [{ LastName: 'Doe' }, { LastName: 'Roe' }]
    });
    expect(res.records[1].Contacts).toBeNull();
  });

  it('hides deleted rows unless queryAll, where IsDeleted shows', () => {
    expect(names(`SELECT Name FROM Account WHERE Name = 'Deleted Inc'`)).toEqual([]);
    expect(
      q(`SELECT Name, IsDeleted FROM Account WHERE Name = 'Deleted Inc'`, { includeDeleted: true }).records[0]
        .IsDeleted
    ).toBe(true);
  });

  it('expands FIELDS(STANDARD)', () => {
    const rec = q(`SELECT FIELDS(STANDARD) FROM Account WHERE Id = '${accounts.acme}'`).records[0];
    expect(rec).toHaveProperty('BillingPostalCode', null);
    expect(rec).not.toHaveProperty('Partner__c');
  });
});

describe('WHERE', () => {
  it('combines AND, OR, NOT and parentheses as SOQL does', () => {
    expect(
      names(
        `SELECT Name FROM Account WHERE (Name = 'Globex' OR Name = 'initech') AND NOT OwnerId = '${users.Alice}' ORDER BY Name`
      )
    ).toEqual(['Globex', 'initech']);
    expect(
      names(
        `SELECT Name FROM Account WHERE NOT (Name = 'Globex' OR Name = 'initech') AND Type = null ORDER BY Name`
      )
    ).toEqual(['Acme GmbH', 'Old Co']);
  });

  it('compares text case-insensitively, with LIKE wildcards and escaped quotes', () => {
    expect(names(`SELECT Name FROM Account WHERE Name = 'INITECH'`)).toEqual(['initech']);
    expect(names(`SELECT Name FROM Account WHERE Name LIKE 'a%'`)).toEqual(['Acme GmbH']);
    expect(names(`SELECT Name FROM Account WHERE Name LIKE '_lobex'`)).toEqual(['Globex']);
    expect(names(`SELECT Name FROM Account WHERE Name = 'O\\'Brien'`)).toEqual([]);
    const odd = db.insert('Account', { Name: "O'Brien 100% _x_" }, ctx);
    expect(names(`SELECT Name FROM Account WHERE Name = 'O\\'Brien 100% _x_'`)).toEqual(["O'Brien 100% _x_"]);
    expect(names(`SELECT Name FROM Account WHERE Name LIKE '%100\\%%'`)).toEqual(["O'Brien 100% _x_"]);
    // an escaped _ is a literal underscore, not "any character" (which would match "100")
    expect(names(`SELECT Name FROM Account WHERE Name LIKE '%1\\_0%'`)).toEqual([]);
    expect(names(`SELECT Name FROM Account WHERE Name LIKE '%1_0%'`)).toEqual(["O'Brien 100% _x_"]);
    db.delete('Account', odd, ctx);
  });

  it('filters numbers, booleans, nulls, 15-character ids and relationship paths', () => {
    expect(names(`SELECT Name FROM Account WHERE AnnualRevenue > 1000`)).toEqual(['Acme GmbH']);
    expect(names(`SELECT Name FROM Account WHERE AnnualRevenue != null ORDER BY AnnualRevenue`)).toEqual([
      'Globex',
      'Acme GmbH'
    ]);
    expect(names(`SELECT Name FROM Account WHERE Owner.IsActive = false`)).toEqual(['Old Co']);
    expect(
      names(`SELECT Name FROM Account WHERE OwnerId = '${users.Bob.slice(0, 15)}' ORDER BY Name`)
    ).toEqual(['Globex', 'initech']);
    expect(names(`SELECT Name FROM Opportunity WHERE IsClosed = true`)).toEqual(['Acme 2']);
  });

  it('supports IN / NOT IN with literal lists and semi-joins', () => {
    expect(
      names(
        `SELECT Name FROM Account WHERE Id IN ('${accounts.globex}', '${accounts.initech}') ORDER BY Name DESC`
      )
    ).toEqual(['initech', 'Globex']);
    expect(
      names(
        `SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE IsClosed = false) ORDER BY Name`
      )
    ).toEqual(['Acme GmbH', 'Globex']);
    expect(
      names(
        `SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact) AND Type = null ORDER BY Name`
      )
    ).toEqual(['initech', 'Old Co']);
    expect(
      q(`SELECT LastName FROM Contact WHERE AccountId IN ('${accounts.acme}') ORDER BY LastName`).records.map(
        (r) => r.LastName
      )
    ).toEqual(['Doe', 'Roe']);
  });

  it('matches multi-select picklists with INCLUDES and EXCLUDES', () => {
    expect(names(`SELECT Name FROM Account WHERE Regions__c INCLUDES ('APAC')`)).toEqual(['Acme GmbH']);
    expect(names(`SELECT Name FROM Account WHERE Regions__c INCLUDES ('EMEA;AMER', 'AMER')`)).toEqual([
      'Globex'
    ]);
    expect(
      names(`SELECT Name FROM Account WHERE Regions__c EXCLUDES ('EMEA') AND Regions__c != null`)
    ).toEqual(['Globex']);
  });

  it('understands date and datetime literals and relative date literals', () => {
    expect(names(`SELECT Name FROM Opportunity WHERE CloseDate > 2026-03-01 ORDER BY CloseDate`)).toEqual([
      'Acme 1',
      'Globex 1'
    ]);
    expect(names(`SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:7`)).toEqual(['Acme 1']);
    expect(names(`SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_DAYS:60`)).toEqual(['Acme 2']);
    expect(names(`SELECT Name FROM Opportunity WHERE CloseDate = THIS_MONTH`)).toEqual(['Acme 1']);
    expect(names(`SELECT Name FROM Account WHERE CreatedDate < 2026-01-01T00:00:00Z`)).toEqual(['Old Co']);
    expect(names(`SELECT Name FROM Account WHERE CreatedDate = TODAY AND Name = 'Globex'`)).toEqual([
      'Globex'
    ]);
    expect(
      names(
        `SELECT Name FROM Account WHERE SystemModstamp > 2026-03-15T11:59:59.000+0000 AND Name = 'Globex'`
      )
    ).toEqual(['Globex']);
  });

  it('tolerates FOR UPDATE and WITH SECURITY_ENFORCED', () => {
    expect(names(`SELECT Name FROM Account WHERE Name = 'Globex' FOR UPDATE`)).toEqual(['Globex']);
    expect(names(`SELECT Name FROM Account WHERE Name = 'Globex' WITH SECURITY_ENFORCED`)).toEqual([
      'Globex'
    ]);
  });
});

describe('ORDER BY, LIMIT, OFFSET and aggregates', () => {
  it('orders by several keys with NULLS FIRST/LAST, then pages with LIMIT/OFFSET', () => {
    expect(names(`SELECT Name FROM Account ORDER BY AnnualRevenue DESC NULLS LAST, Name ASC`)).toEqual([
      'Acme GmbH',
      'Globex',
      'initech',
      'Old Co',
      'Reseller AG'
    ]);
    expect(
      names(`SELECT Name FROM Account ORDER BY AnnualRevenue NULLS LAST, Name LIMIT 2 OFFSET 1`)
    ).toEqual(['Acme GmbH', 'initech']);
    expect(names(`SELECT Name FROM Account ORDER BY Owner.Name, Name LIMIT 1`)).toEqual(['Acme GmbH']);
  });

  it('gives the same page with ORDER BY + LIMIT on many rows as a full sort would', () => {
    const big = new Database(schema);
    big.load('User', [
      { Id: users.Alice, Username: 'a@x.test', LastName: 'A', Email: 'a@x.test', IsActive: true }
    ]);
    let seed = 7;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    big.load(
      'Account',
      Array.from({ length: 3000 }, (_, i) => ({
        Id: makeId('001', i + 1, 'SED'),
        Name: `N${Math.floor(rnd() * 500)}`,
        AnnualRevenue: rnd() < 0.2 ? null : Math.floor(rnd() * 100),
        OwnerId: users.Alice
      }))
    );
    const order = 'ORDER BY AnnualRevenue DESC NULLS LAST, Name, Id';
    const all = big.query(`SELECT Id FROM Account ${order}`).records.map((r) => r.Id);
    const page = big.query(`SELECT Id FROM Account ${order} LIMIT 25 OFFSET 40`).records.map((r) => r.Id);
    expect(page).toEqual(all.slice(40, 65));
  });

  it('counts with COUNT() and COUNT(Id)', () => {
    const res = q(`SELECT COUNT() FROM Account WHERE OwnerId = '${users.Bob}'`);
    expect(res.totalSize).toBe(2);
    expect(res.records).toEqual([]);
    expect(q(`SELECT COUNT(Id) FROM Contact`).records).toEqual([
      { attributes: { type: 'AggregateResult' }, expr0: 3 }
    ]);
  });

  it('groups with SUM/COUNT/MIN/MAX/AVG, aliases and HAVING', () => {
    const res = q(
      `SELECT OwnerId, COUNT(Id) n, SUM(Amount) total, MAX(CloseDate), AVG(Amount) FROM Opportunity GROUP BY OwnerId HAVING COUNT(Id) > 0 ORDER BY SUM(Amount) DESC`
    );
    expect(res.records).toEqual([
      {
        attributes: { type: 'AggregateResult' },
        OwnerId: users.Alice,
        n: 2,
        total: 400,
        expr0: '2026-03-20',
        expr1: 200
      },
      {
        attributes: { type: 'AggregateResult' },
        OwnerId: users.Bob,
        n: 1,
        total: 50,
        expr0: '2026-04-10',
        expr1: 50
      }
    ]);
    expect(
      q(`SELECT AccountId, COUNT(Id) FROM Contact GROUP BY AccountId HAVING COUNT(Id) > 1`).records
    ).toEqual([{ attributes: { type: 'AggregateResult' }, AccountId: accounts.acme, expr0: 2 }]);
  });

  it('describes the columns for `&columns=true`, joins nested under the relationship', () => {
    const res = q(
      `SELECT Id, Name, Owner.Name, Owner.Email, COUNT(Id) FROM Account GROUP BY Id, Name, Owner.Name, Owner.Email`
    );
    expect(res.columns.map((c) => c.columnName)).toEqual(['Id', 'Name', 'Owner', 'expr0']);
    expect(res.columns[2]).toMatchObject({
      foreignKeyName: 'OwnerId',
      joinColumns: [
        { columnName: 'Name', displayName: 'Owner.Name' },
        { columnName: 'Email', displayName: 'Owner.Email' }
      ]
    });
    expect(res.columns[3]).toMatchObject({ aggregate: true, apexType: 'Integer', displayName: 'COUNT(Id)' });
    expect(q('SELECT Id, Name FROM Account LIMIT 1').columns[1]).toMatchObject({
      columnName: 'Name',
      apexType: 'String',
      insertable: true,
      updatable: true,
      aggregate: false,
      joinColumns: []
    });
  });
});

describe('errors worded as Salesforce words them', () => {
  it('MALFORMED_QUERY for syntax errors and bind variables', () => {
    expect(errorOf(() => q('SELECT FROM Account')).errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf(() => q('SELECT Id FROM Account WHERE')).errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf(() => q('SELECT Id FROM Account WHERE Id = :x')).errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf(() => q('SELECT Id FROM Account LIMIT 10 OFFSET 2001'))).toMatchObject({
      errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
      message: 'Maximum SOQL offset allowed is 2000'
    });
  });

  it('INVALID_FIELD for unknown columns and relationships, INVALID_TYPE for unknown objects', () => {
    const e = errorOf(() => q('SELECT Id, Foo__c FROM Account'));
    expect(e.errorCode).toBe('INVALID_FIELD');
    expect(e.message).toContain("No such column 'Foo__c' on entity 'Account'");
    expect(errorOf(() => q('SELECT Bogus__r.Name FROM Account')).message).toContain(
      "Didn't understand relationship 'Bogus__r'"
    );
    expect(errorOf(() => q('SELECT Id FROM Nope__c')).errorCode).toBe('INVALID_TYPE');
    expect(errorOf(() => q("SELECT Id FROM Account WHERE AnnualRevenue = 'x'")).errorCode).toBe(
      'MALFORMED_QUERY'
    );
  });
});

describe('indexes', () => {
  it('selects by Id and reference fields without scanning, and stays correct after updates', () => {
    const bulk = new Database(schema);
    bulk.load('User', [
      { Id: users.Alice, Username: 'a@x.test', LastName: 'A', Email: 'a@x.test', IsActive: true },
      { Id: users.Bob, Username: 'b@x.test', LastName: 'B', Email: 'b@x.test', IsActive: true }
    ]);
    const rows = Array.from({ length: 50000 }, (_, i) => ({
      Id: makeId('001', i + 1, 'SED'),
      Name: `A${i}`,
      OwnerId: users.Alice
    }));
    bulk.load('Account', rows);
    bulk.load(
      'Contact',
      rows.map((r, i) => ({
        Id: makeId('003', i + 1, 'SED'),
        LastName: `C${i}`,
        AccountId: r.Id,
        OwnerId: users.Alice
      }))
    );
    const ids = rows
      .slice(100, 300)
      .map((r) => `'${r.Id}'`)
      .join(',');
    // When 200 children are selected by their parent ids, only those 200 rows are read
    expect(bulk.query(`SELECT Id, AccountId FROM Contact WHERE AccountId IN (${ids})`).totalSize).toBe(200);
    expect(bulk.lastQueryScanned).toBe(200);
    expect(bulk.query(`SELECT Id FROM Account WHERE Id = '${rows[7].Id}' AND Name = 'A7'`).totalSize).toBe(1);
    expect(bulk.lastQueryScanned).toBe(1);
    // and a semi-join on the parent feeds the child's index
    expect(
      bulk.query(`SELECT Id FROM Contact WHERE AccountId IN (SELECT Id FROM Account WHERE Name = 'A9')`)
        .totalSize
    ).toBe(1);
    expect(bulk.lastQueryScanned).toBe(50000 + 1);
    // and a unique field (User.Username) answers from its unique index
    expect(
      bulk
        .query(`SELECT Id FROM User WHERE Username IN ('B@x.test', 'nobody@x.test')`)
        .records.map((r) => r.Id)
    ).toEqual([users.Bob]);
    expect(bulk.lastQueryScanned).toBe(1);
    // while a non-indexed filter scans
    expect(bulk.query(`SELECT Id FROM Contact WHERE LastName = 'C3'`).totalSize).toBe(1);
    expect(bulk.lastQueryScanned).toBe(50000);
    bulk.update('Account', rows[5].Id, { OwnerId: users.Bob }, { userId: users.Alice });
    expect(
      bulk.query(`SELECT Name FROM Account WHERE OwnerId = '${users.Bob}'`).records.map((r) => r.Name)
    ).toEqual(['A5']);
  });
});
