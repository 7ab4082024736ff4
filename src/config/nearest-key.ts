/**
 * The valid key that `unknown` was most likely meant to be, or null when none is close enough to
 * suggest. Catches the usual slips in hand-written YAML: a typo (`timzone`), snake or kebab case
 * (`opening_hours`), other capitalisation (`OpeningHours`) and spelled-out names (`monday`).
 */
export function nearestKey(unknown: string, validKeys: readonly string[]): string | null {
  const wanted = normalise(unknown);
  let best: { key: string; distance: number } | null = null;
  for (const key of validKeys) {
    const candidate = normalise(key);
    if (candidate === wanted) return key;
    const isAbbreviation =
      Math.min(candidate.length, wanted.length) >= 3 &&
      (wanted.startsWith(candidate) || candidate.startsWith(wanted));
    const distance = isAbbreviation ? 1 : editDistance(wanted, candidate);
    if (best === null || distance < best.distance) best = { key, distance };
  }
  if (best === null) return null;
  // Short keys tolerate one slip, longer ones a slip per four letters: "maxSteps" for "maxStep",
  // but never "name" for "tone".
  const tolerance = Math.max(1, Math.floor(wanted.length / 4));
  return best.distance <= tolerance ? best.key : null;
}

function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
function editDistance(left: string, right: string): number {
  const rows = left.length + 1;
  const columns = right.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)),
  );
  const at = (row: number, column: number): number => table[row]![column]!;
  for (let row = 1; row < rows; row++) {
    for (let column = 1; column < columns; column++) {
      const substitution = left[row - 1] === right[column - 1] ? 0 : 1;
      let distance = Math.min(
        at(row - 1, column) + 1,
        at(row, column - 1) + 1,
        at(row - 1, column - 1) + substitution,
      );
      if (
        row > 1 &&
        column > 1 &&
        left[row - 1] === right[column - 2] &&
        left[row - 2] === right[column - 1]
      ) {
        distance = Math.min(distance, at(row - 2, column - 2) + 1);
      }
      table[row]![column] = distance;
    }
  }
  return at(rows - 1, columns - 1);
}
