/**
 * The seed generator proper: a scenario in, batches of rows out (`{sobject, rows}`), parents
 * before children, in chunks of `chunkSize` accounts so that a million accounts stream
 * through without any intermediate array bigger than a chunk. Ids are `makeId(prefix, seq,
 * 'SED')`, so they never collide with ids the database assigns.
 *
 * Customers are generated one company (cluster) at a time with all their children; the
 * rules-of-engagement oracle runs per company, so the labelled truth needs no second pass.
 * Background data is conflict-free by construction (a customer buys either direct or
 * through one partner); conflicts exist only where planted, and near-miss look-alikes carry
 * "bait" (a direct deal on one, an approved registration on the other) that becomes a false
 * conflict only if a matcher wrongly merges them.
 */
import { makeId, STANDARD_KEY_PREFIXES } from '../../domain/ids.js';
import { Rng } from './prng.js';
import {
  CAMPAIGN_TOPICS,
  CASE_SUBJECTS,
  CONTACT_TITLES,
  COUNTRIES,
  COUNTRY_BY_CODE,
  EVENT_SUBJECTS,
  MDF_ACTIVITY_TYPES,
  PARTNER_DISCOUNT,
  PARTNER_NAMES,
  PARTNER_WORDS,
  PRODUCTS,
  TASK_SUBJECTS,
  slug,
  toAscii,
  type Country
} from './corpus.js';
import { formatPhone, generateCustomers, makePostal, type Company, type CustomerCluster, type Row } from './customers.js';
import { DEMO_COMPANIES, DEMO_USERS, NAMED_KEY_ACCOUNT_OWNERS, NAMED_USERS, SEED_DOMAIN, type DemoUserHandle, type PlantKind, type UserRole } from './demo.js';
import { expectedConflicts, type ExpectedConflict, type OracleOpportunity } from './oracle.js';
import type { ScenarioSpec } from './scenario.js';

export const ID_INSTANCE = 'SED';

/** What the generator needs to know about the target org (key prefixes, field names, picklists). */
export interface GeneratorContext {
  /** key prefix of an object (custom objects' prefixes come from the org's schema) */
  keyPrefix(sobject: string): string;
  /** the master-detail field of MDF_Request__c → MDF_Budget__c and of MDF_Claim__c → MDF_Request__c */
  budgetField: string;
  requestField: string;
  /** values of a picklist the org accepts, preferring ours; undefined = accept ours */
  picklist?(sobject: string, field: string): readonly string[] | undefined;
  /** type of a field in the org (to fill Proof_Of_Performance__c sensibly); undefined = unknown */
  fieldType?(sobject: string, field: string): string | undefined;
  /** the running user when it exists already (the server created it): not generated again */
  existingAdminId?: string;
}

export interface Batch {
  sobject: string;
  rows: Row[];
}

export interface TruthCustomer {
  clusterId: number;
  name: string;
  country: string;
  domain: string | null;
  accountIds: string[];
  /** how each record's name was written: 'canonical', or the variations applied */
  variations: string[][];
  key?: string;
  nearMissOf?: number;
  nearMissKind?: string;
}

export interface PlantedSituation {
  kind: PlantKind;
  clusterId: number;
  opportunityIds: string[];
  /** true for the four conflict types, false for negatives and baits */
  conflict: boolean;
}

/** The labelled ground truth of a seeded org, for matching and conflict-detection tests. */
export interface SeedTruth {
  asOf: string;
  rules: ScenarioSpec['rules'];
  partnerIds: string[];
  customers: TruthCustomer[];
  nearMisses: { clusterId: number; of: number; kind: string }[];
  /** every conflict the rules find when customers are matched perfectly (all of them planted) */
  conflicts: ExpectedConflict[];
  plants: PlantedSituation[];
}

/** The account → cluster map of a truth (two accounts are the same customer iff equal). */
export function clusterIndex(truth: SeedTruth): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of truth.customers) for (const id of c.accountIds) m.set(id, c.clusterId);
  return m;
}

export const POSITIVE_PLANTS = ['duplicateRegistration', 'directVsPartner', 'protectedAccount', 'price'] as const;
export const NEGATIVE_PLANTS = ['rejectedRegistration', 'expiredRegistration', 'samePartner', 'outsideWindow', 'priceWithinThreshold', 'closedDeal'] as const;

const CHILD_ORDER = ['Account', 'Contact', 'Opportunity', 'OpportunityLineItem', 'Case', 'Task', 'Event', 'AccountTeamMember', 'OpportunityTeamMember'] as const;

const OPEN_STAGES: readonly (readonly [string, number])[] = [
  ['Prospecting', 3],
  ['Qualification', 4],
  ['Needs Analysis', 3],
  ['Value Proposition', 3],
  ['Id. Decision Makers', 2],
  ['Perception Analysis', 1],
  ['Proposal/Price Quote', 3],
  ['Negotiation/Review', 2]
];
const STAGE_PROBABILITY: Readonly<Record<string, number>> = {
  Prospecting: 10, Qualification: 10, 'Needs Analysis': 20, 'Value Proposition': 50, 'Id. Decision Makers': 60,
  'Perception Analysis': 70, 'Proposal/Price Quote': 75, 'Negotiation/Review': 90, 'Closed Won': 100, 'Closed Lost': 0
};
const FORECAST: Readonly<Record<string, string>> = {
  Prospecting: 'Pipeline', Qualification: 'Pipeline', 'Needs Analysis': 'Pipeline', 'Value Proposition': 'Pipeline',
  'Id. Decision Makers': 'Pipeline', 'Perception Analysis': 'Best Case', 'Proposal/Price Quote': 'Best Case',
  'Negotiation/Review': 'Commit', 'Closed Won': 'Closed', 'Closed Lost': 'Omitted'
};

interface SeedUser {
  Id: string;
  username: string;
  role: UserRole;
  active: boolean;
  kamCapacity?: number;
  handle?: DemoUserHandle;
}

interface Partner {
  Id: string;
  name: string;
  short: string;
  manager: SeedUser;
  weight: number;
  campaignIds: string[];
}

interface LineItemPlan {
  product: number;
  price: number;
}

interface OppPlan {
  record: number;
  partner?: Partner;
  status?: 'Draft' | 'Submitted' | 'Approved' | 'Rejected' | 'Expired' | null;
  /** day offsets from as-of */
  regDate?: number;
  expires?: number;
  closed?: 'Won' | 'Lost';
  closeIn?: number;
  items?: LineItemPlan[];
}

