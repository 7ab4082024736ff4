/**
 * Parley's one error vocabulary. Every error that leaves a layer is a `ParleyError` with a stable
 * string `code`; the HTTP status for each code lives in one table in `server/error-status.ts`.
 * Messages are written for the person who has to act on them: say what is wrong and what to do.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'config_invalid'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'conflict'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'model_unavailable'
  | 'model_output_invalid'
  | 'database_unavailable'
  | 'internal';

export interface ErrorIssue {
  /** Dotted path of the offending field, e.g. `profile.timezone`. */
  path: string;
  message: string;
}

export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly ErrorIssue[];
  /** Whether the message is safe to show to an API client or customer as-is. */
  readonly expose: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; issues?: readonly ErrorIssue[]; expose?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    this.issues = options.issues ?? [];
    this.expose = options.expose ?? code !== 'internal';
  }
}

export function isParleyError(value: unknown, code?: ErrorCode): value is ParleyError {
  return value instanceof ParleyError && (code === undefined || value.code === code);
}

/** The thing asked for does not exist, or belongs to another business (never say which). */
export function notFound(what: string): ParleyError {
  return new ParleyError('not_found', `${what} was not found.`);
}
