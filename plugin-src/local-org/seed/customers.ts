/**
 * Customer companies and the messy account records a CRM holds for them.
 *
 * One real company (a "cluster") becomes one or more Account records whose names,
 * websites, phones and postal codes are written the ways people actually type them
 * ("ACME, Inc." / "Acme Incorporated" / "acme inc", "Müller GmbH" / "Mueller GmbH", a typo,
 * `https://www.acme.com/de` / `acme.com`, `+49 30 1234567` / `030/1234567`). Near-miss
 * negatives are different companies that look alike ("Acme Tools" vs "Acme Foods", a
 * subsidiary in another country with its own domain). Everything is a pure function of
 * the seed: `generateCustomers` needs no database, so matching tests can use it directly.
 */
import { makeId } from '../../domain/ids.js';
import { Rng, hash32 } from './prng.js';
import {
  BRAND_MIDDLES,
  BRAND_PREFIXES,
  BRAND_SUFFIXES,
  COUNTRIES,
  COUNTRY_BY_CODE,
  DESCRIPTORS,
  GENERIC_BRANDS,
  localDescriptor,
  slug,
  toAscii,
  transliterateGerman,
  type City,
  type Country,
  type CountryCode,
  type LegalForm
} from './corpus.js';

export type Row = Record<string, unknown>;

export type NearMissKind = 'descriptor' | 'country' | 'generic';

export interface PhoneNumber {
  country: CountryCode;
  cc: string;
  trunk: string;
  area: string;
  subscriber: string;
}

/** A real-world customer: what every account record of the cluster describes. */
export interface Company {
  clusterId: number;
  brand: string;
  descriptor: string;
  /** index of the descriptor in the word list (0-3: none) */
  descriptorIndex: number;
  industry: string;
  legal: LegalForm | null;
  country: Country;
  city: City;
  /** the canonical display name */
  name: string;
  domain: string | null;
  phone: PhoneNumber;
  postalCode: string;
  street: string;
  employees: number;
  annualRevenue: number;
  /** this company is a look-alike of (a different company than) cluster `nearMissOf` */
  nearMissOf?: number;
  nearMissKind?: NearMissKind;
  /** the next cluster is a look-alike of this one */
  hasNearMiss?: boolean;
  /** key of a hand-written company (demo) */
  key?: string;
}

/** One Account record of a cluster and how it was written ('canonical' or the variations applied). */
export interface CustomerAccount {
  row: Row;
  variations: string[];
}

export interface CustomerCluster {
  company: Company;
  accounts: CustomerAccount[];
}

/** A hand-written company (the demo's ACME, Müller, Compañía Ibérica ...). */
export interface PredefinedCompany {
  key: string;
  brand: string;
  descriptor?: string;
  industry: string;
  legal?: string;
  country: CountryCode;
  city: string;
  domain: string | null;
  /** the account records' names, first = canonical */
  names: readonly string[];
  /** websites per record (null = blank); default derived from the domain */
  websites?: readonly (string | null)[];
  nearMissOf?: string;
  nearMissKind?: NearMissKind;
}

export interface CustomerOptions {
  seed: number;
  /** account records to produce (the last cluster may be cut short) */
  accounts: number;
  /** share of companies held as more than one account record */
  duplicateRate: number;
  /** most records one company has */
  maxDuplicates: number;
  /** share of companies followed by a look-alike different company */
  nearMissRate: number;
  predefined?: readonly PredefinedCompany[];
  /** sequence number of the first customer account id (after partners) */
  firstAccountSeq?: number;
  accountKeyPrefix?: string;
  idInstance?: string;
}

// ---------------------------------------------------------------------------------------
// The name universe: brand × descriptor × country, walked by a bijection so that every
// generated company (up to tens of millions) gets a distinct name and domain.

interface Brand {
  text: string;
  generic?: boolean;
}

interface Universe {
  /** brands any company may carry: generic words and made-up names */
  neutral: Brand[];
  /** family names of a country: "Müller", "Müller & Schmidt", "García Hermanos" */
  family: Map<CountryCode, Brand[]>;
}

let universe: Universe | undefined;