const DAY = 86400000;

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export class SeedGenerator {
  public readonly asOf: string;
  private readonly asOfMs: number;
  private readonly seq = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  private readonly truthOn: boolean;
  public readonly truth: SeedTruth | undefined;

  private users: SeedUser[] = [];
  private activeReps: SeedUser[] = [];
  private salesEngineers: SeedUser[] = [];
  private channelManagers: SeedUser[] = [];
  private inactiveOwners: SeedUser[] = [];
  private teamPool: SeedUser[] = [];
  private kamSlots: { user: SeedUser; left: number }[] = [];
  private kamSlotIndex = 0;
  private partners: Partner[] = [];
  private partnerWeights: (readonly [Partner, number])[] = [];
  private generalCampaigns: string[] = [];
  private pricebook = { standard: '', partner: '' };
  private productIds: string[] = [];
  private entryIds: { standard: string[]; partner: string[] } = { standard: [], partner: [] };
  private adminId = '';

  private readonly rng: Rng;
  private readonly childRng: Rng;
  private readonly plantRng: Rng;
  private buffers = new Map<string, Row[]>();
  private bufferedAccounts = 0;
  private lastPlant: PlantKind | undefined;
  private planted = new Map<PlantKind, number>();
  private eligibleSeen = 0;
  private estimatedEligible = 0;
  private readonly plantRates: (readonly [PlantKind, number])[];
  private readonly plantCounts: (readonly [PlantKind, number])[];

  public constructor(
    private readonly spec: ScenarioSpec,
    private readonly ctx: GeneratorContext,
    asOf: string
  ) {
    this.asOf = asOf;
    this.asOfMs = Date.parse(`${asOf}T00:00:00Z`);
    this.rng = Rng.stream(spec.seed, 'org');
    this.childRng = Rng.stream(spec.seed, 'children');
    this.plantRng = Rng.stream(spec.seed, 'plants');
    this.truthOn = spec.truth ?? spec.accounts <= 50_000;
    const plants = Object.entries({ ...spec.conflicts, ...spec.negatives }) as [PlantKind, number][];
    this.plantRates = plants.filter(([, v]) => v > 0 && v < 1);
    this.plantCounts = plants.filter(([, v]) => v >= 1);
    this.truth = this.truthOn
      ? { asOf, rules: spec.rules, partnerIds: [], customers: [], nearMisses: [], conflicts: [], plants: [] }
      : undefined;
  }

  /** Rows generated per object so far. */
  public countsByObject(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** The named users (demo handles) with their ids. */
  public namedUsers(): { handle: DemoUserHandle; username: string; Id: string }[] {
    return this.users.filter((u) => u.handle).map((u) => ({ handle: u.handle as DemoUserHandle, username: u.username, Id: u.Id }));
  }

  /** The running user's id (generated or the existing one). */
  public get adminUserId(): string {
    return this.adminId;
  }

  private nextId(sobject: string): string {
    const n = (this.seq.get(sobject) ?? 0) + 1;
    this.seq.set(sobject, n);
    return makeId(this.ctx.keyPrefix(sobject), n, ID_INSTANCE);
  }

  private readonly dates = new Map<number, string>();

  private date(offsetDays: number): string {
    let d = this.dates.get(offsetDays);
    if (d === undefined) {
      d = new Date(this.asOfMs + offsetDays * DAY).toISOString().slice(0, 10);
      this.dates.set(offsetDays, d);
    }
    return d;
  }

  private dateTime(offsetDays: number, hour: number, minute = 0): string {
    return new Date(this.asOfMs + offsetDays * DAY + (hour * 60 + minute) * 60000).toISOString();
  }

  private push(sobject: string, row: Row): void {
    let b = this.buffers.get(sobject);
    if (!b) this.buffers.set(sobject, (b = []));
    b.push(row);
    this.counts.set(sobject, (this.counts.get(sobject) ?? 0) + 1);
  }

  private *flush(order: readonly string[]): Generator<Batch> {
    for (const sobject of order) {
      const rows = this.buffers.get(sobject);
      if (rows && rows.length > 0) {
        this.buffers.set(sobject, []);
        yield { sobject, rows };
      }
    }
    this.bufferedAccounts = 0;
  }

  private picklistValue(sobject: string, field: string, preferred: readonly string[], rng: Rng): string {
    const allowed = this.ctx.picklist?.(sobject, field);
    if (!allowed || allowed.length === 0) return rng.pick(preferred);
    const usable = preferred.filter((v) => allowed.includes(v));
    return rng.pick(usable.length > 0 ? usable : allowed);
  }

  /** All batches of the scenario, parents first. */
  public *batches(): Generator<Batch> {
    this.makeUsers();
    yield* this.flush(['User']);
    this.makeCatalogue();
    this.makePartners();
    yield* this.flush(['Product2', 'Pricebook2', 'PricebookEntry', 'Account', 'Contact', 'Campaign', 'MDF_Budget__c', 'MDF_Request__c', 'MDF_Claim__c']);
    yield* this.customers();
  }

  // -------------------------------------------------------------------------------------
  // Users

  private makeUsers(): void {
    const rng = this.rng;
    const add = (u: { handle?: DemoUserHandle; username: string; first: string; last: string; title: string; department: string; role: UserRole; active: boolean; kamCapacity?: number; timeZone: string; locale: string }): SeedUser => {
      const existing = u.handle === 'admin' ? this.ctx.existingAdminId : undefined;
      // the sequence advances either way, so the other users' ids do not depend on it
      const generatedId = this.nextId('User');
      const id = existing ?? generatedId;
      const user: SeedUser = { Id: id, username: u.username, role: u.role, active: u.active, kamCapacity: u.kamCapacity, handle: u.handle };
      this.users.push(user);
      if (!existing) {
        const alias = toAscii(`${u.first[0]}${u.last}`).replace(/[^A-Za-z]/g, '').toLowerCase().slice(0, 8);
        this.push('User', {
          Id: id,
          Username: u.username,
          FirstName: u.first,
          LastName: u.last,
          Email: u.username,
          Alias: alias,
          CommunityNickname: u.username.split('@')[0],
          IsActive: u.active,
          KAM_Capacity__c: u.kamCapacity ?? null,
          Title: u.title,
          Department: u.department,
          TimeZoneSidKey: u.timeZone,
          LocaleSidKey: u.locale,
          LanguageLocaleKey: 'en_US',
          EmailEncodingKey: 'UTF-8'
        });
      }
      return user;
    };
    for (const n of NAMED_USERS) {
      add({ handle: n.handle, username: DEMO_USERS[n.handle], first: n.firstName, last: n.lastName, title: n.title, department: n.department, role: n.role, active: n.active, kamCapacity: n.kamCapacity, timeZone: n.timeZone, locale: n.locale });
    }
    const people = (i: number): [string, string, Country] => {
      const c = COUNTRIES[i % COUNTRIES.length];
      return [c.firstNames[(i * 7) % c.firstNames.length], c.lastNames[(i * 13 + Math.floor(i / 7)) % c.lastNames.length], c];
    };
    const generated = (prefix: string, count: number, role: UserRole, title: string, department: string, active: boolean, capacity?: () => number): void => {
      for (let i = 1; i <= count; i++) {
        const [first, last, c] = people(this.users.length + i);
        const num = String(i).padStart(5, '0');
        add({
          username: `${prefix}.${num}@${SEED_DOMAIN}`,
          first,
          last,
          title,
          department,
          role,
          active,
          kamCapacity: capacity?.(),
          timeZone: c.code === 'US' ? 'America/New_York' : c.code === 'GB' ? 'Europe/London' : 'Europe/Berlin',
          locale: 'en_US'
        });
      }
    };
    const [capMin, capMax] = this.spec.users.kamCapacity;
    generated('kam', this.spec.users.kams, 'kam', 'Key Account Manager', 'Key Accounts', true, () => rng.int(Math.max(1, capMin), Math.max(1, capMax)));
    generated('rep', this.spec.users.reps, 'rep', 'Account Executive', 'Sales', true);
    generated('cm', this.spec.users.channelManagers, 'channelManager', 'Channel Manager', 'Channel Sales', true);
    generated('se', this.spec.users.salesEngineers, 'salesEngineer', 'Sales Engineer', 'Pre-Sales', true);
    generated('former', this.spec.users.inactive, 'rep', 'Account Executive', 'Sales', false);

    this.adminId = this.users[0].Id;
    this.activeReps = this.users.filter((u) => u.role === 'rep' && u.active);
    this.salesEngineers = this.users.filter((u) => u.role === 'salesEngineer' && u.active);
    this.channelManagers = this.users.filter((u) => u.role === 'channelManager' && u.active);
    this.inactiveOwners = this.users.filter((u) => !u.active && u.role === 'rep');
    this.teamPool = this.users.filter((u) => u.active && u.role !== 'admin');
    const byHandle = new Map(this.users.filter((u) => u.handle).map((u) => [u.handle as DemoUserHandle, u]));
    this.kamSlots = NAMED_KEY_ACCOUNT_OWNERS.map((h) => ({ user: byHandle.get(h) as SeedUser, left: 1 }));
    for (const u of this.users) {
      if (u.role === 'kam' && u.active && !u.handle && u.kamCapacity) {
        // most KAMs have a little room left; some are full
        this.kamSlots.push({ user: u, left: Math.max(1, u.kamCapacity - rng.int(0, 2)) });
      }
    }
  }

  private nextKeyAccountOwner(): SeedUser | undefined {
    while (this.kamSlotIndex < this.kamSlots.length) {
      const slot = this.kamSlots[this.kamSlotIndex];
      if (slot.left > 0) {
        slot.left--;
        return slot.user;
      }
      this.kamSlotIndex++;
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------
  // Products, partners, campaigns, MDF

  private makeCatalogue(): void {
    const standard = this.nextId('Pricebook2');
    const partner = this.nextId('Pricebook2');
    this.pricebook = { standard, partner };
    this.push('Pricebook2', { Id: standard, Name: 'Standard Price Book', IsActive: true, IsStandard: true, Description: 'List prices' });
    this.push('Pricebook2', { Id: partner, Name: 'Partner Price Book', IsActive: true, IsStandard: false, Description: `Reseller prices (${PARTNER_DISCOUNT * 100}% off list)` });
    for (const p of PRODUCTS) {
      const id = this.nextId('Product2');
      this.productIds.push(id);
      this.push('Product2', { Id: id, Name: p.name, ProductCode: p.code, Family: p.family, IsActive: true, Description: `${p.family}: ${p.name}` });
      const se = this.nextId('PricebookEntry');
      const pe = this.nextId('PricebookEntry');
      this.entryIds.standard.push(se);
      this.entryIds.partner.push(pe);
      this.push('PricebookEntry', { Id: se, Pricebook2Id: standard, Product2Id: id, UnitPrice: p.listPrice, IsActive: true, UseStandardPrice: false });
      this.push('PricebookEntry', { Id: pe, Pricebook2Id: partner, Product2Id: id, UnitPrice: round2(p.listPrice * (1 - PARTNER_DISCOUNT)), IsActive: true, UseStandardPrice: false });
    }
  }

  private makePartners(): void {
    const rng = this.rng;
    const year = Number(this.asOf.slice(0, 4));
    for (let i = 0; i < this.spec.partners; i++) {
      let name: string;
      let country: Country;
      let domain: string;
      if (i < PARTNER_NAMES.length) {
        const [n, code, d] = PARTNER_NAMES[i];
        name = n;
        country = COUNTRY_BY_CODE[code];
        domain = d;
      } else {
        // distinct names for the first few hundred generated partners, numbered beyond
        const j = i - PARTNER_NAMES.length;
        const heads = ['North', 'South', 'East', 'West', 'Blue', 'Red', 'Silver', 'Green', 'Iron', 'Bright'];
        const tails = ['field', 'gate', 'bridge', 'stone', 'line', 'wave', 'point', 'peak'];
        country = COUNTRIES[j % COUNTRIES.length];
        const brand = `${heads[j % heads.length]}${tails[Math.floor(j / heads.length) % tails.length]}`;
        const word = PARTNER_WORDS[Math.floor(j / (heads.length * tails.length)) % PARTNER_WORDS.length];
        const round = Math.floor(j / (heads.length * tails.length * PARTNER_WORDS.length));
        name = `${brand} ${word}${round > 0 ? ` ${round + 1}` : ''} ${country.legalForms[0].canonical}`;
        domain = `${slug(brand)}-${slug(word, '-')}${round > 0 ? `-${round + 1}` : ''}.${country.tld}`;
      }
      const city = rng.pick(country.cities);
      const id = this.nextId('Account');
      const manager = this.channelManagers.length > 0 ? this.channelManagers[i % this.channelManagers.length] : this.users[0];
      const short = name.split(' ')[0];
      const partner: Partner = { Id: id, name, short, manager, weight: 1 / Math.sqrt(i + 1), campaignIds: [] };
      this.partners.push(partner);
      this.truth?.partnerIds.push(id);
      this.push('Account', {
        Id: id,
        Name: name,
        Type: 'Channel Partner / Reseller',
        Industry: 'Technology',
        Website: `https://www.${domain}`,
        Phone: formatPhone({ country: country.code, cc: country.phoneCc, trunk: country.trunk, area: city.area, subscriber: rng.digits(country.nationalDigits - city.area.length) }, 0),
        BillingStreet: `${rng.int(1, 99)} ${rng.pick(country.streets)}`,
        BillingCity: city.name,
        BillingState: city.state ?? null,
        BillingPostalCode: makePostal(rng, country.code, city),
        BillingCountry: country.names[0],
        NumberOfEmployees: rng.int(15, 900),
        OwnerId: manager.Id,
        Key_Account__c: false,
        Direct_Only__c: false,
        Description: `Authorised reseller since ${year - rng.int(1, 12)}.`
      });
      for (let c = 0; c < this.spec.children.partnerContacts; c++) {
        const first = rng.pick(country.firstNames);
        const last = rng.pick(country.lastNames);
        this.push('Contact', {
          Id: this.nextId('Contact'),
          AccountId: id,
          OwnerId: manager.Id,
          FirstName: first,
          LastName: last,
          Email: `${slug(first)}.${slug(last)}@${domain}`,
          Title: c === 0 ? 'Partner Account Manager' : 'Marketing Manager',
          Phone: formatPhone({ country: country.code, cc: country.phoneCc, trunk: country.trunk, area: city.area, subscriber: rng.digits(country.nationalDigits - city.area.length) }, 0)
        });
      }
    }
    this.partnerWeights = this.partners.map((p) => [p, p.weight] as const);

    for (let i = 0; i < this.spec.campaigns; i++) {
      const id = this.nextId('Campaign');
      this.generalCampaigns.push(id);
      const topic = CAMPAIGN_TOPICS[i % CAMPAIGN_TOPICS.length];
      const type = this.picklistValue('Campaign', 'Type', ['Webinar', 'Conference', 'Trade Show', 'Email', 'Advertisement'], rng);
      const start = rng.int(-300, 60);
      const end = start + rng.int(1, 60);
      this.push('Campaign', {
        Id: id,
        Name: `${topic} ${type} ${this.date(start).slice(0, 4)}${i >= CAMPAIGN_TOPICS.length ? ` #${i + 1}` : ''}`,
        Type: type,
        Status: end < 0 ? 'Completed' : start > 0 ? 'Planned' : 'In Progress',
        StartDate: this.date(start),
        EndDate: this.date(end),
        IsActive: end >= 0,
        BudgetedCost: rng.int(5, 80) * 1000,
        OwnerId: this.adminId
      });
    }
    this.makeMdf(year);
  }

  private makeMdf(year: number): void {
    const rng = this.rng;
    const { budgetField, requestField } = this.ctx;
    const activityField = (): string => this.picklistValue('MDF_Request__c', 'Activity_Type__c', MDF_ACTIVITY_TYPES, rng);
    const campaignType: Record<string, string> = { Event: 'Conference', Webinar: 'Webinar', 'Trade Show': 'Trade Show', 'Digital Advertising': 'Banner Ads', 'Email Campaign': 'Email', 'Print Advertising': 'Advertisement', Training: 'Other', Other: 'Partners' };
    const proofType = this.ctx.fieldType?.('MDF_Claim__c', 'Proof_Of_Performance__c');
    const proof = (partner: Partner, n: number): unknown =>
      proofType === 'boolean' ? true : proofType === 'url' ? `https://partners.example.com/proof/${slug(partner.short)}/${n}` : `Attendee list and invoice INV-${year}-${String(n).padStart(4, '0')}`;
    const startOfYear = Math.round((Date.parse(`${year}-01-01T00:00:00Z`) - this.asOfMs) / DAY);
    const endOfYear = Math.round((Date.parse(`${year}-12-31T00:00:00Z`) - this.asOfMs) / DAY);
    let claimNo = 0;

    for (const partner of this.partners) {
      for (let b = 0; b < this.spec.mdf.budgetsPerPartner; b++) {
        const past = b === 1;
        const pStart = past ? startOfYear - 365 : startOfYear;
        const pEnd = past ? startOfYear - 1 : endOfYear;
        const amount = rng.int(4, 40) * 5000;
        const budgetId = this.nextId('MDF_Budget__c');
        const budget: Row = {
          Id: budgetId,
          Name: `${partner.short} MDF ${past ? year - 1 : year}`,
          Partner__c: partner.Id,
          Period_Start__c: this.date(pStart),
          Period_End__c: this.date(pEnd),
          Amount__c: amount,
          Accrual_Rate__c: rng.pick([2, 3, 5]),
          Accrued_Amount__c: 0,
          // kept by `channel mdf accrue` / the MDF sync job (claims are grandchildren: no roll-up)
          Claimed_Total__c: 0,
          Paid_Total__c: 0,
          OwnerId: partner.manager.Id
        };
        this.push('MDF_Budget__c', budget);
        // the current year keeps some funds unapproved, so new requests can still be approved
        let remaining = past ? amount : Math.floor((amount * 0.8) / 100) * 100;
        const [rMin, rMax] = this.spec.mdf.requestsPerBudget;
        const requests = rng.int(rMin, rMax);
        for (let r = 0; r < requests; r++) {
          // Dates: inside the period; the current year's first request is an approved
          // activity whose claim deadline falls within the next weeks (funds at risk).
          let start: number;
          if (!past && r === 0) start = Math.max(pStart, -40);
          else start = rng.int(pStart, Math.min(pEnd - 10, past ? pEnd - 10 : 45));
          const end = Math.min(pEnd, start + rng.int(1, 30));
          const deadline = !past && r === 0 ? Math.max(end + 5, rng.int(5, 25)) : end + rng.int(30, 60);
          const requested = rng.int(4, 60) * 500;
          let status: string;
          if (past) status = r === requests - 1 ? 'Approved' : rng.weighted([['Approved', 6], ['Rejected', 1], ['Expired', 1]] as const);
          else if (r === 0) status = 'Approved';
          else if (start > 0) status = rng.weighted([['Draft', 1], ['Submitted', 2], ['Approved', 2]] as const);
          else status = rng.weighted([['Approved', 6], ['Submitted', 1], ['Rejected', 1]] as const);
          let approved: number | null = null;
          if (status === 'Approved' || status === 'Expired') {
            approved = Math.min(Math.round((requested * rng.pick([1, 1, 0.8, 0.6])) / 100) * 100, Math.floor(remaining / 100) * 100);
            if (approved < 500) {
              status = past ? 'Rejected' : 'Submitted';
              approved = null;
            } else remaining -= approved;
          }
          // the last request of last year's budget stays Approved with nothing claimed, past its
          // deadline: what `channel mdf accrue` marks Expired
          const willClaim = status === 'Approved' && start <= 0 && !(past && r === requests - 1);
          const activity = activityField();
          let campaignId: string | null = null;
          if (status !== 'Draft' && status !== 'Rejected') {
            campaignId = this.nextId('Campaign');
            const cType = this.picklistValue('Campaign', 'Type', [campaignType[activity] ?? 'Partners', 'Partners'], rng);
            this.push('Campaign', {
              Id: campaignId,
              Name: `${partner.short} ${activity}: ${rng.pick(CAMPAIGN_TOPICS)} (${this.date(start).slice(0, 7)})`,
              Type: cType,
              Status: end < 0 ? 'Completed' : start > 0 ? 'Planned' : 'In Progress',
              StartDate: this.date(start),
              EndDate: this.date(end),
              IsActive: end >= 0,
              BudgetedCost: approved ?? requested,
              OwnerId: partner.manager.Id
            });
            if (status === 'Approved') partner.campaignIds.push(campaignId);
          }
          const requestId = this.nextId('MDF_Request__c');
          this.push('MDF_Request__c', {
            Id: requestId,
            [budgetField]: budgetId,
            Description__c: `${activity} run by ${partner.name}`,
            Status__c: status,
            Activity_Type__c: activity,
            Campaign__c: campaignId,
            Amount_Requested__c: requested,
            Amount_Approved__c: approved,
            Start_Date__c: this.date(start),
            End_Date__c: this.date(end),
            Claim_Deadline__c: this.date(deadline)
          });
          if (!willClaim || approved === null) continue;
          // Claims: never more than approved in total, never after the deadline, never in the future.
          const claims = rng.int(r === 0 && !past ? 1 : 0, this.spec.mdf.maxClaimsPerRequest);
          let claimedShare = 0;
          for (let c = 0; c < claims; c++) {
            const share = rng.int(10, Math.floor(100 / Math.max(1, claims))) / 100;
            if (claimedShare + share > 1) break;
            claimedShare += share;
            const claimAmount = Math.max(50, Math.floor((approved * share) / 50) * 50);
            const hi = Math.min(deadline, 0);
            const lo = Math.min(end, hi);
            const claimDay = rng.int(Math.max(start, lo), hi);
            claimNo++;
            const claimStatus = past ? rng.weighted([['Paid', 8], ['Rejected', 1]] as const) : rng.weighted([['Paid', 4], ['Approved', 3], ['Submitted', 2], ['Rejected', 1]] as const);
            this.push('MDF_Claim__c', {
              Id: this.nextId('MDF_Claim__c'),
              [requestField]: requestId,
              Amount__c: claimAmount,
              Status__c: claimStatus,
              Proof_Of_Performance__c: proof(partner, claimNo),
              Claim_Date__c: this.date(claimDay),
              Paid_Date__c: claimStatus === 'Paid' ? this.date(Math.min(0, claimDay + rng.int(5, 30))) : null
            });
            if (claimStatus === 'Approved' || claimStatus === 'Paid') budget.Claimed_Total__c = (budget.Claimed_Total__c as number) + claimAmount;
            if (claimStatus === 'Paid') budget.Paid_Total__c = (budget.Paid_Total__c as number) + claimAmount;
          }
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------
  // Customers

  private *customers(): Generator<Batch> {
    const spec = this.spec;
    const predefined = spec.customers.predefined ? DEMO_COMPANIES : [];
    const avgSize = 1 + spec.customers.duplicateRate * Math.min(1.5, spec.customers.maxDuplicates - 1);
    const clusters = Math.max(0, spec.accounts - predefined.reduce((n, p) => n + p.names.length, 0)) / avgSize;
    this.estimatedEligible = Math.max(1, Math.floor(clusters * (1 - 2 * spec.customers.nearMissRate) * 0.9));
    const stream = generateCustomers({
      seed: spec.seed,
      accounts: spec.accounts,
      duplicateRate: spec.customers.duplicateRate,
      maxDuplicates: spec.customers.maxDuplicates,
      nearMissRate: spec.customers.nearMissRate,
      predefined,
      firstAccountSeq: (this.seq.get('Account') ?? 0) + 1,
      accountKeyPrefix: this.ctx.keyPrefix('Account'),
      idInstance: ID_INSTANCE
    });
    for (const cluster of stream) {
      this.customer(cluster);
      this.bufferedAccounts += cluster.accounts.length;
      if (this.bufferedAccounts >= spec.chunkSize) yield* this.flush(CHILD_ORDER);
    }
    yield* this.flush(CHILD_ORDER);
  }

  private choosePlant(cluster: CustomerCluster): PlantKind | undefined {
    const c = cluster.company;
    if (c.key) return DEMO_COMPANIES.find((d) => d.key === c.key)?.plant;
    if (c.hasNearMiss) return 'baitPartner';
    if (c.nearMissOf !== undefined) return this.lastPlant === 'baitPartner' ? 'baitDirect' : undefined;
    const rng = this.plantRng;
    this.eligibleSeen++;
    // rates: one chance each
    for (const [kind, v] of this.plantRates) {
      if (rng.chance(v)) return kind;
    }
    // exact counts: selection sampling over the estimated number of eligible companies
    if (this.plantCounts.length === 0) return undefined;
    const remaining = this.plantCounts.map(([k, v]) => [k, v - (this.planted.get(k) ?? 0)] as const).filter(([, left]) => left > 0);
    const total = remaining.reduce((n, [, left]) => n + left, 0);
    if (total === 0) return undefined;
    const p = total / Math.max(1, this.estimatedEligible - this.eligibleSeen + 1);
    if (!rng.chance(p)) return undefined;
    return rng.weighted(remaining);
  }

  private pickPartner(rng: Rng, not?: Partner): Partner | undefined {
    if (this.partners.length === 0) return undefined;
    if (!not || this.partners.length === 1) return rng.weighted(this.partnerWeights);
    for (let i = 0; i < 8; i++) {
      const p = rng.weighted(this.partnerWeights);
      if (p !== not) return p;
    }
    return this.partners.find((p) => p !== not);
  }

  private customer(cluster: CustomerCluster): void {
    const rng = this.childRng;
    const spec = this.spec;
    const company = cluster.company;
    const records = cluster.accounts.map((a) => a.row);
    const last = records.length - 1;
    let plant = this.choosePlant(cluster);
    const needsTwoPartners = plant === 'duplicateRegistration' || plant === 'outsideWindow';
    if (plant && (this.partners.length === 0 || (needsTwoPartners && this.partners.length < 2))) plant = undefined;
    this.lastPlant = plant;
    if (plant) this.planted.set(plant, (this.planted.get(plant) ?? 0) + 1);

    // How this customer buys: direct, or through one partner (background is conflict-free).
    const partnerMode = !plant && this.partners.length > 0 && rng.chance(spec.customers.partnerShare);
    const partner = partnerMode ? this.pickPartner(rng) : undefined;
    const directOnly = plant === 'protectedAccount' || (!plant && !partnerMode && rng.chance(spec.customers.directOnlyRate));

    // Owners: a key account's canonical record belongs to its KAM; the rest to reps.
    const keyOwner = rng.chance(spec.customers.keyAccountRate) ? this.nextKeyAccountOwner() : undefined;
    const owners: SeedUser[] = records.map((_, i) => {
      if (i === 0 && keyOwner) return keyOwner;
      if (this.inactiveOwners.length > 0 && rng.chance(spec.customers.inactiveOwnerRate)) return rng.pick(this.inactiveOwners);
      return this.activeReps.length > 0 ? rng.pick(this.activeReps) : this.users[0];
    });
    records.forEach((row, i) => {
      row.OwnerId = owners[i].Id;
      row.Type = partnerMode ? 'Customer - Channel' : rng.chance(0.1) ? 'Prospect' : 'Customer - Direct';
      row.Key_Account__c = i === 0 && keyOwner !== undefined;
      row.Key_Account_Tier__c = i === 0 && keyOwner ? rng.weighted([['Strategic', 2], ['Key', 4], ['Growth', 4]] as const) : null;
      row.Direct_Only__c = directOnly && i === 0;
      row.AccountSource = partnerMode ? 'Partner Referral' : rng.pick(['Web', 'Phone Inquiry', 'Other', 'Purchased List']);
      row.Rating = rng.pick(['Hot', 'Warm', 'Cold']);
      this.push('Account', row);
    });

    // Contacts
    const contactsOf: string[][] = records.map((row, i) => {
      const ids: string[] = [];
      const n = rng.poisson(spec.children.contactsPerAccount);
      for (let c = 0; c < n; c++) {
        const id = this.nextId('Contact');
        ids.push(id);
        const first = rng.pick(company.country.firstNames);
        const lastName = rng.pick(company.country.lastNames);
        this.push('Contact', {
          Id: id,
          AccountId: row.Id,
          OwnerId: rng.chance(0.9) ? owners[i].Id : this.anyRep(rng).Id,
          FirstName: first,
          LastName: lastName,
          Email: `${slug(first)}.${slug(lastName, '')}@${company.domain ?? 'example.com'}`,
          Title: rng.pick(CONTACT_TITLES),
          Phone: formatPhone({ ...company.phone, subscriber: company.phone.subscriber.slice(0, -2) + rng.digits(2, true) }, rng.int(0, 2)),
          MailingCity: company.city.name,
          MailingCountry: company.country.names[0]
        });
      }
      return ids;
    });

    // Opportunities
    const plans: OppPlan[] = plant ? this.plantPlans(plant, rng, last) : this.backgroundPlans(rng, records.length, partner);
    const opps: OracleOpportunity[] = [];
    const oppIdsByRecord: string[][] = records.map(() => []);
    for (const plan of plans) {
      const o = this.opportunity(rng, company, records[plan.record], owners[plan.record], plan, keyOwner !== undefined && plan.record === 0);
      opps.push(o);
      if (!o.IsClosed) oppIdsByRecord[plan.record].push(o.Id);
    }

    // Cases, tasks, events, teams
    records.forEach((row, i) => this.activities(rng, row.Id as string, owners[i], contactsOf[i], oppIdsByRecord[i]));
    records.forEach((row, i) => this.accountTeam(rng, row.Id as string, owners[i], i === 0 && keyOwner !== undefined, partner));

    if (this.truth) {
      this.truth.customers.push({
        clusterId: company.clusterId,
        name: company.name,
        country: company.country.code,
        domain: company.domain,
        accountIds: records.map((r) => r.Id as string),
        variations: cluster.accounts.map((a) => a.variations),
        key: company.key,
        nearMissOf: company.nearMissOf,
        nearMissKind: company.nearMissKind
      });
      if (company.nearMissOf !== undefined) this.truth.nearMisses.push({ clusterId: company.clusterId, of: company.nearMissOf, kind: company.nearMissKind ?? 'descriptor' });
      const found = expectedConflicts(
        company.clusterId,
        records.map((r) => ({ Id: r.Id as string, Direct_Only__c: Boolean(r.Direct_Only__c) })),
        opps,
        spec.rules,
        this.asOf
      );
      this.truth.conflicts.push(...found);
      if (plant) {
        this.truth.plants.push({ kind: plant, clusterId: company.clusterId, opportunityIds: opps.map((o) => o.Id), conflict: (POSITIVE_PLANTS as readonly string[]).includes(plant) });
      }
    }
  }

  private anyRep(rng: Rng): SeedUser {
    return this.activeReps.length > 0 ? rng.pick(this.activeReps) : this.users[0];
  }

  private backgroundPlans(rng: Rng, records: number, partner: Partner | undefined): OppPlan[] {
    const plans: OppPlan[] = [];
    const ch = this.spec.children;
    // the canonical record carries most of the business; the mean per account stays as asked
    const size = 1 + this.spec.customers.duplicateRate * Math.min(1.5, this.spec.customers.maxDuplicates - 1);
    const first = 0.4 * size + 0.6;
    for (let r = 0; r < records; r++) {
      const n = rng.poisson(ch.opportunitiesPerAccount * (r === 0 ? first : 0.6));
      for (let i = 0; i < n; i++) {
        const closed = rng.chance(ch.closedOpportunityRate) ? (rng.chance(0.55) ? 'Won' : 'Lost') : undefined;
        const plan: OppPlan = { record: r, closed };
        if (closed) plan.closeIn = -rng.int(1, 330);
        if (partner) {
          plan.partner = partner;
          if (closed) {
            plan.status = 'Approved';
            plan.regDate = (plan.closeIn as number) - rng.int(30, 120);
            plan.expires = plan.regDate + 90;
          } else {
            plan.status = rng.weighted([['Draft', 10], ['Submitted', 25], ['Approved', 50], ['Rejected', 5], ['Expired', 10]] as const);
            if (plan.status === 'Submitted') plan.regDate = -rng.int(1, 45);
            if (plan.status === 'Approved') {
              plan.regDate = -rng.int(1, 75);
              plan.expires = plan.regDate + 90;
            }
            if (plan.status === 'Rejected') plan.regDate = -rng.int(5, 60);
            if (plan.status === 'Expired') {
              plan.regDate = -rng.int(100, 220);
              plan.expires = plan.regDate + 90;
            }
          }
        }
        plans.push(plan);
      }
    }
    return plans;
  }

  /** Opportunities of a planted situation; `last` is the index of the cluster's last record. */
  private plantPlans(kind: PlantKind, rng: Rng, last: number): OppPlan[] {
    const P1 = this.pickPartner(rng) as Partner;
    const nProducts = PRODUCTS.length;
    const [x, y, z] = rng.sample(Array.from({ length: nProducts }, (_, i) => i), 3);
    const list = (p: number): number => PRODUCTS[p].listPrice;
    const partnerPrice = (p: number): number => round2(list(p) * (1 - PARTNER_DISCOUNT));
    const approvedReg = (): Pick<OppPlan, 'status' | 'regDate' | 'expires'> => {
      const regDate = -rng.int(10, 60);
      return { status: 'Approved', regDate, expires: regDate + 90 };
    };
    switch (kind) {
      case 'duplicateRegistration': {
        const P2 = this.pickPartner(rng, P1) as Partner;
        const d1 = rng.int(20, 70);
        const gap = rng.int(3, 40);
        return [
          { record: 0, partner: P1, status: 'Approved', regDate: -d1, expires: -d1 + 90, items: [{ product: x, price: partnerPrice(x) }] },
          { record: last, partner: P2, status: 'Submitted', regDate: -(d1 - gap), items: [{ product: y, price: partnerPrice(y) }] }
        ];
      }
      case 'directVsPartner':
        return [
          { record: 0, partner: P1, ...approvedReg(), items: [{ product: x, price: partnerPrice(x) }] },
          { record: last, items: [{ product: y, price: list(y) }] }
        ];
      case 'protectedAccount':
        return [{ record: last, partner: P1, status: 'Submitted', regDate: -rng.int(3, 30), items: [{ product: x, price: partnerPrice(x) }] }];
      case 'price': {
        const cut = rng.int(15, 35) / 100;
        const rejected = rng.chance(0.5);
        return [
          { record: 0, items: [{ product: x, price: list(x) }, { product: y, price: list(y) }] },
          { record: last, partner: P1, status: rejected ? 'Rejected' : 'Draft', regDate: rejected ? -rng.int(5, 40) : undefined, items: [{ product: x, price: round2(list(x) * (1 - cut)) }, { product: z, price: partnerPrice(z) }] }
        ];
      }
      case 'rejectedRegistration':
        return [
          { record: 0, partner: P1, status: 'Rejected', regDate: -rng.int(5, 40), items: [{ product: x, price: list(x) }] },
          { record: last, items: [{ product: x, price: list(x) }] }
        ];
      case 'expiredRegistration': {
        const regDate = -rng.int(100, 200);
        return [
          { record: 0, partner: P1, status: rng.chance(0.5) ? 'Approved' : 'Expired', regDate, expires: regDate + 90, items: [{ product: x, price: partnerPrice(x) }] },
          { record: last, items: [{ product: y, price: list(y) }] }
        ];
      }
      case 'samePartner': {
        const d = rng.int(10, 40);
        return [
          { record: 0, partner: P1, ...approvedReg(), items: [{ product: x, price: partnerPrice(x) }] },
          { record: last, partner: P1, status: 'Submitted', regDate: -d, items: [{ product: x, price: round2(partnerPrice(x) * 0.7) }] }
        ];
      }
      case 'outsideWindow': {
        const P2 = this.pickPartner(rng, P1) as Partner;
        return [
          { record: 0, partner: P1, status: 'Submitted', regDate: -rng.int(130, 200), items: [{ product: x, price: partnerPrice(x) }] },
          { record: last, partner: P2, status: 'Submitted', regDate: -rng.int(5, 25), items: [{ product: y, price: partnerPrice(y) }] }
        ];
      }
      case 'priceWithinThreshold':
        return [
          { record: 0, items: [{ product: x, price: list(x) }] },
          { record: last, partner: P1, status: 'Draft', items: [{ product: x, price: round2(list(x) * (1 - rng.int(2, 7) / 100)) }] }
        ];
      case 'closedDeal':
        return [
          { record: 0, partner: P1, ...approvedReg(), items: [{ product: x, price: partnerPrice(x) }] },
          { record: last, closed: rng.chance(0.5) ? 'Won' : 'Lost', closeIn: -rng.int(5, 40), items: [{ product: x, price: list(x) }] }
        ];
      case 'baitPartner':
        return [{ record: 0, partner: P1, ...approvedReg(), items: [{ product: 0, price: partnerPrice(0) }] }];
      case 'baitDirect':
        return [{ record: 0, items: [{ product: 0, price: list(0) }] }];
    }
  }

  private opportunity(rng: Rng, company: Company, account: Row, accountOwner: SeedUser, plan: OppPlan, keyAccount: boolean): OracleOpportunity {
    const id = this.nextId('Opportunity');
    const closed = plan.closed;
    const stage = closed ? `Closed ${closed}` : rng.weighted(OPEN_STAGES);
    const closeIn = plan.closeIn ?? (closed ? -rng.int(1, 330) : rng.int(7, 180));
    const partner = plan.partner;
    const pricebook = partner ? this.pricebook.partner : this.pricebook.standard;
    const entries = partner ? this.entryIds.partner : this.entryIds.standard;
    let items = plan.items;
    if (!items) {
      const count = rng.int(1, Math.max(1, this.spec.children.maxLineItemsPerOpportunity));
      items = rng.distinct(PRODUCTS.length, this.spec.children.maxLineItemsPerOpportunity === 0 ? 0 : count).map((p) => {
        const base = partner ? PRODUCTS[p].listPrice * (1 - PARTNER_DISCOUNT) : PRODUCTS[p].listPrice;
        return { product: p, price: round2(base * (1 - rng.pick(partner ? [0, 0, 0.05] : [0, 0, 0.05, 0.1]))) };
      });
    }
    let amount = 0;
    const lineItems = items.map((it) => {
      const product = PRODUCTS[it.product];
      const quantity = product.perUnit ? rng.int(2, 40) * 10 : rng.int(1, 4);
      amount += quantity * it.price;
      this.push('OpportunityLineItem', {
        Id: this.nextId('OpportunityLineItem'),
        OpportunityId: id,
        Product2Id: this.productIds[it.product],
        PricebookEntryId: entries[it.product],
        Quantity: quantity,
        UnitPrice: it.price,
        ListPrice: partner ? round2(product.listPrice * (1 - PARTNER_DISCOUNT)) : product.listPrice,
        TotalPrice: round2(quantity * it.price)
      });
      return { Product2Id: this.productIds[it.product], UnitPrice: it.price };
    });
    const owner = rng.chance(keyAccount ? 0.5 : 0.8) ? accountOwner : this.anyRep(rng);
    let campaignId: string | null = null;
    if (partner && closed === 'Won' && partner.campaignIds.length > 0 && rng.chance(0.6)) campaignId = rng.pick(partner.campaignIds);
    else if (!partner && this.generalCampaigns.length > 0 && rng.chance(0.15)) campaignId = rng.pick(this.generalCampaigns);
    const first = items.length > 0 ? PRODUCTS[items[0].product] : undefined;
    const short = company.descriptor ? `${company.brand} ${company.descriptor}` : company.brand;
    const row: Row = {
      Id: id,
      Name: `${short} - ${first ? first.family : 'Services'} ${rng.pick(['expansion', 'renewal', 'new deal', 'upgrade', 'pilot', 'rollout'])}`,
      AccountId: account.Id,
      OwnerId: owner.Id,
      StageName: stage,
      Probability: STAGE_PROBABILITY[stage],
      ForecastCategoryName: FORECAST[stage],
      CloseDate: this.date(closeIn),
      Amount: round2(amount),
      Type: rng.chance(0.4) ? 'New Customer' : 'Existing Customer - Upgrade',
      LeadSource: partner ? 'Partner Referral' : rng.pick(['Web', 'Phone Inquiry', 'Other']),
      IsClosed: Boolean(closed),
      IsWon: closed === 'Won',
      CampaignId: campaignId,
      Pricebook2Id: pricebook,
      HasOpportunityLineItem: lineItems.length > 0,
      Channel__c: partner ? 'Partner' : 'Direct',
      Registered_Partner__c: partner?.Id ?? null,
      Registration_Status__c: partner ? (plan.status ?? null) : null,
      Registration_Date__c: partner && plan.regDate !== undefined ? this.date(plan.regDate) : null,
      Registration_Expires__c: partner && plan.expires !== undefined ? this.date(plan.expires) : null
    };
    if (!closed) row.NextStep = rng.pick(['Send proposal', 'Technical workshop', 'Pricing call', 'Legal review', 'Demo for IT']);
    this.push('Opportunity', row);
    if (!closed && this.teamPool.length > 1 && rng.chance(this.spec.children.opportunityTeamRate)) {
      const members = rng.sample(this.teamPool.filter((u) => u.Id !== owner.Id), rng.int(1, 2));
      for (const m of members) {
        this.push('OpportunityTeamMember', {
          Id: this.nextId('OpportunityTeamMember'),
          OpportunityId: id,
          UserId: m.Id,
          TeamMemberRole: m.role === 'salesEngineer' ? 'Pre-Sales Consultant' : m.role === 'kam' ? 'Executive Sponsor' : m.role === 'channelManager' ? 'Channel Manager' : 'Sales Rep',
          OpportunityAccessLevel: rng.pick(['Read', 'Edit'])
        });
      }
    }
    return {
      Id: id,
      AccountId: account.Id as string,
      IsClosed: Boolean(closed),
      Channel__c: row.Channel__c as string,
      Registered_Partner__c: (row.Registered_Partner__c as string | null) ?? null,
      Registration_Status__c: (row.Registration_Status__c as string | null) ?? null,
      Registration_Date__c: (row.Registration_Date__c as string | null) ?? null,
      Registration_Expires__c: (row.Registration_Expires__c as string | null) ?? null,
      lineItems
    };
  }

  private activities(rng: Rng, accountId: string, owner: SeedUser, contacts: string[], openOpps: string[]): void {
    const ch = this.spec.children;
    const otherOwner = (): SeedUser => (rng.chance(0.7) ? owner : rng.chance(0.5) && this.salesEngineers.length > 0 ? rng.pick(this.salesEngineers) : this.anyRep(rng));
    const cases = rng.poisson(ch.casesPerAccount);
    for (let i = 0; i < cases; i++) {
      const closed = rng.chance(ch.closedCaseRate);
      const opened = -rng.int(closed ? 10 : 0, 400);
      this.push('Case', {
        Id: this.nextId('Case'),
        AccountId: accountId,
        ContactId: contacts.length > 0 ? rng.pick(contacts) : null,
        OwnerId: (rng.chance(0.6) ? owner : otherOwner()).Id,
        Subject: rng.pick(CASE_SUBJECTS),
        Status: closed ? 'Closed' : rng.weighted([['New', 3], ['Working', 4], ['Escalated', 1]] as const),
        Priority: rng.weighted([['High', 1], ['Medium', 3], ['Low', 2]] as const),
        Origin: rng.pick(['Phone', 'Email', 'Web']),
        Type: rng.pick(['Electronic', 'Electrical', 'Other', 'Mechanical']),
        Reason: rng.pick(['Installation', 'Performance', 'Breakdown', 'Feedback', 'Other']),
        IsClosed: closed,
        IsEscalated: false,
        ClosedDate: closed ? this.dateTime(Math.min(-1, opened + rng.int(1, 30)), rng.int(8, 17)) : null
      });
    }
    const tasks = rng.poisson(ch.tasksPerAccount);
    for (let i = 0; i < tasks; i++) {
      const closed = rng.chance(ch.closedActivityRate);
      const onOpp = openOpps.length > 0 && rng.chance(0.5);
      const type = rng.pick(['Call', 'Email', 'Meeting', 'Other']);
      this.push('Task', {
        Id: this.nextId('Task'),
        WhatId: onOpp ? rng.pick(openOpps) : accountId,
        WhoId: contacts.length > 0 && rng.chance(0.6) ? rng.pick(contacts) : null,
        AccountId: accountId,
        OwnerId: otherOwner().Id,
        Subject: rng.pick(TASK_SUBJECTS),
        ActivityDate: this.date(closed ? -rng.int(1, 200) : rng.int(-10, 30)),
        Status: closed ? 'Completed' : rng.weighted([['Not Started', 3], ['In Progress', 2], ['Waiting on someone else', 1]] as const),
        Priority: rng.weighted([['High', 1], ['Normal', 4], ['Low', 1]] as const),
        IsClosed: closed,
        Type: type,
        TaskSubtype: type === 'Email' ? 'Email' : type === 'Call' ? 'Call' : 'Task'
      });
    }
    const events = rng.poisson(ch.eventsPerAccount);
    for (let i = 0; i < events; i++) {
      const past = rng.chance(ch.closedActivityRate);
      const day = past ? -rng.int(1, 180) : rng.int(1, 45);
      const hour = rng.int(8, 16);
      const minutes = rng.pick([30, 60, 90]);
      const start = this.dateTime(day, hour);
      const onOpp = openOpps.length > 0 && rng.chance(0.5);
      this.push('Event', {
        Id: this.nextId('Event'),
        WhatId: onOpp ? rng.pick(openOpps) : accountId,
        WhoId: contacts.length > 0 && rng.chance(0.6) ? rng.pick(contacts) : null,
        AccountId: accountId,
        OwnerId: otherOwner().Id,
        Subject: rng.pick(EVENT_SUBJECTS),
        Location: rng.chance(0.5) ? 'Customer site' : 'Video call',
        StartDateTime: start,
        EndDateTime: this.dateTime(day, hour, minutes),
        ActivityDateTime: start,
        ActivityDate: this.date(day),
        DurationInMinutes: minutes,
        IsAllDayEvent: false,
        IsClosed: past,
        Type: 'Meeting'
      });
    }
  }

  private accountTeam(rng: Rng, accountId: string, owner: SeedUser, key: boolean, partner: Partner | undefined): void {
    const ch = this.spec.children;
    const size = key ? rng.int(2, 3) : rng.chance(ch.accountTeamRate) ? 1 : 0;
    if (size === 0 || this.teamPool.length < 2) return;
    const members: SeedUser[] = [];
    if (partner && partner.manager.Id !== owner.Id && partner.manager.active) members.push(partner.manager);
    const candidates = this.teamPool.filter((u) => u.Id !== owner.Id && !members.includes(u));
    members.push(...rng.sample(candidates, size - members.length));
    for (const m of members) {
      this.push('AccountTeamMember', {
        Id: this.nextId('AccountTeamMember'),
        AccountId: accountId,
        UserId: m.Id,
        TeamMemberRole:
          m.role === 'salesEngineer' ? 'Technical Sales' : m.role === 'channelManager' ? 'Channel Manager' : m.role === 'kam' ? 'Executive Sponsor' : 'Sales Rep',
        AccountAccessLevel: 'Edit',
        OpportunityAccessLevel: rng.pick(['Read', 'Edit']),
        CaseAccessLevel: 'Read',
        ContactAccessLevel: rng.pick(['Read', 'Edit'])
      });
    }
  }
}

/** Fallback key prefixes for the custom objects when no org schema is at hand. */
export const FALLBACK_CUSTOM_PREFIXES: Readonly<Record<string, string>> = {
  MDF_Budget__c: 'a01',
  MDF_Request__c: 'a02',
  MDF_Claim__c: 'a03',
  Channel_Conflict__c: 'a04',
  Channel_Sync_Run__c: 'a05'
};

/** A context for generating without an org (tests of the generator, CSV export). */
export function standaloneContext(): GeneratorContext {
  return {
    keyPrefix: (sobject) => {
      const p = STANDARD_KEY_PREFIXES[sobject] ?? FALLBACK_CUSTOM_PREFIXES[sobject];
      if (!p) throw new Error(`No key prefix known for ${sobject}`);
      return p;
    },
    budgetField: 'Budget__c',
    requestField: 'Request__c'
  };
}
