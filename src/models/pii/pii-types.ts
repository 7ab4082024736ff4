/** The kinds of personal data Parley's recognisers find. */
export const PII_TYPES = [
  'email',
  'phone',
  'card',
  'iban',
  'national_id',
  'postcode',
  'address',
  'name',
] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** What a turn may contain, for routing: a business allows each class to some providers only. */
export const DATA_CLASSES = ['personal', 'payment', 'health'] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

/** One recognised value: `text.slice(start, end)` is the value. */
export interface PiiFinding {
  type: PiiType;
  start: number;
  end: number;
  /** Which recogniser (e.g. `thai-id`, `dni`), for evaluation and debugging; never logged with the value. */
  recogniser: string;
}

/** Facts about the conversation that make recognition sharper. */
export interface PiiContext {
  /** ISO 3166 country for national phone numbers written without `+`, e.g. `GB`. */
  defaultCountry?: string | undefined;
  /** Names the business knows for this contact (display name, first and last name). */
  knownNames?: readonly string[] | undefined;
}

/** The data class each PII type puts a turn into. */
export const DATA_CLASS_OF: Record<PiiType, DataClass> = {
  email: 'personal',
  phone: 'personal',
  card: 'payment',
  iban: 'payment',
  national_id: 'personal',
  postcode: 'personal',
  address: 'personal',
  name: 'personal',
};