const FAMILY_FORMS: Readonly<Record<CountryCode, (name: string) => string>> = {
  US: (n) => `${n} & Sons`,
  GB: (n) => `${n} & Sons`,
  DE: (n) => `${n} & Söhne`,
  FR: (n) => `${n} Frères`,
  ES: (n) => `${n} Hermanos`,
  IT: (n) => `Fratelli ${n}`,
  NL: (n) => `${n} & Zonen`
};

function nameUniverse(): Universe {
  if (universe) return universe;
  const seen = new Set<string>();
  const neutral: Brand[] = [];
  const add = (list: Brand[], b: Brand): void => {
    const k = b.text.toLowerCase();
    if (seen.has(k)) return;
    seen.add(k);
    list.push(b);
  };
  for (const g of GENERIC_BRANDS) add(neutral, { text: g, generic: true });
  // no doubled vowels at the joins ("Geooforge")
  const smooth = (t: string): boolean => !/([aeiou])\1/i.test(t);
  for (const p of BRAND_PREFIXES) for (const s of BRAND_SUFFIXES) if (smooth(p + s)) add(neutral, { text: p + s });
  for (const p of BRAND_PREFIXES) for (const m of BRAND_MIDDLES) for (const s of BRAND_SUFFIXES) if (smooth(p + m + s)) add(neutral, { text: p + m + s });
  const family = new Map<CountryCode, Brand[]>();
  for (const c of COUNTRIES) {
    const list: Brand[] = [];
    for (const a of c.lastNames) add(list, { text: a });
    for (const a of c.lastNames) add(list, { text: FAMILY_FORMS[c.code](a) });
    for (const a of c.lastNames) for (const b of c.lastNames) if (a !== b) add(list, { text: `${a} & ${b}` });
    family.set(c.code, list);
  }
  universe = { neutral, family };
  return universe;
}

const GROUPS = DESCRIPTORS.length * COUNTRIES.length;
const GROUP_MULTIPLIER = 7919; // prime, coprime with GROUPS: k → group is a bijection per GROUPS clusters
/** share of companies named after their founders' families (where the diacritics are) */
const FAMILY_SHARE = 0.15;

/** A golden-ratio walk over a list: well spread, no repeat before the list is exhausted. */
class Walk {
  private readonly step: number;

  public constructor(private readonly length: number) {
    let step = Math.max(1, Math.round(length * 0.6180339887));
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    while (gcd(step, length) !== 1) step++;
    this.step = step;
  }

  public at(start: number, i: number): number {
    return (start % this.length + (i % this.length) * this.step) % this.length;
  }
}

/**
 * Names for the k-th generated company: its (descriptor, country) group comes from k, its
 * brand from a golden-ratio walk over the brand list within that group. Brands next to each
 * other in the list look alike ("Farmoiva" / "Farmoica"); the walk keeps the companies of one
 * group far apart in the list, so accidental look-alikes stay rare, and no brand repeats in a
 * group before the list is exhausted. Family names come from the group's country only.
 */
class NameWalk {
  private readonly counts = new Uint32Array(GROUPS);
  private readonly familyCounts = new Uint32Array(GROUPS);
  private readonly offset: number;
  private readonly universe = nameUniverse();
  private readonly neutralWalk: Walk;
  private readonly familyWalks = new Map<CountryCode, Walk>();

  public constructor(seed: number) {
    this.offset = hash32(`names:${seed}`);
    this.neutralWalk = new Walk(this.universe.neutral.length);
    for (const [c, list] of this.universe.family) this.familyWalks.set(c, new Walk(list.length));
  }

  public next(k: number): { brand: Brand; descriptor: number; country: Country } {
    const group = (k * GROUP_MULTIPLIER + this.offset) % GROUPS;
    const country = COUNTRIES[group % COUNTRIES.length];
    const descriptor = Math.floor(group / COUNTRIES.length);
    const start = hash32(`${this.offset}:${group}`);
    const family = this.universe.family.get(country.code) as Brand[];
    if (hash32(`${this.offset}:f:${k}`) % 1000 < FAMILY_SHARE * 1000 && this.familyCounts[group] < family.length) {
      const i = this.familyCounts[group]++;
      return { brand: family[(this.familyWalks.get(country.code) as Walk).at(start, i)], descriptor, country };
    }
    const i = this.counts[group]++;
    return { brand: this.universe.neutral[this.neutralWalk.at(start, i)], descriptor, country };
  }
}

