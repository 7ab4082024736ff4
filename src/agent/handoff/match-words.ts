/** Lower case without diacritics, so "Beschwerde", "BESCHWERDE" and "beschwérde" compare equal. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The first of `phrases` found in `text` as whole words (Unicode letters, so "sue" does not match
 * "issue"), or null. Multi-word phrases match across any whitespace.
 */
export function findPhrase(text: string, phrases: readonly string[]): string | null {
  const folded = foldText(text);
  for (const phrase of phrases) {
    const words = foldText(phrase).trim().split(/\s+/).filter(Boolean).map(escapeRegExp);
    if (words.length === 0) continue;
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${words.join('\\s+')}(?![\\p{L}\\p{N}])`, 'u');
    if (pattern.test(folded)) return phrase;
  }
  return null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
