// Words that say "the number that follows is a …". An unformatted run of digits is everywhere
// (order numbers, timestamps, SKUs); with one of these words just before it, it is an identifier.
// Lower case; matched against the lower-cased text before the number. Every word is BMP text and
// `\b` means the same with or without `u`, so the patterns leave `u` out (V8 runs them faster).

export const CARD_WORDS =
  /(card|credit|debit|visa|master\s?card|amex|american express|maestro|pan\b|tarjeta|carte|karte|kreditkarte|carta|cartão|cartao|kaart|บัตรเครดิต|บัตรเดบิต|कार्ड)/;

export const PHONE_WORDS =
  /(phone|tel\b|tel\.|telephone|mobile|cell|call|text me|whatsapp|sms|number is|teléfono|telefono|móvil|movil|llámame|llamame|número|numero|téléphone|portable|appelle|telefon|handy|anrufen|cellulare|chiamami|telemóvel|celular|เบอร์|โทร|फ़ोन|फोन|मोबाइल)/;

export const THAI_ID_WORDS =
  /(บัตรประชาชน|บัตรประจำตัว|เลขประจำตัว|เลขบัตร|thai id|id card|national id|citizen id|identification)/;

export const AADHAAR_WORDS = /(aadhaar|aadhar|adhaar|आधार|uidai|\buid\b)/;

export const POSTCODE_WORDS =
  /(zip|postcode|post code|postal code|código postal|codigo postal|\bc\.?p\.?\b|code postal|\bplz\b|postleitzahl|\bcap\b|รหัสไปรษณีย์|पिन कोड|pin code|pincode)/;

/** Whether `words` occurs in the `window` characters before `index` of `lowerText`. */
export function saidBefore(lowerText: string, index: number, words: RegExp, window = 48): boolean {
  return words.test(lowerText.slice(Math.max(0, index - window), index));
}
