/**
 * Fuzzy customer matching: which account records are the same real company.
 *
 * - Evidence: the similarity of the normalised names (token alignment with a Levenshtein
 *   ratio per token, and the Jaro-Winkler + Levenshtein similarity of the spaceless name),
 *   plus equal website domain, phone or postal code, minus a different domain or country.
 * - Blocking keys (domain, phone, each name token, a phonetic key, prefix and suffix of the
 *   spaceless name) so only records sharing a key are compared; a block larger than
 *   `maxBlockSize` is compared by sorted neighbourhood (each record with its next
 *   `neighbourhoodWindow` records in name order), so cost grows near-linearly.
 * - Matches are merged with union-find: a cluster is one customer.
 *
 * Pure: built into the LWC module `c/conflictRules` as well (the two similarity libraries are
 * small, dependency-free and bundled with it).
 */
import { distance } from 'fastest-levenshtein';
import { jaroWinkler } from '@skyra/jaro-winkler';
import { DEFAULT_MATCHING, type MatchingConfig } from './defaults.js';
import { customerProfile, phoneticKey, type CustomerFields, type CustomerProfile, type NormalizedName } from './normalize.js';

/** True when b is a with one pair of neighbouring letters swapped ("zantrix" / "zantirx"). */
function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i >= a.length - 1) return false;
  if (a[i] !== b[i + 1] || a[i + 1] !== b[i]) return false;
  return a.slice(i + 2) === b.slice(i + 2);
}

/**
 * Edit distance where a swap of two neighbouring letters, the commonest typo, costs 1
 * (Levenshtein from fastest-levenshtein otherwise).
 */
export function editDistance(a: string, b: string): number {
  return isAdjacentSwap(a, b) ? 1 : distance(a, b);
}

/** Similarity of two words, 0..1: 1 − edit distance / length of the longer. */
export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  // Short words must be equal: "ibm" and "ibn" are different companies.
  if (longer <= 3) return 0;
  return 1 - editDistance(a, b) / longer;
}

/**
 * Similarity of two normalised names, 0..1. Tokens are aligned greedily (best match first);
 * a token pair counts only when it reaches `minTokenSimilarity`, and each token weighs its
 * length, so "acme tools" vs "acme foods" scores about 0.5 while "mueller" vs "muller" scores
 * about 0.9. The spaceless forms are compared too ("coca cola" vs "cocacola").
 */
export function nameSimilarity(a: NormalizedName, b: NormalizedName, minTokenSimilarity = DEFAULT_MATCHING.tokenSimilarity): number {
  if (a.compact.length === 0 || b.compact.length === 0) return 0;
  if (a.compact === b.compact) return 1;
  const total = a.compact.length + b.compact.length;
  const used = new Uint8Array(b.tokens.length);
  let matched = 0;
  // Align longer tokens first: they carry more identity.
  const order = a.longestFirst ?? [...a.tokens].sort((x, y) => y.length - x.length);
  for (const ta of order) {
    let best = 0;
    let bestJ = -1;
    for (let j = 0; j < b.tokens.length; j++) {
      if (used[j]) continue;
      const tb = b.tokens[j];
      if (Math.abs(ta.length - tb.length) > Math.max(ta.length, tb.length) * (1 - minTokenSimilarity)) continue;
      const s = tokenSimilarity(ta, tb);
      if (s > best) {
        best = s;
        bestJ = j;
        if (s === 1) break;
      }
    }
    if (bestJ >= 0 && best >= minTokenSimilarity) {
      used[bestJ] = 1;
      matched += best * (ta.length + b.tokens[bestJ].length);
    }
  }
  const tokenScore = matched / total;
  let compactScore = 0;
  const longer = Math.max(a.compact.length, b.compact.length);
  if (longer >= 6 && Math.abs(a.compact.length - b.compact.length) <= 2) {
    const lev = 1 - editDistance(a.compact, b.compact) / longer;
    if (lev >= 0.85) compactScore = Math.min(lev, jaroWinkler(a.compact, b.compact));
  }
  return Math.max(tokenScore, compactScore >= 0.9 ? compactScore : 0);
}

/** The evidence for or against two records being one customer. */
export interface MatchEvidence {
  score: number;
  name: number;
  sameDomain: boolean;
  samePhone: boolean;
  samePostalCode: boolean;
  differentDomain: boolean;
  differentCountry: boolean;
}

