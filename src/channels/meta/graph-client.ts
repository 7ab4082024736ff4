/** Where the Graph API is and which version to call; a stand-in takes Meta's place in tests. */
export interface GraphEndpoints {
  graphUrl: string;
  instagramGraphUrl: string;
  graphVersion: string;
}

/** A Graph API error as Meta reports it: build on `code` and `details`, not titles or status. */
export interface GraphError {
  httpStatus: number;
  code: number | null;
  subcode: number | null;
  title: string;
  details: string | null;
}

export type GraphResult =
  { ok: true; status: number; body: Record<string, unknown> } | { ok: false; error: GraphError };

export interface GraphClientOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** A thin JSON client for the Graph API with a bearer token; never throws for HTTP errors. */
export class GraphClient {
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(
    readonly endpoints: GraphEndpoints,
    options: GraphClientOptions = {},
  ) {
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = options.timeoutMs ?? 20_000;
  }

  /** `https://graph.facebook.com/v24.0/<path>` (or the Instagram host). */
  url(path: string, host: 'facebook' | 'instagram' = 'facebook'): string {
    const base = host === 'instagram' ? this.endpoints.instagramGraphUrl : this.endpoints.graphUrl;
    return `${base}/${this.endpoints.graphVersion}/${path.replace(/^\/+/, '')}`;
  }

  post(url: string, token: string, body: unknown): Promise<GraphResult> {
    return this.#request(url, token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  get(url: string, token: string): Promise<GraphResult> {
    return this.#request(url, token, { method: 'GET' });
  }

  /** Downloads bytes (media); `token` is sent when the URL needs it (WhatsApp media URLs do). */
  async download(
    url: string,
    token: string | null,
    maxBytes: number,
  ): Promise<
    { ok: true; bytes: Uint8Array; contentType: string | null } | { ok: false; error: string }
  > {
    try {
      const response = await this.#fetch(url, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(this.#timeoutMs * 3),
      });
      if (!response.ok) return { ok: false, error: `download answered HTTP ${response.status}` };
      const length = Number(response.headers.get('content-length') ?? '0');
      if (length > maxBytes) {
        await response.body?.cancel();
        return {
          ok: false,
          error: `the file is ${length} bytes, more than the ${maxBytes} allowed`,
        };
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.byteLength > maxBytes) {
        return { ok: false, error: `the file is more than the ${maxBytes} bytes allowed` };
      }
      return { ok: true, bytes, contentType: response.headers.get('content-type') };
    } catch (error) {
      return { ok: false, error: `download failed: ${(error as Error).message}` };
    }
  }

  async #request(url: string, token: string, init: RequestInit): Promise<GraphResult> {
    let response: Response;
    try {
      response = await this.#fetch(url, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      return {
        ok: false,
        error: {
          httpStatus: 0,
          code: null,
          subcode: null,
          title: 'Network error',
          details: (error as Error).message,
        },
      };
    }
    const text = await response.text().catch(() => '');
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch {
      // Not JSON (a proxy's error page): the status speaks for it.
    }
    const error = body.error as Record<string, unknown> | undefined;
    if (response.ok && !error) return { ok: true, status: response.status, body };
    const data = error?.error_data as Record<string, unknown> | undefined;
    return {
      ok: false,
      error: {
        httpStatus: response.status,
        code: typeof error?.code === 'number' ? error.code : null,
        subcode: typeof error?.error_subcode === 'number' ? error.error_subcode : null,
        title:
          typeof error?.message === 'string'
            ? error.message
            : `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
        details: typeof data?.details === 'string' ? data.details : null,
      },
    };
  }
}
