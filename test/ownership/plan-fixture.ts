/**
 * A small, exactly known org for ownership-plan tests: reps, KAMs, an inactive user, accounts
 * (some key accounts) and, per account, children that must move (open, owned by the account's
 * owner) and children that must stay (closed, past, or owned by someone else), plus teams.
 * Loaded straight into the local org's database; the tests then talk to it over HTTP.
 */
import { makeId } from '../../plugin-src/domain/ids.js';
import type { Database } from '../../plugin-src/local-org/database.js';

let seq = 0;
const id = (prefix: string): string => makeId(prefix, ++seq, 'PLN');

export interface PlanFixture {
  users: { rep: string; other: string; alice: string; bob: string; carol: string; dave: string };
  usernames: { rep: string; other: string; alice: string; bob: string; carol: string; dave: string };
  /** Accounts by name. */
  accounts: Record<string, string>;
  /** Per account name: the ids of children that move with it (open, owned by the account's owner). */
  moving: Record<string, { Opportunity: string[]; Contact: string[]; Case: string[]; Task: string[]; Event: string[] }>;
  /** Children of the same accounts that must stay (closed, ended, or someone else's). */
  staying: string[];
  accountTeam: Record<string, string[]>;
  opportunityTeam: Record<string, string[]>;
}

export function loadPlanFixture(db: Database, now = new Date()): PlanFixture {
  const u = (name: string, extra: Record<string, unknown> = {}): { id: string; username: string; row: Record<string, unknown> } => {
    const userId = id('005');
    const username = `${name}@plan-fixture.test`;
    return {
      id: userId,
      username,
      row: { Id: userId, Username: username, LastName: name, FirstName: 'Test', Email: `${name}@mail.plan-fixture.test`, Alias: name.slice(0, 8), IsActive: true, ...extra }
    };
  };
  const rep = u('rep');
  const other = u('other');
  const alice = u('alice', { KAM_Capacity__c: 2 });
  const bob = u('bob');
  const carol = u('carol', { IsActive: false, KAM_Capacity__c: 3 });
  const dave = u('dave', { KAM_Capacity__c: 5, Email: 'shared@mail.plan-fixture.test' });
  const all = [rep, other, alice, bob, carol, dave];
  db.load('User', all.map((x) => x.row));

  const accounts: Record<string, string> = {};
  const accountRows: Record<string, unknown>[] = [];
  const addAccount = (name: string, owner: string, extra: Record<string, unknown> = {}): string => {
    const accountId = id('001');
    accounts[name] = accountId;
    accountRows.push({ Id: accountId, Name: name, OwnerId: owner, Key_Account__c: false, ...extra });
    return accountId;
  };
  // rep's accounts: two key accounts, plain ones, an Energy one for --where tests
  addAccount('Key One', rep.id, { Key_Account__c: true, Key_Account_Tier__c: 'Strategic' });
  addAccount('Key Two', rep.id, { Key_Account__c: true, Key_Account_Tier__c: 'Key' });
  addAccount('Plain Three', rep.id, { Industry: 'Retail' });
  addAccount('Energy Four', rep.id, { Industry: 'Energy' });
  for (let i = 5; i <= 12; i++) addAccount(`Bulk ${String(i).padStart(2, '0')}`, rep.id, { Industry: 'Retail' });
  // already owned by their future owner, or by others
  addAccount('Dave Owns', dave.id);
  addAccount('Alice Key', alice.id, { Key_Account__c: true, Key_Account_Tier__c: 'Key' });
  db.load('Account', accountRows);

  const future = new Date(now.getTime() + 7 * 86400_000);
  const past = new Date(now.getTime() - 7 * 86400_000);
  const moving: PlanFixture['moving'] = {};
  const staying: string[] = [];
  const opps: Record<string, unknown>[] = [];
  const contacts: Record<string, unknown>[] = [];
  const cases: Record<string, unknown>[] = [];
  const tasks: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  const accountTeam: PlanFixture['accountTeam'] = {};
  const opportunityTeam: PlanFixture['opportunityTeam'] = {};
  const atm: Record<string, unknown>[] = [];
  const otm: Record<string, unknown>[] = [];

  for (const [name, accountId] of Object.entries(accounts)) {
    const owner = accountRows.find((a) => a.Id === accountId)!.OwnerId as string;
    const m = { Opportunity: [] as string[], Contact: [] as string[], Case: [] as string[], Task: [] as string[], Event: [] as string[] };
    moving[name] = m;
    const opp = (ownerId: string, stage: string, moves: boolean): string => {
      const oppId = id('006');
      opps.push({ Id: oppId, Name: `${name} ${stage}`, AccountId: accountId, OwnerId: ownerId, StageName: stage, CloseDate: '2026-12-31', Amount: 1000 });
      (moves ? m.Opportunity : staying).push(oppId);
      return oppId;
    };
    const openOpp = opp(owner, 'Prospecting', true);
    opp(owner, 'Negotiation/Review', true);
    opp(owner, 'Closed Won', false);
    opp(other.id, 'Prospecting', false);
    const contact = (ownerId: string, moves: boolean): void => {
      const contactId = id('003');
      contacts.push({ Id: contactId, LastName: `${name} contact`, AccountId: accountId, OwnerId: ownerId });
      (moves ? m.Contact : staying).push(contactId);
    };
    contact(owner, true);
    contact(owner, true);
    contact(other.id, false);
    const kase = (ownerId: string, status: string, moves: boolean): void => {
      const caseId = id('500');
      cases.push({ Id: caseId, Subject: `${name} case`, AccountId: accountId, OwnerId: ownerId, Status: status, Origin: 'Web' });
      (moves ? m.Case : staying).push(caseId);
    };
    kase(owner, 'New', true);
    kase(owner, 'Closed', false);
    kase(other.id, 'New', false);
    const task = (ownerId: string, status: string, moves: boolean): void => {
      const taskId = id('00T');
      tasks.push({ Id: taskId, Subject: `${name} task`, WhatId: accountId, AccountId: accountId, OwnerId: ownerId, Status: status, Priority: 'Normal', ActivityDate: '2026-12-01' });
      (moves ? m.Task : staying).push(taskId);
    };
    task(owner, 'Not Started', true);
    task(owner, 'Completed', false);
    task(other.id, 'In Progress', false);
    const event = (ownerId: string, start: Date, moves: boolean): void => {
      const eventId = id('00U');
      const end = new Date(start.getTime() + 3600_000);
      events.push({
        Id: eventId,
        Subject: `${name} meeting`,
        WhatId: accountId,
        AccountId: accountId,
        OwnerId: ownerId,
        StartDateTime: start.toISOString(),
        EndDateTime: end.toISOString(),
        ActivityDateTime: start.toISOString(),
        ActivityDate: start.toISOString().slice(0, 10),
        DurationInMinutes: 60
      });
      (moves ? m.Event : staying).push(eventId);
    };
    event(owner, future, true);
    event(owner, past, false);
    event(other.id, future, false);

    const member = id('01M');
    atm.push({ Id: member, AccountId: accountId, UserId: other.id, TeamMemberRole: 'Sales Rep', AccountAccessLevel: 'Edit', OpportunityAccessLevel: 'Read', CaseAccessLevel: 'Read', ContactAccessLevel: 'Edit' });
    accountTeam[name] = [member];
    const oppMember = id('00q');
    otm.push({ Id: oppMember, OpportunityId: openOpp, UserId: other.id, TeamMemberRole: 'Sales Engineer', OpportunityAccessLevel: 'Edit' });
    opportunityTeam[name] = [oppMember];
  }
  db.load('Opportunity', opps);
  db.load('Contact', contacts);
  db.load('Case', cases);
  db.load('Task', tasks);
  db.load('Event', events);
  db.load('AccountTeamMember', atm);
  db.load('OpportunityTeamMember', otm);
  db.recalculate();

  const ids = { rep: rep.id, other: other.id, alice: alice.id, bob: bob.id, carol: carol.id, dave: dave.id };
  const usernames = { rep: rep.username, other: other.username, alice: alice.username, bob: bob.username, carol: carol.username, dave: dave.username };
  return { users: ids, usernames, accounts, moving, staying, accountTeam, opportunityTeam };
}
