/**
 * Seeding the local org: `seedScenario(db, 'demo' | 'scale:N' | file | JSON)` generates the
 * scenario's records deterministically and writes them through `db.load()` (trusted bulk
 * load), then `db.recalculate()` (roll-ups). Returns counts, the named users' ids and, for
 * small scenarios, the labelled truth (which accounts are one customer, which conflicts were
 * planted) that the matching and conflict tests measure against.
 */
import type { Database } from '../database.js';
import { STANDARD_KEY_PREFIXES } from '../../domain/ids.js';
import { DEMO_USERS, type DemoUserHandle } from './demo.js';
import { FALLBACK_CUSTOM_PREFIXES, SeedGenerator, standaloneContext, type Batch, type GeneratorContext, type SeedTruth } from './generate.js';
import { resolveScenario, type ScenarioSpec } from './scenario.js';

export { DEMO_USERS, DEMO_TERRITORY_MOVE, DEMO_COMPANIES, NAMED_USERS, SEED_DOMAIN, type DemoUserHandle, type PlantKind } from './demo.js';
export { DEMO_SCENARIO, ScenarioSpec, ScenarioError, resolveScenario, scaleScenario } from './scenario.js';
export { clusterIndex, ID_INSTANCE, NEGATIVE_PLANTS, POSITIVE_PLANTS, SeedGenerator, standaloneContext, type Batch, type GeneratorContext, type PlantedSituation, type SeedTruth, type TruthCustomer } from './generate.js';
export { generateCustomers, type Company, type CustomerAccount, type CustomerCluster, type CustomerOptions, type PredefinedCompany } from './customers.js';
export { CONFLICT_TYPES, DEFAULT_RULES, expectedConflicts, type ConflictType, type ExpectedConflict, type RulesOfEngagement } from './oracle.js';
export { Rng, hash32 } from './prng.js';

export interface SeedOptions {
  /** the date all generated dates are relative to (default: the scenario's asOf, else today UTC) */
  asOf?: string | Date;
  /** collect the labelled truth (default: the scenario's setting, else on up to 50,000 accounts) */
  truth?: boolean;
  /** called after each loaded batch */
  onProgress?: (progress: { sobject: string; rows: number; loaded: Record<string, number> }) => void;
}

export interface SeedSummary {
  scenario: string;
  seed: number;
  asOf: string;
  /** rows loaded per object */
  counts: Record<string, number>;
  durationMs: number;
  /** the running user (admin@channel-ops.local) */
  adminUserId: string;
  /** ids of the named users, by handle */
  users: Record<DemoUserHandle, string>;
  /** fields a generated row carried that the org's schema does not know (dropped by the load) */
  unknownFields: Record<string, string[]>;
  /** the labelled truth; left out of JSON.stringify(summary) (it can be large): serialise it on its own */
  truth?: SeedTruth;
  toJSON(): Omit<SeedSummary, 'truth' | 'toJSON'> & { truth?: string };
}

function isoDate(d: string | Date | undefined): string | undefined {
  if (d === undefined) return undefined;
  return typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);
}

/** The date a scenario is generated relative to. */
export function scenarioAsOf(spec: ScenarioSpec, override?: string | Date): string {
  return isoDate(override) ?? spec.asOf ?? new Date().toISOString().slice(0, 10);
}

