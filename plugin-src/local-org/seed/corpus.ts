/**
 * Word lists the seed generator builds realistic records from: countries with their legal
 * forms, phone and postal formats, cities and people's names; company-name parts; the
 * product catalogue; partner names. Plain data, no logic beyond small formatters.
 */

export type CountryCode = 'US' | 'GB' | 'DE' | 'FR' | 'ES' | 'IT' | 'NL';

/** A legal form and the ways people actually write it. `comma` forms read "ACME, Inc.". */
export interface LegalForm {
  canonical: string;
  variants: readonly string[];
  comma?: boolean;
  weight: number;
}

export interface City {
  name: string;
  state?: string;
  /** phone area code without trunk prefix (IT keeps its leading 0, as Italian numbers do) */
  area: string;
  /** digits the city's postal codes start with (or GB outward codes) */
  postal: readonly string[];
}

export interface Country {
  code: CountryCode;
  /** canonical name first, then what people type instead */
  names: readonly string[];
  tld: string;
  phoneCc: string;
  /** national trunk prefix ('0' in most of Europe, '' in US and IT) */
  trunk: string;
  /** subscriber number length per area length: total national significant digits */
  nationalDigits: number;
  legalForms: readonly LegalForm[];
  cities: readonly City[];
  firstNames: readonly string[];
  lastNames: readonly string[];
  streets: readonly string[];
  /** "&" in this language */
  and: string;
  weight: number;
}

