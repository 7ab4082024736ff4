import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { PathSegment } from './config-issues.js';

/**
 * The 1-based line of the key or item at `path` in a parsed YAML document; for a key that is not
 * in the file (a missing one), the line of the nearest enclosing key that is.
 */
export function yamlLine(
  document: Document,
  lines: LineCounter,
  path: readonly PathSegment[],
): number | null {
  let node: unknown = document.contents;
  let offset: number | null = null;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) break;
      offset = start(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = start(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  if (offset === null) offset = start(document.contents);
  return offset === null ? null : lines.linePos(offset).line;
}

function keyText(key: unknown): string | null {
  // Keys are Scalar nodes unless the document was built by hand.
  const value: unknown = isScalar(key) ? key.value : key;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : null;
}

function start(node: unknown): number | null {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : null;
}