// ---------------------------------------------------------------------------------------
// Formatting helpers: names, phones, postal codes, websites.

export function companyName(brand: string, descriptor: string, legalText: string | null, comma: boolean): string {
  const base = descriptor ? `${brand} ${descriptor}` : brand;
  if (!legalText) return base;
  return comma ? `${base}, ${legalText}` : `${base} ${legalText}`;
}

function group(digits: string, sizes: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  for (const s of sizes) {
    if (i >= digits.length) break;
    parts.push(digits.slice(i, i + s));
    i += s;
  }
  if (i < digits.length) parts.push(digits.slice(i));
  return parts.join(' ');
}

function subscriberGroups(p: PhoneNumber): number[] {
  const n = p.subscriber.length;
  switch (p.country) {
    case 'US':
      return [3, 4];
    case 'FR':
      return [2, 2, 2, 2];
    case 'GB':
    case 'IT':
    case 'NL':
      return n === 8 ? [4, 4] : [3, 4];
    default:
      return [n];
  }
}

/** The number of phone styles `formatPhone` knows for a country. */
export function phoneStyles(country: CountryCode): number {
  return country === 'US' ? 7 : 6;
}

/** A phone number written in one of the ways people write it in that country (style 0 = international). */
export function formatPhone(p: PhoneNumber, style: number): string {
  const sub = p.subscriber;
  const grouped = group(sub, subscriberGroups(p));
  if (p.country === 'US') {
    const a = p.area;
    const x = sub.slice(0, 3);
    const l = sub.slice(3);
    return [`+1 ${a} ${x} ${l}`, `(${a}) ${x}-${l}`, `${a}-${x}-${l}`, `+1 (${a}) ${x}-${l}`, `${a}.${x}.${l}`, `${a}${x}${l}`, `1-${a}-${x}-${l}`][style % 7];
  }
  if (p.country === 'ES') {
    const all = p.area + sub;
    const g = group(all, [3, 3, 3]);
    return [`+34 ${g}`, g, all, `0034 ${all}`, `+34-${g.replace(/ /g, '-')}`, `+34${all}`][style % 6];
  }
  const national = `${p.trunk}${p.area}`;
  const intl = `+${p.cc} ${p.area} ${grouped}`;
  const styles = [
    intl,
    `${national} ${grouped}`,
    p.trunk ? `+${p.cc} (${p.trunk})${p.area} ${grouped}` : `(${national}) ${grouped}`,
    `00${p.cc} ${p.area} ${sub}`,
    p.country === 'FR' ? `${national}.${grouped.replace(/ /g, '.')}` : `${national}/${sub}`,
    `+${p.cc}${p.area}${sub}`
  ];
  return styles[style % styles.length];
}

const GB_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** A postal code of the city, in the country's format. */
export function makePostal(rng: Rng, country: CountryCode, city: City): string {
  const prefix = rng.pick(city.postal);
  switch (country) {
    case 'GB':
      return `${prefix} ${rng.int(1, 9)}${rng.pick([...GB_LETTERS])}${rng.pick([...GB_LETTERS])}`;
    case 'NL':
      return `${prefix}${rng.int(0, 9)} ${rng.pick([...GB_LETTERS])}${rng.pick([...GB_LETTERS])}`;
    case 'FR':
      return `${prefix}${rng.int(0, 9)}`;
    default:
      return prefix + rng.digits(5 - prefix.length, true);
  }
}

/** Ways the same postal code gets typed. */
function postalVariant(rng: Rng, country: CountryCode, code: string): string {
  switch (country) {
    case 'US':
      return rng.chance(0.6) ? `${code}-${rng.digits(4, true)}` : `${code} `;
    case 'GB':
    case 'NL':
      return rng.chance(0.5) ? code.replace(' ', '') : code.toLowerCase();
    case 'DE':
      return rng.pick([`D-${code}`, `DE-${code}`, ` ${code}`]);
    case 'FR':
      return rng.pick([`F-${code}`, `${code.slice(0, 2)} ${code.slice(2)}`]);
    case 'ES':
      return rng.pick([`E-${code}`, `ES-${code}`]);
    case 'IT':
      return rng.pick([`I-${code}`, `IT-${code}`]);
  }
}

