/**
 * The local org's UI API: GraphQL (uiapi query and aggregate, translated to SOQL) and the
 * record endpoints Lightning Data Service uses, in Salesforce's shapes, against the demo org.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startLocalOrg, type LocalOrg } from '../../plugin-src/local-org/server.js';
import type { Row } from '../../plugin-src/local-org/database.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('local org UI API', () => {
  let org: LocalOrg;
  const q = (soql: string): Row[] => org.db.query(soql).records;
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${org.instanceUrl}/services/data/v65.0${path}`, {
      method,
      headers: { Authorization: `Bearer ${org.accessToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  };
  const graphql = async (query: string, variables?: Json): Promise<Json> => {
    const res = await call('POST', '/graphql', { query, variables });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    org = await startLocalOrg({ seed: 'demo' });
  });
  afterAll(async () => {
    await org.close();
  });

  describe('GraphQL', () => {
    it('filters, orders and pages a query like SOQL does, with totalCount and cursors', async () => {
      const expected = q("SELECT Id, Name FROM Account WHERE Key_Account__c = true AND (Key_Account_Tier__c = 'Strategic' OR Key_Account_Tier__c = 'Key') ORDER BY Name DESC");
      const query = `query keyAccounts($after: String) { uiapi { query {
        Account(where: { and: [{ Key_Account__c: { eq: true } }, { or: [{ Key_Account_Tier__c: { eq: "Strategic" } }, { Key_Account_Tier__c: { eq: "Key" } }] }] },
                orderBy: { Name: { order: DESC } }, first: 2, after: $after) {
          edges { node { Id Name { value } } } totalCount pageInfo { hasNextPage endCursor } } } } }`;
      const page1 = await graphql(query);
      const conn1 = page1.data.uiapi.query.Account;
      expect(conn1.totalCount).toBe(expected.length);
      expect(conn1.edges.map((e: Json) => e.node.Name.value)).toEqual(expected.slice(0, 2).map((r) => r.Name));
      expect(conn1.pageInfo.hasNextPage).toBe(expected.length > 2);
      const page2 = await graphql(query, { after: conn1.pageInfo.endCursor });
      expect(page2.data.uiapi.query.Account.edges.map((e: Json) => e.node.Id)).toEqual(expected.slice(2, 4).map((r) => r.Id));
    });

    it('reads parent fields and child connections (with their own where and first)', async () => {
      const [account] = q("SELECT Id, Owner.Name FROM Account WHERE Name = 'Acme Tools, Inc.'");
      const team = q(`SELECT Id FROM AccountTeamMember WHERE AccountId = '${String(account.Id)}'`);
      const open = q(`SELECT Id FROM Opportunity WHERE AccountId = '${String(account.Id)}' AND IsClosed = false`);
      const data = (
        await graphql(
          `query a($id: ID) { uiapi { query { Account(where: { Id: { eq: $id } }) { edges { node {
            Owner { Name { value } } AccountTeamMembers(first: 1) { edges { node { Id } } totalCount }
            Opportunities(where: { IsClosed: { eq: false } }) { edges { node { Id StageName { value } } } } } } } } } }`,
          { id: account.Id }
        )
      ).data;
      const node = data.uiapi.query.Account.edges[0].node;
      expect(node.Owner.Name.value).toBe((account.Owner as Row).Name);
      expect(node.AccountTeamMembers.edges).toHaveLength(Math.min(1, team.length));
      expect(node.AccountTeamMembers.totalCount).toBe(team.length);
      expect(node.Opportunities.edges.map((e: Json) => e.node.Id).sort()).toEqual(open.map((r) => r.Id).sort());
    });

    it('aggregates with groupBy, count and sum', async () => {
      const expected = q('SELECT OwnerId, COUNT(Id), SUM(AnnualRevenue) FROM Account WHERE Key_Account__c = true GROUP BY OwnerId');
      const data = (
        await graphql(`{ uiapi { aggregate { Account(where: { Key_Account__c: { eq: true } }, groupBy: { OwnerId: { group: true } }, first: 100) {
          edges { node { aggregate { OwnerId { value } Id { count { value } } AnnualRevenue { sum { value } } } } } } } } }`)
      ).data;
      const got = data.uiapi.aggregate.Account.edges.map((e: Json) => [e.node.aggregate.OwnerId.value, e.node.aggregate.Id.count.value, e.node.aggregate.AnnualRevenue.sum.value]);
      expect(got.sort()).toEqual(expected.map((r) => [r.OwnerId, r.expr0, r.expr1]).sort());
    });

    it('takes date literals and quoted values safely', async () => {
      const budgets = q('SELECT Id FROM MDF_Budget__c WHERE Period_Start__c <= TODAY AND Period_End__c >= TODAY');
      const data = (
        await graphql(`{ uiapi { query { MDF_Budget__c(where: { and: [{ Period_Start__c: { lte: { literal: TODAY } } }, { Period_End__c: { gte: { literal: TODAY } } }] }, first: 200) { totalCount } } } }`)
      ).data;
      expect(data.uiapi.query.MDF_Budget__c.totalCount).toBe(budgets.length);
      const dan = await graphql(`query u($n: String) { uiapi { query { User(where: { Name: { eq: $n } }) { edges { node { Name { value } } } } } } }`, { n: "Dan O'Connor" });
      expect(dan.data.uiapi.query.User.edges.map((e: Json) => e.node.Name.value)).toEqual(["Dan O'Connor"]);
      const injected = await graphql(`query u($n: String) { uiapi { query { User(where: { Name: { eq: $n } }) { totalCount } } } }`, { n: "x' OR Name != 'x" });
      expect(injected.data.uiapi.query.User.totalCount).toBe(0);
      const literal = await graphql(`query b($l: String) { uiapi { query { MDF_Budget__c(where: { Period_Start__c: { lte: { literal: $l } } }) { totalCount } } } }`, { l: 'TODAY OR Name != null' });
      expect(literal.data).toBeNull();
      expect(literal.errors[0].message).toMatch(/Invalid date literal/);
    });

    it('answers unknown fields, bad syntax and mutations with GraphQL errors', async () => {
      const unknown = await graphql('{ uiapi { query { Account { edges { node { Nope__c { value } } } } } } }');
      expect(unknown.data).toBeNull();
      expect(unknown.errors[0].message).toContain("Field 'Nope__c' in type 'Account' is undefined");
      expect(unknown.errors[0].path).toEqual(['uiapi', 'query', 'Account', 'edges', 'node', 'Nope__c']);
      const syntax = await graphql('{ uiapi { query { Account { edges ');
      expect(syntax.errors[0].extensions.ErrorType).toBe('InvalidSyntax');
      const mutation = await graphql('mutation { uiapi { AccountCreate(input: {}) { Record { Id } } } }');
      expect(mutation.errors[0].message).toMatch(/queries only/);
    });
  });

  describe('records and object info', () => {
    it('updates a record with PATCH and a SOQL query sees the change', async () => {
      const [conflictOpp] = q('SELECT Id, Name FROM Opportunity LIMIT 1');
      const res = await call('PATCH', `/ui-api/records/${String(conflictOpp.Id)}`, { fields: { NextStep: 'Call the partner' } });
      expect(res.status).toBe(200);
      expect(res.body.apiName).toBe('Opportunity');
      expect(res.body.fields.NextStep.value).toBe('Call the partner');
      expect(q(`SELECT NextStep FROM Opportunity WHERE Id = '${String(conflictOpp.Id)}'`)[0].NextStep).toBe('Call the partner');
      const read = await call('GET', `/ui-api/records/${String(conflictOpp.Id)}?fields=Opportunity.Name,Opportunity.Account.Name`);
      expect(read.body.fields.Name.value).toBe(conflictOpp.Name);
      expect(read.body.fields.Account.value.fields.Name.value).toEqual(expect.any(String));
    });

    it('creates a record with POST, and a validation rule comes back as a field error', async () => {
      const [budget] = q('SELECT Id FROM MDF_Budget__c LIMIT 1');
      const created = await call('POST', '/ui-api/records', { apiName: 'MDF_Request__c', fields: { Budget__c: budget.Id, Amount_Requested__c: 500, Activity_Type__c: 'Event' } });
      expect(created.status).toBe(201);
      expect(q(`SELECT Amount_Requested__c FROM MDF_Request__c WHERE Id = '${String(created.body.id)}'`)[0].Amount_Requested__c).toBe(500);
      const refused = await call('POST', '/ui-api/records', { apiName: 'MDF_Request__c', fields: { Budget__c: budget.Id, Amount_Requested__c: -5, Activity_Type__c: 'Event' } });
      expect(refused.status).toBe(400);
      expect(refused.body.output.fieldErrors.Amount_Requested__c[0].message).toBe('The amount requested must be more than zero.');
      expect(org.db.query('SELECT COUNT() FROM MDF_Request__c WHERE Amount_Requested__c = -5').totalSize).toBe(0);
    });

    it('describes an object with field types, editability and picklist values', async () => {
      const info = await call('GET', '/ui-api/object-info/Channel_Conflict__c');
      expect(info.status).toBe(200);
      expect(info.body.apiName).toBe('Channel_Conflict__c');
      expect(info.body.fields.Status__c).toMatchObject({ dataType: 'Picklist', updateable: true });
      expect(info.body.fields.Account__c).toMatchObject({ dataType: 'Reference', relationshipName: 'Account__r', referenceToInfos: [{ apiName: 'Account', nameFields: ['Name'] }] });
      const picklists = await call('GET', `/ui-api/object-info/Channel_Conflict__c/picklist-values/${String(info.body.defaultRecordTypeId)}`);
      expect(picklists.body.picklistFieldValues.Status__c.values.map((v: Json) => v.value)).toEqual(expect.arrayContaining(['Open', 'Resolved', 'Dismissed']));
      expect((await call('GET', '/ui-api/object-info/No_Such__c')).status).toBe(404);
    });
  });
});
