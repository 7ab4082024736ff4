import { getExampleNumber, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import {
  isCodiceFiscaleValid,
  isLuhnValid,
  isThaiIdValid,
  verhoeffCheckDigit,
} from '../../../src/models/pii/checksums.js';
import type { PiiType } from '../../../src/models/pii/pii-types.js';
import { pick, randomDigits, seededRandom } from '../support/seeded-random.js';

/** One labelled message: the spans a perfect recogniser would redact, by type. */
export interface LabelledExample {
  language: string;
  text: string;
  labels: Array<{ type: PiiType; value: string }>;
  defaultCountry?: string;
  knownNames?: string[];
  /** The recogniser family that should find the label (positives only). */
  recogniser?: string;
  /** A hard negative: looks like PII (timestamps, order numbers, SKUs), holds none. */
  negative?: boolean;
}

/** The recognisers whose values carry a check digit: recall on these must be ≥ 0.99. */
export const CHECKSUM_RECOGNISERS = [
  'card',
  'iban',
  'thai-id',
  'spanish-id',
  'codice-fiscale',
  'aadhaar',
] as const;

type Random = () => number;

function luhnComplete(random: Random, prefix: string, length: number): string {
  const body = prefix + randomDigits(random, length - prefix.length - 1);
  for (let digit = 0; digit <= 9; digit++)
    if (isLuhnValid(`${body}${digit}`)) return `${body}${digit}`;
  throw new Error('unreachable');
}

// Issuer prefixes and lengths: Visa 13/16/19, Mastercard 51–55 and the 2-series, Amex, Discover,
// JCB, UnionPay 19, Maestro 12, Diners 14.
const CARD_SHAPES: Array<{ prefix: (random: Random) => string; length: number }> = [
  { prefix: () => '4', length: 16 },
  { prefix: () => '4', length: 13 },
  { prefix: () => '4', length: 19 },
  { prefix: (random) => `5${1 + Math.floor(random() * 5)}`, length: 16 },
  { prefix: (random) => String(2221 + Math.floor(random() * 500)), length: 16 },
  { prefix: () => '2720', length: 16 },
  { prefix: () => '37', length: 15 },
  { prefix: () => '6011', length: 16 },
  { prefix: () => '3530', length: 16 },
  { prefix: () => '62', length: 19 },
  { prefix: () => '50', length: 12 },
  { prefix: () => '36', length: 14 },
];

export function makeCard(random: Random): string {
  const shape = pick(random, CARD_SHAPES);
  return luhnComplete(random, shape.prefix(random), shape.length);
}

function groupCard(card: string, separator: string): string {
  if (card.length === 15)
    return [card.slice(0, 4), card.slice(4, 10), card.slice(10)].join(separator);
  if (card.length === 14)
    return [card.slice(0, 4), card.slice(4, 10), card.slice(10)].join(separator);
  return card.match(/.{1,4}/g)!.join(separator);
}

const IBAN_SHAPES: Array<[string, number]> = [
  ['DE', 22],
  ['GB', 22],
  ['ES', 24],
  ['FR', 27],
  ['IT', 27],
  ['NL', 18],
  ['BE', 16],
  ['PT', 25],
  ['CH', 21],
  ['AT', 20],
];

function mod97(numeric: string): number {
  let remainder = 0;
  for (const character of numeric) remainder = (remainder * 10 + Number(character)) % 97;
  return remainder;
}

export function makeIban(random: Random): string {
  const [country, length] = pick(random, IBAN_SHAPES);
  // GB and NL bank codes are letters; others digits.
  const letters = country === 'GB' ? 4 : country === 'NL' ? 4 : 0;
  let bban = '';
  for (let index = 0; index < letters; index++)
    bban += String.fromCharCode(65 + Math.floor(random() * 26));
  bban += randomDigits(random, length - 4 - letters);
  const numeric = (bban + country + '00').replace(/[A-Z]/g, (letter) =>
    String(letter.charCodeAt(0) - 55),
  );
  const check = String(98 - mod97(numeric)).padStart(2, '0');
  return `${country}${check}${bban}`;
}

export function makeThaiId(random: Random): string {
  const body = `${1 + Math.floor(random() * 8)}${randomDigits(random, 11)}`;
  for (let digit = 0; digit <= 9; digit++)
    if (isThaiIdValid(`${body}${digit}`)) return `${body}${digit}`;
  throw new Error('unreachable');
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
export function makeDni(random: Random): string {
  const digits = randomDigits(random, 8);
  return `${digits}${DNI_LETTERS[Number(digits) % 23]}`;
}
export function makeNie(random: Random): string {
  const prefix = pick(random, ['X', 'Y', 'Z']);
  const digits = randomDigits(random, 7);
  return `${prefix}${digits}${DNI_LETTERS[Number(`${'XYZ'.indexOf(prefix)}${digits}`) % 23]}`;
}

export function makeCodiceFiscale(random: Random): string {
  const letter = () => String.fromCharCode(65 + Math.floor(random() * 26));
  const month = pick(random, [...'ABCDEHLMPRST']);
  const body = `${letter()}${letter()}${letter()}${letter()}${letter()}${letter()}${randomDigits(random, 2)}${month}${String(1 + Math.floor(random() * 71)).padStart(2, '0')}${letter()}${randomDigits(random, 3)}`;
  for (let index = 0; index < 26; index++) {
    const candidate = body + String.fromCharCode(65 + index);
    if (isCodiceFiscaleValid(candidate)) return candidate;
  }
  throw new Error('unreachable');
}

export function makeAadhaar(random: Random): string {
  const body = `${2 + Math.floor(random() * 8)}${randomDigits(random, 10)}`;
  return `${body}${verhoeffCheckDigit(body)}`;
}

const PHONE_COUNTRIES: CountryCode[] = [
  'GB',
  'US',
  'ES',
  'FR',
  'DE',
  'IT',
  'TH',
  'IN',
  'BR',
  'NL',
  'MX',
  'AU',
];

function makePhone(random: Random): {
  international: string;
  national: string;
  country: CountryCode;
} {
  const country = pick(random, PHONE_COUNTRIES);
  const example = getExampleNumber(country, examples)!;
  return {
    international: example.formatInternational(),
    national: example.formatNational(),
    country,
  };
}

const FIRST = [
  'María',
  'Somchai',
  'Giulia',
  'Priya',
  'Jean-Luc',
  'Aisha',
  'Olivia',
  'Lukas',
  'Ana',
  'Rahul',
];
const LAST = [
  'García',
  'Srisuk',
  'Rossi',
  'Sharma',
  'Dubois',
  'Okafor',
  'Smith',
  'Müller',
  'Costa',
  'Patel',
];

interface Template {
  language: string;
  type: PiiType;
  recogniser: string;
  make(random: Random): {
    text: string;
    value: string;
    defaultCountry?: string;
    knownNames?: string[];
  };
}

const TEMPLATES: Template[] = [
  // Payment cards, printed grouping or named.
  {
    language: 'en',
    type: 'card',
    recogniser: 'card',
    make: (r) => {
      const v = groupCard(makeCard(r), ' ');
      return { text: `Please charge my card ${v}, expiry 04/28.`, value: v };
    },
  },
  {
    language: 'es',
    type: 'card',
    recogniser: 'card',
    make: (r) => {
      const v = makeCard(r);
      return { text: `Mi tarjeta es ${v} y caduca en 2027.`, value: v };
    },
  },
  {
    language: 'fr',
    type: 'card',
    recogniser: 'card',
    make: (r) => {
      const v = groupCard(makeCard(r), '-');
      return { text: `Voici ma carte : ${v}. Merci !`, value: v };
    },
  },
  {
    language: 'de',
    type: 'card',
    recogniser: 'card',
    make: (r) => {
      const v = makeCard(r);
      return { text: `Meine Kreditkarte: ${v}`, value: v };
    },
  },
  {
    language: 'th',
    type: 'card',
    recogniser: 'card',
    make: (r) => {
      const v = groupCard(makeCard(r), ' ');
      return { text: `เลขบัตรเครดิตของฉันคือ ${v} ค่ะ`, value: v };
    },
  },
  {
    language: 'en',
    type: 'card',
    recogniser: 'card',
    make: (r) => {
      const v = makeCard(r);
      return { text: `visa ${v} exp 11/26 cvv 123`, value: v };
    },
  },
  // IBANs.
  {
    language: 'en',
    type: 'iban',
    recogniser: 'iban',
    make: (r) => {
      const v = makeIban(r)
        .match(/.{1,4}/g)!
        .join(' ');
      return { text: `Refund to IBAN ${v} please`, value: v };
    },
  },
  {
    language: 'de',
    type: 'iban',
    recogniser: 'iban',
    make: (r) => {
      const v = makeIban(r);
      return { text: `Bitte überweisen Sie auf ${v}.`, value: v };
    },
  },
  {
    language: 'es',
    type: 'iban',
    recogniser: 'iban',
    make: (r) => {
      const v = makeIban(r)
        .match(/.{1,4}/g)!
        .join(' ');
      return { text: `Mi cuenta: ${v}`, value: v };
    },
  },
  {
    language: 'it',
    type: 'iban',
    recogniser: 'iban',
    make: (r) => {
      const v = makeIban(r).toLowerCase();
      return { text: `il mio iban è ${v} grazie`, value: v };
    },
  },
  // Thai citizen ids.
  {
    language: 'th',
    type: 'national_id',
    recogniser: 'thai-id',
    make: (r) => {
      const d = makeThaiId(r);
      const v = `${d[0]}-${d.slice(1, 5)}-${d.slice(5, 10)}-${d.slice(10, 12)}-${d[12]}`;
      return { text: `เลขบัตรประชาชน ${v} ค่ะ`, value: v };
    },
  },
  {
    language: 'th',
    type: 'national_id',
    recogniser: 'thai-id',
    make: (r) => {
      const v = makeThaiId(r);
      return { text: `เลขประจำตัวประชาชนของผม ${v} ครับ`, value: v };
    },
  },
  {
    language: 'en',
    type: 'national_id',
    recogniser: 'thai-id',
    make: (r) => {
      const d = makeThaiId(r);
      const v = `${d[0]} ${d.slice(1, 5)} ${d.slice(5, 10)} ${d.slice(10, 12)} ${d[12]}`;
      return { text: `My Thai ID is ${v}.`, value: v };
    },
  },
  // Spanish DNI / NIE.
  {
    language: 'es',
    type: 'national_id',
    recogniser: 'spanish-id',
    make: (r) => {
      const v = makeDni(r);
      return { text: `Mi DNI es ${v}, gracias.`, value: v };
    },
  },
  {
    language: 'es',
    type: 'national_id',
    recogniser: 'spanish-id',
    make: (r) => {
      const v = makeNie(r);
      return { text: `NIE ${v} para la factura`, value: v };
    },
  },
  {
    language: 'en',
    type: 'national_id',
    recogniser: 'spanish-id',
    make: (r) => {
      const d = makeDni(r);
      const v = `${d.slice(0, 8)}-${d[8]}`;
      return { text: `ID number ${v}`, value: v };
    },
  },
  // Codice fiscale.
  {
    language: 'it',
    type: 'national_id',
    recogniser: 'codice-fiscale',
    make: (r) => {
      const v = makeCodiceFiscale(r);
      return { text: `Il mio codice fiscale è ${v}.`, value: v };
    },
  },
  {
    language: 'it',
    type: 'national_id',
    recogniser: 'codice-fiscale',
    make: (r) => {
      const v = makeCodiceFiscale(r).toLowerCase();
      return { text: `cf: ${v} per la fattura`, value: v };
    },
  },
  // Aadhaar.
  {
    language: 'hi',
    type: 'national_id',
    recogniser: 'aadhaar',
    make: (r) => {
      const d = makeAadhaar(r);
      const v = `${d.slice(0, 4)} ${d.slice(4, 8)} ${d.slice(8)}`;
      return { text: `मेरा आधार नंबर ${v} है`, value: v };
    },
  },
  {
    language: 'en',
    type: 'national_id',
    recogniser: 'aadhaar',
    make: (r) => {
      const v = makeAadhaar(r);
      return { text: `Aadhaar: ${v}`, value: v };
    },
  },
  {
    language: 'en',
    type: 'national_id',
    recogniser: 'aadhaar',
    make: (r) => {
      const d = makeAadhaar(r);
      const v = `${d.slice(0, 4)}-${d.slice(4, 8)}-${d.slice(8)}`;
      return { text: `KYC done with ${v} yesterday`, value: v };
    },
  },
  // E-mail.
  {
    language: 'en',
    type: 'email',
    recogniser: 'email',
    make: (r) => {
      const v = `${pick(r, ['anna', 'j.smith', 'maria_g', 'somchai.s'])}${Math.floor(r() * 100)}@${pick(r, ['example.com', 'mail.co.uk', 'correo.es', 'posteo.de'])}`;
      return { text: `Email me at ${v} when it's ready`, value: v };
    },
  },
  {
    language: 'es',
    type: 'email',
    recogniser: 'email',
    make: (r) => {
      const v = `cliente${Math.floor(r() * 1000)}@ejemplo.es`;
      return { text: `Mi correo es ${v}.`, value: v };
    },
  },
  // Phones.
  {
    language: 'en',
    type: 'phone',
    recogniser: 'phone',
    make: (r) => {
      const p = makePhone(r);
      return { text: `Call me on ${p.international} after 5`, value: p.international };
    },
  },
  {
    language: 'es',
    type: 'phone',
    recogniser: 'phone',
    make: (r) => {
      const p = makePhone(r);
      return { text: `Mi móvil: ${p.national}`, value: p.national, defaultCountry: p.country };
    },
  },
  {
    language: 'fr',
    type: 'phone',
    recogniser: 'phone',
    make: (r) => {
      const p = makePhone(r);
      return { text: `Vous pouvez me joindre au ${p.international}.`, value: p.international };
    },
  },
  // Addresses and postcodes.
  {
    language: 'en',
    type: 'address',
    recogniser: 'address',
    make: (r) => {
      const v = `${1 + Math.floor(r() * 300)} ${pick(r, ['Baker', 'High', 'Elm', 'Station'])} ${pick(r, ['Street', 'Road', 'Avenue', 'Lane'])}`;
      return { text: `Deliver to ${v}, please.`, value: v };
    },
  },
  {
    language: 'es',
    type: 'address',
    recogniser: 'address',
    make: (r) => {
      const v = `Calle ${pick(r, ['Mayor', 'de Alcalá', 'Serrano'])} ${1 + Math.floor(r() * 200)}`;
      return { text: `Envíalo a ${v}, 3º izquierda`, value: v };
    },
  },
  {
    language: 'de',
    type: 'address',
    recogniser: 'address',
    make: (r) => {
      const v = `${pick(r, ['Haupt', 'Bahnhof', 'Linden'])}straße ${1 + Math.floor(r() * 120)}`;
      return { text: `Lieferung an ${v} bitte`, value: v };
    },
  },
  {
    language: 'en',
    type: 'postcode',
    recogniser: 'postcode',
    make: (r) => {
      const v = pick(r, ['SW1A 1AA', 'M1 1AE', 'EC1A 1BB', 'B33 8TH', 'CR2 6XH']);
      return { text: `My postcode is ${v}`, value: v };
    },
  },
  // Known names.
  {
    language: 'en',
    type: 'name',
    recogniser: 'name',
    make: (r) => {
      const first = pick(r, FIRST);
      const last = pick(r, LAST);
      return {
        text: `Hi, this is ${first} ${last} again about my order`,
        value: `${first} ${last}`,
        knownNames: [`${first} ${last}`],
      };
    },
  },
];

const NEGATIVES: Array<{ language: string; make(random: Random): string }> = [
  {
    language: 'en',
    make: (r) =>
      `Order #${randomDigits(r, 8)} was shipped on 2024-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)} 14:3${Math.floor(r() * 9)}:00`,
  },
  {
    language: 'en',
    make: (r) => `Timestamp ${1700000000000 + Math.floor(r() * 1e10)} in the logs`,
  },
  {
    language: 'en',
    make: (r) =>
      `SKU BK-${randomDigits(r, 4)}-${randomDigits(r, 2)} is back in stock, price 1,299.00`,
  },
  {
    language: 'es',
    make: (r) =>
      `Pedido ${randomDigits(r, 10)} entregado el 15/0${1 + Math.floor(r() * 9)}/2025 a las 10:45`,
  },
  {
    language: 'de',
    make: (r) => `Bestellnummer ${randomDigits(r, 12)}, Rechnung ${randomDigits(r, 6)}`,
  },
  {
    language: 'fr',
    make: (r) => `Commande n° ${randomDigits(r, 16)} — suivi ${randomDigits(r, 13)}`,
  },
  {
    language: 'it',
    make: (r) => `Ordine ${randomDigits(r, 14)} del 2025-03-0${1 + Math.floor(r() * 9)}`,
  },
  { language: 'th', make: (r) => `คำสั่งซื้อ ${randomDigits(r, 13)} จัดส่งแล้ว` },
  {
    language: 'en',
    make: (r) =>
      `Tracking 1Z${randomDigits(r, 16)} version 3.${Math.floor(r() * 20)}.${Math.floor(r() * 20)}`,
  },
  {
    language: 'en',
    make: (r) => `Invoice INV-${randomDigits(r, 12)} total 249.99 EUR, ref ${randomDigits(r, 19)}`,
  },
];

/** The labelled synthetic set: `perTemplate` positives per template and as many hard negatives. */
export function buildPiiEvalSet(perTemplate = 100, seed = 7): LabelledExample[] {
  const random = seededRandom(seed);
  const examples: LabelledExample[] = [];
  for (const template of TEMPLATES) {
    for (let index = 0; index < perTemplate; index++) {
      const made = template.make(random);
      examples.push({
        language: template.language,
        text: made.text,
        labels: [{ type: template.type, value: made.value }],
        recogniser: template.recogniser,
        ...(made.defaultCountry ? { defaultCountry: made.defaultCountry } : {}),
        ...(made.knownNames ? { knownNames: made.knownNames } : {}),
      });
    }
  }
  for (const negative of NEGATIVES) {
    for (let index = 0; index < perTemplate * 3; index++) {
      examples.push({
        language: negative.language,
        text: negative.make(random),
        labels: [],
        negative: true,
      });
    }
  }
  return examples;
}