/** How the same website is typed across records. */
function websiteVariant(rng: Rng, domain: string, country: CountryCode): string {
  const lang = country === 'GB' ? 'en-gb' : country === 'US' ? 'en-us' : country.toLowerCase();
  return rng.pick([
    `https://www.${domain}`,
    `http://${domain}`,
    `www.${domain}`,
    domain,
    `https://www.${domain}/${lang}`,
    `https://${domain}/${lang}/`,
    `WWW.${domain.toUpperCase()}`,
    `https://www.${domain}/?utm_source=crm`
  ]);
}

const CITY_VARIANTS: Readonly<Record<string, readonly string[]>> = {
  München: ['Munich', 'Muenchen'],
  Köln: ['Cologne', 'Koeln'],
  Düsseldorf: ['Duesseldorf', 'Dusseldorf'],
  'Frankfurt am Main': ['Frankfurt', 'Frankfurt/Main'],
  Milano: ['Milan'],
  Roma: ['Rome'],
  Torino: ['Turin'],
  Napoli: ['Naples'],
  Firenze: ['Florence'],
  Sevilla: ['Seville'],
  Málaga: ['Malaga'],
  'Den Haag': ['The Hague', "'s-Gravenhage"],
  'New York': ['New York City', 'NYC'],
  'San Francisco': ['SF', 'San Fransisco']
};

// ---------------------------------------------------------------------------------------
// Name variations

const KEYBOARD_NEIGHBOURS: Readonly<Record<string, string>> = {
  a: 'sq', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k',
  m: 'n', n: 'bm', o: 'ip', p: 'o', q: 'w', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc', y: 'tu', z: 'x'
};

/** One typing mistake in a word of five letters or more, never in its first two letters. */
export function typo(rng: Rng, name: string): string | undefined {
  const words = name.split(' ');
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => /^[A-Za-zÀ-ÿ]{5,}$/.test(w));
  if (candidates.length === 0) return undefined;
  const [word, index] = rng.pick(candidates);
  const pos = rng.int(2, word.length - 1);
  let out: string;
  switch (rng.int(0, 3)) {
    case 0: // transposition
      out = pos < word.length - 1 ? word.slice(0, pos) + word[pos + 1] + word[pos] + word.slice(pos + 2) : word.slice(0, pos - 1) + word[pos] + word[pos - 1];
      break;
    case 1: // dropped letter
      out = word.slice(0, pos) + word.slice(pos + 1);
      break;
    case 2: // doubled letter
      out = word.slice(0, pos) + word[pos] + word.slice(pos);
      break;
    default: {
      const ch = word[pos].toLowerCase();
      const near = KEYBOARD_NEIGHBOURS[ch];
      if (!near) return undefined;
      const sub = rng.pick([...near]);
      out = word.slice(0, pos) + (word[pos] === ch ? sub : sub.toUpperCase()) + word.slice(pos + 1);
    }
  }
  if (out === word) return undefined;
  const copy = words.slice();
  copy[index] = out;
  return copy.join(' ');
}

const NON_ASCII = /[^\u0000-\u007f]/;

type Variation = 'legal' | 'case' | 'diacritics' | 'punctuation' | 'typo' | 'article' | 'spacing';

