/**
 * Seed scenarios: `demo`, `scale:N`, or a JSON file / JSON text that extends one of them.
 * A scenario is validated with zod, so a typo in a scenario file fails with the key named.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const Rate = z.number().min(0).max(1);
const Mean = z.number().min(0).max(50);
const Count = z.number().int().min(0);
/** A number ≥ 1 is an exact count; a number below 1 is a rate per eligible customer company. */
const CountOrRate = z.number().min(0).refine((n) => n < 1 || Number.isInteger(n), 'is a count (whole number ≥ 1) or a rate (below 1)');
const Range = z.tuple([z.number().int().min(0), z.number().int().min(0)]).refine(([a, b]) => a <= b, 'is [min, max] with min ≤ max');

export const ScenarioSpec = z
  .object({
    name: z.string().min(1),
    seed: z.number().int(),
    /** the date every generated date is relative to (YYYY-MM-DD); default: today (UTC) */
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a date (YYYY-MM-DD)').optional(),
    /** customer account records (duplicates of one company included) */
    accounts: Count,
    partners: Count,
    users: z
      .object({
        /** generated users besides the named demo users */
        reps: Count,
        kams: Count,
        channelManagers: Count,
        salesEngineers: Count,
        inactive: Count,
        /** capacity of generated key account managers */
        kamCapacity: Range
      })
      .strict(),
    customers: z
      .object({
        duplicateRate: Rate,
        maxDuplicates: z.number().int().min(1).max(4),
        nearMissRate: Rate,
        keyAccountRate: Rate,
        directOnlyRate: Rate,
        /** share of customers that buy through a partner */
        partnerShare: Rate,
        inactiveOwnerRate: Rate,
        /** hand-written companies first (the issue's ACME, Müller, Compañía Ibérica examples) */
        predefined: z.boolean()
      })
      .strict(),
    children: z
      .object({
        contactsPerAccount: Mean,
        opportunitiesPerAccount: Mean,
        closedOpportunityRate: Rate,
        maxLineItemsPerOpportunity: z.number().int().min(0).max(10),
        casesPerAccount: Mean,
        closedCaseRate: Rate,
        tasksPerAccount: Mean,
        eventsPerAccount: Mean,
        closedActivityRate: Rate,
        accountTeamRate: Rate,
        opportunityTeamRate: Rate,
        partnerContacts: z.number().int().min(0).max(20)
      })
      .strict(),
    conflicts: z
      .object({
        duplicateRegistration: CountOrRate,
        directVsPartner: CountOrRate,
        protectedAccount: CountOrRate,
        price: CountOrRate
      })
      .strict(),
    /** look-alike situations that must NOT be conflicts */
    negatives: z
      .object({
        rejectedRegistration: CountOrRate,
        expiredRegistration: CountOrRate,
        samePartner: CountOrRate,
        outsideWindow: CountOrRate,
        priceWithinThreshold: CountOrRate,
        closedDeal: CountOrRate
      })
      .strict(),
    mdf: z
      .object({
        /** 1 = the current year's budget; 2 = also last year's */
        budgetsPerPartner: z.number().int().min(0).max(2),
        requestsPerBudget: Range,
        maxClaimsPerRequest: z.number().int().min(0).max(5)
      })
      .strict(),
    /** marketing campaigns besides the ones MDF requests fund */
    campaigns: Count,
    /** the rules of engagement the labelled conflicts are computed with */
    rules: z
      .object({
        registrationProtectionDays: z.number().int().min(1),
        priceVariancePct: z.number().min(0),
        protectDirectOnlyAccounts: z.boolean()
      })
      .strict(),
    /** collect the labelled truth (clusters, conflicts); default: on up to 50,000 accounts */
    truth: z.boolean().optional(),
    /** accounts per load batch (memory vs call overhead) */
    chunkSize: z.number().int().min(100).max(1_000_000)
  })
  .strict();

export type ScenarioSpec = z.infer<typeof ScenarioSpec>;

/** A newcomer's demo org: small, realistic, every situation the tools handle present. */
export const DEMO_SCENARIO: ScenarioSpec = {
  name: 'demo',
  seed: 20261125,
  accounts: 200,
  partners: 10,
  users: { reps: 0, kams: 0, channelManagers: 0, salesEngineers: 0, inactive: 0, kamCapacity: [3, 6] },
  customers: {
    duplicateRate: 0.22,
    maxDuplicates: 3,
    nearMissRate: 0.05,
    keyAccountRate: 0.12,
    directOnlyRate: 0.06,
    partnerShare: 0.4,
    inactiveOwnerRate: 0.03,
    predefined: true
  },
  children: {
    contactsPerAccount: 2.2,
    opportunitiesPerAccount: 1.3,
    closedOpportunityRate: 0.35,
    maxLineItemsPerOpportunity: 3,
    casesPerAccount: 0.8,
    closedCaseRate: 0.5,
    tasksPerAccount: 1.2,
    eventsPerAccount: 0.5,
    closedActivityRate: 0.5,
    accountTeamRate: 0.3,
    opportunityTeamRate: 0.2,
    partnerContacts: 2
  },
  conflicts: { duplicateRegistration: 4, directVsPartner: 4, protectedAccount: 3, price: 4 },
  negatives: { rejectedRegistration: 2, expiredRegistration: 2, samePartner: 2, outsideWindow: 2, priceWithinThreshold: 2, closedDeal: 2 },
  mdf: { budgetsPerPartner: 2, requestsPerBudget: [2, 5], maxClaimsPerRequest: 3 },
  campaigns: 5,
  rules: { registrationProtectionDays: 90, priceVariancePct: 10, protectDirectOnlyAccounts: true },
  chunkSize: 5000
};

