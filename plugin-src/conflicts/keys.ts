/**
 * Conflict_Key__c: a stable key of the rule and the record ids, so that a re-scan upserts the
 * same Channel_Conflict__c instead of creating a duplicate. Ids are taken in their 18-character
 * form, so 15- and 18-character inputs give the same key.
 */
import { createHash } from 'node:crypto';
import { to18 } from '../domain/ids.js';
import type { ConflictType } from './defaults.js';
import type { DetectedConflict } from './rules.js';

const TYPE_CODES: Readonly<Record<ConflictType, string>> = {
  'Duplicate Registration': 'DUP',
  'Direct vs Partner': 'DVP',
  'Protected Account': 'PRO',
  Price: 'PRC'
};

/** The record ids that identify a conflict of each type, in a fixed order. */
export function conflictIdentity(c: Pick<DetectedConflict, 'type' | 'opportunityId' | 'conflictingOpportunityId' | 'productId'>): string[] {
  const ids = [c.opportunityId];
  if (c.type !== 'Protected Account' && c.conflictingOpportunityId) ids.push(c.conflictingOpportunityId);
  if (c.type === 'Price' && c.productId) ids.push(c.productId);
  return ids.map((id) => (id.length === 15 ? to18(id) : id));
}

/** `DUP-` + 24 hex characters of SHA-256 over the type and ids (96 bits: no collisions in practice). */
export function conflictKey(c: Pick<DetectedConflict, 'type' | 'opportunityId' | 'conflictingOpportunityId' | 'productId'>): string {
  const hash = createHash('sha256').update([c.type, ...conflictIdentity(c)].join('|')).digest('hex');
  return `${TYPE_CODES[c.type]}-${hash.slice(0, 24)}`;
}