function applyVariation(rng: Rng, company: Company, name: string, v: Variation): string | undefined {
  switch (v) {
    case 'legal': {
      const legal = company.legal;
      if (!legal) return undefined;
      const base = companyName(company.brand, company.descriptor, null, false);
      if (!name.toLowerCase().startsWith(base.toLowerCase())) return undefined;
      if (rng.chance(0.15)) return base;
      const alt = rng.pick(legal.variants);
      return companyName(base, '', alt, Boolean(legal.comma) && rng.chance(0.4));
    }
    case 'case':
      return rng.chance(0.65) ? name.toLowerCase() : name.toUpperCase();
    case 'diacritics':
      if (!NON_ASCII.test(name)) return undefined;
      return company.country.code === 'DE' || /[äöüÄÖÜß]/.test(name) ? transliterateGerman(name) : toAscii(name);
    case 'punctuation': {
      const amp = company.country.and;
      if (name.includes('&')) return name.replace(/\s*&\s*/g, ` ${amp} `);
      if (name.includes(` ${amp} `)) return name.replace(` ${amp} `, ' & ');
      const stripped = name.replace(/[.,]/g, '').replace(/\s+/g, ' ').trim();
      return stripped === name ? undefined : stripped;
    }
    case 'typo':
      return typo(rng, name);
    case 'article':
      if (company.country.code !== 'US' && company.country.code !== 'GB') return undefined;
      return name.startsWith('The ') ? undefined : `The ${name}`;
    case 'spacing':
      return name.includes(' ') ? name.replace(' ', '  ') + ' ' : undefined;
  }
}

const VARIATIONS: readonly (readonly [Variation, number])[] = [
  ['legal', 5],
  ['case', 3],
  ['diacritics', 4],
  ['punctuation', 3],
  ['typo', 3],
  ['article', 1],
  ['spacing', 1]
];

/** A differently written name of the company; never equal to one already used in the cluster. */
export function nameVariant(rng: Rng, company: Company, used: ReadonlySet<string>): { name: string; variations: string[] } {
  for (let attempt = 0; attempt < 12; attempt++) {
    let name = company.name;
    const applied: string[] = [];
    const wanted = rng.chance(0.35) ? 2 : 1;
    for (let i = 0; i < 6 && applied.length < wanted; i++) {
      const v = rng.weighted(VARIATIONS);
      if (applied.includes(v) || (v === 'typo' && applied.length > 0)) continue;
      // diacritics first where the name has them: that is the variation people make most
      const choice: Variation = i === 0 && NON_ASCII.test(company.name) && rng.chance(0.5) ? 'diacritics' : v;
      if (applied.includes(choice)) continue;
      const next = applyVariation(rng, company, name, choice);
      if (next !== undefined && next !== name) {
        name = next;
        applied.push(choice);
      }
    }
    if (applied.length > 0 && !used.has(name)) return { name, variations: applied };
  }
  const fallback = `${company.name} (${company.city.name})`;
  return { name: fallback, variations: ['site'] };
}

// ---------------------------------------------------------------------------------------
// Companies and their records

function pickLegal(rng: Rng, country: Country): LegalForm {
  return rng.weighted(country.legalForms.map((l) => [l, l.weight] as const));
}

function makePhone(rng: Rng, country: Country, city: City): PhoneNumber {
  const len = country.nationalDigits - city.area.length;
  return { country: country.code, cc: country.phoneCc, trunk: country.trunk, area: city.area, subscriber: rng.digits(len) };
}

function makeStreet(rng: Rng, country: Country): string {
  const street = rng.pick(country.streets);
  const no = rng.int(1, 240);
  switch (country.code) {
    case 'US':
    case 'GB':
      return `${no} ${street}`;
    case 'FR':
      return `${no} ${street}`;
    default:
      return `${street} ${no}`;
  }
}

function makeDomain(rng: Rng, brand: string, descriptor: string, country: Country): string {
  const b = slug(brand);
  if (!descriptor) return `${b}.${country.tld}`;
  const d = slug(descriptor);
  return `${rng.chance(0.5) ? `${b}-${d}` : `${b}${d}`}.${country.tld}`;
}

function buildCompany(rng: Rng, clusterId: number, brand: string, descriptorIndex: number, country: Country, extra: Partial<Company> = {}): Company {
  const [word, industry] = DESCRIPTORS[descriptorIndex];
  const descriptor = localDescriptor(word, country.code);
  const legal = pickLegal(rng, country);
  const city = rng.pick(country.cities);
  const comma = Boolean(legal.comma) && rng.chance(0.5);
  const employees = Math.round(Math.exp(rng.int(200, 1000) / 100));
  return {
    clusterId,
    brand,
    descriptor,
    descriptorIndex,
    industry: industry || rng.pick(['Technology', 'Manufacturing', 'Retail', 'Consulting', 'Other']),
    legal,
    country,
    city,
    name: companyName(brand, descriptor, legal.canonical, comma),
    domain: rng.chance(0.92) ? makeDomain(rng, brand, descriptor, country) : null,
    phone: makePhone(rng, country, city),
    postalCode: makePostal(rng, country.code, city),
    street: makeStreet(rng, country),
    employees,
    annualRevenue: Math.round(employees * rng.int(80, 400)) * 1000,
    ...extra
  };
}

