import { describe, expect, it } from '@jest/globals';
import { parseCascade, PlanError } from '../../plugin-src/ownership/plan.js';

describe('--cascade', () => {
  it('defaults to all four, takes a comma list in any case and none', () => {
    expect(parseCascade(undefined)).toEqual(['opportunities', 'contacts', 'cases', 'activities']);
    expect(parseCascade(' Contacts, opportunities ,contacts')).toEqual(['contacts', 'opportunities']);
    expect(parseCascade('none')).toEqual([]);
  });

  it('refuses unknown objects, saying which', () => {
    expect(() => parseCascade('contacts,leads')).toThrow(PlanError);
    expect(() => parseCascade('contacts,leads')).toThrow(/unknown: leads/);
    expect(() => parseCascade(',')).toThrow(/not valid/);
    expect(() => parseCascade('none,contacts')).toThrow(/unknown: none/);
  });
});