export const COUNTRIES: readonly Country[] = [
  {
    code: 'US',
    names: ['United States', 'USA', 'US', 'United States of America'],
    tld: 'com',
    phoneCc: '1',
    trunk: '',
    nationalDigits: 10,
    legalForms: [
      { canonical: 'Inc.', variants: ['Inc.', 'Inc', 'Incorporated', 'INC.'], comma: true, weight: 5 },
      { canonical: 'LLC', variants: ['LLC', 'L.L.C.', 'Llc'], comma: true, weight: 3 },
      { canonical: 'Corp.', variants: ['Corp.', 'Corporation', 'Corp'], weight: 2 },
      { canonical: 'Co.', variants: ['Co.', 'Company', 'Co'], weight: 1 }
    ],
    cities: [
      { name: 'New York', state: 'NY', area: '212', postal: ['100', '101'] },
      { name: 'San Francisco', state: 'CA', area: '415', postal: ['941'] },
      { name: 'Chicago', state: 'IL', area: '312', postal: ['606'] },
      { name: 'Austin', state: 'TX', area: '512', postal: ['787'] },
      { name: 'Boston', state: 'MA', area: '617', postal: ['021'] },
      { name: 'Seattle', state: 'WA', area: '206', postal: ['981'] },
      { name: 'Atlanta', state: 'GA', area: '404', postal: ['303'] },
      { name: 'Denver', state: 'CO', area: '303', postal: ['802'] }
    ],
    firstNames: ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Susan', 'Richard', 'Jessica', 'Joseph', 'Sarah', 'Thomas', 'Karen', 'Chris', 'Nancy'],
    lastNames: ['Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Moore', 'Jackson', 'White', 'Harris', 'Thompson', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Baker', 'Adams', 'Nelson', 'Carter', 'Mitchell', "O'Brien"],
    streets: ['Main St', 'Market St', 'Broadway', 'Oak Ave', 'Maple Ave', 'Park Blvd', 'Lincoln Ave', 'Washington St', 'Lake Shore Dr', 'Pine St', 'Cedar Rd', 'Commerce Way'],
    and: 'and',
    weight: 30
  },
  {
    code: 'GB',
    names: ['United Kingdom', 'UK', 'GB', 'Great Britain', 'England'],
    tld: 'co.uk',
    phoneCc: '44',
    trunk: '0',
    nationalDigits: 10,
    legalForms: [
      { canonical: 'Ltd', variants: ['Ltd', 'Ltd.', 'Limited', 'LTD'], weight: 6 },
      { canonical: 'PLC', variants: ['PLC', 'plc', 'P.L.C.', 'Public Limited Company'], weight: 2 },
      { canonical: 'LLP', variants: ['LLP', 'L.L.P.'], weight: 1 }
    ],
    cities: [
      { name: 'London', area: '20', postal: ['EC1A', 'EC2M', 'SW1A', 'W1D', 'N1', 'SE1', 'E14'] },
      { name: 'Manchester', area: '161', postal: ['M1', 'M2', 'M3', 'M4'] },
      { name: 'Birmingham', area: '121', postal: ['B1', 'B2', 'B3', 'B4'] },
      { name: 'Leeds', area: '113', postal: ['LS1', 'LS2'] },
      { name: 'Bristol', area: '117', postal: ['BS1', 'BS2'] },
      { name: 'Edinburgh', area: '131', postal: ['EH1', 'EH2', 'EH3'] },
      { name: 'Glasgow', area: '141', postal: ['G1', 'G2'] }
    ],
    firstNames: ['Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Emily', 'Jack', 'Sophie', 'Charlie', 'Grace', 'Thomas', 'Chloe', 'Alfie', 'Lucy', 'Henry', 'Ella', 'William', 'Hannah', 'James', 'Jessica'],
    lastNames: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Hughes', 'Edwards', 'Turner', 'Collins', 'Stewart', 'McDonald'],
    streets: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'King Street', 'Queen Street', 'Mill Lane', 'Park Road', 'London Road', 'Bridge Street'],
    and: 'and',
    weight: 14
  },
  {
    code: 'DE',
    names: ['Germany', 'Deutschland', 'DE', 'GER'],
    tld: 'de',
    phoneCc: '49',
    trunk: '0',
    nationalDigits: 10,
    legalForms: [
      { canonical: 'GmbH', variants: ['GmbH', 'Gmbh', 'GMBH', 'G.m.b.H.'], weight: 7 },
      { canonical: 'AG', variants: ['AG', 'A.G.', 'Aktiengesellschaft'], weight: 2 },
      { canonical: 'GmbH & Co. KG', variants: ['GmbH & Co. KG', 'GmbH & Co KG', 'GmbH und Co. KG'], weight: 2 },
      { canonical: 'KG', variants: ['KG', 'K.G.', 'Kommanditgesellschaft'], weight: 1 }
    ],
    cities: [
      { name: 'Berlin', area: '30', postal: ['101', '104', '107', '109', '120', '133'] },
      { name: 'München', area: '89', postal: ['803', '806', '809', '813'] },
      { name: 'Hamburg', area: '40', postal: ['200', '203', '205', '221'] },
      { name: 'Frankfurt am Main', area: '69', postal: ['603', '604', '605'] },
      { name: 'Köln', area: '221', postal: ['506', '508', '509'] },
      { name: 'Stuttgart', area: '711', postal: ['701', '703', '705'] },
      { name: 'Düsseldorf', area: '211', postal: ['402', '404', '405'] },
      { name: 'Leipzig', area: '341', postal: ['041', '043'] }
    ],
    firstNames: ['Lukas', 'Anna', 'Jonas', 'Lea', 'Felix', 'Laura', 'Maximilian', 'Julia', 'Paul', 'Sophie', 'Jürgen', 'Katrin', 'Stefan', 'Sabine', 'Andreas', 'Petra', 'Thomas', 'Monika', 'Björn', 'Jörg'],
    lastNames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger', 'Hartmann', 'Lange', 'Weiß', 'Jäger', 'Groß', 'Köhler', 'Böhm', 'Fuchs'],
    streets: ['Hauptstraße', 'Bahnhofstraße', 'Gartenstraße', 'Schillerstraße', 'Goethestraße', 'Industriestraße', 'Lindenallee', 'Marktplatz', 'Friedrichstraße', 'Königsallee'],
    and: 'und',
    weight: 18
  },
  {
    code: 'FR',
    names: ['France', 'FR', 'République française'],
    tld: 'fr',
    phoneCc: '33',
    trunk: '0',
    nationalDigits: 9,
    legalForms: [
      { canonical: 'SA', variants: ['SA', 'S.A.', 'Société Anonyme'], weight: 3 },
      { canonical: 'SAS', variants: ['SAS', 'S.A.S.', 'S.A.S'], weight: 4 },
      { canonical: 'SARL', variants: ['SARL', 'S.A.R.L.', 'Sàrl', 'Sarl'], weight: 3 }
    ],
    cities: [
      { name: 'Paris', area: '1', postal: ['7500', '7501', '7502'] },
      { name: 'Lyon', area: '4', postal: ['6900'] },
      { name: 'Marseille', area: '4', postal: ['1300', '1301'] },
      { name: 'Toulouse', area: '5', postal: ['3100', '3120'] },
      { name: 'Lille', area: '3', postal: ['5900', '5980'] },
      { name: 'Nantes', area: '2', postal: ['4400', '4430'] },
      { name: 'Bordeaux', area: '5', postal: ['3300', '3320'] }
    ],
    firstNames: ['Louis', 'Camille', 'Gabriel', 'Léa', 'Jules', 'Chloé', 'Hugo', 'Manon', 'Arthur', 'Inès', 'Théo', 'Zoé', 'Raphaël', 'Élodie', 'Nicolas', 'Amélie', 'Julien', 'Céline', 'François', 'Hélène'],
    lastNames: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Lefèvre', 'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Béranger', 'Mercier', 'Chevalier', 'Gauthier', 'Côté', 'Lemaître'],
    streets: ['rue de la République', 'avenue des Champs-Élysées', 'rue Victor Hugo', 'boulevard Haussmann', 'rue du Faubourg', 'avenue Jean Jaurès', 'rue Nationale', 'place Bellecour', 'quai des Chartrons'],
    and: 'et',
    weight: 10
  },
  {
    code: 'ES',
    names: ['Spain', 'España', 'ES', 'Espana'],
    tld: 'es',
    phoneCc: '34',
    trunk: '',
    nationalDigits: 9,
    legalForms: [
      { canonical: 'S.L.', variants: ['S.L.', 'SL', 'S.L', 'Sociedad Limitada'], weight: 6 },
      { canonical: 'S.A.', variants: ['S.A.', 'SA', 'S.A', 'Sociedad Anónima'], weight: 3 },
      { canonical: 'S.L.U.', variants: ['S.L.U.', 'SLU', 'S.L.U'], weight: 1 }
    ],
    cities: [
      { name: 'Madrid', area: '91', postal: ['280'] },
      { name: 'Barcelona', area: '93', postal: ['080'] },
      { name: 'Valencia', area: '96', postal: ['460'] },
      { name: 'Sevilla', area: '95', postal: ['410'] },
      { name: 'Bilbao', area: '94', postal: ['480'] },
      { name: 'Zaragoza', area: '976', postal: ['500'] },
      { name: 'Málaga', area: '95', postal: ['290'] }
    ],
    firstNames: ['Hugo', 'Lucía', 'Martín', 'Sofía', 'Pablo', 'María', 'Alejandro', 'Paula', 'Daniel', 'Carmen', 'Javier', 'Elena', 'Álvaro', 'Nuria', 'Sergio', 'Begoña', 'Íñigo', 'Ana', 'José', 'Inés'],
    lastNames: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín', 'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Núñez', 'Ibáñez', 'Peña', 'Castaño'],
    streets: ['Calle Mayor', 'Gran Vía', 'Paseo de la Castellana', 'Avenida Diagonal', 'Calle de Alcalá', 'Calle Serrano', 'Avenida de América', 'Calle Colón', 'Plaza España'],
    and: 'y',
    weight: 10
  },
  {
    code: 'IT',
    names: ['Italy', 'Italia', 'IT'],
    tld: 'it',
    phoneCc: '39',
    trunk: '',
    nationalDigits: 10,
    legalForms: [
      { canonical: 'S.r.l.', variants: ['S.r.l.', 'SRL', 'Srl', 'S.R.L.'], weight: 6 },
      { canonical: 'S.p.A.', variants: ['S.p.A.', 'SpA', 'SPA', 'S.P.A.'], weight: 3 }
    ],
    cities: [
      { name: 'Milano', area: '02', postal: ['201'] },
      { name: 'Roma', area: '06', postal: ['001'] },
      { name: 'Torino', area: '011', postal: ['101'] },
      { name: 'Napoli', area: '081', postal: ['801'] },
      { name: 'Bologna', area: '051', postal: ['401'] },
      { name: 'Firenze', area: '055', postal: ['501'] }
    ],
    firstNames: ['Leonardo', 'Sofia', 'Francesco', 'Giulia', 'Alessandro', 'Aurora', 'Lorenzo', 'Alice', 'Mattia', 'Ginevra', 'Niccolò', 'Martina', 'Andrea', 'Chiara', 'Marco', 'Francesca', 'Luca', 'Elena', 'Giuseppe', 'Federica'],
    lastNames: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti', 'De Luca', 'Mancini', 'Costa', 'Giordano', 'Rizzo', 'Lombardi', 'Moretti', 'Fabbri', 'Barbieri', 'Fontana', 'Santoro'],
    streets: ['Via Roma', 'Via Garibaldi', 'Corso Vittorio Emanuele', 'Via Mazzini', 'Via Dante', 'Piazza del Duomo', 'Via Torino', 'Corso Buenos Aires', 'Via Nazionale'],
    and: 'e',
    weight: 9
  },
  {
    code: 'NL',
    names: ['Netherlands', 'Nederland', 'NL', 'The Netherlands', 'Holland'],
    tld: 'nl',
    phoneCc: '31',
    trunk: '0',
    nationalDigits: 9,
    legalForms: [
      { canonical: 'B.V.', variants: ['B.V.', 'BV', 'B.V', 'Besloten Vennootschap'], weight: 6 },
      { canonical: 'N.V.', variants: ['N.V.', 'NV', 'N.V'], weight: 2 }
    ],
    cities: [
      { name: 'Amsterdam', area: '20', postal: ['101', '102', '105', '107'] },
      { name: 'Rotterdam', area: '10', postal: ['301', '302', '304'] },
      { name: 'Den Haag', area: '70', postal: ['251', '252', '256'] },
      { name: 'Utrecht', area: '30', postal: ['351', '352', '356'] },
      { name: 'Eindhoven', area: '40', postal: ['561', '562'] }
    ],
    firstNames: ['Daan', 'Emma', 'Sem', 'Julia', 'Lucas', 'Mila', 'Levi', 'Tess', 'Finn', 'Sophie', 'Bram', 'Anouk', 'Jeroen', 'Femke', 'Pieter', 'Sanne', 'Thijs', 'Lotte', 'Ruben', 'Maud'],
    lastNames: ['de Vries', 'Jansen', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits'],
    streets: ['Kalverstraat', 'Damrak', 'Coolsingel', 'Stationsweg', 'Kerkstraat', 'Dorpsstraat', 'Herengracht', 'Keizersgracht', 'Marktplein'],
    and: 'en',
    weight: 8
  }
];

export const COUNTRY_BY_CODE: Readonly<Record<CountryCode, Country>> = Object.fromEntries(
  COUNTRIES.map((c) => [c.code, c])
) as Record<CountryCode, Country>;

/** Brand words shared by many real companies: the source of "shares a generic word" near misses. */
export const GENERIC_BRANDS: readonly string[] = [
  'Global', 'United', 'General', 'International', 'National', 'Premier', 'First', 'Pacific', 'Atlantic', 'Nordic',
  'Euro', 'Alpine', 'Metro', 'Central', 'Royal', 'Standard', 'Allied', 'Advanced', 'Modern', 'Prime', 'Summit',
  'Pioneer', 'Liberty', 'Continental', 'Coastal', 'Northern', 'Southern', 'Western', 'Eastern', 'Golden'
];

export const BRAND_PREFIXES: readonly string[] = [
  'Acu', 'Aero', 'Alta', 'Ampli', 'Apex', 'Aqua', 'Arc', 'Astra', 'Axi', 'Bay', 'Bel', 'Blue', 'Bright', 'Cal', 'Cap',
  'Car', 'Cel', 'Cen', 'Clear', 'Cor', 'Crest', 'Cy', 'Data', 'Del', 'Dyna', 'Eco', 'El', 'Em', 'En', 'Evo', 'Far',
  'Fin', 'Flex', 'Gen', 'Geo', 'Gran', 'Hel', 'Hori', 'Hydro', 'Inno', 'Iso', 'Kel', 'Kin', 'Lum', 'Mag', 'Mar',
  'Max', 'Med', 'Meri', 'Neo', 'Nor', 'Nova', 'Oct', 'Om', 'Opti', 'Or', 'Pan', 'Pro', 'Pri', 'Quan', 'Ra', 'Red',
  'Sil', 'Sol', 'Stra', 'Sun', 'Syn', 'Ter', 'Tri', 'Ul', 'Uni', 'Val', 'Vec', 'Ver', 'Vi', 'Xen', 'Zen', 'Zeph',
  'Quad', 'Rho'
];
export const BRAND_MIDDLES: readonly string[] = ['a', 'o', 'i', 'ra', 'li', 've', 'no', 'ta', 'ri', 'mo', 'lo', 'si', 'da', 'ne'];
export const BRAND_SUFFIXES: readonly string[] = [
  'tek', 'tron', 'via', 'nex', 'lux', 'gen', 'dyne', 'ware', 'logic', 'sys', 'tec', 'net', 'ium', 'ora', 'ant', 'ex',
  'ix', 'on', 'us', 'ara', 'ent', 'ica', 'point', 'line', 'stone', 'field', 'bridge', 'wave', 'core', 'path', 'vista',
  'sphere', 'works', 'ico', 'ano', 'iva', 'ster', 'mark', 'gate', 'forge'
];

/** Words after the brand ("Acme Tools"), with the industry such a company is in. */
export const DESCRIPTORS: readonly (readonly [string, string])[] = [
  ['', ''], ['', ''], ['', ''], ['', ''],
  ['Systems', 'Technology'], ['Solutions', 'Consulting'], ['Logistics', 'Transportation'], ['Foods', 'Food & Beverage'],
  ['Tools', 'Manufacturing'], ['Industries', 'Manufacturing'], ['Energy', 'Energy'], ['Health', 'Healthcare'],
  ['Pharma', 'Biotechnology'], ['Labs', 'Biotechnology'], ['Software', 'Technology'], ['Networks', 'Telecommunications'],
  ['Telecom', 'Telecommunications'], ['Media', 'Media'], ['Consulting', 'Consulting'], ['Partners', 'Consulting'],
  ['Capital', 'Finance'], ['Finance', 'Finance'], ['Insurance', 'Insurance'], ['Retail', 'Retail'],
  ['Fashion', 'Apparel'], ['Textiles', 'Apparel'], ['Chemicals', 'Chemicals'], ['Construction', 'Construction'],
  ['Engineering', 'Engineering'], ['Machinery', 'Machinery'], ['Motors', 'Machinery'], ['Electronics', 'Electronics'],
  ['Robotics', 'Machinery'], ['Analytics', 'Technology'], ['Cloud', 'Technology'], ['Security', 'Technology'],
  ['Shipping', 'Shipping'], ['Freight', 'Transportation'], ['Farms', 'Agriculture'], ['Agro', 'Agriculture'],
  ['Water', 'Utilities'], ['Power', 'Utilities'], ['Hotels', 'Hospitality'], ['Travel', 'Hospitality'],
  ['Studios', 'Entertainment'], ['Games', 'Entertainment'], ['Learning', 'Education'], ['Medical', 'Healthcare'],
  ['Dental', 'Healthcare'], ['Environmental', 'Environmental'], ['Recycling', 'Environmental'], ['Packaging', 'Manufacturing'],
  ['Plastics', 'Chemicals'], ['Metals', 'Manufacturing'], ['Steel', 'Manufacturing'], ['Aerospace', 'Engineering'],
  ['Marine', 'Shipping'], ['Automotive', 'Manufacturing'], ['Optics', 'Electronics'], ['Instruments', 'Electronics'],
  ['Gerätebau', 'Machinery'], ['Maschinenbau', 'Machinery'], ['Ibérica', 'Other'], ['Électronique', 'Electronics'],
  ['Técnica', 'Engineering'], ['Meccanica', 'Machinery'], ['Techniek', 'Engineering'], ['Médical', 'Healthcare'],
  ['Logística', 'Transportation'], ['Bäckerei', 'Food & Beverage']
];

/** Descriptors in one language: used as written in their country, in English elsewhere. */
export const LOCAL_DESCRIPTORS: Readonly<Record<string, readonly [CountryCode, string]>> = {
  Gerätebau: ['DE', 'Devices'],
  Maschinenbau: ['DE', 'Machine Works'],
  Bäckerei: ['DE', 'Bakery'],
  Ibérica: ['ES', 'Iberia'],
  Técnica: ['ES', 'Technics'],
  Logística: ['ES', 'Transport'],
  Électronique: ['FR', 'Electric'],
  Médical: ['FR', 'Medtech'],
  Meccanica: ['IT', 'Mechanics'],
  Techniek: ['NL', 'Techworks']
};

/** The descriptor as a company of that country writes it. */
export function localDescriptor(descriptor: string, country: CountryCode): string {
  const local = LOCAL_DESCRIPTORS[descriptor];
  return local && local[0] !== country ? local[1] : descriptor;
}

export const INDUSTRIES_FALLBACK: readonly string[] = ['Technology', 'Manufacturing', 'Retail', 'Consulting', 'Finance', 'Healthcare', 'Other'];

export interface Product {
  name: string;
  code: string;
  family: string;
  listPrice: number;
  /** sold per seat/device: large quantities */
  perUnit: boolean;
}

export const PRODUCTS: readonly Product[] = [
  { name: 'Channel Cloud Platform - Standard', code: 'CCP-STD', family: 'Platform', listPrice: 12000, perUnit: false },
  { name: 'Channel Cloud Platform - Enterprise', code: 'CCP-ENT', family: 'Platform', listPrice: 36000, perUnit: false },
  { name: 'Insight Analytics (25 seats)', code: 'INS-25', family: 'Analytics', listPrice: 7500, perUnit: false },
  { name: 'Insight Analytics (100 seats)', code: 'INS-100', family: 'Analytics', listPrice: 24000, perUnit: false },
  { name: 'SecureEdge Firewall Appliance', code: 'SEC-FW1', family: 'Hardware', listPrice: 4800, perUnit: false },
  { name: 'SecureEdge Endpoint (per device)', code: 'SEC-EP', family: 'Security', listPrice: 60, perUnit: true },
  { name: 'Identity Guard (per user)', code: 'SEC-IDG', family: 'Security', listPrice: 45, perUnit: true },
  { name: 'Data Backup 10 TB', code: 'BKP-10', family: 'Platform', listPrice: 3600, perUnit: false },
  { name: 'Edge Router X200', code: 'HW-X200', family: 'Hardware', listPrice: 1900, perUnit: false },
  { name: 'Rugged Tablet T8', code: 'HW-T8', family: 'Hardware', listPrice: 1200, perUnit: true },
  { name: 'Implementation Services (day)', code: 'SRV-IMP', family: 'Services', listPrice: 1400, perUnit: true },
  { name: 'Premium Support (annual)', code: 'SRV-SUP', family: 'Services', listPrice: 8000, perUnit: false },
  { name: 'Training Workshop', code: 'SRV-TRN', family: 'Services', listPrice: 2500, perUnit: false },
  { name: 'IoT Sensor Pack (10)', code: 'HW-IOT10', family: 'Hardware', listPrice: 650, perUnit: true },
  { name: 'Integration Connector', code: 'PLT-INT', family: 'Platform', listPrice: 5000, perUnit: false },
  { name: 'Compliance Reporting Add-on', code: 'ANL-CMP', family: 'Analytics', listPrice: 9000, perUnit: false }
];

/** Partner price book discount on list price. */
export const PARTNER_DISCOUNT = 0.15;

export const PARTNER_NAMES: readonly (readonly [string, CountryCode, string])[] = [
  ['Northwind Partners GmbH', 'DE', 'northwind-partners.de'],
  ['Bluewave Solutions Ltd', 'GB', 'bluewave-solutions.co.uk'],
  ['Contoso Systems Inc.', 'US', 'contososystems.com'],
  ['Fabrikam Distribution B.V.', 'NL', 'fabrikam.nl'],
  ['Iberia Tech Partners S.L.', 'ES', 'iberiatech.es'],
  ['Solaris Informatique SAS', 'FR', 'solaris-informatique.fr'],
  ['Tecnologie Alpine S.r.l.', 'IT', 'tecnologiealpine.it'],
  ['Summit Channel Group LLC', 'US', 'summitchannel.com'],
  ['Brightpath Resellers Ltd', 'GB', 'brightpath.co.uk'],
  ['Nordlicht IT-Systemhaus GmbH', 'DE', 'nordlicht-it.de'],
  ['Pinnacle Value Partners Inc.', 'US', 'pinnaclevalue.com'],
  ['Meridian Distribution AG', 'DE', 'meridian-distribution.de'],
  ['Cascade IT Services LLC', 'US', 'cascadeit.com'],
  ['Atlas Reseller Network B.V.', 'NL', 'atlasreseller.nl'],
  ['Helios Integración S.A.', 'ES', 'heliosintegracion.es'],
  ['Lumière Solutions SA', 'FR', 'lumiere-solutions.fr'],
  ['Orizzonte Digitale S.p.A.', 'IT', 'orizzontedigitale.it'],
  ['Redwood Channel Partners Inc.', 'US', 'redwoodchannel.com'],
  ['Thames Valley Systems Ltd', 'GB', 'thamesvalleysystems.co.uk'],
  ['Rhein-Main Datentechnik GmbH', 'DE', 'rheinmain-daten.de']
];

export const PARTNER_WORDS: readonly string[] = ['Solutions', 'Distribution', 'IT Services', 'Channel Partners', 'Systems Integration', 'Resellers', 'Technology Partners'];

export const CONTACT_TITLES: readonly string[] = [
  'CEO', 'CFO', 'CIO', 'CTO', 'Head of IT', 'IT Manager', 'Procurement Manager', 'Purchasing Director', 'Operations Director',
  'VP Sales', 'Head of Finance', 'Facilities Manager', 'Security Officer', 'Project Manager', 'Office Manager'
];

export const CASE_SUBJECTS: readonly string[] = [
  'Cannot log in to the portal', 'Invoice amount does not match the quote', 'Firewall appliance reboots overnight',
  'Request for additional licences', 'Sync with ERP stopped', 'Training session rescheduling', 'Data export fails with timeout',
  'Router firmware update question', 'Dashboard shows stale figures', 'Renewal quote needed', 'Tablet screen defect (RMA)',
  'Endpoint agent blocks internal tool'
];

export const TASK_SUBJECTS: readonly string[] = [
  'Call to discuss renewal', 'Send revised quote', 'Follow up on proposal', 'Prepare QBR deck', 'Email product roadmap',
  'Schedule technical workshop', 'Confirm budget with procurement', 'Check registration status with partner',
  'Send reference customer list', 'Review contract redlines'
];

export const EVENT_SUBJECTS: readonly string[] = [
  'Quarterly business review', 'Discovery meeting', 'Product demo', 'Executive briefing', 'On-site workshop',
  'Contract negotiation', 'Partner joint account planning', 'Solution design session'
];

export const CAMPAIGN_TOPICS: readonly string[] = [
  'Cloud Security', 'Data Protection', 'Smart Factory', 'Modern Workplace', 'Edge Networking', 'Analytics Summit',
  'Compliance Day', 'IoT in Logistics', 'Retail Innovation', 'Public Sector Forum'
];

/** MDF activity types as channel teams name them (the org's picklist wins when it differs). */
export const MDF_ACTIVITY_TYPES: readonly string[] = ['Event', 'Webinar', 'Trade Show', 'Digital Advertising', 'Email Campaign', 'Print Advertising', 'Training', 'Other'];

/** Latin letters with diacritics → plain ASCII (for e-mail addresses and domains). */
export function toAscii(text: string): string {
  return text
    .replace(/ß/g, 'ss')
    .replace(/Æ/g, 'AE')
    .replace(/æ/g, 'ae')
    .replace(/Ø/g, 'O')
    .replace(/ø/g, 'o')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** German transliteration (ü → ue, ö → oe, ä → ae, ß → ss), then the rest stripped. */
export function transliterateGerman(text: string): string {
  return toAscii(
    text
      .replace(/Ä/g, 'Ae')
      .replace(/Ö/g, 'Oe')
      .replace(/Ü/g, 'Ue')
      .replace(/ä/g, 'ae')
      .replace(/ö/g, 'oe')
      .replace(/ü/g, 'ue')
  );
}

/** A domain label from words: "Müller Gerätebau" → "mueller-geraetebau" / "muellergeraetebau". */
const slugs = new Map<string, string>();

export function slug(text: string, joiner = ''): string {
  if (joiner !== '') return slugOf(text, joiner);
  let s = slugs.get(text);
  if (s === undefined) {
    s = slugOf(text, joiner);
    if (slugs.size < 50_000) slugs.set(text, s);
  }
  return s;
}

function slugOf(text: string, joiner: string): string {
  return (/[^\u0000-\u007f]/.test(text) ? transliterateGerman(text) : text)
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .join(joiner);
}