function accountRow(id: string, company: Company, name: string): Row {
  return {
    Id: id,
    Name: name,
    Industry: company.industry,
    BillingStreet: company.street,
    BillingCity: company.city.name,
    BillingState: company.city.state ?? null,
    BillingPostalCode: company.postalCode,
    BillingCountry: company.country.names[0],
    Website: company.domain ? `https://www.${company.domain}` : null,
    Phone: formatPhone(company.phone, 0),
    NumberOfEmployees: company.employees,
    AnnualRevenue: company.annualRevenue
  };
}

/** The records of one company: the canonical one first, then the variants. */
function clusterRecords(rng: Rng, company: Company, count: number, nextId: () => string, explicitNames?: readonly string[], websites?: readonly (string | null)[]): CustomerAccount[] {
  const out: CustomerAccount[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    let name: string;
    let variations: string[];
    if (explicitNames) {
      name = explicitNames[i];
      variations = i === 0 ? ['canonical'] : ['given'];
    } else if (i === 0) {
      name = company.name;
      variations = ['canonical'];
    } else {
      ({ name, variations } = nameVariant(rng, company, used));
    }
    used.add(name);
    const row = accountRow(nextId(), company, name);
    if (i > 0) {
      // The contact details of a duplicate record are typed differently, or missing;
      // at least one strong clue (website or phone) always survives.
      const keepWebsite = company.domain !== null && rng.chance(0.75);
      row.Website = keepWebsite && company.domain ? websiteVariant(rng, company.domain, company.country.code) : null;
      const keepPhone = !row.Website || rng.chance(0.7);
      row.Phone = keepPhone ? formatPhone(company.phone, rng.int(1, phoneStyles(company.country.code) - 1)) : null;
      const postal = rng.next();
      row.BillingPostalCode = postal < 0.45 ? company.postalCode : postal < 0.85 ? postalVariant(rng, company.country.code, company.postalCode) : null;
      if (rng.chance(0.3)) row.BillingCountry = rng.pick(company.country.names.slice(1));
      const cityVariants = CITY_VARIANTS[company.city.name];
      if (cityVariants && rng.chance(0.4)) row.BillingCity = rng.pick(cityVariants);
      if (rng.chance(0.2)) row.BillingStreet = String(row.BillingStreet).replace('straße', 'str.').replace(' Street', ' St').replace('Calle ', 'C/ ');
      if (rng.chance(0.3)) row.NumberOfEmployees = null;
      if (rng.chance(0.3)) row.AnnualRevenue = null;
    }
    if (websites && i < websites.length) row.Website = websites[i];
    out.push({ row, variations });
  }
  return out;
}

function clusterSize(rng: Rng, duplicateRate: number, maxDuplicates: number): number {
  if (maxDuplicates <= 1 || !rng.chance(duplicateRate)) return 1;
  const extra = rng.weighted([
    [1, 60],
    [2, 30],
    [3, 10]
  ] as const);
  return Math.min(maxDuplicates, 1 + extra);
}

/**
 * Customer companies with their account records, in a deterministic stream. Predefined
 * companies come first; then generated ones, some followed by a look-alike different
 * company (`nearMissOf`). Stops after `accounts` records.
 */
