/**
 * Splits text into pieces of at most `limit` characters (UTF-16 units, as the providers count),
 * at the best boundary available: a paragraph, a line, a sentence, a space, and only then
 * anywhere (never inside a surrogate pair, so emoji survive).
 */
export function splitText(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const cut =
      lastBoundary(window, /\n\s*\n/g) ??
      lastBoundary(window, /\n/g) ??
      lastBoundary(window, /[.!?…](?=\s)/g, 1) ??
      lastBoundary(window, /\s/g) ??
      safeCut(rest, limit);
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

function lastBoundary(window: string, pattern: RegExp, keep = 0): number | null {
  let best: number | null = null;
  for (const match of window.matchAll(pattern)) {
    const at = match.index + keep;
    // A boundary in the first third would leave tiny pieces: only take it when nothing else fits.
    if (at > 0 && at <= window.length - 1) best = at;
  }
  return best !== null && best >= Math.floor(window.length / 3) ? best : null;
}

function safeCut(text: string, limit: number): number {
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
