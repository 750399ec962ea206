/**
 * The rules-of-engagement config file: zod-validated, every key optional (shipped defaults
 * fill the gaps), unknown keys rejected so a typo does not silently fall back to a default.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DEFAULT_MATCHING, DEFAULT_RULES, type RulesOfEngagement } from './defaults.js';

const share = z.number().min(0).max(1);

export const MatchingConfigSchema = z
  .object({
    threshold: share.default(DEFAULT_MATCHING.threshold),
    tokenSimilarity: share.default(DEFAULT_MATCHING.tokenSimilarity),
    domainBonus: share.default(DEFAULT_MATCHING.domainBonus),
    domainMismatchPenalty: share.default(DEFAULT_MATCHING.domainMismatchPenalty),
    phoneBonus: share.default(DEFAULT_MATCHING.phoneBonus),
    postalCodeBonus: share.default(DEFAULT_MATCHING.postalCodeBonus),
    countryMismatchPenalty: share.default(DEFAULT_MATCHING.countryMismatchPenalty),
    maxBlockSize: z.number().int().min(2).max(100_000).default(DEFAULT_MATCHING.maxBlockSize),
    neighbourhoodWindow: z.number().int().min(1).max(1000).default(DEFAULT_MATCHING.neighbourhoodWindow)
  })
  .strict();

export const RulesOfEngagementSchema = z
  .object({
    registrationProtectionDays: z.number().int().min(0).max(3650).default(DEFAULT_RULES.registrationProtectionDays),
    priceVariancePct: z.number().min(0).max(1000).default(DEFAULT_RULES.priceVariancePct),
    protectDirectOnlyAccounts: z.boolean().default(DEFAULT_RULES.protectDirectOnlyAccounts),
    expiringWithinDays: z.number().int().min(0).max(3650).default(DEFAULT_RULES.expiringWithinDays),
    matching: MatchingConfigSchema.default(DEFAULT_MATCHING)
  })
  .strict();

/** A config that does not validate; the message names each bad key and what is wrong. */
export class ConfigError extends Error {
  constructor(
    message: string,
    public readonly keys: string[]
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validates a parsed config object, filling defaults. */
export function parseRulesConfig(raw: unknown, source = 'config'): RulesOfEngagement {
  const result = RulesOfEngagementSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const keys: string[] = [];
  const problems = result.error.issues.map((issue) => {
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = issue.path.join('.');
    if (unknown.length > 0) {
      const names = unknown.map((k) => (path ? `${path}.${k}` : k));
      keys.push(...names);
      return `unknown key ${names.map((n) => `"${n}"`).join(', ')}`;
    }
    keys.push(path || '(root)');
    return `"${path || '(root)'}": ${issue.message}`;
  });
  return failConfig(`Invalid rules of engagement in ${source}: ${problems.join('; ')}`, keys);
}

function failConfig(message: string, keys: string[]): never {
  throw new ConfigError(message, keys);
}

/** Reads and validates a JSON config file; no file → the shipped defaults. */
export async function loadRulesConfig(file?: string): Promise<RulesOfEngagement> {
  if (!file) return RulesOfEngagementSchema.parse({});
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`Cannot read the config file ${file}: ${(e as Error).message}`, []);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`The config file ${file} is not valid JSON: ${(e as Error).message}`, []);
  }
  return parseRulesConfig(raw, file);
}
