import type { WireErrorBody } from '../../shared/wire-types.js';
import { ApiError } from './api-error.js';

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener = () => {};

/** Registers what happens when the session is gone (the app sends the owner to /login). */
export function setUnauthorizedListener(listener: UnauthorizedListener): void {
  onUnauthorized = listener;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** The login form handles its own 401 ("wrong e-mail or password"); it must not redirect. */
  redirectOnUnauthorized?: boolean;
}

/** Calls the console API with the session cookie; throws `ApiError` for any non-2xx answer. */
export async function requestJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, redirectOnUnauthorized = true } = options;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : {
              accept: 'application/json',
              'content-type': 'application/json',
            },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(
      0,
      'network',
      'Parley cannot be reached. Check your connection and try again.',
    );
  }
  if (response.status === 401 && redirectOnUnauthorized) onUnauthorized();
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function errorFrom(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  try {
    const body = (await response.json()) as Partial<WireErrorBody>;
    if (body.error?.message) {
      return new ApiError(
        response.status,
        body.error.code,
        body.error.message,
        retryAfterSeconds,
        body.error.issues ?? [],
      );
    }
  } catch {
    // Not JSON (a proxy's error page, say): fall through to a generic message.
  }
  return new ApiError(
    response.status,
    'internal',
    `Parley answered with status ${response.status}. Try again in a moment.`,
    retryAfterSeconds,
  );
}
