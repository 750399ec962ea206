/**
 * A small book of business for ownership tests, loaded straight into the local org's database:
 * Alice owns `accounts` accounts, each with an open opportunity, a contact, an open case and an
 * open task owned by her, plus a closed opportunity of hers and an opportunity of Carol's that
 * must stay; every account has two team members (Carol, Dave) and every open opportunity one
 * (Dave). Bob is the new owner; Erin is someone else (for drift); Ivan is inactive.
 */
import { makeId } from '../../plugin-src/domain/ids.js';
import type { Database } from '../../plugin-src/local-org/database.js';
import { buildPlan } from '../../plugin-src/ownership/plan.js';
import type { CascadeChoice } from '../../plugin-src/ownership/plan-manifest.js';
import type { TestOrg } from '../helpers/local-org.js';

export const USERS = {
  alice: makeId('005', 101, 'TST'),
  bob: makeId('005', 102, 'TST'),
  carol: makeId('005', 103, 'TST'),
  dave: makeId('005', 104, 'TST'),
  erin: makeId('005', 105, 'TST'),
  ivan: makeId('005', 106, 'TST')
} as const;

export interface Book {
  accounts: string[];
  openOpps: string[];
  closedOpps: string[];
  carolOpps: string[];
  contacts: string[];
  cases: string[];
  tasks: string[];
}

export function loadBook(db: Database, accounts: number, seq = 0): Book {
  const base = seq * 100_000;
  db.load(
    'User',
    Object.entries(USERS).map(([name, Id]) => ({
      Id,
      Username: `${name}@own.test`,
      Email: `${name}@own.test`,
      LastName: name,
      FirstName: name,
      Alias: name.slice(0, 5),
      IsActive: name !== 'ivan',
      KAM_Capacity__c: 100_000
    }))
  );
  const book: Book = { accounts: [], openOpps: [], closedOpps: [], carolOpps: [], contacts: [], cases: [], tasks: [] };
  const acc: Record<string, unknown>[] = [];
  const opp: Record<string, unknown>[] = [];
  const con: Record<string, unknown>[] = [];
  const cas: Record<string, unknown>[] = [];
  const tsk: Record<string, unknown>[] = [];
  const atm: Record<string, unknown>[] = [];
  const otm: Record<string, unknown>[] = [];
  for (let i = 1; i <= accounts; i++) {
    const a = makeId('001', base + i, 'TST');
    book.accounts.push(a);
    acc.push({ Id: a, Name: `Own Test ${base + i}`, OwnerId: USERS.alice });
    const open = makeId('006', base + 3 * i, 'TST');
    const closed = makeId('006', base + 3 * i + 1, 'TST');
    const carols = makeId('006', base + 3 * i + 2, 'TST');
    book.openOpps.push(open);
    book.closedOpps.push(closed);
    book.carolOpps.push(carols);
    opp.push(
      { Id: open, Name: `Open ${i}`, AccountId: a, OwnerId: USERS.alice, StageName: 'Prospecting', CloseDate: '2027-06-30', IsClosed: false, IsWon: false },
      { Id: closed, Name: `Won ${i}`, AccountId: a, OwnerId: USERS.alice, StageName: 'Closed Won', CloseDate: '2026-01-31', IsClosed: true, IsWon: true },
      { Id: carols, Name: `Carol ${i}`, AccountId: a, OwnerId: USERS.carol, StageName: 'Prospecting', CloseDate: '2027-06-30', IsClosed: false, IsWon: false }
    );
    const c = makeId('003', base + i, 'TST');
    book.contacts.push(c);
    con.push({ Id: c, LastName: `Contact ${i}`, AccountId: a, OwnerId: USERS.alice });
    const k = makeId('500', base + i, 'TST');
    book.cases.push(k);
    cas.push({ Id: k, Subject: `Case ${i}`, AccountId: a, OwnerId: USERS.alice, Status: 'New', IsClosed: false });
    const t = makeId('00T', base + i, 'TST');
    book.tasks.push(t);
    tsk.push({ Id: t, Subject: `Call ${i}`, WhatId: a, AccountId: a, OwnerId: USERS.alice, Status: 'Not Started', IsClosed: false });
    atm.push(
      { Id: makeId('01M', base + 2 * i, 'TST'), AccountId: a, UserId: USERS.carol, TeamMemberRole: 'Sales Engineer', AccountAccessLevel: 'Edit', OpportunityAccessLevel: 'Read', CaseAccessLevel: 'Read', ContactAccessLevel: 'Read' },
      { Id: makeId('01M', base + 2 * i + 1, 'TST'), AccountId: a, UserId: USERS.dave, TeamMemberRole: 'Account Manager', AccountAccessLevel: 'Read', OpportunityAccessLevel: 'None', CaseAccessLevel: 'None', ContactAccessLevel: 'Read' }
    );
    otm.push({ Id: makeId('00q', base + i, 'TST'), OpportunityId: open, UserId: USERS.dave, TeamMemberRole: 'Sales Engineer', OpportunityAccessLevel: 'Edit' });
  }
  db.load('Account', acc);
  db.load('Opportunity', opp);
  db.load('Contact', con);
  db.load('Case', cas);
  db.load('Task', tsk);
  db.load('AccountTeamMember', atm);
  db.load('OpportunityTeamMember', otm);
  db.recalculate();
  return book;
}

/** Makes a plan with `channel ownership plan`'s module: Alice's accounts to Bob. */
export async function planAliceToBob(org: TestOrg, outputDir: string, cascade: CascadeChoice[] = ['opportunities', 'contacts', 'cases', 'activities']): Promise<void> {
  const conn = await org.connection();
  await buildPlan(
    { org: conn as never, orgId: org.orgId, username: org.username },
    { outputDir, fromUser: USERS.alice, toUser: USERS.bob, cascade }
  );
}

/** Owner of every record, by id. */
export function owners(db: Database, sobject: string, ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of ids) out.set(id, String(db.retrieve(sobject, id)?.OwnerId ?? ''));
  return out;
}

/** Sorted `parent|user|role|level` descriptions of a team, to compare before/after. */
export function teamSnapshot(db: Database, sobject: 'AccountTeamMember' | 'OpportunityTeamMember'): string[] {
  const parentField = sobject === 'AccountTeamMember' ? 'AccountId' : 'OpportunityId';
  const level = sobject === 'AccountTeamMember' ? 'AccountAccessLevel' : 'OpportunityAccessLevel';
  const res = db.query(`SELECT ${parentField}, UserId, TeamMemberRole, ${level} FROM ${sobject}`);
  return res.records.map((r) => `${String(r[parentField])}|${String(r.UserId)}|${String(r.TeamMemberRole)}|${String(r[level])}`).sort();
}