/** Combines name, domain, phone, postal code and country into one score (0..1). */
export function compareCustomers(a: CustomerProfile, b: CustomerProfile, config: MatchingConfig = DEFAULT_MATCHING): MatchEvidence {
  const sameDomain = !!a.domain && a.domain === b.domain;
  const name = nameSimilarity(a.name, b.name, config.tokenSimilarity);
  const differentDomain = !!a.domain && !!b.domain && a.domain !== b.domain;
  const samePhone = !!a.phone && a.phone === b.phone;
  const samePostalCode = !!a.postalCode && a.postalCode === b.postalCode;
  const differentCountry = a.countries.length > 0 && b.countries.length > 0 && !a.countries.some((c) => b.countries.includes(c));
  let score = name;
  if (sameDomain) score += config.domainBonus;
  if (differentDomain) score -= config.domainMismatchPenalty;
  if (samePhone) score += config.phoneBonus;
  if (samePostalCode) score += config.postalCodeBonus;
  if (differentCountry) score -= config.countryMismatchPenalty;
  score = Math.round(Math.max(0, Math.min(1, score)) * 1000) / 1000;
  return { score, name, sameDomain, samePhone, samePostalCode, differentDomain, differentCountry };
}

/** Whether the evidence says "same customer". */
export function isSameCustomer(evidence: MatchEvidence, config: MatchingConfig = DEFAULT_MATCHING): boolean {
  return evidence.score >= config.threshold;
}

/** The blocking keys of a profile: records are compared only when they share one. */
export function blockingKeys(p: CustomerProfile): string[] {
  const keys: string[] = [];
  if (p.domain) keys.push(`d|${p.domain}`);
  if (p.phone) keys.push(`p|${p.phone}`);
  const { tokens, compact } = p.name;
  for (const t of tokens) if (t.length >= 3 || tokens.length === 1) keys.push(`t|${t}`);
  if (tokens.length > 0) {
    const longest = tokens.reduce((x, y) => (y.length > x.length ? y : x));
    keys.push(`k|${phoneticKey(tokens[0])}`);
    if (longest !== tokens[0]) keys.push(`k|${phoneticKey(longest)}`);
  }
  // Any one typo in a name of 7+ letters leaves its first 3 or its last 4 letters intact.
  if (compact.length >= 4) {
    keys.push(`c|${compact.slice(0, 3)}`);
    keys.push(`e|${compact.slice(-4)}`);
  }
  if (p.postalCode && compact.length > 0) keys.push(`z|${p.postalCode}|${compact[0]}`);
  return [...new Set(keys)];
}

/** Union-find over record indexes (path halving, union by size). */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i]];
      i = p[i];
    }
    return i;
  }
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
    return true;
  }
}

export interface MatchStats {
  records: number;
  blocks: number;
  oversizedBlocks: number;
  comparisons: number;
  matches: number;
  clusters: number;
}

/** The customers found among a set of account records. */
export interface CustomerClusters {
  /** Account id → cluster id (the smallest account id of the cluster). */
  clusterOf: Map<string, string>;
  /** Cluster id → its account ids. */
  members: Map<string, string[]>;
  profiles: Map<string, CustomerProfile>;
  stats: MatchStats;
  /** The match score of two accounts (1 for the same record). */
  score(a: string, b: string): number;
}

/**
 * Clusters account records into customers. Cost: one pass to build blocks, then comparisons
 * bounded by maxBlockSize² per normal block and window × size per oversized block.
 */
