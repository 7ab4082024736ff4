import type { ErrorCode, ErrorIssue } from '../core/errors.js';
import { ParleyError, isParleyError } from '../core/errors.js';

/** The one table from error code to HTTP status. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  config_invalid: 500,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  model_unavailable: 503,
  model_output_invalid: 502,
  database_unavailable: 503,
  internal: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: readonly ErrorIssue[] };
}

/** Turns anything thrown into a ParleyError; Fastify's own errors keep their meaning. */
export function toParleyError(error: unknown): ParleyError {
  if (isParleyError(error)) return error;
  const fastifyError = error as { code?: string; statusCode?: number; message?: string };
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ParleyError(
        'payload_too_large',
        'The request body is too large. Send less data per request.',
        { cause: error },
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ParleyError(
        'validation_failed',
        `The request body is not valid JSON: ${fastifyError.message ?? ''}`.trim(),
        { cause: error },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ParleyError(
        'validation_failed',
        'Send the request body as JSON (Content-Type: application/json).',
        { cause: error },
      );
  }
  if (fastifyError.statusCode === 404)
    return new ParleyError('not_found', 'There is nothing at this address.');
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    return new ParleyError(
      'validation_failed',
      fastifyError.message ?? 'The request is not valid.',
      { cause: error },
    );
  }
  return new ParleyError(
    'internal',
    'Something went wrong on our side. It has been logged; try again.',
    { cause: error, expose: false },
  );
}

export function toErrorBody(error: ParleyError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.expose
        ? error.message
        : 'Something went wrong on our side. It has been logged; try again.',
      ...(error.issues.length > 0 ? { issues: error.issues } : {}),
    },
  };
}
