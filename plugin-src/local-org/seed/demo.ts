/**
 * The named people and companies of the seeded org: the users every scenario has (tests,
 * the README demo and benchmarks refer to them by username), and the hand-written customer
 * companies of the demo (the issue's own examples: ACME, Müller, Compañía Ibérica ...).
 */
import type { PredefinedCompany } from './customers.js';

export const SEED_DOMAIN = 'channel-ops.local';

/** Usernames of the named users, present in every seeded scenario. */
export const DEMO_USERS = {
  /** the running user (the org's admin; the local org logs in as this user) */
  admin: `admin@${SEED_DOMAIN}`,
  /** key account manager, capacity 5, owns 2 key accounts: the demo's receiving KAM */
  alice: `kam.alice@${SEED_DOMAIN}`,
  /** key account manager, capacity 4, owns 3 */
  hiro: `kam.hiro@${SEED_DOMAIN}`,
  /** key account manager, capacity 3, full (a move to her is over capacity) */
  sofia: `kam.sofia@${SEED_DOMAIN}`,
  /** key account manager, capacity 1 (the ideal), full */
  lena: `kam.lena@${SEED_DOMAIN}`,
  /** sales rep who leaves: the demo moves all his accounts to Alice; owns 2 key accounts without being a KAM */
  bob: `rep.bob@${SEED_DOMAIN}`,
  carol: `rep.carol@${SEED_DOMAIN}`,
  dan: `rep.dan@${SEED_DOMAIN}`,
  emma: `rep.emma@${SEED_DOMAIN}`,
  farid: `rep.farid@${SEED_DOMAIN}`,
  /** channel manager: owns the partner accounts, MDF budgets and partner campaigns */
  ines: `cm.ines@${SEED_DOMAIN}`,
  /** sales engineer: on account and opportunity teams */
  grace: `se.grace@${SEED_DOMAIN}`,
  /** inactive rep who still owns a few accounts (a move to him fails: INACTIVE_OWNER_OR_USER) */
  oliver: `rep.oliver@${SEED_DOMAIN}`,
  /** inactive key account manager who still owns a key account */
  peter: `kam.peter@${SEED_DOMAIN}`
} as const;

export type DemoUserHandle = keyof typeof DEMO_USERS;

/** The README demo's territory move: Bob leaves, all his accounts (with children and teams) go to Alice. */
export const DEMO_TERRITORY_MOVE = { fromUser: DEMO_USERS.bob, toUser: DEMO_USERS.alice } as const;

export type UserRole = 'admin' | 'kam' | 'rep' | 'channelManager' | 'salesEngineer';

export interface NamedUser {
  handle: DemoUserHandle;
  firstName: string;
  lastName: string;
  title: string;
  department: string;
  role: UserRole;
  active: boolean;
  kamCapacity?: number;
  timeZone: string;
  locale: string;
}

export const NAMED_USERS: readonly NamedUser[] = [
  { handle: 'admin', firstName: 'Channel Ops', lastName: 'Admin', title: 'Salesforce Administrator', department: 'Sales Operations', role: 'admin', active: true, timeZone: 'Europe/Berlin', locale: 'en_US' },
  { handle: 'alice', firstName: 'Alice', lastName: 'Kramer', title: 'Key Account Manager', department: 'Key Accounts', role: 'kam', active: true, kamCapacity: 5, timeZone: 'Europe/Berlin', locale: 'de_DE' },
  { handle: 'hiro', firstName: 'Hiro', lastName: 'Tanaka', title: 'Key Account Manager', department: 'Key Accounts', role: 'kam', active: true, kamCapacity: 4, timeZone: 'America/Los_Angeles', locale: 'en_US' },
  { handle: 'sofia', firstName: 'Sofia', lastName: 'Ruiz', title: 'Key Account Manager', department: 'Key Accounts', role: 'kam', active: true, kamCapacity: 3, timeZone: 'Europe/Paris', locale: 'fr_FR' },
  { handle: 'lena', firstName: 'Lena', lastName: 'Vogel', title: 'Strategic Account Director', department: 'Key Accounts', role: 'kam', active: true, kamCapacity: 1, timeZone: 'Europe/Berlin', locale: 'de_DE' },
  { handle: 'bob', firstName: 'Bob', lastName: 'Miller', title: 'Account Executive', department: 'Sales', role: 'rep', active: true, timeZone: 'America/New_York', locale: 'en_US' },
  { handle: 'carol', firstName: 'Carol', lastName: 'Nguyen', title: 'Account Executive', department: 'Sales', role: 'rep', active: true, timeZone: 'America/Los_Angeles', locale: 'en_US' },
  { handle: 'dan', firstName: 'Dan', lastName: "O'Connor", title: 'Account Executive', department: 'Sales', role: 'rep', active: true, timeZone: 'Europe/London', locale: 'en_GB' },
  { handle: 'emma', firstName: 'Emma', lastName: 'Schulz', title: 'Account Executive', department: 'Sales', role: 'rep', active: true, timeZone: 'Europe/Berlin', locale: 'de_DE' },
  { handle: 'farid', firstName: 'Farid', lastName: 'Haddad', title: 'Account Executive', department: 'Sales', role: 'rep', active: true, timeZone: 'Europe/Paris', locale: 'fr_FR' },
  { handle: 'ines', firstName: 'Inés', lastName: 'García', title: 'Channel Manager', department: 'Channel Sales', role: 'channelManager', active: true, timeZone: 'Europe/Paris', locale: 'en_US' },
  { handle: 'grace', firstName: 'Grace', lastName: 'Okafor', title: 'Sales Engineer', department: 'Pre-Sales', role: 'salesEngineer', active: true, timeZone: 'Europe/London', locale: 'en_GB' },
  { handle: 'oliver', firstName: 'Oliver', lastName: 'Grant', title: 'Account Executive', department: 'Sales', role: 'rep', active: false, timeZone: 'Europe/London', locale: 'en_GB' },
  { handle: 'peter', firstName: 'Peter', lastName: 'Lindqvist', title: 'Key Account Manager', department: 'Key Accounts', role: 'kam', active: false, kamCapacity: 2, timeZone: 'Europe/Berlin', locale: 'en_US' }
];

