/**
 * Salesforce record ids: 15-character case-sensitive ids and their 18-character
 * case-insensitive form (a 3-character checksum suffix encodes the case of the first 15).
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

export function isSalesforceId(value: string): boolean {
  if (!ID_PATTERN.test(value)) return false;
  return value.length === 15 || to18(value.slice(0, 15)) === value;
}

/** The 18-character form of a 15- or 18-character id. */
export function to18(id: string): string {
  if (id.length === 18) return id;
  if (id.length !== 15) throw new Error(`Not a Salesforce id: ${id}`);
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charCodeAt(block * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return id + suffix;
}

/** Normalises an id to its 18-character form, or returns undefined if it is not one. */
export function normalizeId(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  return isSalesforceId(trimmed) ? to18(trimmed) : undefined;
}

/** Key prefixes of the standard objects we use (the first three characters of an id). */
export const STANDARD_KEY_PREFIXES: Readonly<Record<string, string>> = {
  Account: '001',
  Contact: '003',
  Opportunity: '006',
  OpportunityLineItem: '00k',
  Product2: '01t',
  Pricebook2: '01s',
  PricebookEntry: '01u',
  Case: '500',
  Task: '00T',
  Event: '00U',
  Campaign: '701',
  AccountTeamMember: '01M',
  OpportunityTeamMember: '00q',
  Lead: '00Q',
  User: '005',
  Organization: '00D',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  StaticResource: '081',
  Group: '00G'
};

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Builds a deterministic 18-character id from a key prefix, a 3-character pod/instance part
 * and a sequence number (as Salesforce ids are laid out: prefix, instance, counter).
 */
export function makeId(keyPrefix: string, sequence: number, instance = '000'): string {
  let n = sequence;
  let body = '';
  for (let i = 0; i < 9; i++) {
    body = BASE62[n % 62] + body;
    n = Math.floor(n / 62);
  }
  return to18(`${keyPrefix}${instance}${body}`);
}
