/**
 * The standard objects Channel Ops metadata may point at, with the standard fields and
 * relationships our formulas, roll-ups, layouts and permission sets may name. Only what
 * Channel Ops can use is listed: a reference to anything else is reported, which is what
 * we want (a typo in `Acount.Name` must not pass because "some standard field" might exist).
 */
export interface StandardField {
  type: string;
  /** for lookups: the target object and the relationship name used in formulas (`Owner.Name`) */
  referenceTo?: string;
  relationshipName?: string;
  picklistValues?: string[];
}

const audit: Record<string, StandardField> = {
  Id: { type: 'Id' },
  IsDeleted: { type: 'Checkbox' },
  CreatedDate: { type: 'DateTime' },
  CreatedById: { type: 'Lookup', referenceTo: 'User', relationshipName: 'CreatedBy' },
  LastModifiedDate: { type: 'DateTime' },
  LastModifiedById: { type: 'Lookup', referenceTo: 'User', relationshipName: 'LastModifiedBy' },
  SystemModstamp: { type: 'DateTime' }
};
const owner: Record<string, StandardField> = {
  OwnerId: { type: 'Lookup', referenceTo: 'User', relationshipName: 'Owner' }
};
const text = { type: 'Text' } as const;

export const STANDARD_OBJECTS: Record<string, Record<string, StandardField>> = {
  Account: {
    ...audit,
    ...owner,
    Name: text,
    Type: { type: 'Picklist' },
    ParentId: { type: 'Lookup', referenceTo: 'Account', relationshipName: 'Parent' },
    Website: { type: 'Url' },
    Phone: { type: 'Phone' },
    BillingStreet: text,
    BillingCity: text,
    BillingState: text,
    BillingPostalCode: text,
    BillingCountry: text,
    Industry: { type: 'Picklist' },
    AnnualRevenue: { type: 'Currency' },
    NumberOfEmployees: { type: 'Number' },
    IsPartner: { type: 'Checkbox' },
    Description: { type: 'LongTextArea' }
  },
  Opportunity: {
    ...audit,
    ...owner,
    Name: text,
    AccountId: { type: 'Lookup', referenceTo: 'Account', relationshipName: 'Account' },
    CampaignId: { type: 'Lookup', referenceTo: 'Campaign', relationshipName: 'Campaign' },
    StageName: { type: 'Picklist' },
    Amount: { type: 'Currency' },
    CloseDate: { type: 'Date' },
    IsClosed: { type: 'Checkbox' },
    IsWon: { type: 'Checkbox' },
    Probability: { type: 'Percent' },
    Type: { type: 'Picklist' },
    LeadSource: { type: 'Picklist' },
    Description: { type: 'LongTextArea' }
  },
  OpportunityLineItem: {
    ...audit,
    OpportunityId: { type: 'MasterDetail', referenceTo: 'Opportunity', relationshipName: 'Opportunity' },
    Product2Id: { type: 'Lookup', referenceTo: 'Product2', relationshipName: 'Product2' },
    UnitPrice: { type: 'Currency' },
    Quantity: { type: 'Number' },
    TotalPrice: { type: 'Currency' }
  },
  User: {
    ...audit,
    Username: text,
    FirstName: text,
    LastName: text,
    Name: text,
    Email: { type: 'Email' },
    Alias: text,
    IsActive: { type: 'Checkbox' },
    ManagerId: { type: 'Lookup', referenceTo: 'User', relationshipName: 'Manager' },
    UserRoleId: { type: 'Lookup', referenceTo: 'UserRole', relationshipName: 'UserRole' },
    ProfileId: { type: 'Lookup', referenceTo: 'Profile', relationshipName: 'Profile' }
  },
  UserRole: { ...audit, Name: text },
  Profile: { ...audit, Name: text },
  Group: { ...audit, Name: text },
  Campaign: {
    ...audit,
    ...owner,
    Name: text,
    Status: { type: 'Picklist' },
    Type: { type: 'Picklist' },
    StartDate: { type: 'Date' },
    EndDate: { type: 'Date' },
    IsActive: { type: 'Checkbox' }
  },
  Product2: {
    ...audit,
    Name: text,
    ProductCode: text,
    Family: { type: 'Picklist' },
    IsActive: { type: 'Checkbox' }
  },
  Contact: {
    ...audit,
    ...owner,
    Name: text,
    FirstName: text,
    LastName: text,
    Email: { type: 'Email' },
    AccountId: { type: 'Lookup', referenceTo: 'Account', relationshipName: 'Account' }
  },
  Case: {
    ...audit,
    ...owner,
    Subject: text,
    Status: { type: 'Picklist' },
    IsClosed: { type: 'Checkbox' },
    AccountId: { type: 'Lookup', referenceTo: 'Account', relationshipName: 'Account' }
  },
  Lead: { ...audit, ...owner, Name: text, Company: text, Status: { type: 'Picklist' } },
  Task: { ...audit, ...owner, Subject: text, Status: { type: 'Picklist' }, IsClosed: { type: 'Checkbox' } },
  Event: { ...audit, ...owner, Subject: text },
  AccountTeamMember: {
    ...audit,
    AccountId: { type: 'Lookup', referenceTo: 'Account', relationshipName: 'Account' },
    UserId: { type: 'Lookup', referenceTo: 'User', relationshipName: 'User' },
    TeamMemberRole: { type: 'Picklist' }
  }
};

