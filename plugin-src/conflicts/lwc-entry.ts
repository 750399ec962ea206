/**
 * What the LWCs get from the conflict engine: the entry point of the generated module
 * force-app/main/default/lwc/conflictRules/conflictRules.js (scripts/build-lwc-shared.mjs).
 * Only pure, dependency-free modules may be exported from here.
 */
export { DEFAULT_RULES, DEFAULT_MATCHING, CONFLICT_TYPES, describeRule, ruleSummary } from './defaults.js';
export type { RulesOfEngagement, MatchingConfig, ConflictType } from './defaults.js';
export {
  normalizeCompanyName,
  registrableDomain,
  phoneDigits,
  normalizePostalCode,
  normalizeCountry,
  customerProfile,
  foldText
} from './normalize.js';
export { nameSimilarity, compareCustomers, isSameCustomer, clusterCustomers } from './matching.js';
export {
  detectConflicts,
  protectionStatus,
  severityOf,
  registrationExpiry,
  holdsRegistration,
  isRegistration,
  isDirect,
  daysBetween,
  today
} from './rules.js';
