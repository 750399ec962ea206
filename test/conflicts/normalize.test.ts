import { describe, expect, it } from '@jest/globals';
import { customerProfile, normalizeCompanyName, normalizePostalCode, phoneDigits, registrableDomain } from '../../plugin-src/conflicts/normalize.js';
import { compareCustomers, isSameCustomer, nameSimilarity } from '../../plugin-src/conflicts/matching.js';

const name = (n: string): string => normalizeCompanyName(n).text;
const same = (a: Record<string, string>, b: Record<string, string>): boolean =>
  isSameCustomer(compareCustomers(customerProfile({ Id: 'a', ...a }), customerProfile({ Id: 'b', ...b })));

describe('company name normalisation', () => {
  it.each([
    ['ACME, Inc.', 'acme'],
    ['Acme Incorporated', 'acme'],
    ['acme inc', 'acme'],
    ['Müller GmbH', 'mueller'],
    ['Mueller GmbH', 'mueller'],
    ['Compañía Ibérica S.L.', 'compania iberica'],
    ['Compania Iberica SL', 'compania iberica'],
    ['Acme GmbH & Co. KG', 'acme'],
    ['Rossi Costruzioni S.p.A.', 'rossi costruzioni'],
    ['Dupont et Fils SARL', 'dupont fils'],
    ['Van der Berg B.V.', 'berg'],
    ['The Smith & Sons Company Ltd', 'smith sons'],
    ['AG', 'ag']
  ])('%s → %s', (input, expected) => {
    expect(name(input)).toBe(expected);
  });

  it('keeps the legal forms it removed, for the country they imply', () => {
    expect(normalizeCompanyName('Rossi S.r.l.').legalForms).toEqual(['srl']);
    expect(customerProfile({ Id: 'x', Name: 'Rossi S.r.l.' }).countries).toEqual(['it', 'ro']);
  });
});

describe('website, phone and postal code', () => {
  it.each([
    ['https://www.acme.com/de', 'acme.com'],
    ['acme.com', 'acme.com'],
    ['HTTP://Shop.ACME.co.uk:8080/x?y', 'acme.co.uk'],
    ['sales@acme.de', 'acme.de'],
    ['not a site', undefined],
    ['http://10.0.0.1', undefined]
  ])('registrable domain of %s is %s', (input, expected) => {
    expect(registrableDomain(input)).toBe(expected);
  });

  it('compares phone numbers by their last 8 digits, whatever the format', () => {
    expect(phoneDigits('+49 (89) 123-4567')).toBe(phoneDigits('089 1234567'));
    expect(phoneDigits('0049891234567')).toBe('91234567');
    expect(phoneDigits('12')).toBeUndefined();
  });

  it('normalises postal codes', () => {
    expect(normalizePostalCode('SW1A 1AA')).toBe('sw1a1aa');
    expect(normalizePostalCode('12345-6789')).toBe('12345');
  });
});

describe('same customer or not', () => {
  it('matches the spellings the issue lists', () => {
    expect(same({ Name: 'ACME, Inc.' }, { Name: 'Acme Incorporated' })).toBe(true);
    expect(same({ Name: 'Müller GmbH' }, { Name: 'Mueller GmbH' })).toBe(true);
    expect(same({ Name: 'Müller GmbH' }, { Name: 'Muller GmbH' })).toBe(true);
    expect(same({ Name: 'Compañía Ibérica S.L.' }, { Name: 'Compania Iberica SL' })).toBe(true);
    expect(same({ Name: 'Globex Systems Corporation' }, { Name: 'Glbex Systems Corp' })).toBe(true);
    // one word with a typo needs more evidence than its name
    expect(same({ Name: 'Globex Corporation' }, { Name: 'Glbex Corp' })).toBe(false);
    expect(same({ Name: 'Globex Corporation', Phone: '+1 415 555 0100' }, { Name: 'Glbex Corp', Phone: '(415) 555-0100' })).toBe(true);
    expect(same({ Name: 'Zantrix Systems' }, { Name: 'Zantirx Systems' })).toBe(true);
    expect(same({ Name: 'Acme', Website: 'https://www.acme.com/de' }, { Name: 'ACME Holding', Website: 'acme.com' })).toBe(true);
  });

  it('keeps apart what only looks alike', () => {
    expect(same({ Name: 'Acme Tools' }, { Name: 'Acme Foods' })).toBe(false);
    expect(same({ Name: 'Global Solutions Ltd' }, { Name: 'Global Logistics Ltd' })).toBe(false);
    expect(same({ Name: 'IBM' }, { Name: 'IBN' })).toBe(false);
    // sister companies: same name, other country, other domain
    expect(same({ Name: 'Acme GmbH', Website: 'acme.de', BillingCountry: 'Germany' }, { Name: 'Acme Inc', Website: 'acme.com', BillingCountry: 'USA' })).toBe(false);
    expect(same({ Name: 'Acme S.p.A.' }, { Name: 'Acme LLC' })).toBe(false);
  });

  it('scores names by their words, so a shared generic word is not enough', () => {
    const n = (s: string) => normalizeCompanyName(s);
    expect(nameSimilarity(n('Acme Tools'), n('Acme Foods'))).toBeLessThan(0.6);
    expect(nameSimilarity(n('Coca-Cola'), n('CocaCola'))).toBe(1);
  });
});
