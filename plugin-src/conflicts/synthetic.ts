/**
 * A labelled generator of customers and deals for testing and benchmarking conflict detection.
 *
 * Every customer is a real company with 1–4 account records written the way people type them
 * (legal-form variants, case, punctuation, umlauts written as ü / ue / u, one typo, website
 * with or without www/path, phone in different formats). Near-miss negatives are planted on
 * purpose: companies sharing a brand but not the trade ("Acme Tools" / "Acme Foods"), sister
 * companies in other countries with other domains, companies sharing a generic word.
 *
 * Each customer gets at most one deal scenario, whose expected conflicts are written down by
 * the generator from what it planted — never by running the rules — so tests can measure
 * precision and recall. Deterministic: same options, same data.
 */
import { makeId } from '../domain/ids.js';
import { Rng } from '../local-org/seed/prng.js';
import type { ConflictType } from './defaults.js';
import { addDays } from './rules.js';

export interface SyntheticAccount {
  Id: string;
  Name: string;
  Type: string | null;
  Website: string | null;
  Phone: string | null;
  BillingPostalCode: string | null;
  BillingCountry: string | null;
  Direct_Only__c: boolean;
}

export interface SyntheticOpportunity {
  Id: string;
  Name: string;
  AccountId: string;
  IsClosed: boolean;
  StageName: string;
  CloseDate: string;
  CreatedDate: string;
  Channel__c: 'Direct' | 'Partner';
  Registered_Partner__c: string | null;
  Registration_Status__c: string | null;
  Registration_Date__c: string | null;
  Registration_Expires__c: string | null;
}

export interface SyntheticLineItem {
  Id: string;
  OpportunityId: string;
  Product2Id: string;
  UnitPrice: number;
  Quantity: number;
}

export interface ExpectedConflict {
  type: ConflictType;
  opportunityId: string;
  conflictingOpportunityId?: string;
  productId?: string;
}

export interface SyntheticData {
  asOf: string;
  partners: SyntheticAccount[];
  accounts: SyntheticAccount[];
  opportunities: SyntheticOpportunity[];
  lineItems: SyntheticLineItem[];
  products: string[];
  /** Account id → the real customer it belongs to (partners excluded). */
  customerOf: Map<string, string>;
  expected: ExpectedConflict[];
  /** How many customers got each scenario (for reports). */
  scenarios: Record<string, number>;
}

export interface SyntheticOptions {
  seed?: number;
  /** Real companies (customers). */
  customers: number;
  partners?: number;
  /** Share of customers that get a deal scenario (planted conflicts or near misses). */
  scenarioShare?: number;
  /** Share of customers planted as a near-miss sibling of another customer. */
  siblingShare?: number;
  asOf?: string;
}

const SYLLABLES = [
  'al', 'bar', 'cor', 'dan', 'el', 'fin', 'gar', 'hel', 'in', 'jor', 'kal', 'lum', 'mar', 'nor', 'or', 'pra', 'quin', 'ros',
  'sel', 'tor', 'ul', 'var', 'wen', 'xan', 'yor', 'zen', 'bel', 'cas', 'dor', 'fal', 'gen', 'ha', 'ka', 'lin', 'mon', 'nex',
  'pol', 'ri', 'sta', 'tri', 'vel', 'ven', 'lo', 'ma', 'ta', 'ko', 'ber', 'ger', 'ster', 'wald', 'berg', 'mann'
];
const TRADES = [
  'Tools', 'Foods', 'Logistics', 'Systems', 'Software', 'Energy', 'Pharma', 'Textiles', 'Robotics', 'Analytics', 'Motors',
  'Chemicals', 'Consulting', 'Media', 'Medical', 'Metals', 'Plastics', 'Optics', 'Marine', 'Aviation', 'Solar', 'Foods',
  'Maschinenbau', 'Logistik', 'Energía', 'Ingeniería', 'Électronique', 'Meccanica', 'Techniek', 'Bouw'
];
const GENERIC = ['Global', 'United', 'General', 'National', 'Premier', 'First', 'Advanced', 'International'];
const GENERIC_TAIL = ['Solutions', 'Services', 'Partners', 'Industries', 'Enterprises', 'Technologies', 'Trading', 'Holdings'];
const SURNAMES = ['Müller', 'Schäfer', 'Köhler', 'Weiß', 'Größ', 'Böhm', 'Jäger', 'Krüger', 'Núñez', 'Peña', 'Muñoz', 'Ibáñez', 'Lefèvre', 'Lemaître', 'Bérénger', 'Còrsi', 'Niccolò', 'Gülen'];

