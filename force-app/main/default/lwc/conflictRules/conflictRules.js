/* eslint-disable */
/*
 * GENERATED FILE - DO NOT EDIT. Built by scripts/build-lwc-shared.mjs (npm run build:lwc-shared)
 * from plugin-src/conflicts/{defaults,normalize,matching,rules}.ts: the same rules of engagement
 * and customer matching the CLI (channel conflicts scan/check) runs. Edit the TypeScript and rebuild.
 * Bundled libraries (MIT): fastest-levenshtein, @skyra/jaro-winkler.
 */
var __defProp = Object.defineProperty;
var __defNormalProp = (obj, key, value) => key in obj ? __defProp(obj, key, { enumerable: true, configurable: true, writable: true, value }) : obj[key] = value;
var __publicField = (obj, key, value) => __defNormalProp(obj, typeof key !== "symbol" ? key + "" : key, value);

var DEFAULT_MATCHING = {
  threshold: 0.85,
  tokenSimilarity: 0.8,
  domainBonus: 0.5,
  domainMismatchPenalty: 0.15,
  phoneBonus: 0.2,
  postalCodeBonus: 0.05,
  countryMismatchPenalty: 0.25,
  maxBlockSize: 50,
  neighbourhoodWindow: 8
};
var DEFAULT_RULES = {
  registrationProtectionDays: 90,
  priceVariancePct: 10,
  protectDirectOnlyAccounts: true,
  expiringWithinDays: 14,
  matching: DEFAULT_MATCHING
};
var CONFLICT_TYPES = ["Duplicate Registration", "Direct vs Partner", "Protected Account", "Price"];
function ruleSummary(type, rules = DEFAULT_RULES) {
  switch (type) {
    case "Duplicate Registration":
      return `Duplicate Registration: earlier registration wins within ${rules.registrationProtectionDays} days`;
    case "Direct vs Partner":
      return "Direct vs Partner: partner holds an approved, unexpired registration";
    case "Protected Account":
      return "Protected Account: partners may not register direct-only customers";
    case "Price":
      return `Price: same product, channels more than ${rules.priceVariancePct}% apart`;
  }
}
function describeRule(type, rules = DEFAULT_RULES) {
  switch (type) {
    case "Duplicate Registration":
      return `Two partners registered the same customer within ${rules.registrationProtectionDays} days; the earlier registration wins.`;
    case "Direct vs Partner":
      return "A direct opportunity on a customer that a partner holds an approved, unexpired registration for.";
    case "Protected Account":
      return "A partner registration on a direct-only (protected) customer.";
    case "Price":
      return `The same product is offered to the same customer in two channels at prices more than ${rules.priceVariancePct}% apart.`;
  }
}

var TRANSLITERATION = {
  ä: "ae",
  ö: "oe",
  ü: "ue",
  ß: "ss",
  "ẞ": "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  å: "a",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  ħ: "h",
  ŧ: "t"
};
function foldText(value) {
  const lower = value.toLowerCase();
  let out = "";
  for (const ch of lower) out += TRANSLITERATION[ch] ?? ch;
  return out.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}
