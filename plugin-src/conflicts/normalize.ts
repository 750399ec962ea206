/**
 * Normalisation of what identifies a customer: company names, websites, phone numbers and
 * postal codes. Pure and dependency-free: this module is also built into the LWC service
 * module `c/conflictRules` (see scripts/build-lwc-shared.mjs), so it must not import Node
 * or zod.
 */

/** Letters that plain Unicode decomposition does not fold, and the German transliteration. */
const TRANSLITERATION: Readonly<Record<string, string>> = {
  ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ẞ: 'ss',
  æ: 'ae', œ: 'oe', ø: 'o', å: 'a', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't'
};

/**
 * Lower-cases, transliterates German umlauts (ü → ue, so "Müller" and "Mueller" meet) and
 * strips every other diacritic ("Compañía Ibérica" → "compania iberica").
 */
export function foldText(value: string): string {
  const lower = value.toLowerCase();
  let out = '';
  for (const ch of lower) out += TRANSLITERATION[ch] ?? ch;
  return out.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * Legal forms, written as they read after folding and removing dots ("S.p.A." → "spa",
 * "B.V." → "bv"). Multi-word forms are listed as token sequences.
 */
const LEGAL_FORMS: readonly string[] = [
  // English
  'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'cos', 'llc', 'llp', 'lp', 'ltd', 'limited', 'plc',
  'pty', 'pllc', 'lc', 'pc', 'ltda',
  'pty ltd', 'co ltd', 'private limited', 'pvt ltd', 'pvt',
  // German
  'gmbh', 'ag', 'kg', 'kgaa', 'ohg', 'gbr', 'ug', 'ev', 'mbh', 'se', 'eg', 'gesmbh',
  'gmbh co kg', 'ag co kg', 'co kg', 'ug haftungsbeschrankt', 'ug haftungsbeschraenkt',
  // Spanish
  'sl', 'sa', 'slu', 'sau', 'sll', 'slne', 'sc', 'scp', 'cia', 'compania', 'sociedad anonima', 'sociedad limitada',
  'sa de cv', 'sab de cv', 'de cv', 'srl de cv', 'y cia', 'ltda',
  // French
  'sarl', 'sas', 'sasu', 'eurl', 'sca', 'snc', 'cie', 'et cie', 'compagnie', 'sci', 'selarl',
  // Italian
  'spa', 'srl', 'srls', 'sapa', 'sas', 'scrl', 'scarl', 'societa per azioni', 'societa a responsabilita limitata',
  // Dutch / Belgian
  'bv', 'nv', 'vof', 'cv', 'bvba', 'cvba', 'sprl', 'besloten vennootschap', 'naamloze vennootschap',
  // Group words that do not tell two companies apart
  'group', 'groupe', 'gruppe', 'grupo', 'gruppo', 'groep', 'holding', 'holdings'
];

/** Words that carry no identity anywhere in a name. */
const STOP_WORDS: ReadonlySet<string> = new Set([
  'the', 'and', 'of', 'for', 'a', 'an', 'und', 'der', 'die', 'das', 'des', 'de', 'del', 'della', 'di', 'da', 'du',
  'la', 'le', 'les', 'el', 'los', 'las', 'lo', 'il', 'et', 'y', 'e', 'en', 'het', 'van', 'von', 'den', 'zu', 'zur'
]);

const LEGAL_SEQUENCES: readonly string[][] = [...new Set(LEGAL_FORMS)]
  .map((f) => f.split(' '))
  .sort((a, b) => b.length - a.length);

/** Normalised forms of a company name. */
export interface NormalizedName {
  /** Identity tokens: folded, punctuation, legal forms and stop words removed. */
  tokens: string[];
  /** The tokens joined by one space. */
  text: string;
  /** The tokens joined without spaces ("Coca-Cola" and "CocaCola" both → "cocacola"). */
  compact: string;
  /** The legal forms removed from the end, as written after folding ("gmbh", "spa"). */
  legalForms: string[];
  /** The tokens, longest first (the order matching aligns them in). */
  longestFirst: string[];
}

function endsWithSequence(tokens: string[], seq: string[]): boolean {
  if (seq.length > tokens.length) return false;
  const offset = tokens.length - seq.length;
  for (let i = 0; i < seq.length; i++) if (tokens[offset + i] !== seq[i]) return false;
  return true;
}

/**
 * Normalises a company name: case, diacritics (ü → ue), punctuation, legal forms at the end
 * in EN/DE/ES/FR/IT/NL (repeatedly: "Acme GmbH & Co. KG" → "acme") and stop words. A name
 * made only of such words keeps them, so it is never reduced to nothing.
 */
export function normalizeCompanyName(name: string | null | undefined): NormalizedName {
  const folded = foldText(name ?? '')
    .replace(/&/g, ' and ')
    .replace(/\+/g, ' and ')
    // dots and apostrophes join ("S.p.A." → "spa", "O'Brien" → "obrien"); other punctuation separates
    .replace(/[.'’`´]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  const raw = folded.length > 0 ? folded.split(' ') : [];
  let tokens = raw.filter((t) => !STOP_WORDS.has(t));
  const legalForms: string[] = [];
  let stripped = true;
  while (stripped && tokens.length > 1) {
    stripped = false;
    for (const seq of LEGAL_SEQUENCES) {
      if (seq.length < tokens.length && endsWithSequence(tokens, seq)) {
        legalForms.unshift(seq.join(' '));
        tokens = tokens.slice(0, tokens.length - seq.length);
        stripped = true;
        break;
      }
    }
  }
  if (tokens.length === 0) tokens = raw;
  const longestFirst = [...tokens].sort((x, y) => y.length - x.length);
  return { tokens, text: tokens.join(' '), compact: tokens.join(''), legalForms, longestFirst };
}

const ENGLISH_LIMITED = ['gb', 'ie', 'in', 'au', 'nz', 'hk', 'sg', 'za', 'ca', 'us'];
const GERMAN = ['de', 'at', 'ch'];
const SPANISH = ['es', 'mx', 'ar', 'co', 'cl', 'pe'];
const FRENCH = ['fr', 'be', 'lu', 'ch'];
const DUTCH = ['nl', 'be'];
/** The countries whose law has each legal form (ambiguous forms such as "sa" list several). */
const LEGAL_FORM_COUNTRIES: Readonly<Record<string, readonly string[]>> = {
  inc: ['us', 'ca'], incorporated: ['us', 'ca'], corp: ['us', 'ca'], corporation: ['us', 'ca'], llc: ['us'], llp: ['us', 'gb'],
  pllc: ['us'], ltd: ENGLISH_LIMITED, limited: ENGLISH_LIMITED, plc: ['gb', 'ie'], pty: ['au', 'za'], 'pty ltd': ['au', 'za'],
  'pvt ltd': ['in'], 'private limited': ['in', 'gb'],
  gmbh: GERMAN, ag: GERMAN, kg: GERMAN, kgaa: GERMAN, ohg: GERMAN, gbr: GERMAN, ug: GERMAN, mbh: GERMAN, gesmbh: ['at'],
  'gmbh co kg': GERMAN, 'ag co kg': GERMAN, 'co kg': GERMAN,
  sl: SPANISH, slu: SPANISH, sll: SPANISH, slne: SPANISH, 'sociedad limitada': SPANISH, 'sociedad anonima': SPANISH,
  'sa de cv': ['mx'], 'sab de cv': ['mx'], 'srl de cv': ['mx'], sa: [...SPANISH, ...FRENCH, 'pt', 'br', 'pl'],
  sarl: FRENCH, sas: ['fr', 'it'], sasu: ['fr'], eurl: ['fr'], sci: ['fr'], selarl: ['fr'],
  spa: ['it'], srl: ['it', 'ro'], srls: ['it'], sapa: ['it'], scrl: ['it', 'be'], scarl: ['it'],
  'societa per azioni': ['it'], 'societa a responsabilita limitata': ['it'],
  bv: DUTCH, nv: DUTCH, vof: DUTCH, cv: DUTCH, bvba: ['be'], cvba: ['be'], sprl: ['be'],
  'besloten vennootschap': DUTCH, 'naamloze vennootschap': DUTCH
};

/** The countries a company can be in, judged from its legal forms (empty when they say nothing). */
export function legalFormCountries(forms: readonly string[]): string[] {
  let out: string[] | undefined;
  for (const f of forms) {
    const countries = LEGAL_FORM_COUNTRIES[f];
    if (!countries) continue;
    out = out ? out.filter((c) => countries.includes(c)) : [...countries];
  }
  return out ?? [];
}

/**
 * The second-level labels under which companies register below a public suffix: for
 * "acme.co.uk" the registrable domain is three labels long.
 */
const SECOND_LEVEL_SUFFIXES: ReadonlySet<string> = new Set([
  'co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'or', 'ne', 'go', 'gob', 'gouv', 'ltd', 'plc', 'nom', 'asso', 'firm', 'gen', 'biz', 'info'
]);

/**
 * Domains shared by unrelated customers (free mail, site builders, social profiles): equal
 * domains there are no evidence of the same company.
 */
const SHARED_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com',
  'me.com', 'gmx.de', 'gmx.net', 'web.de', 't-online.de', 'orange.fr', 'free.fr', 'wanadoo.fr', 'libero.it', 'proton.me',
  'protonmail.com', 'yandex.ru', 'mail.ru', 'qq.com', '163.com', 'facebook.com', 'linkedin.com', 'instagram.com',
  'twitter.com', 'x.com', 'wixsite.com', 'wix.com', 'squarespace.com', 'wordpress.com', 'blogspot.com', 'google.com',
  'sites.google.com', 'github.io', 'herokuapp.com', 'example.com'
]);

/**
 * The registrable domain of a website or e-mail address: `https://www.acme.com/de` → `acme.com`,
 * `shop.acme.co.uk` → `acme.co.uk`, `sales@acme.de` → `acme.de`. Undefined when there is none.
 */
export function registrableDomain(website: string | null | undefined): string | undefined {
  if (!website) return undefined;
  let host = foldText(website.trim());
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  host = host.split(/[/?#\s]/)[0] ?? '';
  host = host.replace(/:\d+$/, '').replace(/\.+$/, '');
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) return undefined;
  if (/^\d+(\.\d+){3}$/.test(host)) return undefined;
  const labels = host.split('.');
  const tld = labels[labels.length - 1];
  const second = labels[labels.length - 2];
  const take = labels.length >= 3 && tld.length === 2 && SECOND_LEVEL_SUFFIXES.has(second) ? 3 : 2;
  return labels.slice(-take).join('.');
}

/** Country-code top-level domains used as generic ones: they say nothing about a country. */
const GENERIC_CCTLDS: ReadonlySet<string> = new Set(['io', 'co', 'ai', 'tv', 'me', 'cc', 'ws', 'fm', 'am', 'ly', 'to', 'gg', 'sh', 'eu']);

/** The country a domain's top-level domain names ("acme.de" → "de", "acme.co.uk" → "gb"). */
export function domainCountry(domain: string | undefined): string | undefined {
  if (!domain) return undefined;
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  if (tld.length !== 2 || GENERIC_CCTLDS.has(tld)) return undefined;
  return tld === 'uk' ? 'gb' : tld;
}

/** True when the domain says nothing about which company it is (free mail, site builders). */
export function isSharedDomain(domain: string): boolean {
  return SHARED_DOMAINS.has(domain);
}

/**
 * The comparable digits of a phone number: digits only, international prefix and trunk zero
 * dropped by keeping the last 8 digits ("+49 (89) 123-4567", "089 1234567" → "91234567").
 * Undefined for fewer than 6 digits.
 */
export function phoneDigits(phone: string | null | undefined): string | undefined {
  if (!phone) return undefined;
  const withoutExtension = phone.split(/\s*(?:x|ext\.?|extension|#)\s*\d+\s*$/i)[0] ?? phone;
  const digits = withoutExtension.replace(/\D+/g, '');
  if (digits.length < 6) return undefined;
  return digits.slice(-8);
}

/** A postal code without spaces, dashes or case ("SW1A 1AA" → "sw1a1aa", "12345-6789" → "12345"). */
export function normalizePostalCode(code: string | null | undefined): string | undefined {
  if (!code) return undefined;
  const folded = foldText(code).trim();
  const zipPlus4 = /^(\d{5})-\d{4}$/.exec(folded);
  const value = (zipPlus4 ? zipPlus4[1] : folded).replace(/[^a-z0-9]/g, '');
  return value.length > 0 ? value : undefined;
}

const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  us: 'us', usa: 'us', 'united states': 'us', 'united states of america': 'us', america: 'us',
  uk: 'gb', gb: 'gb', 'united kingdom': 'gb', 'great britain': 'gb', england: 'gb', britain: 'gb',
  de: 'de', deu: 'de', germany: 'de', deutschland: 'de',
  fr: 'fr', fra: 'fr', france: 'fr',
  es: 'es', esp: 'es', spain: 'es', espana: 'es',
  it: 'it', ita: 'it', italy: 'it', italia: 'it',
  nl: 'nl', nld: 'nl', netherlands: 'nl', 'the netherlands': 'nl', holland: 'nl', nederland: 'nl',
  at: 'at', austria: 'at', osterreich: 'at', oesterreich: 'at',
  ch: 'ch', switzerland: 'ch', schweiz: 'ch', suisse: 'ch',
  be: 'be', belgium: 'be', belgique: 'be', belgie: 'be',
  ca: 'ca', canada: 'ca', mx: 'mx', mexico: 'mx', br: 'br', brazil: 'br', brasil: 'br',
  jp: 'jp', japan: 'jp', cn: 'cn', china: 'cn', in: 'in', india: 'in', au: 'au', australia: 'au',
  pt: 'pt', portugal: 'pt', ie: 'ie', ireland: 'ie', se: 'se', sweden: 'se', pl: 'pl', poland: 'pl'
};

/** A country as a lower-case code when known ("Deutschland", "DE", "Germany" → "de"). */
export function normalizeCountry(country: string | null | undefined): string | undefined {
  if (!country) return undefined;
  const folded = foldText(country).replace(/[^a-z ]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (folded.length === 0) return undefined;
  return COUNTRY_ALIASES[folded] ?? folded;
}

/**
 * A phonetic key of one name token: the first letter, then consonants with vowels, h, w, y
 * and doubled letters removed, common sound-alikes merged (ph → f, ck/c/q/k → k, z/s → s,
 * dt/d/t → t, v/f → f). "Globex", "Glbex", "Gloebex" → "glbks"; "Meyer", "Maier" → "mr".
 */
export function phoneticKey(token: string): string {
  if (token.length === 0) return '';
  const t = token.replace(/ph/g, 'f').replace(/ck/g, 'k').replace(/x/g, 'ks').replace(/dt/g, 't');
  let out = t[0];
  let last = '';
  for (let i = 1; i < t.length; i++) {
    let c = t[i];
    if ('aeiouyhw'.includes(c)) {
      last = '';
      continue;
    }
    if (c === 'c' || c === 'q') c = 'k';
    else if (c === 'z') c = 's';
    else if (c === 'd') c = 't';
    else if (c === 'v') c = 'f';
    if (c !== last) out += c;
    last = c;
  }
  return out;
}

/** The identity of a customer record as matching sees it. */
export interface CustomerProfile {
  id: string;
  name: NormalizedName;
  domain?: string;
  phone?: string;
  postalCode?: string;
  /** The billing country, else the website's country domain, else the countries of its legal form. */
  countries: string[];
}

/** The account fields that identify a customer (Salesforce API names). */
export interface CustomerFields {
  Id: string;
  Name?: string | null;
  Website?: string | null;
  Phone?: string | null;
  BillingPostalCode?: string | null;
  BillingCountry?: string | null;
}

/** Builds the matching profile of one account. */
export function customerProfile(account: CustomerFields): CustomerProfile {
  const domain = registrableDomain(account.Website);
  const name = normalizeCompanyName(account.Name);
  const country = normalizeCountry(account.BillingCountry);
  return {
    id: account.Id,
    name,
    domain: domain && !isSharedDomain(domain) ? domain : undefined,
    phone: phoneDigits(account.Phone),
    postalCode: normalizePostalCode(account.BillingPostalCode),
    countries: country ? [country] : domainCountry(domain) ? [domainCountry(domain) as string] : legalFormCountries(name.legalForms)
  };
}
