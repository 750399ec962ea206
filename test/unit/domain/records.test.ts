import { describe, expect, it } from '@jest/globals';
import { isSalesforceId, makeId, normalizeId, to18 } from '../../../plugin-src/domain/ids.js';
import { AccountRecord, UserRecord, parseRecord } from '../../../plugin-src/domain/records.js';

describe('Salesforce ids', () => {
  it('computes the 18-character form of a 15-character id as Salesforce does', () => {
    // Given a well-known id pair (the suffix encodes the upper-case positions)
    expect(to18('001000000000001')).toBe('001000000000001AAA');
    expect(to18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
  });

  it('accepts 15 and valid 18-character ids and rejects the rest', () => {
    expect(isSalesforceId('001A0000006Vm9r')).toBe(true);
    expect(isSalesforceId('001A0000006Vm9rIAC')).toBe(true);
    expect(isSalesforceId('001A0000006Vm9rIAD')).toBe(false);
    expect(isSalesforceId('001A0000006Vm9')).toBe(false);
    expect(isSalesforceId("001A0000006Vm9r' OR 1=1")).toBe(false);
    expect(normalizeId(' 001A0000006Vm9r ')).toBe('001A0000006Vm9rIAC');
    expect(normalizeId('nope')).toBeUndefined();
  });

  it('makes deterministic, distinct, valid ids', () => {
    const a = makeId('001', 1);
    const b = makeId('001', 2);
    expect(a).not.toBe(b);
    expect(isSalesforceId(a)).toBe(true);
    expect(makeId('001', 1)).toBe(a);
    expect(a.startsWith('001')).toBe(true);
  });
});

describe('record schemas', () => {
  it('parses an account and normalises its ids to 18 characters', () => {
    const account = parseRecord(AccountRecord, 'Account', {
      Id: '001A0000006Vm9r',
      Name: 'Acme',
      OwnerId: '005A0000001abcd',
      Key_Account__c: true,
      Key_Account_Tier__c: 'Strategic'
    });
    expect(account.Id).toBe('001A0000006Vm9rIAC');
    expect(account.Direct_Only__c).toBe(false);
  });

  it('names the object, record and field when a record does not fit', () => {
    expect(() =>
      parseRecord(UserRecord, 'User', { Id: '005A0000001abcd', Username: 'a@b.c', IsActive: 'yes' })
    ).toThrow(/User 005A0000001abcd: IsActive/);
    expect(() =>
      parseRecord(AccountRecord, 'Account', { Id: '001A0000006Vm9r', Name: 'x', OwnerId: 'bad', Key_Account_Tier__c: 'Gold' })
    ).toThrow(/OwnerId is not a Salesforce record id.*Key_Account_Tier__c/);
  });
});