var LEGAL_FORMS = [
  // English
  "inc",
  "incorporated",
  "corp",
  "corporation",
  "co",
  "company",
  "cos",
  "llc",
  "llp",
  "lp",
  "ltd",
  "limited",
  "plc",
  "pty",
  "pllc",
  "lc",
  "pc",
  "ltda",
  "pty ltd",
  "co ltd",
  "private limited",
  "pvt ltd",
  "pvt",
  // German
  "gmbh",
  "ag",
  "kg",
  "kgaa",
  "ohg",
  "gbr",
  "ug",
  "ev",
  "mbh",
  "se",
  "eg",
  "gesmbh",
  "gmbh co kg",
  "ag co kg",
  "co kg",
  "ug haftungsbeschrankt",
  "ug haftungsbeschraenkt",
  // Spanish
  "sl",
  "sa",
  "slu",
  "sau",
  "sll",
  "slne",
  "sc",
  "scp",
  "cia",
  "compania",
  "sociedad anonima",
  "sociedad limitada",
  "sa de cv",
  "sab de cv",
  "de cv",
  "srl de cv",
  "y cia",
  "ltda",
  // French
  "sarl",
  "sas",
  "sasu",
  "eurl",
  "sca",
  "snc",
  "cie",
  "et cie",
  "compagnie",
  "sci",
  "selarl",
  // Italian
  "spa",
  "srl",
  "srls",
  "sapa",
  "sas",
  "scrl",
  "scarl",
  "societa per azioni",
  "societa a responsabilita limitata",
  // Dutch / Belgian
  "bv",
  "nv",
  "vof",
  "cv",
  "bvba",
  "cvba",
  "sprl",
  "besloten vennootschap",
  "naamloze vennootschap",
  // Group words that do not tell two companies apart
  "group",
  "groupe",
  "gruppe",
  "grupo",
  "gruppo",
  "groep",
  "holding",
  "holdings"
];
var STOP_WORDS = /* @__PURE__ */ new Set([
  "the",
  "and",
  "of",
  "for",
  "a",
  "an",
  "und",
  "der",
  "die",
  "das",
  "des",
  "de",
  "del",
  "della",
  "di",
  "da",
  "du",
  "la",
  "le",
  "les",
  "el",
  "los",
  "las",
  "lo",
  "il",
  "et",
  "y",
  "e",
  "en",
  "het",
  "van",
  "von",
  "den",
  "zu",
  "zur"
]);
var LEGAL_SEQUENCES = [...new Set(LEGAL_FORMS)].map((f) => f.split(" ")).sort((a, b) => b.length - a.length);
function endsWithSequence(tokens, seq) {
  if (seq.length > tokens.length) return false;
  const offset = tokens.length - seq.length;
  for (let i = 0; i < seq.length; i++) if (tokens[offset + i] !== seq[i]) return false;
  return true;
}
function normalizeCompanyName(name) {
  const folded = foldText(name ?? "").replace(/&/g, " and ").replace(/\+/g, " and ").replace(/[.'’`´]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  const raw = folded.length > 0 ? folded.split(" ") : [];
  let tokens = raw.filter((t) => !STOP_WORDS.has(t));
  const legalForms = [];
  let stripped = true;
  while (stripped && tokens.length > 1) {
    stripped = false;
    for (const seq of LEGAL_SEQUENCES) {
      if (seq.length < tokens.length && endsWithSequence(tokens, seq)) {
        legalForms.unshift(seq.join(" "));
        tokens = tokens.slice(0, tokens.length - seq.length);
        stripped = true;
        break;
      }
    }
  }
  if (tokens.length === 0) tokens = raw;
  const longestFirst = [...tokens].sort((x, y) => y.length - x.length);
  return { tokens, text: tokens.join(" "), compact: tokens.join(""), legalForms, longestFirst };
}
var ENGLISH_LIMITED = ["gb", "ie", "in", "au", "nz", "hk", "sg", "za", "ca", "us"];
var GERMAN = ["de", "at", "ch"];
var SPANISH = ["es", "mx", "ar", "co", "cl", "pe"];
var FRENCH = ["fr", "be", "lu", "ch"];
var DUTCH = ["nl", "be"];
var LEGAL_FORM_COUNTRIES = {
  inc: ["us", "ca"],
  incorporated: ["us", "ca"],
  corp: ["us", "ca"],
  corporation: ["us", "ca"],
  llc: ["us"],
  llp: ["us", "gb"],
  pllc: ["us"],
  ltd: ENGLISH_LIMITED,
  limited: ENGLISH_LIMITED,
  plc: ["gb", "ie"],
  pty: ["au", "za"],
  "pty ltd": ["au", "za"],
  "pvt ltd": ["in"],
  "private limited": ["in", "gb"],
  gmbh: GERMAN,
  ag: GERMAN,
  kg: GERMAN,
  kgaa: GERMAN,
  ohg: GERMAN,
  gbr: GERMAN,
  ug: GERMAN,
  mbh: GERMAN,
  gesmbh: ["at"],
  "gmbh co kg": GERMAN,
  "ag co kg": GERMAN,
  "co kg": GERMAN,
  sl: SPANISH,
  slu: SPANISH,
  sll: SPANISH,
  slne: SPANISH,
  "sociedad limitada": SPANISH,
  "sociedad anonima": SPANISH,
  "sa de cv": ["mx"],
  "sab de cv": ["mx"],
  "srl de cv": ["mx"],
  sa: [...SPANISH, ...FRENCH, "pt", "br", "pl"],
  sarl: FRENCH,
  sas: ["fr", "it"],
  sasu: ["fr"],
  eurl: ["fr"],
  sci: ["fr"],
  selarl: ["fr"],
  spa: ["it"],
  srl: ["it", "ro"],
  srls: ["it"],
  sapa: ["it"],
  scrl: ["it", "be"],
  scarl: ["it"],
  "societa per azioni": ["it"],
  "societa a responsabilita limitata": ["it"],
  bv: DUTCH,
  nv: DUTCH,
  vof: DUTCH,
  cv: DUTCH,
  bvba: ["be"],
  cvba: ["be"],
  sprl: ["be"],
  "besloten vennootschap": DUTCH,
  "naamloze vennootschap": DUTCH
};
function legalFormCountries(forms) {
  let out;
  for (const f of forms) {
    const countries = LEGAL_FORM_COUNTRIES[f];
    if (!countries) continue;
    out = out ? out.filter((c) => countries.includes(c)) : [...countries];
  }
  return out ?? [];
}
var SECOND_LEVEL_SUFFIXES = /* @__PURE__ */ new Set([
  "co",
  "com",
  "net",
  "org",
  "gov",
  "edu",
  "ac",
  "or",
  "ne",
  "go",
  "gob",
  "gouv",
  "ltd",
  "plc",
  "nom",
  "asso",
  "firm",
  "gen",
  "biz",
  "info"
]);
var SHARED_DOMAINS = /* @__PURE__ */ new Set([
  "gmail.com",
  "googlemail.com",
  "yahoo.com",
  "hotmail.com",
  "outlook.com",
  "live.com",
  "msn.com",
  "aol.com",
  "icloud.com",
  "me.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "t-online.de",
  "orange.fr",
  "free.fr",
  "wanadoo.fr",
  "libero.it",
  "proton.me",
  "protonmail.com",
  "yandex.ru",
  "mail.ru",
  "qq.com",
  "163.com",
  "facebook.com",
  "linkedin.com",
  "instagram.com",
  "twitter.com",
  "x.com",
  "wixsite.com",
  "wix.com",
  "squarespace.com",
  "wordpress.com",
  "blogspot.com",
  "google.com",
  "sites.google.com",
  "github.io",
  "herokuapp.com",
  "example.com"
]);
function registrableDomain(website) {
  if (!website) return void 0;
  let host = foldText(website.trim());
  const at = host.lastIndexOf("@");
  if (at >= 0) host = host.slice(at + 1);
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
  host = host.split(/[/?#\s]/)[0] ?? "";
  host = host.replace(/:\d+$/, "").replace(/\.+$/, "");
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) return void 0;
  if (/^\d+(\.\d+){3}$/.test(host)) return void 0;
  const labels = host.split(".");
  const tld = labels[labels.length - 1];
  const second = labels[labels.length - 2];
  const take = labels.length >= 3 && tld.length === 2 && SECOND_LEVEL_SUFFIXES.has(second) ? 3 : 2;
  return labels.slice(-take).join(".");
}
var GENERIC_CCTLDS = /* @__PURE__ */ new Set(["io", "co", "ai", "tv", "me", "cc", "ws", "fm", "am", "ly", "to", "gg", "sh", "eu"]);
function domainCountry(domain) {
  if (!domain) return void 0;
  const tld = domain.slice(domain.lastIndexOf(".") + 1);
  if (tld.length !== 2 || GENERIC_CCTLDS.has(tld)) return void 0;
  return tld === "uk" ? "gb" : tld;
}
function isSharedDomain(domain) {
  return SHARED_DOMAINS.has(domain);
}
function phoneDigits(phone) {
  if (!phone) return void 0;
  const withoutExtension = phone.split(/\s*(?:x|ext\.?|extension|#)\s*\d+\s*$/i)[0] ?? phone;
  const digits = withoutExtension.replace(/\D+/g, "");
  if (digits.length < 6) return void 0;
  return digits.slice(-8);
}
function normalizePostalCode(code) {
  if (!code) return void 0;
  const folded = foldText(code).trim();
  const zipPlus4 = /^(\d{5})-\d{4}$/.exec(folded);
  const value = (zipPlus4 ? zipPlus4[1] : folded).replace(/[^a-z0-9]/g, "");
  return value.length > 0 ? value : void 0;
}
var COUNTRY_ALIASES = {
  us: "us",
  usa: "us",
  "united states": "us",
  "united states of america": "us",
  america: "us",
  uk: "gb",
  gb: "gb",
  "united kingdom": "gb",
  "great britain": "gb",
  england: "gb",
  britain: "gb",
  de: "de",
  deu: "de",
  germany: "de",
  deutschland: "de",
  fr: "fr",
  fra: "fr",
  france: "fr",
  es: "es",
  esp: "es",
  spain: "es",
  espana: "es",
  it: "it",
  ita: "it",
  italy: "it",
  italia: "it",
  nl: "nl",
  nld: "nl",
  netherlands: "nl",
  "the netherlands": "nl",
  holland: "nl",
  nederland: "nl",
  at: "at",
  austria: "at",
  osterreich: "at",
  oesterreich: "at",
  ch: "ch",
  switzerland: "ch",
  schweiz: "ch",
  suisse: "ch",
  be: "be",
  belgium: "be",
  belgique: "be",
  belgie: "be",
  ca: "ca",
  canada: "ca",
  mx: "mx",
  mexico: "mx",
  br: "br",
  brazil: "br",
  brasil: "br",
  jp: "jp",
  japan: "jp",
  cn: "cn",
  china: "cn",
  in: "in",
  india: "in",
  au: "au",
  australia: "au",
  pt: "pt",
  portugal: "pt",
  ie: "ie",
  ireland: "ie",
  se: "se",
  sweden: "se",
  pl: "pl",
  poland: "pl"
};
function normalizeCountry(country) {
  if (!country) return void 0;
  const folded = foldText(country).replace(/[^a-z ]+/g, " ").replace(/\s+/g, " ").trim();
  if (folded.length === 0) return void 0;
  return COUNTRY_ALIASES[folded] ?? folded;
}
function phoneticKey(token) {
  if (token.length === 0) return "";
  const t = token.replace(/ph/g, "f").replace(/ck/g, "k").replace(/x/g, "ks").replace(/dt/g, "t");
  let out = t[0];
  let last = "";
  for (let i = 1; i < t.length; i++) {
    let c = t[i];
    if ("aeiouyhw".includes(c)) {
      last = "";
      continue;
    }
    if (c === "c" || c === "q") c = "k";
    else if (c === "z") c = "s";
    else if (c === "d") c = "t";
    else if (c === "v") c = "f";
    if (c !== last) out += c;
    last = c;
  }
  return out;
}
function customerProfile(account) {
  const domain = registrableDomain(account.Website);
  const name = normalizeCompanyName(account.Name);
  const country = normalizeCountry(account.BillingCountry);
  return {
    id: account.Id,
    name,
    domain: domain && !isSharedDomain(domain) ? domain : void 0,
    phone: phoneDigits(account.Phone),
    postalCode: normalizePostalCode(account.BillingPostalCode),
    countries: country ? [country] : domainCountry(domain) ? [domainCountry(domain)] : legalFormCountries(name.legalForms)
  };
}

var peq = new Uint32Array(65536);
var myers_32 = (a, b) => {
  const n = a.length;
  const m = b.length;
  const lst = 1 << n - 1;
  let pv = -1;
  let mv = 0;
  let sc = n;
  let i = n;
  while (i--) {
    peq[a.charCodeAt(i)] |= 1 << i;
  }
  for (i = 0; i < m; i++) {
    let eq = peq[b.charCodeAt(i)];
    const xv = eq | mv;
    eq |= (eq & pv) + pv ^ pv;
    mv |= ~(eq | pv);
    pv &= eq;
    if (mv & lst) {
      sc++;
    }
    if (pv & lst) {
      sc--;
    }
    mv = mv << 1 | 1;
    pv = pv << 1 | ~(xv | mv);
    mv &= xv;
  }
  i = n;
  while (i--) {
    peq[a.charCodeAt(i)] = 0;
  }
  return sc;
};
var myers_x = (b, a) => {
  const n = a.length;
  const m = b.length;
  const mhc = [];
  const phc = [];
  const hsize = Math.ceil(n / 32);
  const vsize = Math.ceil(m / 32);
  for (let i = 0; i < hsize; i++) {
    phc[i] = -1;
    mhc[i] = 0;
  }
  let j = 0;
  for (; j < vsize - 1; j++) {
    let mv2 = 0;
    let pv2 = -1;
    const start2 = j * 32;
    const vlen2 = Math.min(32, m) + start2;
    for (let k = start2; k < vlen2; k++) {
      peq[b.charCodeAt(k)] |= 1 << k;
    }
    for (let i = 0; i < n; i++) {
      const eq = peq[a.charCodeAt(i)];
      const pb = phc[i / 32 | 0] >>> i & 1;
      const mb = mhc[i / 32 | 0] >>> i & 1;
      const xv = eq | mv2;
      const xh = ((eq | mb) & pv2) + pv2 ^ pv2 | eq | mb;
      let ph = mv2 | ~(xh | pv2);
      let mh = pv2 & xh;
      if (ph >>> 31 ^ pb) {
        phc[i / 32 | 0] ^= 1 << i;
      }
      if (mh >>> 31 ^ mb) {
        mhc[i / 32 | 0] ^= 1 << i;
      }
      ph = ph << 1 | pb;
      mh = mh << 1 | mb;
      pv2 = mh | ~(xv | ph);
      mv2 = ph & xv;
    }
    for (let k = start2; k < vlen2; k++) {
      peq[b.charCodeAt(k)] = 0;
    }
  }
  let mv = 0;
  let pv = -1;
  const start = j * 32;
  const vlen = Math.min(32, m - start) + start;
  for (let k = start; k < vlen; k++) {
    peq[b.charCodeAt(k)] |= 1 << k;
  }
  let score = m;
  for (let i = 0; i < n; i++) {
    const eq = peq[a.charCodeAt(i)];
    const pb = phc[i / 32 | 0] >>> i & 1;
    const mb = mhc[i / 32 | 0] >>> i & 1;
    const xv = eq | mv;
    const xh = ((eq | mb) & pv) + pv ^ pv | eq | mb;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    score += ph >>> m - 1 & 1;
    score -= mh >>> m - 1 & 1;
    if (ph >>> 31 ^ pb) {
      phc[i / 32 | 0] ^= 1 << i;
    }
    if (mh >>> 31 ^ mb) {
      mhc[i / 32 | 0] ^= 1 << i;
    }
    ph = ph << 1 | pb;
    mh = mh << 1 | mb;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  for (let k = start; k < vlen; k++) {
    peq[b.charCodeAt(k)] = 0;
  }
  return score;
};
var distance = (a, b) => {
  if (a.length < b.length) {
    const tmp = b;
    b = a;
    a = tmp;
  }
  if (b.length === 0) {
    return a.length;
  }
  if (a.length <= 32) {
    return myers_32(a, b);
  }
  return myers_x(a, b);
};

var __defProp2 = Object.defineProperty;
var __name = (target, value) => __defProp2(target, "name", { value, configurable: true });
function decodeUtf8(str) {
  return typeof str === "string" ? [...str] : str;
}
__name(decodeUtf8, "decodeUtf8");
function jaroWinkler(stringCompare, stringCompareWith) {
  const a1 = decodeUtf8(stringCompare);
  const a2 = decodeUtf8(stringCompareWith);
  const l1 = a1.length;
  const l2 = a2.length;
  const matches1 = new Uint8Array(l1);
  const matches2 = new Uint8Array(l2);
  const matches = getMatching(a1, a2, matches1, matches2);
  if (matches <= 0)
    return 0;
  const transpositions = getTranspositions(a1, a2, matches1, matches2);
  const similarity = (matches / l1 + matches / l2 + (matches - transpositions) / matches) / 3;
  const prefixScale = 0.1;
  const prefix = getPrefix(a1, a2);
  return similarity + prefix * prefixScale * (1 - similarity);
}
__name(jaroWinkler, "jaroWinkler");
function getMatching(a1, a2, matches1, matches2) {
  const matchWindow = Math.floor(Math.max(a1.length, a2.length) / 2);
  let matches = 0;
  let index1 = 0;
  let index2 = 0;
  for (index1 = 0; index1 < a1.length; index1++) {
    const start = Math.max(0, index1 - matchWindow);
    const end = Math.min(index1 + matchWindow + 1, a2.length);
    for (index2 = start; index2 < end; index2++) {
      if (matches2[index2]) {
        continue;
      }
      if (a1[index1] !== a2[index2]) {
        continue;
      }
      matches1[index1] = 1;
      matches2[index2] = 1;
      ++matches;
      break;
    }
  }
  return matches;
}
__name(getMatching, "getMatching");
function getTranspositions(a1, a2, matches1, matches2) {
  let transpositions = 0;
  for (let i1 = 0, i2 = 0; i1 < a1.length; i1++) {
    if (matches1[i1] === 0)
      continue;
    while (i2 < matches2.length && matches2[i2] === 0)
      i2++;
    if (a1[i1] !== a2[i2])
      transpositions++;
    i2++;
  }
  return Math.floor(transpositions / 2);
}
__name(getTranspositions, "getTranspositions");
function getPrefix(a1, a2) {
  const prefixLimit = 4;
  let p = 0;
  for (; p < prefixLimit; p++) {
    if (a1[p] !== a2[p])
      return p;
  }
  return ++p;
}
__name(getPrefix, "getPrefix");

function isAdjacentSwap(a, b) {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i >= a.length - 1) return false;
  if (a[i] !== b[i + 1] || a[i + 1] !== b[i]) return false;
  return a.slice(i + 2) === b.slice(i + 2);
}
function editDistance(a, b) {
  return isAdjacentSwap(a, b) ? 1 : distance(a, b);
}
function tokenSimilarity(a, b) {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  if (longer <= 3) return 0;
  return 1 - editDistance(a, b) / longer;
}
function nameSimilarity(a, b, minTokenSimilarity = DEFAULT_MATCHING.tokenSimilarity) {
  if (a.compact.length === 0 || b.compact.length === 0) return 0;
  if (a.compact === b.compact) return 1;
  const total = a.compact.length + b.compact.length;
  const used = new Uint8Array(b.tokens.length);
  let matched = 0;
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
function compareCustomers(a, b, config = DEFAULT_MATCHING) {
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
  score = Math.round(Math.max(0, Math.min(1, score)) * 1e3) / 1e3;
  return { score, name, sameDomain, samePhone, samePostalCode, differentDomain, differentCountry };
}
function isSameCustomer(evidence, config = DEFAULT_MATCHING) {
  return evidence.score >= config.threshold;
}
function blockingKeys(p) {
  const keys = [];
  if (p.domain) keys.push(`d|${p.domain}`);
  if (p.phone) keys.push(`p|${p.phone}`);
  const { tokens, compact } = p.name;
  for (const t of tokens) if (t.length >= 3 || tokens.length === 1) keys.push(`t|${t}`);
  if (tokens.length > 0) {
    const longest = tokens.reduce((x, y) => y.length > x.length ? y : x);
    keys.push(`k|${phoneticKey(tokens[0])}`);
    if (longest !== tokens[0]) keys.push(`k|${phoneticKey(longest)}`);
  }
  if (compact.length >= 4) {
    keys.push(`c|${compact.slice(0, 3)}`);
    keys.push(`e|${compact.slice(-4)}`);
  }
  if (p.postalCode && compact.length > 0) keys.push(`z|${p.postalCode}|${compact[0]}`);
  return [...new Set(keys)];
}
var UnionFind = class {
  constructor(n) {
    __publicField(this, "parent");
    __publicField(this, "size");
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i) {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i]];
      i = p[i];
    }
    return i;
  }
  union(a, b) {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
    return true;
  }
};
function clusterCustomers(accounts, config = DEFAULT_MATCHING) {
  const profiles = [];
  for (const a of accounts) profiles.push("name" in a && typeof a.name === "object" && a.name !== null ? a : customerProfile(a));
  const n = profiles.length;
  const blocks = /* @__PURE__ */ new Map();
  const blockKeyOf = /* @__PURE__ */ new Map();
  const skipOversized = /* @__PURE__ */ new Set();
  for (let i = 0; i < n; i++) {
    for (const key of blockingKeys(profiles[i])) {
      const block = blocks.get(key);
      if (block) block.push(i);
      else {
        const created = [i];
        blocks.set(key, created);
        if (key.startsWith("e|")) blockKeyOf.set(created, "e");
        if (key.startsWith("t|") || key.startsWith("k|")) skipOversized.add(created);
      }
    }
  }
  const uf = new UnionFind(n);
  const stats = { records: n, blocks: 0, oversizedBlocks: 0, comparisons: 0, matches: 0, clusters: 0 };
  const domainsOf = /* @__PURE__ */ new Map();
  const countriesOf = /* @__PURE__ */ new Map();
  for (let i = 0; i < n; i++) {
    if (profiles[i].domain) domainsOf.set(i, [profiles[i].domain]);
    if (profiles[i].countries.length > 0) countriesOf.set(i, profiles[i].countries);
  }
  const cannotReach = (a, b) => {
    if (a.domain && a.domain === b.domain || a.phone && a.phone === b.phone) return false;
    const la = a.name.compact.length;
    const lb = b.name.compact.length;
    const nameBound = Math.abs(la - lb) <= 2 ? 1 : 2 * Math.min(la, lb) / (la + lb);
    return nameBound + config.postalCodeBonus < config.threshold;
  };
  const disjoint = (a, b) => !!a && !!b && !a.some((x) => b.includes(x));
  const tryPair = (i, j) => {
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
      [domainsOf, (a, b) => [.../* @__PURE__ */ new Set([...a, ...b])]],
      [countriesOf, (a, b) => a.filter((x) => b.includes(x))]
    ]) {
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
      if (skipOversized.has(block)) continue;
      const reversed = blockKeyOf.get(block) === "e";
      const keyed = block.map((i) => ({ i, k: reversed ? [...profiles[i].name.compact].reverse().join("") : profiles[i].name.compact }));
      keyed.sort((x, y) => x.k < y.k ? -1 : x.k > y.k ? 1 : x.i - y.i);
      const sorted = keyed.map((e) => e.i);
      const w = config.neighbourhoodWindow;
      for (let x = 0; x < sorted.length; x++) {
        const end = Math.min(sorted.length, x + 1 + w);
        for (let y = x + 1; y < end; y++) tryPair(sorted[x], sorted[y]);
      }
    }
  }
  blocks.clear();
  const rootMin = /* @__PURE__ */ new Map();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    const cur = rootMin.get(r);
    if (cur === void 0 || profiles[i].id < cur) rootMin.set(r, profiles[i].id);
  }
  const clusterOf = /* @__PURE__ */ new Map();
  const members = /* @__PURE__ */ new Map();
  const byId = /* @__PURE__ */ new Map();
  for (let i = 0; i < n; i++) {
    const cid = rootMin.get(uf.find(i));
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
    score(a, b) {
      if (a === b) return 1;
      const pa = byId.get(a);
      const pb = byId.get(b);
      if (!pa || !pb) return 0;
      return compareCustomers(pa, pb, config).score;
    }
  };
}