interface Country {
  code: string;
  names: string[];
  tld: string;
  forms: string[][]; // legal form spellings, each list = equivalent spellings
  phonePrefix: string;
  postal: (rng: Rng) => string;
}
const COUNTRIES: Country[] = [
  { code: 'US', names: ['United States', 'USA', 'US'], tld: 'com', forms: [['Inc.', 'Inc', 'Incorporated', 'INC'], ['LLC', 'L.L.C.'], ['Corp.', 'Corporation']], phonePrefix: '1', postal: (r) => r.digits(5) },
  { code: 'GB', names: ['United Kingdom', 'UK', 'GB'], tld: 'co.uk', forms: [['Ltd', 'Ltd.', 'Limited'], ['PLC', 'plc']], phonePrefix: '44', postal: (r) => `${r.pick(['SW', 'EC', 'N', 'M'])}${r.int(1, 9)} ${r.int(1, 9)}${r.pick(['AA', 'BX', 'QT'])}` },
  { code: 'DE', names: ['Germany', 'Deutschland', 'DE'], tld: 'de', forms: [['GmbH', 'G.m.b.H.', 'Gmbh'], ['AG'], ['GmbH & Co. KG', 'GmbH & Co KG']], phonePrefix: '49', postal: (r) => r.digits(5) },
  { code: 'ES', names: ['Spain', 'España', 'ES'], tld: 'es', forms: [['S.L.', 'SL', 'S.L'], ['S.A.', 'SA']], phonePrefix: '34', postal: (r) => r.digits(5) },
  { code: 'FR', names: ['France', 'FR'], tld: 'fr', forms: [['SARL', 'S.A.R.L.'], ['SAS', 'S.A.S.'], ['SA', 'S.A.']], phonePrefix: '33', postal: (r) => r.digits(5) },
  { code: 'IT', names: ['Italy', 'Italia', 'IT'], tld: 'it', forms: [['S.p.A.', 'SpA', 'S.P.A.'], ['S.r.l.', 'Srl', 'SRL']], phonePrefix: '39', postal: (r) => r.digits(5) },
  { code: 'NL', names: ['Netherlands', 'Nederland', 'NL'], tld: 'nl', forms: [['B.V.', 'BV'], ['N.V.', 'NV']], phonePrefix: '31', postal: (r) => `${r.digits(4)} ${r.pick(['AB', 'KL', 'XZ'])}` }
];

interface Company {
  customerId: string;
  brand: string;
  trade?: string;
  words: string[]; // display words before the legal form
  country: Country;
  formIndex: number;
  domain?: string;
  phone: string; // national significant number
  postal: string;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[äöü]/g, (c) => ({ ä: 'ae', ö: 'oe', ü: 'ue' })[c] as string)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]/g, '');
}

/** One typo in a word of 6+ letters: a swap, a deletion or a replacement, never the first letter. */
function typo(rng: Rng, word: string): string {
  if (word.length < 6) return word;
  const i = rng.int(1, word.length - 2);
  switch (rng.int(0, 2)) {
    case 0:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    default: {
      const letters = 'aeioulnrst';
      let c = rng.pick(letters.split(''));
      if (c === word[i]) c = c === 'e' ? 'a' : 'e';
      return word.slice(0, i) + c + word.slice(i + 1);
    }
  }
}

/** An umlaut or accent written differently: ü → ue or u, é → e. */
function respell(rng: Rng, text: string): string {
  const way = rng.int(0, 1);
  return text.replace(/[äöüÄÖÜ]/g, (c) => {
    const base = { ä: 'a', ö: 'o', ü: 'u', Ä: 'A', Ö: 'O', Ü: 'U' }[c] as string;
    return way === 0 ? `${base}e` : base;
  }).normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss');
}

