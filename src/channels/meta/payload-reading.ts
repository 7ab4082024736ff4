// Tolerant readers for provider JSON: Meta adds fields without notice, and a strict parser once
// broke on business-scoped user ids. Missing or mistyped fields read as undefined, never throw.

export type JsonObject = Record<string, unknown>;

export function objectAt(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

export function listAt(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function objectsAt(value: unknown): JsonObject[] {
  return listAt(value).flatMap((item) => {
    const object = objectAt(item);
    return object ? [object] : [];
  });
}

export function textAt(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function numberAt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}

/** WhatsApp sends Unix seconds as strings; Messenger sends milliseconds as numbers. */
export function dateFromSeconds(value: unknown, fallback: Date): Date {
  const seconds = numberAt(value);
  return seconds === undefined ? fallback : new Date(seconds * 1000);
}

export function dateFromMilliseconds(value: unknown, fallback: Date): Date {
  const milliseconds = numberAt(value);
  return milliseconds === undefined ? fallback : new Date(milliseconds);
}

/** Only the keys whose values are defined, so optional fields stay absent rather than undefined. */
export function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined && entry !== ''),
  ) as T;
}

/** Parses a webhook body; a body that is not a JSON object is a result, not an exception. */
export function parseJsonObject(
  body: string,
): { ok: true; value: JsonObject } | { ok: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  const object = objectAt(parsed);
  return object ? { ok: true, value: object } : { ok: false, error: 'not a JSON object' };
}

/** Parley marks its sends with `parley:<message id>` (callback data, metadata) to know them again. */
export const PARLEY_MARK = 'parley:';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parley's message id from a mark; anything else (another app's data, a forgery) is null. */
export function parleyMessageIdFrom(value: unknown): string | null {
  const text = textAt(value);
  if (!text?.startsWith(PARLEY_MARK)) return null;
  const id = text.slice(PARLEY_MARK.length);
  // Only a well-formed id reaches the database: a malformed uuid would abort the transaction.
  return UUID.test(id) ? id : null;
}
