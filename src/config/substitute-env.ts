import type { PathSegment } from './config-issues.js';

/** A `${NAME}` reference that could not be resolved, at `path` in the file. */
export interface UnresolvedReference {
  path: PathSegment[];
  reference: string;
  problem: 'not_set' | 'bad_name';
  /** Whether the reference is the whole value (`apiKey: ${KEY}`) rather than part of a text. */
  entireValue: boolean;
}

// `${NAME}` is replaced; `$${NAME}` is the escape for a literal `${NAME}`.
const REFERENCE = /\$(\$)?\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${NAME}` in every string value (never in keys) with `env[NAME]`, so secrets stay out of
 * the file. An unset or empty variable is reported, not replaced by an empty string: an empty API
 * key or URL would only fail later, further from its cause.
 */
export function substituteEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path: PathSegment[] = [],
  unresolved: UnresolvedReference[] = [],
): { value: unknown; unresolved: UnresolvedReference[] } {
  if (typeof value === 'string') {
    const replaced = value.replace(REFERENCE, (whole, escape: string | undefined, name: string) => {
      if (escape) return whole.slice(1);
      if (!NAME.test(name)) {
        unresolved.push({ path, reference: whole, problem: 'bad_name', entireValue: false });
        return whole;
      }
      const setting = env[name];
      if (setting === undefined || setting === '') {
        unresolved.push({
          path,
          reference: whole,
          problem: 'not_set',
          entireValue: value.trim() === whole,
        });
        return whole;
      }
      return setting;
    });
    return { value: replaced, unresolved };
  }
  if (Array.isArray(value)) {
    return {
      value: value.map(
        (item, index) => substituteEnv(item, env, [...path, index], unresolved).value,
      ),
      unresolved,
    };
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [
      key,
      substituteEnv(item, env, [...path, key], unresolved).value,
    ]);
    return { value: Object.fromEntries(entries), unresolved };
  }
  return { value, unresolved };
}
