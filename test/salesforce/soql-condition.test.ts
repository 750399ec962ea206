import { describe, expect, it } from '@jest/globals';
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { SoqlConditionError, safeAccountCondition, type ConditionField } from '../../plugin-src/salesforce/soql-condition.js';

// A describe of the fields these tests filter on, as the org's describe would give them.
const FIELDS: Record<string, ConditionField[]> = {
  Account: [
    { name: 'Id', type: 'id' },
    { name: 'Name', type: 'string' },
    { name: 'Industry', type: 'picklist' },
    { name: 'BillingCountry', type: 'string' },
    { name: 'Key_Account__c', type: 'boolean' },
    { name: 'CreatedDate', type: 'datetime' },
    { name: 'Description', type: 'textarea', filterable: false },
    { name: 'OwnerId', type: 'reference', relationshipName: 'Owner', referenceTo: ['User'] }
  ],
  User: [
    { name: 'Id', type: 'id' },
    { name: 'Username', type: 'string' }
  ]
};
const describe_ = async (sobject: string): Promise<ConditionField[]> => FIELDS[sobject] ?? [];

async function rejection(where: string): Promise<SoqlConditionError> {
  try {
    await safeAccountCondition(where, describe_);
  } catch (e) {
    if (e instanceof SoqlConditionError) return e;
    throw e;
  }
  throw new Error(`expected --where ${where} to be rejected`);
}

describe('--where condition on Account', () => {
  it('accepts a plain condition and re-composes it from the parse tree', async () => {
    const safe = await safeAccountCondition(
      " industry = 'Energy' AND (BillingCountry IN ('FR','DE') OR NOT Name LIKE 'A%') AND Key_Account__c = true ",
      describe_
    );
    expect(safe.condition).toBe("industry = 'Energy' AND (BillingCountry IN ('FR', 'DE') OR NOT Name LIKE 'A%') AND Key_Account__c = TRUE");
    expect(safe.fields).toEqual(['industry', 'BillingCountry', 'Name', 'Key_Account__c']);
    // And the result is a single plain condition again
    expect(Object.keys(parseQuery(`SELECT Id FROM Account WHERE ${safe.condition}`))).toEqual(['fields', 'sObject', 'where']);
  });

  it('keeps quotes escaped inside string literals, and a ; inside a string is just text', async () => {
    const safe = await safeAccountCondition("Name = 'O\\'Brien; DELETE'", describe_);
    expect(safe.condition).toBe("Name = 'O\\'Brien; DELETE'");
  });

  it('accepts date literals, date functions on fields and one relationship hop', async () => {
    expect((await safeAccountCondition('CreatedDate = LAST_N_DAYS:30', describe_)).condition).toBe('CreatedDate = LAST_N_DAYS:30');
    expect((await safeAccountCondition('CALENDAR_YEAR(CreatedDate) = 2024', describe_)).fields).toEqual(['CreatedDate']);
    expect((await safeAccountCondition("Owner.Username = 'kam@x.com'", describe_)).fields).toEqual(['Owner.Username']);
  });

  it('rejects a second statement after ;', async () => {
    const e = await rejection("Name = 'x'; DELETE FROM Account");
    expect(e.code).toBe('SECOND_STATEMENT');
    expect(e.message).toMatch(/contains ";" at character 11/);
  });

  it('rejects subqueries and semi-joins', async () => {
    expect((await rejection('Id IN (SELECT AccountId FROM Contact)')).code).toBe('SUBQUERY');
    expect((await rejection("Name = 'x' OR Id NOT IN (SELECT AccountId FROM Opportunity WHERE IsClosed = false)")).message).toMatch(/subquery/);
  });

  it('rejects LIMIT, ORDER BY and other clauses smuggled after the condition', async () => {
    expect((await rejection("Name = 'x' LIMIT 5")).message).toMatch(/LIMIT/);
    expect((await rejection("Name = 'x' ORDER BY Name")).message).toMatch(/ORDER BY/);
    expect((await rejection("Name = 'x' GROUP BY Name")).code).toMatch(/NOT_A_CONDITION|PARSE_ERROR/);
    expect((await rejection("Name = 'x' FOR UPDATE")).code).toMatch(/NOT_A_CONDITION|PARSE_ERROR/);
  });

  it('rejects unknown, unfilterable and deep fields, other functions, and non-conditions', async () => {
    expect((await rejection("Nmae = 'x'")).message).toMatch(/field "Nmae", which Account does not have/);
    expect((await rejection("Description = 'x'")).code).toBe('NOT_FILTERABLE');
    expect((await rejection("Owner.Manager.Username = 'x'")).code).toBe('RELATIONSHIP_TOO_DEEP');
    expect((await rejection("Parent.Name = 'x'")).code).toBe('UNKNOWN_FIELD');
    expect((await rejection("Owner.Nope = 'x'")).code).toBe('UNKNOWN_FIELD');
    expect((await rejection('Name = :acct')).code).toMatch(/PARSE_ERROR|BIND_VARIABLE/);
    expect((await rejection("WHERE Name = 'x'")).code).toBe('NOT_A_CONDITION');
    expect((await rejection('')).code).toBe('EMPTY');
    expect((await rejection("Name = 'x' AND")).code).toBe('PARSE_ERROR');
    expect((await rejection("Name = 'x') OR (Name")).code).toBe('PARSE_ERROR');
    expect((await rejection('x'.repeat(5000))).code).toBe('TOO_LONG');
  });
});