/** A generator context read from the org's schema (key prefixes, master-detail names, picklists). */
export function contextFor(db: Pick<Database, 'schema'> & Partial<Pick<Database, 'query'>>): GeneratorContext {
  const schema = db.schema;
  const refTo = (child: string, parent: string, fallback: string): string => {
    const def = schema.get(child);
    if (!def) return fallback;
    for (const f of def.fields.values()) if (f.type === 'reference' && f.referenceTo?.includes(parent) && f.masterDetail) return f.name;
    for (const f of def.fields.values()) if (f.type === 'reference' && f.referenceTo?.includes(parent)) return f.name;
    return fallback;
  };
  let existingAdminId: string | undefined;
  try {
    const found = db.query?.(`SELECT Id FROM User WHERE Username = '${DEMO_USERS.admin}'`);
    if (found && found.records.length > 0) existingAdminId = String(found.records[0].Id);
  } catch {
    existingAdminId = undefined;
  }
  return {
    keyPrefix: (sobject) => {
      const def = schema.get(sobject);
      const p = def?.keyPrefix || STANDARD_KEY_PREFIXES[sobject] || FALLBACK_CUSTOM_PREFIXES[sobject];
      if (!p) throw new Error(`The org has no object ${sobject} to seed`);
      return p;
    },
    budgetField: refTo('MDF_Request__c', 'MDF_Budget__c', 'Budget__c'),
    requestField: refTo('MDF_Claim__c', 'MDF_Request__c', 'Request__c'),
    picklist: (sobject, field) => {
      const f = schema.get(sobject)?.fields.get(field.toLowerCase());
      return f?.picklistValues && f.restrictedPicklist ? f.picklistValues : undefined;
    },
    fieldType: (sobject, field) => schema.get(sobject)?.fields.get(field.toLowerCase())?.type,
    existingAdminId
  };
}

/**
 * The scenario's rows as batches, without a database (for CSV export, tests of the
 * generator, or loading elsewhere). The generator exposes counts and truth when done.
 */
export function generateScenario(scenario: string | ScenarioSpec, opts: SeedOptions & { context?: GeneratorContext } = {}): { spec: ScenarioSpec; generator: SeedGenerator; batches: Generator<Batch> } {
  const spec = typeof scenario === 'string' ? resolveScenario(scenario) : scenario;
  const withTruth: ScenarioSpec = opts.truth === undefined ? spec : { ...spec, truth: opts.truth };
  const generator = new SeedGenerator(withTruth, opts.context ?? standaloneContext(), scenarioAsOf(spec, opts.asOf));
  return { spec, generator, batches: generator.batches() };
}

/** Seeds a database with a scenario: `demo`, `scale:N`, a scenario JSON file or JSON text. */
export function seedScenario(db: Database, scenario: string | ScenarioSpec, opts: SeedOptions = {}): SeedSummary {
  const started = Date.now();
  const { spec, generator, batches } = generateScenario(scenario, { ...opts, context: contextFor(db) });
  const loaded: Record<string, number> = {};
  const unknown: Record<string, Set<string>> = {};
  for (const batch of batches) {
    const def = db.schema.get(batch.sobject);
    if (!def) throw new Error(`Cannot seed ${batch.sobject}: the org's schema has no such object (is force-app loaded?)`);
    // sample a few rows per batch for fields the org does not know (the load drops them)
    for (let i = 0; i < Math.min(20, batch.rows.length); i++) {
      for (const k of Object.keys(batch.rows[i])) if (!def.fields.has(k.toLowerCase())) (unknown[batch.sobject] ??= new Set()).add(k);
    }
    const n = db.load(batch.sobject, batch.rows);
    loaded[batch.sobject] = (loaded[batch.sobject] ?? 0) + n;
    opts.onProgress?.({ sobject: batch.sobject, rows: n, loaded });
  }
  db.recalculate();
  const users = {} as Record<DemoUserHandle, string>;
  const byUsername = new Map(generator.namedUsers().map((u) => [u.username, u.Id]));
  for (const [handle, username] of Object.entries(DEMO_USERS) as [DemoUserHandle, string][]) users[handle] = byUsername.get(username) ?? '';
  const summary: SeedSummary = {
    scenario: spec.name,
    seed: spec.seed,
    asOf: generator.asOf,
    counts: loaded,
    durationMs: Date.now() - started,
    adminUserId: generator.adminUserId,
    users,
    unknownFields: Object.fromEntries(Object.entries(unknown).map(([k, v]) => [k, [...v].sort()])),
    truth: generator.truth,
    toJSON() {
      const { truth, toJSON: _toJSON, ...rest } = this;
      return truth ? { ...rest, truth: `${truth.customers.length} customers, ${truth.conflicts.length} expected conflicts` } : rest;
    }
  };
  return summary;
}
