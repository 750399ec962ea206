/**
 * Who the local org is: its organization id, the running admin user and the session token.
 * Tokens look like Salesforce's (`<15-char org id>!<opaque>`), which the sf CLI checks.
 */
import { randomBytes } from 'node:crypto';
import { makeId } from '../domain/ids.js';
import type { Database, Row } from './database.js';

export const ADMIN_USERNAME = 'admin@channel-ops.local';

export interface OrgIdentity {
  orgId: string;
  userId: string;
  username: string;
  accessToken: string;
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

export function newOrgId(): string {
  // 00D + instance + counter, from random bits so two local orgs never share an id.
  return makeId('00D', randomBytes(4).readUInt32BE(0), 'LOC');
}

export function newAccessToken(orgId: string): string {
  const bytes = randomBytes(96);
  let opaque = '';
  for (const b of bytes) opaque += TOKEN_ALPHABET[b % TOKEN_ALPHABET.length];
  return `${orgId.slice(0, 15)}!${opaque}`;
}

/** Keeps only the fields the schema knows (so a seed or schema variant never breaks start-up). */
function known(db: Database, sobject: string, row: Row): Row {
  const def = db.schema.get(sobject);
  if (!def) return row;
  return Object.fromEntries(Object.entries(row).filter(([k]) => def.fields.has(k.toLowerCase())));
}

/**
 * Makes sure the org's own records exist: the Organization row and the running admin user
 * (a seed may already have created the admin; then its id is used).
 */
export function ensureOrgRecords(db: Database, orgName = 'Channel Ops Local Org'): { userId: string; username: string } {
  if (db.schema.get('Organization') && db.count('Organization') === 0) {
    const now = new Date().toISOString();
    db.load('Organization', [
      known(db, 'Organization', {
        Id: db.orgId,
        Name: orgName,
        InstanceName: 'LOCAL',
        IsSandbox: false,
        TrialExpirationDate: null,
        NamespacePrefix: null,
        OrganizationType: 'Developer Edition',
        LanguageLocaleKey: 'en_US',
        DefaultLocaleSidKey: 'en_US',
        TimeZoneSidKey: 'America/Los_Angeles',
        Country: 'US',
        CreatedDate: now,
        LastModifiedDate: now,
        SystemModstamp: now
      })
    ]);
  }
  const existing = db.query(`SELECT Id, Username FROM User WHERE Username = '${ADMIN_USERNAME}'`);
  if (existing.records.length > 0) {
    return { userId: String(existing.records[0].Id), username: ADMIN_USERNAME };
  }
  const userId = makeId('005', 1, 'LOC');
  db.load('User', [
    known(db, 'User', {
      Id: userId,
      Username: ADMIN_USERNAME,
      FirstName: 'Channel Ops',
      LastName: 'Admin',
      Name: 'Channel Ops Admin',
      Email: ADMIN_USERNAME,
      Alias: 'coadmin',
      IsActive: true,
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      UserType: 'Standard'
    })
  ]);
  return { userId, username: ADMIN_USERNAME };
}
