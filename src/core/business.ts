/** Day keys used in opening hours, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening hours as local wall-clock ranges (`"09:00"`–`"17:30"`) per weekday; absent = closed. */
export type OpeningHours = Partial<Record<Weekday, Array<{ open: string; close: string }>>>;

export interface BusinessProfile {
  description: string;
  /** IANA time zone, e.g. `Europe/London`. */
  timezone: string;
  /** BCP 47 language tags, the first is the default. */
  languages: string[];
  /** ISO 4217 currency of the catalog. */
  currency: string;
  openingHours: OpeningHours;
  tone: string;
  website?: string | undefined;
  /**
   * ISO 3166-1 alpha-2 country of the principal place of business, e.g. `DE`: some model licences
   * exclude businesses by domicile (Llama 4's multimodal terms and the EU).
   */
  domicile?: string | undefined;
  /** Monthly active users of all the business's products: some licences cap it (Llama: 700M). */
  monthlyActiveUsers?: number | undefined;
}

export interface Business {
  id: string;
  slug: string;
  name: string;
  profile: BusinessProfile;
  instructions: string;
  createdAt: Date;
  updatedAt: Date;
}
