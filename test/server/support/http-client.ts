/** One HTTP exchange with a running Parley, as a browser or an API client would make it. */
export interface HttpResult<Body = unknown> {
  status: number;
  headers: Headers;
  body: Body;
}

export interface HttpRequestOptions {
  method?: string;
  /** Sent as JSON unless it is already a string (so tests can send malformed JSON). */
  body?: unknown;
  /** A `Cookie` header value, e.g. `parley_session=…`. */
  cookie?: string;
  /** Sent as `Authorization: Bearer <bearer>` (an API key or a visitor token). */
  bearer?: string;
  headers?: Record<string, string>;
}

/** Real HTTP against `baseUrl`; the body is parsed as JSON when the response says it is JSON. */
export async function request<Body = Record<string, unknown>>(
  baseUrl: string,
  path: string,
  options: HttpRequestOptions = {},
): Promise<HttpResult<Body>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(new URL(path, baseUrl), {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
  return {
    status: response.status,
    headers: response.headers,
    body: (isJson && text !== '' ? JSON.parse(text) : text) as Body,
  };
}

/** The error body every failing API call must have (see the HTTP contract). */
export interface ErrorResponse {
  error: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
}
