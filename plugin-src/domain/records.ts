/**
 * zod schemas of the records Channel Ops reads from an org. Every query result we depend on
 * is parsed through one of these, so a missing field or a wrong type fails early with the
 * record and field named, instead of deep inside a job.
 */
import { z } from 'zod';
import { isSalesforceId, to18 } from './ids.js';

/** A Salesforce id, accepted in 15 or 18 characters and always handed on in 18. */
export const SalesforceId = z
  .string()
  .trim()
  .refine(isSalesforceId, { message: 'is not a Salesforce record id (15 or 18 characters)' })
  .transform(to18);

/** A date (YYYY-MM-DD) as the REST API returns it. */
export const SfDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a date (YYYY-MM-DD)');
export const SfDateTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'is not a date-time');

const nullableId = SalesforceId.nullable().optional();
const nullableString = z.string().nullable().optional();
const nullableNumber = z.number().nullable().optional();
const nullableDate = SfDate.nullable().optional();

export const UserRecord = z.object({
  Id: SalesforceId,
  Username: z.string(),
  Name: nullableString,
  Email: nullableString,
  IsActive: z.boolean(),
  KAM_Capacity__c: nullableNumber
});
export type UserRecord = z.infer<typeof UserRecord>;

export const KEY_ACCOUNT_TIERS = ['Strategic', 'Key', 'Growth'] as const;
export const PARTNER_ACCOUNT_TYPE = 'Channel Partner / Reseller';

export const AccountRecord = z.object({
  Id: SalesforceId,
  Name: z.string(),
  OwnerId: SalesforceId,
  Type: nullableString,
  Website: nullableString,
  Phone: nullableString,
  BillingPostalCode: nullableString,
  BillingCountry: nullableString,
  Key_Account__c: z.boolean().optional().default(false),
  Key_Account_Tier__c: z.enum(KEY_ACCOUNT_TIERS).nullable().optional(),
  Direct_Only__c: z.boolean().optional().default(false),
  SystemModstamp: SfDateTime.optional()
});
export type AccountRecord = z.infer<typeof AccountRecord>;

export const REGISTRATION_STATUSES = ['Draft', 'Submitted', 'Approved', 'Rejected', 'Expired'] as const;
export const CHANNELS = ['Direct', 'Partner'] as const;

export const OpportunityRecord = z.object({
  Id: SalesforceId,
  Name: z.string(),
  AccountId: nullableId,
  OwnerId: SalesforceId,
  StageName: z.string(),
  IsClosed: z.boolean().optional(),
  IsWon: z.boolean().optional(),
  Amount: nullableNumber,
  CloseDate: SfDate,
  CampaignId: nullableId,
  CreatedDate: SfDateTime.optional(),
  Registered_Partner__c: nullableId,
  Registration_Status__c: z.enum(REGISTRATION_STATUSES).nullable().optional(),
  Registration_Date__c: nullableDate,
  Registration_Expires__c: nullableDate,
  Channel__c: z.enum(CHANNELS).nullable().optional()
});
export type OpportunityRecord = z.infer<typeof OpportunityRecord>;

/** Records whose owner can move with their account (Change Owner's cascade). */
export const OwnedChildRecord = z.object({
  Id: SalesforceId,
  OwnerId: SalesforceId,
  AccountId: nullableId
});
export type OwnedChildRecord = z.infer<typeof OwnedChildRecord>;

export const AccountTeamMemberRecord = z.object({
  Id: SalesforceId.optional(),
  AccountId: SalesforceId,
  UserId: SalesforceId,
  TeamMemberRole: nullableString,
  AccountAccessLevel: nullableString,
  OpportunityAccessLevel: nullableString,
  CaseAccessLevel: nullableString,
  ContactAccessLevel: nullableString
});
export type AccountTeamMemberRecord = z.infer<typeof AccountTeamMemberRecord>;

export const OpportunityTeamMemberRecord = z.object({
  Id: SalesforceId.optional(),
  OpportunityId: SalesforceId,
  UserId: SalesforceId,
  TeamMemberRole: nullableString,
  OpportunityAccessLevel: nullableString
});
export type OpportunityTeamMemberRecord = z.infer<typeof OpportunityTeamMemberRecord>;

/**
 * Parses one record against a schema; the error names the object, the record id and each
 * failing field, so a user can find the record in the org.
 */
export function parseRecord<S extends z.ZodType>(schema: S, sobject: string, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const id = typeof raw === 'object' && raw !== null && 'Id' in raw ? String((raw as { Id: unknown }).Id) : '(no Id)';
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(record)'} ${i.message}`).join('; ');
  throw new Error(`${sobject} ${id}: ${problems}`);
}