export function* generateCustomers(opts: CustomerOptions): Generator<CustomerCluster> {
  const rng = Rng.stream(opts.seed, 'customers');
  const prefix = opts.accountKeyPrefix ?? '001';
  const instance = opts.idInstance ?? 'SED';
  let seq = opts.firstAccountSeq ?? 1;
  let produced = 0;
  const nextId = (): string => makeId(prefix, seq++, instance);
  let clusterId = 0;

  const byKey = new Map<string, number>();
  for (const p of opts.predefined ?? []) {
    if (produced >= opts.accounts) return;
    const country = COUNTRY_BY_CODE[p.country];
    const city = country.cities.find((c) => c.name === p.city) ?? country.cities[0];
    const legal = p.legal ? (country.legalForms.find((l) => l.canonical === p.legal) ?? { canonical: p.legal, variants: [p.legal], weight: 1 }) : null;
    const company: Company = {
      ...buildCompany(rng, clusterId, p.brand, 0, country),
      descriptor: p.descriptor ?? '',
      industry: p.industry,
      legal,
      city,
      name: p.names[0],
      domain: p.domain,
      key: p.key
    };
    company.postalCode = makePostal(rng, country.code, city);
    company.phone = makePhone(rng, country, city);
    if (p.nearMissOf !== undefined) {
      company.nearMissOf = byKey.get(p.nearMissOf);
      company.nearMissKind = p.nearMissKind ?? 'descriptor';
    }
    byKey.set(p.key, clusterId);
    const count = Math.min(p.names.length, opts.accounts - produced);
    const accounts = clusterRecords(rng, company, count, nextId, p.names, p.websites);
    produced += accounts.length;
    clusterId++;
    yield { company, accounts };
  }

  let k = 0;
  const names = new NameWalk(opts.seed);
  const usedGeneric = new Set<string>();
  while (produced < opts.accounts) {
    const combo = names.next(k++);
    let company = buildCompany(rng, clusterId, combo.brand.text, combo.descriptor, combo.country);
    const twinWanted = rng.chance(opts.nearMissRate);
    let twinKind: NearMissKind = 'descriptor';
    if (twinWanted) {
      twinKind = combo.brand.generic ? 'generic' : rng.weighted([['descriptor', 5], ['country', 3], ['generic', 2]] as const);
      if (twinKind === 'generic' && !combo.brand.generic) {
        // two different companies sharing a generic word: "Global Logistics" / "Global Foods"
        let brand = rng.pick(GENERIC_BRANDS);
        for (let tries = 0; tries < 20 && usedGeneric.has(`${brand}|${combo.descriptor}|${combo.country.code}`); tries++) brand = rng.pick(GENERIC_BRANDS);
        company = buildCompany(rng, clusterId, brand, Math.max(4, combo.descriptor), combo.country);
      }
      usedGeneric.add(`${company.brand}|${company.descriptor}|${company.country.code}`);
      company.hasNearMiss = true;
    }
    const size = Math.min(clusterSize(rng, opts.duplicateRate, opts.maxDuplicates), opts.accounts - produced);
    const accounts = clusterRecords(rng, company, size, nextId);
    produced += size;
    clusterId++;
    yield { company, accounts };

    if (twinWanted && produced < opts.accounts) {
      let twin: Company;
      if (twinKind === 'country') {
        const others = COUNTRIES.filter((c) => c.code !== company.country.code);
        twin = buildCompany(rng, clusterId, company.brand, company.descriptorIndex, rng.pick(others));
        if (company.domain && twin.domain === company.domain) twin.domain = null;
      } else {
        let d = rng.int(4, DESCRIPTORS.length - 1);
        for (let tries = 0; tries < 20 && (d === company.descriptorIndex || usedGeneric.has(`${company.brand}|${localDescriptor(DESCRIPTORS[d][0], company.country.code)}|${company.country.code}`)); tries++) {
          d = rng.int(4, DESCRIPTORS.length - 1);
        }
        if (d === company.descriptorIndex) d = d === DESCRIPTORS.length - 1 ? 4 : d + 1;
        twin = buildCompany(rng, clusterId, company.brand, d, company.country);
        if (rng.chance(0.5)) twin.city = company.city; // same town, different company
      }
      if (twin.brand !== company.brand || GENERIC_BRANDS.includes(twin.brand)) usedGeneric.add(`${twin.brand}|${twin.descriptor}|${twin.country.code}`);
      twin.nearMissOf = company.clusterId;
      twin.nearMissKind = twinKind;
      const twinSize = Math.min(clusterSize(rng, opts.duplicateRate, opts.maxDuplicates), opts.accounts - produced);
      const twinAccounts = clusterRecords(rng, twin, twinSize, nextId);
      produced += twinSize;
      clusterId++;
      yield { company: twin, accounts: twinAccounts };
    }
  }
}