/** Standard fields every custom object has (`ownerFields` only when the object has an owner). */
export function customObjectSystemFields(hasOwner: boolean): Record<string, StandardField> {
  return {
    ...audit,
    ...(hasOwner ? owner : {}),
    Name: text,
    LastActivityDate: { type: 'Date' },
    LastViewedDate: { type: 'DateTime' },
    LastReferencedDate: { type: 'DateTime' }
  };
}

/** Global variables allowed in formulas; `$User.x` is resolved against the User object. */
export const FORMULA_GLOBALS = new Set([
  '$User',
  '$Profile',
  '$UserRole',
  '$Organization',
  '$Setup',
  '$Label',
  '$Permission',
  '$CustomMetadata',
  '$Api',
  '$System',
  '$RecordType',
  '$Site'
]);

/** Child relationship names standard objects already use: a custom lookup may not reuse them. */
export const STANDARD_CHILD_RELATIONSHIPS: Record<string, string[]> = {
  Account: [
    'Opportunities',
    'Contacts',
    'Cases',
    'ChildAccounts',
    'AccountTeamMembers',
    'Tasks',
    'Events',
    'Notes',
    'Attachments',
    'Partners',
    'Contracts',
    'Orders',
    'Assets'
  ],
  Opportunity: [
    'OpportunityLineItems',
    'OpportunityTeamMembers',
    'OpportunityContactRoles',
    'Tasks',
    'Events',
    'Notes',
    'Attachments',
    'Partners',
    'Histories'
  ],
  Campaign: ['Opportunities', 'CampaignMembers', 'ChildCampaigns', 'Tasks', 'Events'],
  User: ['Accounts', 'Opportunities', 'Cases', 'Tasks', 'Events', 'ManagedUsers'],
  Product2: ['PricebookEntries', 'OpportunityLineItems', 'Assets']
};

/** Where the standard child relationships we query lead (`Account.Opportunities` → Opportunity). */
export const STANDARD_CHILD_OBJECTS: Record<string, Record<string, string>> = {
  Account: {
    Opportunities: 'Opportunity',
    Contacts: 'Contact',
    Cases: 'Case',
    AccountTeamMembers: 'AccountTeamMember',
    ChildAccounts: 'Account'
  },
  Opportunity: { OpportunityLineItems: 'OpportunityLineItem' },
  Campaign: { Opportunities: 'Opportunity' }
};
