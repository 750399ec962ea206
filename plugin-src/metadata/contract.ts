/**
 * The data model DESIGN.md promises ("Data model"): API names, types, lookup targets and
 * picklist values that the plugin, the components, the local org and the tests rely on.
 * The metadata check fails when force-app drifts from it.
 */
import type { FieldContract } from './check.js';

export const DATA_MODEL_CONTRACT: Record<string, FieldContract> = {
  'Account.Key_Account__c': { type: 'Checkbox' },
  'Account.Key_Account_Tier__c': { type: 'Picklist', values: ['Strategic', 'Key', 'Growth'] },
  'Account.Direct_Only__c': { type: 'Checkbox' },
  'User.KAM_Capacity__c': { type: 'Number' },
  'Opportunity.Registered_Partner__c': { type: 'Lookup', referenceTo: 'Account' },
  'Opportunity.Registration_Status__c': {
    type: 'Picklist',
    values: ['Draft', 'Submitted', 'Approved', 'Rejected', 'Expired']
  },
  'Opportunity.Registration_Date__c': { type: 'Date' },
  'Opportunity.Registration_Expires__c': { type: 'Date' },
  'Opportunity.Channel__c': { type: 'Picklist', values: ['Direct', 'Partner'] },
  'Channel_Conflict__c.Type__c': {
    type: 'Picklist',
    values: ['Duplicate Registration', 'Direct vs Partner', 'Protected Account', 'Price']
  },
  'Channel_Conflict__c.Status__c': {
    type: 'Picklist',
    values: ['Open', 'Resolved', 'Dismissed', 'Auto-Resolved']
  },
  'Channel_Conflict__c.Severity__c': { type: 'Picklist', values: ['High', 'Medium', 'Low'] },
  'Channel_Conflict__c.Account__c': { type: 'Lookup', referenceTo: 'Account' },
  'Channel_Conflict__c.Opportunity__c': { type: 'Lookup', referenceTo: 'Opportunity' },
  'Channel_Conflict__c.Conflicting_Opportunity__c': { type: 'Lookup', referenceTo: 'Opportunity' },
  'Channel_Conflict__c.Partner__c': { type: 'Lookup', referenceTo: 'Account' },
  'Channel_Conflict__c.Score__c': { type: 'Number' },
  'Channel_Conflict__c.Rule__c': {},
  'Channel_Conflict__c.Resolution__c': {},
  'Channel_Conflict__c.Detected_At__c': { type: 'DateTime' },
  'Channel_Conflict__c.Conflict_Key__c': { type: 'Text', externalId: true, unique: true },
  'MDF_Budget__c.Partner__c': { type: 'Lookup', referenceTo: 'Account' },
  'MDF_Budget__c.Period_Start__c': { type: 'Date' },
  'MDF_Budget__c.Period_End__c': { type: 'Date' },
  'MDF_Budget__c.Amount__c': { type: 'Currency' },
  'MDF_Budget__c.Accrual_Rate__c': { type: 'Percent' },
  'MDF_Budget__c.Accrued_Amount__c': { type: 'Currency' },
  'MDF_Budget__c.Approved_Total__c': { type: 'Summary' },
  'MDF_Budget__c.Claimed_Total__c': {},
  'MDF_Budget__c.Paid_Total__c': {},
  'MDF_Budget__c.Remaining__c': { type: 'Formula' },
  'MDF_Request__c.Budget__c': { type: 'MasterDetail', referenceTo: 'MDF_Budget__c' },
  'MDF_Request__c.Amount_Requested__c': { type: 'Currency' },
  'MDF_Request__c.Amount_Approved__c': { type: 'Currency' },
  'MDF_Request__c.Status__c': {
    type: 'Picklist',
    values: ['Draft', 'Submitted', 'Approved', 'Rejected', 'Expired', 'Closed']
  },
  'MDF_Request__c.Activity_Type__c': { type: 'Picklist' },
  'MDF_Request__c.Campaign__c': { type: 'Lookup', referenceTo: 'Campaign' },
  'MDF_Request__c.Start_Date__c': { type: 'Date' },
  'MDF_Request__c.End_Date__c': { type: 'Date' },
  'MDF_Request__c.Claim_Deadline__c': { type: 'Date' },
  'MDF_Request__c.Claimed_Total__c': { type: 'Summary' },
  'MDF_Claim__c.Request__c': { type: 'MasterDetail', referenceTo: 'MDF_Request__c' },
  'MDF_Claim__c.Amount__c': { type: 'Currency' },
  'MDF_Claim__c.Status__c': { type: 'Picklist', values: ['Submitted', 'Approved', 'Rejected', 'Paid'] },
  'MDF_Claim__c.Proof_Of_Performance__c': {},
  'MDF_Claim__c.Claim_Date__c': { type: 'Date' },
  'Channel_Sync_Run__c.Job__c': { type: 'Picklist', values: ['conflicts', 'mdf', 'ownership-drift'] },
  'Channel_Sync_Run__c.Started_At__c': { type: 'DateTime' },
  'Channel_Sync_Run__c.Finished_At__c': { type: 'DateTime' },
  'Channel_Sync_Run__c.Status__c': { type: 'Picklist', values: ['Running', 'Succeeded', 'Failed'] },
  'Channel_Sync_Run__c.Watermark__c': { type: 'DateTime' },
  'Channel_Sync_Run__c.Records_Read__c': { type: 'Number' },
  'Channel_Sync_Run__c.Records_Changed__c': { type: 'Number' },
  'Channel_Sync_Run__c.Errors__c': { type: 'Number' },
  'Channel_Sync_Run__c.Error_Summary__c': {},
  'Channel_Sync_Run__c.Lock_Key__c': { type: 'Text', externalId: true, unique: true }
};

/** Permission sets that grant every custom field and full access to every custom object. */
export const FULL_ACCESS_PERMISSION_SETS = ['Channel_Ops_Admin'];