var REGISTERED = /* @__PURE__ */ new Set(["Submitted", "Approved"]);
var DAY_MS = 864e5;
function daysBetween(a, b) {
  return Math.round((Date.parse(b.slice(0, 10)) - Date.parse(a.slice(0, 10))) / DAY_MS);
}
function addDays(date, days) {
  return new Date(Date.parse(date.slice(0, 10)) + days * DAY_MS).toISOString().slice(0, 10);
}
function today(now = /* @__PURE__ */ new Date()) {
  return now.toISOString().slice(0, 10);
}
function registrationDate(o) {
  return o.Registration_Date__c ?? (o.CreatedDate ? o.CreatedDate.slice(0, 10) : void 0);
}
function isRegistration(o) {
  return !!o.Registered_Partner__c && REGISTERED.has(o.Registration_Status__c ?? "");
}
function isDirect(o) {
  return o.Channel__c === "Direct" || !o.Registered_Partner__c;
}
function registrationExpiry(o, rules = DEFAULT_RULES) {
  if (o.Registration_Expires__c) return o.Registration_Expires__c;
  const d = registrationDate(o);
  return d ? addDays(d, rules.registrationProtectionDays) : void 0;
}
function holdsRegistration(o, asOf) {
  if (!o.Registered_Partner__c || o.Registration_Status__c !== "Approved" || !o.Registration_Expires__c) return false;
  return o.Registration_Expires__c.slice(0, 10) >= asOf.slice(0, 10);
}
function protectionStatus(o, asOf, rules = DEFAULT_RULES) {
  if (!o.Registered_Partner__c || !o.Registration_Status__c) return { state: "not registered" };
  const expires = registrationExpiry(o, rules);
  const daysLeft = expires ? daysBetween(asOf, expires) : void 0;
  if (o.Registration_Status__c === "Expired" || daysLeft !== void 0 && daysLeft < 0) return { state: "expired", expires, daysLeft };
  if (o.Registration_Status__c !== "Approved") return { state: o.Registration_Status__c === "Submitted" ? "pending" : "not registered", expires, daysLeft };
  if (daysLeft !== void 0 && daysLeft <= rules.expiringWithinDays) return { state: "expiring soon", expires, daysLeft };
  return { state: "protected", expires, daysLeft };
}
function severityOf(type, detail = {}, rules = DEFAULT_RULES) {
  switch (type) {
    case "Protected Account":
    case "Direct vs Partner":
      return "High";
    case "Duplicate Registration":
      return detail.bothApproved ? "High" : "Medium";
    case "Price":
      return (detail.variancePct ?? 0) > 2 * rules.priceVariancePct ? "High" : "Medium";
  }
}
var byRegistration = (a, b) => {
  const da = registrationDate(a) ?? "";
  const db = registrationDate(b) ?? "";
  if (da !== db) return da < db ? -1 : 1;
  const ca = a.CreatedDate ?? "";
  const cb = b.CreatedDate ?? "";
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0;
};
var EACH_ACCOUNT_ITS_OWN = { clusterOf: (id) => id, score: (a, b) => a === b ? 1 : 0 };
function roundPct(x) {
  return Math.round(x * 10) / 10;
}
function detectConflicts(input, asOf, rules = DEFAULT_RULES) {
  const customers = input.customers ?? EACH_ACCOUNT_ITS_OWN;
  const names = input.names ?? /* @__PURE__ */ new Map();
  const nameOf = (id) => id ? names.get(id) ?? id : "?";
  const day = asOf.slice(0, 10);
  const directOnlyByCluster = /* @__PURE__ */ new Map();
  for (const a of input.accounts) {
    if (a.Direct_Only__c) {
      const c = customers.clusterOf(a.Id);
      const list = directOnlyByCluster.get(c);
      if (list) list.push(a.Id);
      else directOnlyByCluster.set(c, [a.Id]);
    }
  }
  const oppsByCluster = /* @__PURE__ */ new Map();
  const openOpps = /* @__PURE__ */ new Map();
  for (const o of input.opportunities) {
    if (o.IsClosed || !o.AccountId) continue;
    openOpps.set(o.Id, o);
    const c = customers.clusterOf(o.AccountId);
    const list = oppsByCluster.get(c);
    if (list) list.push(o);
    else oppsByCluster.set(c, [o]);
  }
  const pricesByOpp = /* @__PURE__ */ new Map();
  for (const li of input.lineItems ?? []) {
    if (!openOpps.has(li.OpportunityId) || typeof li.UnitPrice !== "number" || !li.Product2Id) continue;
    let prices = pricesByOpp.get(li.OpportunityId);
    if (!prices) pricesByOpp.set(li.OpportunityId, prices = /* @__PURE__ */ new Map());
    const cur = prices.get(li.Product2Id);
    if (cur === void 0 || li.UnitPrice < cur) prices.set(li.Product2Id, li.UnitPrice);
  }
  const out = [];
  const clusterIds = [...oppsByCluster.keys()].sort();
  for (const cid of clusterIds) {
    const opps = oppsByCluster.get(cid).sort((a, b) => a.Id < b.Id ? -1 : 1);
    const registrations = opps.filter(isRegistration).sort(byRegistration);
    const score = (a, b) => customers.score(a.AccountId, b.AccountId);
    const window = rules.registrationProtectionDays;
    for (let j = 1; j < registrations.length; j++) {
      const later = registrations[j];
      const laterDate = registrationDate(later);
      if (!laterDate) continue;
      for (let i = 0; i < j; i++) {
        const earlier = registrations[i];
        const earlierDate = registrationDate(earlier);
        if (!earlierDate || earlier.Registered_Partner__c === later.Registered_Partner__c) continue;
        const gap = daysBetween(earlierDate, laterDate);
        if (gap > window) continue;
        out.push({
          type: "Duplicate Registration",
          accountId: later.AccountId,
          opportunityId: later.Id,
          conflictingOpportunityId: earlier.Id,
          partnerId: later.Registered_Partner__c,
          score: score(later, earlier),
          severity: severityOf("Duplicate Registration", { bothApproved: later.Registration_Status__c === "Approved" && earlier.Registration_Status__c === "Approved" }, rules),
          rule: ruleSummary("Duplicate Registration", rules),
          reason: `${nameOf(earlier.Registered_Partner__c)} registered this customer on ${earlierDate}` + (gap === 0 ? " (same day, created earlier)" : `, ${gap} day${gap === 1 ? "" : "s"} before ${nameOf(later.Registered_Partner__c)}`) + ` (window ${window} days): the earlier registration wins.`
        });
      }
    }
    const holders = registrations.filter((o) => holdsRegistration(o, day));
    if (holders.length > 0) {
      for (const direct of opps) {
        if (!isDirect(direct)) continue;
        for (const holder of holders) {
          if (holder.Id === direct.Id) continue;
          const expiry = holder.Registration_Expires__c;
          const left = daysBetween(day, expiry);
          out.push({
            type: "Direct vs Partner",
            accountId: direct.AccountId,
            opportunityId: direct.Id,
            conflictingOpportunityId: holder.Id,
            partnerId: holder.Registered_Partner__c,
            score: score(direct, holder),
            severity: severityOf("Direct vs Partner", {}, rules),
            rule: ruleSummary("Direct vs Partner", rules),
            reason: `${nameOf(holder.Registered_Partner__c)} holds an approved registration for this customer until ${expiry}` + (left <= rules.expiringWithinDays ? ` (expires in ${left} day${left === 1 ? "" : "s"})` : "") + "; a direct deal competes with it."
          });
        }
      }
    }
    const protectedAccounts = directOnlyByCluster.get(cid);
    if (rules.protectDirectOnlyAccounts && protectedAccounts && protectedAccounts.length > 0) {
      for (const reg of registrations) {
        const own = protectedAccounts.includes(reg.AccountId);
        const protectedId = own ? reg.AccountId : [...protectedAccounts].sort()[0];
        out.push({
          type: "Protected Account",
          accountId: protectedId,
          opportunityId: reg.Id,
          partnerId: reg.Registered_Partner__c,
          score: customers.score(reg.AccountId, protectedId),
          severity: severityOf("Protected Account", {}, rules),
          rule: ruleSummary("Protected Account", rules),
          reason: `${nameOf(reg.Registered_Partner__c)} registered a deal on ${own ? "a" : `${nameOf(protectedId)}, a`} direct-only customer; partners may not register here.`
        });
      }
    }
    const byProduct = /* @__PURE__ */ new Map();
    for (const o of opps) {
      const prices = pricesByOpp.get(o.Id);
      if (!prices) continue;
      const channel = o.Registered_Partner__c && o.Channel__c !== "Direct" ? `partner:${o.Registered_Partner__c}` : "direct";
      for (const [product, price] of prices) {
        const list = byProduct.get(product);
        const entry = { opp: o, price, channel };
        if (list) list.push(entry);
        else byProduct.set(product, [entry]);
      }
    }
    for (const product of [...byProduct.keys()].sort()) {
      const entries = byProduct.get(product).sort(
        (a, b) => a.price - b.price || (a.opp.Id < b.opp.Id ? -1 : 1)
      );
      for (let x = 0; x < entries.length; x++) {
        for (let y = x + 1; y < entries.length; y++) {
          const low = entries[x];
          const high = entries[y];
          if (low.channel === high.channel) continue;
          const diff = high.price - low.price;
          if (diff <= rules.priceVariancePct / 100 * low.price) continue;
          const variancePct = low.price > 0 ? diff / low.price * 100 : Infinity;
          const partnerSide = low.channel !== "direct" ? low.opp : high.opp;
          const lowChannel = low.channel === "direct" ? "direct" : nameOf(low.opp.Registered_Partner__c);
          const highChannel = high.channel === "direct" ? "direct" : nameOf(high.opp.Registered_Partner__c);
          out.push({
            type: "Price",
            accountId: low.opp.AccountId,
            opportunityId: low.opp.Id,
            conflictingOpportunityId: high.opp.Id,
            partnerId: partnerSide.Registered_Partner__c ?? void 0,
            productId: product,
            score: score(low.opp, high.opp),
            severity: severityOf("Price", { variancePct }, rules),
            rule: ruleSummary("Price", rules),
            reason: `${nameOf(product)} at ${low.price} (${lowChannel}) vs ${high.price} (${highChannel}): ` + (Number.isFinite(variancePct) ? `${roundPct(variancePct)}%` : "more than") + ` apart, above ${rules.priceVariancePct}%.`
          });
        }
      }
    }
  }
  return out;
}
export {
  CONFLICT_TYPES,
  DEFAULT_MATCHING,
  DEFAULT_RULES,
  clusterCustomers,
  compareCustomers,
  customerProfile,
  daysBetween,
  describeRule,
  detectConflicts,
  foldText,
  holdsRegistration,
  isDirect,
  isRegistration,
  isSameCustomer,
  nameSimilarity,
  normalizeCompanyName,
  normalizeCountry,
  normalizePostalCode,
  phoneDigits,
  protectionStatus,
  registrableDomain,
  registrationExpiry,
  ruleSummary,
  severityOf,
  today
};