export function clusterCustomers(
  accounts: Iterable<CustomerFields | CustomerProfile>,
  config: MatchingConfig = DEFAULT_MATCHING
): CustomerClusters {
  const profiles: CustomerProfile[] = [];
  for (const a of accounts) profiles.push('name' in a && typeof a.name === 'object' && a.name !== null ? (a as CustomerProfile) : customerProfile(a as CustomerFields));
  const n = profiles.length;
  const blocks = new Map<string, number[]>();
  const blockKeyOf = new Map<number[], string>();
  const skipOversized = new Set<number[]>();
  for (let i = 0; i < n; i++) {
    for (const key of blockingKeys(profiles[i])) {
      const block = blocks.get(key);
      if (block) block.push(i);
      else {
        const created = [i];
        blocks.set(key, created);
        if (key.startsWith('e|')) blockKeyOf.set(created, 'e');
        if (key.startsWith('t|') || key.startsWith('k|')) skipOversized.add(created);
      }
    }
  }
  const uf = new UnionFind(n);
  const stats: MatchStats = { records: n, blocks: 0, oversizedBlocks: 0, comparisons: 0, matches: 0, clusters: 0 };
  // Cannot-link: a record that says little ("Acme", no website) may match two sister companies
  // in different countries with different domains; it must not chain them into one customer.
  // Each cluster keeps the domains and countries of its records; two clusters whose domains
  // and countries are both known and both disjoint are never merged.
  const domainsOf = new Map<number, string[]>();
  const countriesOf = new Map<number, string[]>();
  for (let i = 0; i < n; i++) {
    if (profiles[i].domain) domainsOf.set(i, [profiles[i].domain as string]);
    if (profiles[i].countries.length > 0) countriesOf.set(i, profiles[i].countries);
  }
  // An upper bound of the score without the costly name comparison: names whose lengths
  // differ this much cannot reach the threshold unless domain or phone agree.
  const cannotReach = (a: CustomerProfile, b: CustomerProfile): boolean => {
    if ((a.domain && a.domain === b.domain) || (a.phone && a.phone === b.phone)) return false;
    const la = a.name.compact.length;
    const lb = b.name.compact.length;
    const nameBound = Math.abs(la - lb) <= 2 ? 1 : (2 * Math.min(la, lb)) / (la + lb);
    return nameBound + config.postalCodeBonus < config.threshold;
  };
  const disjoint = (a: string[] | undefined, b: string[] | undefined): boolean => !!a && !!b && !a.some((x) => b.includes(x));
  const tryPair = (i: number, j: number): void => {
    const ri = uf.find(i);
    const rj = uf.find(j);
    if (ri === rj) return;
    stats.comparisons++;
    if (cannotReach(profiles[i], profiles[j])) return;
    if (!isSameCustomer(compareCustomers(profiles[i], profiles[j], config), config)) return;
    if (disjoint(domainsOf.get(ri), domainsOf.get(rj)) && disjoint(countriesOf.get(ri), countriesOf.get(rj))) return;
    uf.union(ri, rj);
    const root = uf.find(ri);
    const other = root === ri ? rj : ri;
    for (const [m, merge] of [
      [domainsOf, (a: string[], b: string[]) => [...new Set([...a, ...b])]],
      [countriesOf, (a: string[], b: string[]) => a.filter((x) => b.includes(x))]
    ] as const) {
      const a = m.get(root);
      const b = m.get(other);
      if (b && a) m.set(root, merge(a, b).length > 0 ? merge(a, b) : a);
      else if (b) m.set(root, b);
      m.delete(other);
    }
    stats.matches++;
  };
  for (const block of blocks.values()) {
    if (block.length < 2) continue;
    stats.blocks++;
    if (block.length <= config.maxBlockSize) {
      for (let x = 0; x < block.length; x++) for (let y = x + 1; y < block.length; y++) tryPair(block[x], block[y]);
    } else {
      stats.oversizedBlocks++;
      // A word or sound shared by this many names is a generic word ("tools", "global"): it
      // tells nothing about identity, and the prefix/suffix keys already bring typo variants
      // together. Such blocks are skipped.
      if (skipOversized.has(block)) continue;
      // Suffix blocks are ordered by the reversed name, so names ending alike sit together.
      const reversed = blockKeyOf.get(block) === 'e';
      const keyed = block.map((i) => ({ i, k: reversed ? [...profiles[i].name.compact].reverse().join('') : profiles[i].name.compact }));
      keyed.sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : x.i - y.i));
      const sorted = keyed.map((e) => e.i);
      const w = config.neighbourhoodWindow;
      for (let x = 0; x < sorted.length; x++) {
        const end = Math.min(sorted.length, x + 1 + w);
        for (let y = x + 1; y < end; y++) tryPair(sorted[x], sorted[y]);
      }
    }
  }
  blocks.clear();
  // Cluster id = smallest account id of the cluster, so it does not depend on input order.
  const rootMin = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    const cur = rootMin.get(r);
    if (cur === undefined || profiles[i].id < cur) rootMin.set(r, profiles[i].id);
  }
  const clusterOf = new Map<string, string>();
  const members = new Map<string, string[]>();
  const byId = new Map<string, CustomerProfile>();
  for (let i = 0; i < n; i++) {
    const cid = rootMin.get(uf.find(i)) as string;
    clusterOf.set(profiles[i].id, cid);
    byId.set(profiles[i].id, profiles[i]);
    const list = members.get(cid);
    if (list) list.push(profiles[i].id);
    else members.set(cid, [profiles[i].id]);
  }
  stats.clusters = members.size;
  return {
    clusterOf,
    members,
    profiles: byId,
    stats,
    score(a: string, b: string): number {
      if (a === b) return 1;
      const pa = byId.get(a);
      const pb = byId.get(b);
      if (!pa || !pb) return 0;
      return compareCustomers(pa, pb, config).score;
    }
  };
}
