import type { PiiFinding } from './pii-types.js';

const compiled = new Map<string, RegExp | null>();

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One regex for a contact's names: the full name first, then each part of three letters or more. */
function namePattern(knownNames: readonly string[]): RegExp | null {
  const key = knownNames.join('\u0000');
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  const variants = new Set<string>();
  for (const name of knownNames) {
    const trimmed = name.trim().replace(/\s+/g, ' ');
    if (trimmed.length >= 3) variants.add(trimmed);
    for (const part of trimmed.split(' ')) if (part.length >= 3) variants.add(part);
  }
  const alternatives = [...variants].sort((a, b) => b.length - a.length).map(escape);
  const pattern =
    alternatives.length === 0
      ? null
      : new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  // Contacts are many but a process sees a bounded working set; keep the cache from growing forever.
  if (compiled.size > 10_000) compiled.clear();
  compiled.set(key, pattern);
  return pattern;
}

/** The names the business knows for this contact, wherever they appear (any case). */
export function findNames(text: string, knownNames: readonly string[], out: PiiFinding[]): void {
  if (knownNames.length === 0) return;
  const pattern = namePattern(knownNames);
  if (!pattern) return;
  for (const match of text.matchAll(pattern)) {
    out.push({
      type: 'name',
      start: match.index,
      end: match.index + match[0].length,
      recogniser: 'known-name',
    });
  }
}