/**
 * `scale:N`: N Account records in all (partners included) with about one contact, 0.5
 * opportunities and 0.3 cases per account; users and partners grow with N.
 */
export function scaleScenario(totalAccounts: number): ScenarioSpec {
  const partners = totalAccounts >= 10 ? Math.max(5, Math.min(500, Math.round(totalAccounts / 2000))) : Math.floor(totalAccounts / 2);
  const accounts = Math.max(0, totalAccounts - partners);
  const keyAccountRate = 0.005;
  const kamCapacity: [number, number] = [3, 10];
  const keyAccounts = accounts * keyAccountRate;
  return {
    name: `scale:${totalAccounts}`,
    seed: 1000003,
    accounts,
    partners,
    users: {
      reps: Math.max(4, Math.min(2000, Math.ceil(accounts / 2500))),
      kams: Math.max(2, Math.ceil(keyAccounts / 5)),
      channelManagers: Math.max(1, Math.ceil(partners / 25)),
      salesEngineers: Math.max(1, Math.ceil(accounts / 20000)),
      inactive: Math.max(1, Math.ceil(accounts / 50000)),
      kamCapacity
    },
    customers: {
      duplicateRate: 0.12,
      maxDuplicates: 3,
      nearMissRate: 0.02,
      keyAccountRate,
      directOnlyRate: 0.03,
      partnerShare: 0.3,
      inactiveOwnerRate: 0.01,
      predefined: false
    },
    children: {
      contactsPerAccount: 1,
      opportunitiesPerAccount: 0.5,
      closedOpportunityRate: 0.4,
      maxLineItemsPerOpportunity: 2,
      casesPerAccount: 0.3,
      closedCaseRate: 0.6,
      tasksPerAccount: 0.3,
      eventsPerAccount: 0.1,
      closedActivityRate: 0.6,
      accountTeamRate: 0.05,
      opportunityTeamRate: 0.05,
      partnerContacts: 2
    },
    conflicts: { duplicateRegistration: 0.004, directVsPartner: 0.004, protectedAccount: 0.002, price: 0.004 },
    negatives: { rejectedRegistration: 0.002, expiredRegistration: 0.002, samePartner: 0.002, outsideWindow: 0.002, priceWithinThreshold: 0.002, closedDeal: 0.002 },
    mdf: { budgetsPerPartner: 1, requestsPerBudget: [1, 4], maxClaimsPerRequest: 2 },
    campaigns: 20,
    rules: { registrationProtectionDays: 90, priceVariancePct: 10, protectDirectOnlyAccounts: true },
    chunkSize: 10000
  };
}

/** A scenario file: `{"extends": "demo" | "scale:N", ...any ScenarioSpec keys to override}`. */
const ScenarioFile = z.object({ extends: z.string().optional() }).passthrough();

type Json = Record<string, unknown>;

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isPlainObject(v) && isPlainObject(base[k]) ? deepMerge(base[k] as Json, v) : v;
  return out;
}

export class ScenarioError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

function preset(name: string): ScenarioSpec | undefined {
  if (name === 'demo') return structuredClone(DEMO_SCENARIO);
  const m = /^scale:(\d+)$/.exec(name);
  if (m) {
    const n = Number(m[1]);
    if (!Number.isSafeInteger(n) || n < 0 || n > 50_000_000) throw new ScenarioError(`scale:${m[1]} is out of range (0 to 50,000,000 accounts)`);
    return scaleScenario(n);
  }
  return undefined;
}

function validate(raw: unknown, source: string): ScenarioSpec {
  const parsed = ScenarioSpec.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(scenario)'}: ${i.message}`).join('; ');
  throw new ScenarioError(`Invalid seed scenario ${source}: ${problems}`);
}

/**
 * The scenario for `--seed`: `demo`, `scale:N`, a path to a JSON file, or JSON text
 * (`{"extends":"demo","accounts":500}`), or an object of the same shape.
 */
export function resolveScenario(input: string | Partial<ScenarioSpec> & { extends?: string }): ScenarioSpec {
  let raw: unknown;
  let source: string;
  if (typeof input === 'string') {
    const text = input.trim();
    const p = preset(text);
    if (p) return p;
    source = text.startsWith('{') ? '(inline JSON)' : text;
    try {
      raw = JSON.parse(text.startsWith('{') ? text : readFileSync(text, 'utf8'));
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new ScenarioError(`Seed scenario "${text}" is not demo, scale:N, a readable JSON file or JSON text: ${reason}`);
    }
  } else {
    raw = input;
    source = '(object)';
  }
  const file = ScenarioFile.safeParse(raw);
  if (!file.success) throw new ScenarioError(`Invalid seed scenario ${source}: expected a JSON object`);
  const { extends: base, ...overrides } = file.data;
  let baseSpec: ScenarioSpec | undefined;
  if (base !== undefined) {
    baseSpec = preset(base);
    if (!baseSpec) throw new ScenarioError(`Invalid seed scenario ${source}: extends: "${base}" is not demo or scale:N`);
  }
  const merged = baseSpec ? deepMerge(baseSpec as unknown as Json, overrides) : { ...overrides };
  if (baseSpec && overrides.name === undefined) merged.name = `${baseSpec.name}+custom`;
  return validate(merged, source);
}
