/**
 * The rules of engagement and their shipped defaults. Pure (no zod, no Node): the CLI
 * validates a config file with the zod schema in config.ts; the LWCs read the same defaults
 * from the generated module `c/conflictRules` and the static resource ChannelOpsRules.json,
 * both built from this file by scripts/build-lwc-shared.mjs.
 */

/** How two account records are judged to be the same customer. */
export interface MatchingConfig {
  /** A pair whose combined score reaches this is the same customer (0..1). */
  threshold: number;
  /** Two name tokens count as the same word at this similarity or above (0..1). */
  tokenSimilarity: number;
  /** Added to the score when the registrable website domains are equal (0..1). */
  domainBonus: number;
  /** Subtracted when both records have a domain and they differ. */
  domainMismatchPenalty: number;
  /** Added when the phone numbers are equal. */
  phoneBonus: number;
  /** Added when the postal codes are equal. */
  postalCodeBonus: number;
  /** Subtracted when both records have a country and they differ. */
  countryMismatchPenalty: number;
  /** Blocks larger than this are compared by sorted neighbourhood instead of all pairs. */
  maxBlockSize: number;
  /** How many neighbours each record is compared with inside an oversized block. */
  neighbourhoodWindow: number;
}

export interface RulesOfEngagement {
  /** Days during which an earlier registration protects the deal against a later one. */
  registrationProtectionDays: number;
  /** A price differing by more than this share (%) of the lower price is a Price conflict. */
  priceVariancePct: number;
  /** Partners may not register deals on accounts marked Direct_Only__c. */
  protectDirectOnlyAccounts: boolean;
  /** A registration expiring within this many days is shown as expiring soon. */
  expiringWithinDays: number;
  matching: MatchingConfig;
}

export const DEFAULT_MATCHING: MatchingConfig = {
  threshold: 0.85,
  tokenSimilarity: 0.8,
  domainBonus: 0.5,
  domainMismatchPenalty: 0.15,
  phoneBonus: 0.2,
  postalCodeBonus: 0.05,
  countryMismatchPenalty: 0.25,
  maxBlockSize: 50,
  neighbourhoodWindow: 8
};

export const DEFAULT_RULES: RulesOfEngagement = {
  registrationProtectionDays: 90,
  priceVariancePct: 10,
  protectDirectOnlyAccounts: true,
  expiringWithinDays: 14,
  matching: DEFAULT_MATCHING
};

/** The conflict types, exactly as the Type__c picklist of Channel_Conflict__c spells them. */
export const CONFLICT_TYPES = ['Duplicate Registration', 'Direct vs Partner', 'Protected Account', 'Price'] as const;
export type ConflictType = (typeof CONFLICT_TYPES)[number];

/** The rule and its numbers in at most 80 characters (Rule__c). */
export function ruleSummary(type: ConflictType, rules: RulesOfEngagement = DEFAULT_RULES): string {
  switch (type) {
    case 'Duplicate Registration':
      return `Duplicate Registration: earlier registration wins within ${rules.registrationProtectionDays} days`;
    case 'Direct vs Partner':
      return 'Direct vs Partner: partner holds an approved, unexpired registration';
    case 'Protected Account':
      return 'Protected Account: partners may not register direct-only customers';
    case 'Price':
      return `Price: same product, channels more than ${rules.priceVariancePct}% apart`;
  }
}

/** One sentence per rule, for people (CLI help, the LWC's "why" text). */
export function describeRule(type: ConflictType, rules: RulesOfEngagement = DEFAULT_RULES): string {
  switch (type) {
    case 'Duplicate Registration':
      return `Two partners registered the same customer within ${rules.registrationProtectionDays} days; the earlier registration wins.`;
    case 'Direct vs Partner':
      return 'A direct opportunity on a customer that a partner holds an approved, unexpired registration for.';
    case 'Protected Account':
      return 'A partner registration on a direct-only (protected) customer.';
    case 'Price':
      return `The same product is offered to the same customer in two channels at prices more than ${rules.priceVariancePct}% apart.`;
  }
}
