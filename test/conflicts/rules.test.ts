import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseRulesConfig } from '../../plugin-src/conflicts/config.js';
import { DEFAULT_RULES } from '../../plugin-src/conflicts/defaults.js';
import { conflictKey } from '../../plugin-src/conflicts/keys.js';
import { detectConflicts, protectionStatus, type RuleOpportunity } from '../../plugin-src/conflicts/rules.js';
import { makeId } from '../../plugin-src/domain/ids.js';

const acc = (n: number): string => makeId('001', n);
const opp = (n: number): string => makeId('006', n);
const P1 = makeId('001', 901);
const P2 = makeId('001', 902);
const asOf = '2026-06-30';

function o(n: number, fields: Partial<RuleOpportunity>): RuleOpportunity {
  return { Id: opp(n), AccountId: acc(1), IsClosed: false, CreatedDate: '2026-01-01T00:00:00Z', ...fields };
}

describe('the rules of engagement', () => {
  it('Duplicate Registration: the earlier of two partners wins within the window; same partner or outside the window is none', () => {
    const conflicts = detectConflicts(
      {
        accounts: [{ Id: acc(1) }],
        opportunities: [
          o(1, { Registered_Partner__c: P1, Registration_Status__c: 'Approved', Registration_Date__c: '2026-03-01' }),
          o(2, { Registered_Partner__c: P2, Registration_Status__c: 'Submitted', Registration_Date__c: '2026-04-15' }),
          o(3, { Registered_Partner__c: P1, Registration_Status__c: 'Submitted', Registration_Date__c: '2026-04-20' }),
          o(4, { Registered_Partner__c: P2, Registration_Status__c: 'Rejected', Registration_Date__c: '2026-03-02' })
        ]
      },
      asOf
    );
    const dups = conflicts.filter((c) => c.type === 'Duplicate Registration').map((c) => [c.opportunityId, c.conflictingOpportunityId]);
    expect(dups).toEqual([
      [opp(2), opp(1)],
      [opp(3), opp(2)]
    ]);
  });

  it('Direct vs Partner needs an Approved registration expiring on or after the as-of date', () => {
    const run = (expires: string | null) =>
      detectConflicts(
        {
          accounts: [{ Id: acc(1) }],
          opportunities: [
            o(1, { Registered_Partner__c: P1, Registration_Status__c: 'Approved', Registration_Date__c: '2026-05-01', Registration_Expires__c: expires }),
            o(2, { Channel__c: 'Direct' })
          ]
        },
        asOf
      ).filter((c) => c.type === 'Direct vs Partner');
    expect(run('2026-06-30').map((c) => [c.opportunityId, c.conflictingOpportunityId, c.partnerId])).toEqual([[opp(2), opp(1), P1]]);
    expect(run('2026-06-29')).toEqual([]);
    expect(run(null)).toEqual([]);
  });

  it('Protected Account: a registration on a customer with a direct-only record; off when the config says so', () => {
    const input = {
      accounts: [{ Id: acc(1) }, { Id: acc(2), Direct_Only__c: true }],
      opportunities: [o(1, { Registered_Partner__c: P1, Registration_Status__c: 'Submitted', Registration_Date__c: '2026-06-01' })],
      customers: { clusterOf: () => 'same', score: () => 0.9 }
    };
    const found = detectConflicts(input, asOf).filter((c) => c.type === 'Protected Account');
    expect(found.map((c) => [c.opportunityId, c.accountId, c.score])).toEqual([[opp(1), acc(2), 0.9]]);
    expect(detectConflicts(input, asOf, { ...DEFAULT_RULES, protectDirectOnlyAccounts: false })).toEqual([]);
  });

  it('Price: different channels, same product, more than priceVariancePct apart; the lower price is the opportunity', () => {
    const product = makeId('01t', 1);
    const opportunities = [o(1, { Channel__c: 'Direct' }), o(2, { Registered_Partner__c: P1, Registration_Status__c: 'Draft' }), o(3, { Channel__c: 'Direct' })];
    const lineItems = [
      { OpportunityId: opp(1), Product2Id: product, UnitPrice: 100 },
      { OpportunityId: opp(2), Product2Id: product, UnitPrice: 89 },
      { OpportunityId: opp(3), Product2Id: product, UnitPrice: 109 }
    ];
    const found = detectConflicts({ accounts: [{ Id: acc(1) }], opportunities, lineItems }, asOf).map((c) => [c.type, c.opportunityId, c.conflictingOpportunityId]);
    // 89 vs 100 is 12.4 % apart, 89 vs 109 22 %; 100 vs 109 are both direct
    expect(found).toEqual([
      ['Price', opp(2), opp(1)],
      ['Price', opp(2), opp(3)]
    ]);
  });

  it('ignores closed opportunities', () => {
    const found = detectConflicts(
      {
        accounts: [{ Id: acc(1) }],
        opportunities: [
          o(1, { Registered_Partner__c: P1, Registration_Status__c: 'Approved', Registration_Date__c: '2026-05-01', Registration_Expires__c: '2026-09-01', IsClosed: true }),
          o(2, { Channel__c: 'Direct' })
        ]
      },
      asOf
    );
    expect(found).toEqual([]);
  });

  it('shows how long a registration still protects', () => {
    const reg = o(1, { Registered_Partner__c: P1, Registration_Status__c: 'Approved', Registration_Date__c: '2026-04-01', Registration_Expires__c: '2026-07-10' });
    expect(protectionStatus(reg, asOf)).toEqual({ state: 'expiring soon', expires: '2026-07-10', daysLeft: 10 });
  });
});

describe('conflict keys', () => {
  it('are stable, independent of 15/18-character ids, and differ by type and records', () => {
    const a = { type: 'Price' as const, opportunityId: opp(1), conflictingOpportunityId: opp(2), productId: makeId('01t', 1) };
    expect(conflictKey(a)).toBe(conflictKey({ ...a, opportunityId: opp(1).slice(0, 15) }));
    expect(conflictKey(a)).toMatch(/^PRC-[0-9a-f]{24}$/);
    expect(conflictKey(a)).not.toBe(conflictKey({ ...a, productId: makeId('01t', 2) }));
    expect(conflictKey({ type: 'Protected Account', opportunityId: opp(1) })).not.toBe(conflictKey({ type: 'Protected Account', opportunityId: opp(3) }));
  });
});

describe('rules config', () => {
  it('fills the shipped defaults', () => {
    expect(parseRulesConfig({ priceVariancePct: 5 })).toEqual({ ...DEFAULT_RULES, priceVariancePct: 5 });
  });
  it('names the bad keys', () => {
    let error: unknown;
    try {
      parseRulesConfig({ registrationProtectionDays: 'ninety', matching: { threshold: 2, colour: 'red' } }, 'rules.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).keys).toEqual(expect.arrayContaining(['registrationProtectionDays', 'matching.threshold', 'matching.colour']));
    expect((error as Error).message).toContain('rules.json');
  });
});
