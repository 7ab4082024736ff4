import type { VisitorMessage } from '../shared/wire-types.js';

export interface VisitorIdentity {
  visitorId: string;
  token: string;
}

export interface WidgetConfig {
  businessName: string;
  greeting: string | null;
}

export interface OutgoingMessage {
  clientMessageId: string;
  text: string;
  choiceId?: string;
}

/** A refused request; `retryable` says whether sending the same request again may succeed. */
export class WidgetRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** The widget's calls to Parley's public widget endpoints, for one business. */
export class WidgetApi {
  private readonly base: string;

  constructor(origin: string, businessId: string) {
    this.base = `${origin}/api/widget/${encodeURIComponent(businessId)}`;
  }

  config(): Promise<WidgetConfig> {
    return this.request<WidgetConfig>('GET', '/config');
  }

  createVisitor(): Promise<VisitorIdentity> {
    return this.request<VisitorIdentity>('POST', '/visitors');
  }

  async history(token: string, afterSeq: number | null): Promise<VisitorMessage[]> {
    const query = afterSeq === null ? '' : `?after=${afterSeq}`;
    const body = await this.request<{ messages: VisitorMessage[] }>(
      'GET',
      `/messages${query}`,
      token,
    );
    return body.messages;
  }

  async send(token: string, message: OutgoingMessage): Promise<VisitorMessage> {
    const body = await this.request<{ message: VisitorMessage }>(
      'POST',
      '/messages',
      token,
      message,
    );
    return body.message;
  }

  streamUrl(token: string, afterSeq: number): string {
    return `${this.base}/stream?token=${encodeURIComponent(token)}&after=${afterSeq}`;
  }

  private async request<T>(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        // The widget is identified by its bearer token, never by the shop's or Parley's cookies.
        credentials: 'omit',
      });
    } catch {
      throw new WidgetRequestError(0, 'No connection.');
    }
    if (!response.ok) {
      const error = (await response.json().catch(() => null)) as {
        error?: { message?: string };
      } | null;
      throw new WidgetRequestError(
        response.status,
        error?.error?.message ?? `HTTP ${response.status}`,
      );
    }
    return (await response.json()) as T;
  }
}
