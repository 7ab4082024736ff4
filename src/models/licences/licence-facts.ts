/** What a model's licence says, as far as a business deploying it needs to know. */
export interface LicenceFacts {
  /** Registry key, usable as `licence:` on a catalog entry. */
  key: string;
  family: string;
  /** Matched against the model's name at the provider (`llama3.1:8b`, `meta-llama/Llama-4-Scout…`). */
  match: RegExp;
  openWeights: boolean;
  licence: string;
  url: string;
  commercialUse: 'allowed' | 'forbidden';
  /** Above this many monthly active users the business must ask the vendor for a licence. */
  monthlyActiveUserLimit: number | null;
  /** Businesses domiciled in these countries are not granted the licence (ISO 3166 alpha-2). */
  excludedDomiciles: { countries: readonly string[]; reason: string } | null;
  /** What the business must show or pass on. */
  attribution: string | null;
}

/** The European Union's member states (for terms that exclude EU-domiciled businesses). */
export const EU_COUNTRIES = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
] as const;