/**
 * Who owns the key accounts, in the order key accounts are handed out: Alice 2 (room for
 * Bob's 2), Hiro 3 of 4, Sofia 3 of 3, Lena 1 of 1, inactive Peter 1, and Bob 2 although he
 * is no KAM (ownership drift the tools must report).
 */
export const NAMED_KEY_ACCOUNT_OWNERS: readonly DemoUserHandle[] = ['alice', 'bob', 'hiro', 'sofia', 'alice', 'hiro', 'lena', 'bob', 'sofia', 'hiro', 'peter', 'sofia'];

/** Plants (see generate.ts) on the hand-written companies. */
export type PlantKind =
  | 'duplicateRegistration'
  | 'directVsPartner'
  | 'protectedAccount'
  | 'price'
  | 'rejectedRegistration'
  | 'expiredRegistration'
  | 'samePartner'
  | 'outsideWindow'
  | 'priceWithinThreshold'
  | 'closedDeal'
  | 'baitPartner'
  | 'baitDirect';

export interface DemoCompany extends PredefinedCompany {
  plant?: PlantKind;
}

/** The examples, each carrying a planted situation across its differently written records. */
export const DEMO_COMPANIES: readonly DemoCompany[] = [
  {
    key: 'acme', brand: 'ACME', industry: 'Manufacturing', legal: 'Inc.', country: 'US', city: 'San Francisco', domain: 'acme.com',
    names: ['ACME, Inc.', 'Acme Incorporated', 'acme inc'], websites: ['https://www.acme.com', 'acme.com', 'https://www.acme.com/de'],
    plant: 'duplicateRegistration'
  },
  {
    key: 'acme-tools', brand: 'Acme', descriptor: 'Tools', industry: 'Manufacturing', legal: 'Inc.', country: 'US', city: 'Chicago', domain: 'acmetools.com',
    names: ['Acme Tools, Inc.'], nearMissOf: 'acme', nearMissKind: 'descriptor', plant: 'baitDirect'
  },
  {
    key: 'acme-foods', brand: 'Acme', descriptor: 'Foods', industry: 'Food & Beverage', legal: 'LLC', country: 'US', city: 'Chicago', domain: 'acme-foods.com',
    names: ['Acme Foods LLC'], nearMissOf: 'acme-tools', nearMissKind: 'descriptor', plant: 'baitPartner'
  },
  {
    key: 'mueller', brand: 'Müller', industry: 'Machinery', legal: 'GmbH', country: 'DE', city: 'Stuttgart', domain: 'mueller-gmbh.de',
    names: ['Müller GmbH', 'Mueller GmbH'], websites: ['https://www.mueller-gmbh.de', 'www.mueller-gmbh.de/kontakt'], plant: 'directVsPartner'
  },
  {
    key: 'iberica', brand: 'Compañía Ibérica', industry: 'Construction', legal: 'S.L.', country: 'ES', city: 'Madrid', domain: 'companiaiberica.es',
    names: ['Compañía Ibérica S.L.', 'Compania Iberica SL'], websites: ['https://www.companiaiberica.es', null], plant: 'protectedAccount'
  },
  {
    key: 'dupont', brand: 'Dupont', descriptor: 'Électronique', industry: 'Electronics', legal: 'SAS', country: 'FR', city: 'Lyon', domain: 'dupont-electronique.fr',
    names: ['Dupont Électronique SAS', 'DUPONT ELECTRONIQUE', 'Dupont Electronique S.A.S.'], plant: 'price'
  },
  {
    key: 'global-logistics', brand: 'Global', descriptor: 'Logistics', industry: 'Transportation', legal: 'Ltd', country: 'GB', city: 'Manchester', domain: 'globallogistics.co.uk',
    names: ['Global Logistics Ltd'], plant: 'baitPartner'
  },
  {
    key: 'global-foods', brand: 'Global', descriptor: 'Foods', industry: 'Food & Beverage', legal: 'Ltd', country: 'GB', city: 'Manchester', domain: 'global-foods.co.uk',
    names: ['Global Foods Limited'], nearMissOf: 'global-logistics', nearMissKind: 'generic', plant: 'baitDirect'
  },
  {
    key: 'novatek-de', brand: 'Novatek', descriptor: 'Systems', industry: 'Technology', legal: 'GmbH', country: 'DE', city: 'München', domain: 'novatek.de',
    names: ['Novatek Systems GmbH'], plant: 'baitPartner'
  },
  {
    key: 'novatek-fr', brand: 'Novatek', descriptor: 'Systems', industry: 'Technology', legal: 'SAS', country: 'FR', city: 'Paris', domain: 'novatek.fr',
    names: ['Novatek Systems SAS'], nearMissOf: 'novatek-de', nearMissKind: 'country', plant: 'baitDirect'
  },
  {
    key: 'brightline', brand: 'Brightline', descriptor: 'Analytics', industry: 'Technology', legal: 'B.V.', country: 'NL', city: 'Amsterdam', domain: 'brightline-analytics.nl',
    names: ['Brightline Analytics B.V.', 'Brigthline Analytics BV']
  }
];
