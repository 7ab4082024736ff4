import { z } from 'zod';
import type { ErrorIssue } from '../core/errors.js';
import { nearestKey } from './nearest-key.js';

export type PathSegment = string | number;

/** One problem in a configuration file: where it is and "<what is wrong>. <how to fix>". */
export interface ConfigIssue extends ErrorIssue {
  /** Key path in the file as people read it: `products[3].variants[0].price`. */
  path: string;
  segments: PathSegment[];
  message: string;
  /** 1-based line in the file, when known. */
  line: number | null;
}

/** `['products', 3, 'price']` as `products[3].price`. */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}

/**
 * Turns zod's issues into config issues. An unknown key becomes one issue per key, at the key
 * itself, naming the nearest valid key when it looks like a typo (the keys come from `schema`).
 */
export function toConfigIssues(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
): ConfigIssue[] {
  return issues.flatMap((issue): ConfigIssue[] => {
    const segments = issue.path.map((segment) =>
      typeof segment === 'number' ? segment : String(segment),
    );
    if (issue.code !== 'unrecognized_keys') {
      return [{ path: formatPath(segments), segments, message: issue.message, line: null }];
    }
    const validKeys = objectKeysAt(schema, segments) ?? [];
    return issue.keys.map((key) => {
      const keySegments = [...segments, key];
      const suggestion = nearestKey(key, validKeys);
      const message = suggestion
        ? `"${key}" is not a known key. Did you mean "${suggestion}"?`
        : `"${key}" is not a known key. Remove it, or use one of: ${validKeys.join(', ')}.`;
      return { path: formatPath(keySegments), segments: keySegments, message, line: null };
    });
  });
}

/** The keys of the object schema found at `path` inside `schema`, or null when there is none. */
export function objectKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] | null {
  const found = schemaAt(schema, path);
  return found ? Object.keys(found.shape) : null;
}

/** Whether the key at `path` may be left out of the file. */
export function isOptionalAt(schema: z.ZodType, path: readonly PathSegment[]): boolean {
  const parent = schemaAt(schema, path.slice(0, -1));
  const key = path.at(-1);
  if (!parent || typeof key !== 'string') return false;
  const field = parent.shape[key] as z.ZodType | undefined;
  return field !== undefined && field.safeParse(undefined).success;
}

/** Follows `path` through wrappers, pipes, arrays and records to an object schema. */
function schemaAt(schema: z.ZodType, path: readonly PathSegment[]): z.ZodObject | null {
  const current = unwrap(schema);
  if (path.length === 0) return current instanceof z.ZodObject ? current : null;
  const [head, ...rest] = path;
  if (current instanceof z.ZodObject && typeof head === 'string') {
    const field = current.shape[head] as z.ZodType | undefined;
    return field ? schemaAt(field, rest) : null;
  }
  if (current instanceof z.ZodArray) return schemaAt(current.element as z.ZodType, rest);
  if (current instanceof z.ZodRecord) return schemaAt(current.valueType as z.ZodType, rest);
  return null;
}

function unwrap(schema: z.ZodType): z.ZodType {
  if (
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodNullable ||
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodPrefault
  ) {
    return unwrap(schema.unwrap() as z.ZodType);
  }
  if (schema instanceof z.ZodPipe) {
    // `.transform()` puts the schema first; `z.preprocess()` puts it last.
    const inner = schema.in instanceof z.ZodTransform ? schema.out : schema.in;
    return unwrap(inner as z.ZodType);
  }
  return schema;
}
