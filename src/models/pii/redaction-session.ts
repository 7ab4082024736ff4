import { detectPii } from './detect-pii.js';
import { mentionsHealth } from './health-terms.js';
import { DATA_CLASS_OF, type DataClass, type PiiContext, type PiiType } from './pii-types.js';

const PLACEHOLDER = /\[(EMAIL|PHONE|CARD|IBAN|NATIONAL_ID|POSTCODE|ADDRESS|NAME)_(\d{1,4})\]/g;
/** The longest placeholder, for holding back a streamed tail that may be half of one. */
export const MAX_PLACEHOLDER_LENGTH = '[NATIONAL_ID_9999]'.length;

/** What one model call's redaction did: counts by type, never the values. */
export type RedactionCounts = Partial<Record<PiiType, number>>;

/**
 * The redaction state of one model call (or one turn): each distinct value gets one stable
 * placeholder such as `[PHONE_1]`, so the model can still refer to "the same phone number", and
 * every placeholder it writes back (in text or tool arguments) is restored to the real value.
 */
export class RedactionSession {
  readonly #placeholderOf = new Map<string, string>();
  readonly #valueOf = new Map<string, string>();
  readonly #counters = new Map<PiiType, number>();
  readonly #classes = new Set<DataClass>();
  readonly #redacted: RedactionCounts = {};

  constructor(private readonly context: PiiContext = {}) {}

  /** Replaces every recognised value with its placeholder, and notes the data classes seen. */
  redact(text: string): string {
    const lowerText = text.toLowerCase();
    if (mentionsHealth(lowerText)) this.#classes.add('health');
    const findings = detectPii(text, this.context, lowerText);
    if (findings.length === 0) return text;
    let result = '';
    let cursor = 0;
    for (const finding of findings) {
      const value = text.slice(finding.start, finding.end);
      result += text.slice(cursor, finding.start) + this.#placeholderFor(finding.type, value);
      cursor = finding.end;
      this.#classes.add(DATA_CLASS_OF[finding.type]);
    }
    return result + text.slice(cursor);
  }

  /** Notes the data classes of `text` without changing it (calls that are not redacted). */
  classify(text: string): void {
    const lowerText = text.toLowerCase();
    if (mentionsHealth(lowerText)) this.#classes.add('health');
    for (const finding of detectPii(text, this.context, lowerText))
      this.#classes.add(DATA_CLASS_OF[finding.type]);
  }

  /** Puts the real values back where the model wrote placeholders. */
  restore(text: string): string {
    if (this.#valueOf.size === 0 || !text.includes('[')) return text;
    return text.replace(
      PLACEHOLDER,
      (placeholder) => this.#valueOf.get(placeholder) ?? placeholder,
    );
  }

  /** `restore` over every string inside a JSON value (tool-call arguments). */
  restoreDeep(value: unknown): unknown {
    if (typeof value === 'string') return this.restore(value);
    if (Array.isArray(value)) return value.map((item) => this.restoreDeep(item));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.restoreDeep(item)]),
      );
    }
    return value;
  }

  /** The data classes seen so far. */
  get dataClasses(): DataClass[] {
    return [...this.#classes].sort();
  }

  /** Distinct values redacted so far, by type. */
  get counts(): RedactionCounts {
    return { ...this.#redacted };
  }

  get hasRedactions(): boolean {
    return this.#valueOf.size > 0;
  }

  #placeholderFor(type: PiiType, value: string): string {
    const key = `${type}\u0000${normalise(type, value)}`;
    const existing = this.#placeholderOf.get(key);
    if (existing) return existing;
    const next = (this.#counters.get(type) ?? 0) + 1;
    this.#counters.set(type, next);
    this.#redacted[type] = (this.#redacted[type] ?? 0) + 1;
    const placeholder = `[${type.toUpperCase()}_${next}]`;
    this.#placeholderOf.set(key, placeholder);
    this.#valueOf.set(placeholder, value);
    return placeholder;
  }
}

/** The same value written twice ("4111 1111…" and "4111-1111…") gets the same placeholder. */
function normalise(type: PiiType, value: string): string {
  switch (type) {
    case 'email':
    case 'name':
      return value.toLowerCase();
    case 'card':
    case 'iban':
    case 'national_id':
    case 'phone':
    case 'postcode':
      return value.replace(/[\s().\-/]/g, '').toUpperCase();
    case 'address':
      return value;
  }
}
