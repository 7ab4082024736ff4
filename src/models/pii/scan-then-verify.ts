// A regex with the `u` flag and `\p{…}` lookarounds costs V8 more than a plain one, and it tries
// the Unicode lookbehind at every position of the text (the health-term regex took about a third
// of the time without them, in CPU profiles of the benchmark). The recognisers need those
// lookarounds only where a candidate is, so a plain regex (the same body, no `u`, no lookarounds)
// finds the candidates and the exact regex, sticky, is tried only there.
//
// What must stay true: `scanner` matches at every position where `exact` can match (it is the
// exact body without its lookarounds, in ASCII or BMP literals) and `exact` never matches the empty
// string, so the matches visited are the very ones `text.matchAll(exact)` would give, in order.

/** Calls `visit` with each match `text.matchAll(exact)` would give; `exact` must be sticky (`y`). */
export function forEachVerifiedMatch(
  text: string,
  scanner: RegExp,
  exact: RegExp,
  visit: (value: string, index: number) => void,
): void {
  scanner.lastIndex = 0;
  let candidate = scanner.exec(text);
  while (candidate !== null) {
    const index = candidate.index;
    exact.lastIndex = index;
    const match = exact.exec(text);
    if (match === null || match[0].length === 0) {
      scanner.lastIndex = index + 1;
    } else {
      visit(match[0], index);
      scanner.lastIndex = index + match[0].length;
    }
    candidate = scanner.exec(text);
  }
}

/** Whether `exact` (sticky) matches anywhere in `text`, trying it only where `scanner` matches. */
export function hasVerifiedMatch(text: string, scanner: RegExp, exact: RegExp): boolean {
  scanner.lastIndex = 0;
  let candidate = scanner.exec(text);
  while (candidate !== null) {
    exact.lastIndex = candidate.index;
    if (exact.test(text)) return true;
    scanner.lastIndex = candidate.index + 1;
    candidate = scanner.exec(text);
  }
  return false;
}