export function generateSynthetic(options: SyntheticOptions): SyntheticData {
  const seed = options.seed ?? 42;
  const rng = Rng.stream(seed, 'conflicts');
  const asOf = options.asOf ?? '2026-06-30';
  const scenarioShare = options.scenarioShare ?? 0.6;
  const siblingShare = options.siblingShare ?? 0.15;
  let seq = 0;
  const nextId = (prefix: string): string => makeId(prefix, ++seq, 'SYN');

  // Brands one typo apart would be different companies no one could tell apart by name:
  // a brand is rejected when it or any one-letter deletion of it was seen (small data sets).
  const usedBrands = new Set<string>();
  const deletions = (key: string): string[] => [key, ...Array.from({ length: key.length }, (_, i) => key.slice(0, i) + key.slice(i + 1))];
  // Large data sets (benchmarks) skip that check but draw from a name space that grows with
  // them (longer brands, surname pairs), so same-name companies stay as rare at 1M as at 100k.
  const strictBrands = options.customers <= 20_000;
  const brand = (): string => {
    for (let attempt = 0; ; attempt++) {
      const parts = strictBrands ? rng.int(2, attempt > 50 ? 4 : 3) : rng.int(3, 4);
      let b = '';
      for (let i = 0; i < parts; i++) b += rng.pick(SYLLABLES);
      if (rng.chance(0.1)) b = strictBrands ? rng.pick(SURNAMES) : `${rng.pick(SURNAMES)} ${rng.pick(SURNAMES)} ${capitalise(rng.pick(SYLLABLES))}`;
      else b = capitalise(b);
      const key = slug(b);
      if (key.length < 4) continue;
      const near = deletions(key);
      if (strictBrands && near.some((k) => usedBrands.has(k))) continue;
      if (strictBrands) for (const k of near) usedBrands.add(k);
      return b;
    }
  };
  const usedDomains = new Set<string>();
  const makeDomain = (words: string[], country: Country): string => {
    const base = words.map(slug).join('');
    let d = `${base}.${country.tld}`;
    // common names ("Müller GmbH") take numbered domains; never loop forever on a crowded name
    for (let n = 2; usedDomains.has(d); n++) d = `${base}${n}.${country.tld}`;
    usedDomains.add(d);
    return d;
  };

  const companies: Company[] = [];
  const newCompany = (words: string[], brandWord: string, trade: string | undefined, country: Country): Company => {
    const c: Company = {
      customerId: `C${companies.length + 1}`,
      brand: brandWord,
      trade,
      words,
      country,
      formIndex: rng.int(0, country.forms.length - 1),
      domain: rng.chance(0.85) ? makeDomain(words, country) : undefined,
      phone: rng.digits(rng.int(8, 10)),
      postal: country.postal(rng)
    };
    companies.push(c);
    return c;
  };
  while (companies.length < options.customers) {
    const country = rng.pick(COUNTRIES);
    const roll = rng.next();
    if (roll < 0.12) {
      // a company whose name is mostly generic words: "Global Velmor Solutions"
      const b = brand();
      newCompany([rng.pick(GENERIC), b, rng.pick(GENERIC_TAIL)], b, undefined, country);
    } else {
      const b = brand();
      const trade = rng.chance(0.7) ? rng.pick(TRADES) : undefined;
      newCompany(trade ? [b, trade] : [b], b, trade, country);
    }
    // near-miss siblings: same brand, other trade; same name, other country and domain;
    // same generic words, other brand
    if (rng.chance(siblingShare) && companies.length < options.customers) {
      const base = companies[companies.length - 1];
      const kind = rng.int(0, 2);
      if (kind === 0) {
        let other = rng.pick(TRADES);
        while (other === base.trade || slug(other) === slug(base.trade ?? '')) other = rng.pick(TRADES);
        newCompany([base.brand, other], base.brand, other, base.country);
      } else if (kind === 1) {
        let other = rng.pick(COUNTRIES);
        while (other.code === base.country.code) other = rng.pick(COUNTRIES);
        const sister = newCompany(base.words, base.brand, base.trade, other);
        if (!sister.domain) sister.domain = makeDomain([...base.words, other.code.toLowerCase()], other);
        if (!base.domain) base.domain = makeDomain(base.words, base.country);
      } else {
        const b = brand();
        newCompany([base.words[0] === base.brand ? rng.pick(GENERIC) : base.words[0], b, rng.pick(GENERIC_TAIL)], b, undefined, base.country);
      }
    }
  }

  // account records: 1–4 spellings of each company
  const accounts: SyntheticAccount[] = [];
  const customerOf = new Map<string, string>();
  const recordsOf = new Map<string, SyntheticAccount[]>();
  const accountFor = (c: Company, variant: number): SyntheticAccount => {
    const forms = c.country.forms[c.formIndex];
    let words = c.words.slice();
    let form = forms[0];
    let website: string | null = c.domain ? `https://www.${c.domain}` : null;
    let phone = `+${c.country.phonePrefix} ${c.phone.slice(0, 3)} ${c.phone.slice(3)}`;
    let country: string | null = c.country.names[0];
    let postal: string | null = c.postal;
    if (variant > 0) {
      form = rng.chance(0.8) ? rng.pick(forms) : '';
      const edits = rng.int(1, 3);
      let typed = false;
      for (let e = 0; e < edits; e++) {
        switch (rng.int(0, 5)) {
          case 0:
            words = words.map((w) => w.toUpperCase());
            break;
          case 1:
            words = words.map((w) => w.toLowerCase());
            break;
          case 2:
            words = words.map((w) => respell(rng, w));
            break;
          case 3: {
            const i = words.findIndex((w) => w.length >= 6);
            if (i >= 0 && !typed && rng.chance(0.6)) {
              words[i] = typo(rng, words[i]);
              typed = true;
            }
            break;
          }
          case 4:
            words = rng.chance(0.5) ? [words.join('-')] : words;
            break;
          default:
            break;
        }
      }
      if (c.domain) {
        website = rng.weighted<string | null>([
          [`https://www.${c.domain}/${c.country.code.toLowerCase()}`, 2],
          [c.domain, 2],
          [`http://${c.domain}`, 1],
          [`www.${c.domain.toUpperCase()}`, 1],
          [null, 3]
        ]);
      }
      phone = rng.weighted<string>([
        [`0${c.phone}`, 2],
        [`+${c.country.phonePrefix} (${c.phone.slice(0, 2)}) ${c.phone.slice(2, 5)}-${c.phone.slice(5)}`, 2],
        [`00${c.country.phonePrefix}${c.phone}`, 1],
        ['', 2]
      ]);
      country = rng.chance(0.7) ? rng.pick(c.country.names) : null;
      postal = rng.chance(0.6) ? c.postal : null;
    }
    const separator = rng.chance(0.3) && form ? ', ' : ' ';
    const a: SyntheticAccount = {
      Id: nextId('001'),
      Name: form ? `${words.join(' ')}${separator}${form}` : words.join(' '),
      Type: 'Customer - Direct',
      Website: website,
      Phone: phone || null,
      BillingPostalCode: postal,
      BillingCountry: country,
      Direct_Only__c: false
    };
    accounts.push(a);
    customerOf.set(a.Id, c.customerId);
    const list = recordsOf.get(c.customerId);
    if (list) list.push(a);
    else recordsOf.set(c.customerId, [a]);
    return a;
  };
  for (const c of companies) {
    const n = rng.weighted<number>([
      [1, 4],
      [2, 3],
      [3, 2],
      [4, 1]
    ]);
    for (let v = 0; v < n; v++) accountFor(c, v);
  }

  const partnerCount = options.partners ?? Math.max(3, Math.min(500, Math.round(options.customers / 50)));
  const partners: SyntheticAccount[] = [];
  for (let i = 0; i < partnerCount; i++) {
    partners.push({
      Id: nextId('001'),
      Name: `${capitalise(rng.pick(SYLLABLES))}${rng.pick(SYLLABLES)} Channel Partner ${i + 1}`,
      Type: 'Channel Partner / Reseller',
      Website: null,
      Phone: null,
      BillingPostalCode: null,
      BillingCountry: null,
      Direct_Only__c: false
    });
  }
  const products = Array.from({ length: 20 }, () => nextId('01t'));

  const opportunities: SyntheticOpportunity[] = [];
  const lineItems: SyntheticLineItem[] = [];
  const expected: ExpectedConflict[] = [];
  const scenarios: Record<string, number> = {};
  const opp = (account: SyntheticAccount, o: Partial<SyntheticOpportunity> & { created: number }): SyntheticOpportunity => {
    const record: SyntheticOpportunity = {
      Id: nextId('006'),
      Name: `${account.Name} deal`,
      AccountId: account.Id,
      IsClosed: false,
      StageName: 'Prospecting',
      CloseDate: addDays(asOf, 60),
      CreatedDate: `${addDays(asOf, -o.created)}T09:00:00.000Z`,
      Channel__c: o.Registered_Partner__c ? 'Partner' : 'Direct',
      Registered_Partner__c: null,
      Registration_Status__c: null,
      Registration_Date__c: null,
      Registration_Expires__c: null,
      ...o
    };
    delete (record as unknown as Record<string, unknown>).created;
    opportunities.push(record);
    return record;
  };
  const registration = (account: SyntheticAccount, partner: SyntheticAccount, status: string, daysAgo: number, expiresIn?: number): SyntheticOpportunity =>
    opp(account, {
      created: daysAgo,
      Registered_Partner__c: partner.Id,
      Channel__c: 'Partner',
      Registration_Status__c: status,
      Registration_Date__c: addDays(asOf, -daysAgo),
      Registration_Expires__c: expiresIn === undefined ? null : addDays(asOf, expiresIn)
    });
  const lineItem = (o: SyntheticOpportunity, product: string, price: number): void => {
    lineItems.push({ Id: nextId('00k'), OpportunityId: o.Id, Product2Id: product, UnitPrice: price, Quantity: rng.int(1, 20) });
  };
  const twoPartners = (): [SyntheticAccount, SyntheticAccount] => {
    const [p1, p2] = rng.sample(partners, 2);
    return [p1, p2];
  };

  for (const c of companies) {
    if (!rng.chance(scenarioShare)) continue;
    const recs = recordsOf.get(c.customerId) as SyntheticAccount[];
    const a = rng.pick(recs);
    const b = rng.pick(recs); // often another spelling of the same customer
    const scenario = rng.weighted<string>([
      ['duplicate', 3],
      ['duplicate-outside-window', 1],
      ['duplicate-same-partner', 1],
      ['direct-vs-partner', 3],
      ['direct-vs-expired', 1],
      ['direct-vs-submitted', 1],
      ['protected', 2],
      ['protected-draft', 1],
      ['price', 3],
      ['price-within-variance', 1],
      ['price-same-channel', 1],
      ['closed-duplicate', 1],
      ['quiet', 2]
    ]);
    scenarios[scenario] = (scenarios[scenario] ?? 0) + 1;
    const [p1, p2] = twoPartners();
    switch (scenario) {
      case 'duplicate': {
        const gap = rng.int(0, 89);
        const first = rng.int(gap + 1, gap + 200);
        const winner = registration(a, p1, rng.pick(['Submitted', 'Approved']), first);
        const loser = registration(b, p2, 'Submitted', first - gap);
        if (gap === 0) loser.CreatedDate = `${addDays(asOf, -first)}T15:00:00.000Z`;
        expected.push({ type: 'Duplicate Registration', opportunityId: loser.Id, conflictingOpportunityId: winner.Id });
        break;
      }
      case 'duplicate-outside-window': {
        registration(a, p1, 'Submitted', 300);
        registration(b, p2, 'Submitted', 300 - rng.int(91, 200));
        break;
      }
      case 'duplicate-same-partner': {
        registration(a, p1, 'Submitted', 40);
        registration(b, p1, 'Submitted', 20);
        break;
      }
      case 'direct-vs-partner': {
        const holder = registration(a, p1, 'Approved', 30, rng.int(0, 120));
        const direct = opp(b, { created: 5, Channel__c: 'Direct' });
        expected.push({ type: 'Direct vs Partner', opportunityId: direct.Id, conflictingOpportunityId: holder.Id });
        break;
      }
      case 'direct-vs-expired': {
        registration(a, p1, 'Approved', 200, -rng.int(1, 60));
        opp(b, { created: 5, Channel__c: 'Direct' });
        break;
      }
      case 'direct-vs-submitted': {
        registration(a, p1, 'Submitted', 10, 80);
        opp(b, { created: 5, Channel__c: 'Direct' });
        break;
      }
      case 'protected': {
        const guarded = rng.pick(recs);
        guarded.Direct_Only__c = true;
        const reg = registration(a, p1, rng.pick(['Submitted', 'Approved']), 10, rng.chance(0.5) ? -5 : 80);
        expected.push({ type: 'Protected Account', opportunityId: reg.Id });
        break;
      }
      case 'protected-draft': {
        rng.pick(recs).Direct_Only__c = true;
        registration(a, p1, 'Draft', 10);
        opp(b, { created: 3, Channel__c: 'Direct' });
        break;
      }
      case 'price': {
        const product = rng.pick(products);
        const low = rng.int(100, 5000);
        const high = Math.round(low * (1 + rng.int(12, 60) / 100));
        const partnerDeal = registration(a, p1, rng.pick(['Draft', 'Rejected']), 15);
        const directDeal = opp(b, { created: 8, Channel__c: 'Direct' });
        const partnerIsLow = rng.chance(0.5);
        lineItem(partnerDeal, product, partnerIsLow ? low : high);
        lineItem(directDeal, product, partnerIsLow ? high : low);
        lineItem(directDeal, rng.pick(products.filter((p) => p !== product)), 999);
        const [lowOpp, highOpp] = partnerIsLow ? [partnerDeal, directDeal] : [directDeal, partnerDeal];
        expected.push({ type: 'Price', opportunityId: lowOpp.Id, conflictingOpportunityId: highOpp.Id, productId: product });
        break;
      }
      case 'price-within-variance': {
        const product = rng.pick(products);
        const low = rng.int(100, 5000);
        const partnerDeal = registration(a, p2, 'Draft', 15);
        const directDeal = opp(b, { created: 8, Channel__c: 'Direct' });
        lineItem(partnerDeal, product, low);
        lineItem(directDeal, product, Math.floor(low * 1.09));
        break;
      }
      case 'price-same-channel': {
        const product = rng.pick(products);
        const d1 = opp(a, { created: 20, Channel__c: 'Direct' });
        const d2 = opp(b, { created: 8, Channel__c: 'Direct' });
        lineItem(d1, product, 100);
        lineItem(d2, product, 200);
        break;
      }
      case 'closed-duplicate': {
        const won = registration(a, p1, 'Approved', 50, 40);
        won.IsClosed = true;
        won.StageName = 'Closed Won';
        registration(b, p2, 'Submitted', 30);
        break;
      }
      default:
        opp(a, { created: 12, Channel__c: 'Direct' });
    }
  }
  return { asOf, partners, accounts, opportunities, lineItems, products, customerOf, expected, scenarios };
}

/** Precision and recall of a predicted set against an expected set of keys. */
export function precisionRecall(predicted: Iterable<string>, expected: Iterable<string>): { precision: number; recall: number; truePositives: number; predicted: number; expected: number } {
  const p = new Set(predicted);
  const e = new Set(expected);
  let tp = 0;
  for (const k of p) if (e.has(k)) tp++;
  return { precision: p.size === 0 ? 1 : tp / p.size, recall: e.size === 0 ? 1 : tp / e.size, truePositives: tp, predicted: p.size, expected: e.size };
}

/** All unordered pairs of ids that share a group ("a|b" with a < b). */
export function pairsOf(groups: Iterable<string[]>): Set<string> {
  const out = new Set<string>();
  for (const g of groups) {
    const sorted = [...g].sort();
    for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) out.add(`${sorted[i]}|${sorted[j]}`);
  }
  return out;
}
