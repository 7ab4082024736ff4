import { createHmac, timingSafeEqual } from 'node:crypto';
import { ParleyError } from '../../core/errors.js';
import {
  HelpdeskUnavailableError,
  type Helpdesk,
  type HelpdeskComment,
  type HelpdeskTicketInput,
  type ZendeskSettings,
} from '../../core/helpdesk.js';

const MAX_BODY_LENGTH = 60_000;
const DEFAULT_RETRY_AFTER_MS = 60_000;

/**
 * Zendesk Support through its REST API (`/api/v2/tickets.json`), with API-token authentication
 * (`Basic base64("{email}/token:{api_token}")`), and the webhook Parley documents in
 * docs/zendesk.md, signed as Zendesk signs webhooks:
 * `X-Zendesk-Webhook-Signature = base64(HMAC-SHA256(secret, timestamp + raw body))`.
 */
export function createZendeskHelpdesk(
  settings: ZendeskSettings,
  deps: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Helpdesk {
  const fetchFn = deps.fetch ?? fetch;
  const authorization = `Basic ${Buffer.from(`${settings.email}/token:${settings.apiToken}`).toString('base64')}`;

  async function call(method: 'POST' | 'PUT', path: string, body: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetchFn(`${settings.baseUrl}${path}`, {
        method,
        headers: {
          authorization,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new HelpdeskUnavailableError(
        `Zendesk at ${settings.baseUrl} could not be reached (${(error as Error).message}). Parley will try again.`,
      );
    }
    if (response.ok) return response.json().catch(() => null);
    const detail = (await response.text().catch(() => '')).slice(0, 300);
    if (response.status === 429) {
      throw new HelpdeskUnavailableError(
        'Zendesk is rate limiting Parley (429); it waits as long as Retry-After says.',
        retryAfterMs(response.headers.get('retry-after')),
      );
    }
    if (response.status >= 500) {
      throw new HelpdeskUnavailableError(
        `Zendesk answered ${response.status}${detail ? `: ${detail}` : ''}. Parley will try again.`,
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new ParleyError(
        'unauthorized',
        `Zendesk refused Parley's credentials (${response.status}). Check zendesk.email and the API token (Admin Center → Apps and integrations → Zendesk API → token access enabled).`,
      );
    }
    throw new ParleyError(
      'unprocessable',
      `Zendesk refused ${method} ${path} (${response.status})${detail ? `: ${detail}` : ''}.`,
    );
  }

  return {
    async createTicket(ticket: HelpdeskTicketInput) {
      const body = [ticket.summary.trim(), '', 'Conversation:', ticket.transcript.trim()]
        .join('\n')
        .slice(0, MAX_BODY_LENGTH);
      const result = (await call('POST', '/api/v2/tickets.json', {
        ticket: {
          subject: ticket.subject.slice(0, 250),
          comment: { body, public: false },
          requester: {
            name: ticket.requester.name,
            ...(ticket.requester.email ? { email: ticket.requester.email } : {}),
          },
          tags: ['parley'],
          external_id: ticket.externalId,
        },
      })) as { ticket?: { id?: unknown } } | null;
      const id = result?.ticket?.id;
      if (typeof id !== 'number' && typeof id !== 'string') {
        throw new ParleyError(
          'unprocessable',
          'Zendesk created the ticket but its answer had no ticket id; check zendesk.baseUrl points at the Zendesk API.',
        );
      }
      return { ticketId: String(id) };
    },
    async addComment(ticketId, text, isPublic) {
      await call('PUT', `/api/v2/tickets/${encodeURIComponent(ticketId)}.json`, {
        ticket: { comment: { body: text.slice(0, MAX_BODY_LENGTH), public: isPublic } },
      });
    },
    parseWebhook({ headers, rawBody }) {
      const signature = headers['x-zendesk-webhook-signature'];
      const timestamp = headers['x-zendesk-webhook-signature-timestamp'];
      if (
        !signature ||
        !timestamp ||
        !isValidZendeskSignature(rawBody, timestamp, signature, settings.webhookSecret)
      ) {
        throw new ParleyError(
          'unauthorized',
          'The Zendesk webhook signature does not match. Copy the webhook signing secret from Zendesk (Webhooks → your webhook → Reveal secret) into zendesk.webhookSecret.',
        );
      }
      return parseCommentPayload(rawBody);
    },
    isOwnComment(comment) {
      return (
        comment.authorEmail !== null &&
        comment.authorEmail.toLowerCase() === settings.email.toLowerCase()
      );
    },
  };
}

export function isValidZendeskSignature(
  rawBody: string,
  timestamp: string,
  signature: string,
  secret: string,
): boolean {
  const expected = createHmac('sha256', secret)
    .update(timestamp + rawBody)
    .digest();
  const given = Buffer.from(signature.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(expected, given);
}

/** The headers Zendesk would send for this body; for stand-ins and tests. */
export function signZendeskWebhook(rawBody: string, secret: string, timestamp: string) {
  return {
    'x-zendesk-webhook-signature': createHmac('sha256', secret)
      .update(timestamp + rawBody)
      .digest('base64'),
    'x-zendesk-webhook-signature-timestamp': timestamp,
  };
}

/** Reads the JSON body of the trigger template in docs/zendesk.md. */
export function parseCommentPayload(rawBody: string): HelpdeskComment {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    throw invalid('The Zendesk webhook body is not JSON. Use the trigger body of docs/zendesk.md.');
  }
  if (typeof payload !== 'object' || payload === null) {
    throw invalid(
      'The Zendesk webhook body is not a JSON object. Use the trigger body of docs/zendesk.md.',
    );
  }
  const fields = payload as Record<string, unknown>;
  const id = (name: string) => {
    const value = fields[name];
    if (
      (typeof value === 'string' && /^\d+$/.test(value.trim())) ||
      (typeof value === 'number' && Number.isInteger(value))
    ) {
      return String(value).trim();
    }
    throw invalid(
      `The Zendesk webhook body needs ${name} (a number such as 123); it has ${JSON.stringify(value)}. Use the trigger body of docs/zendesk.md.`,
    );
  };
  const text = (name: string) => (typeof fields[name] === 'string' ? fields[name].trim() : '');
  const flag = fields.public;
  const flagText = typeof flag === 'string' ? flag.trim().toLowerCase() : null;
  if (
    flag !== undefined &&
    typeof flag !== 'boolean' &&
    flagText !== 'true' &&
    flagText !== 'false'
  ) {
    throw invalid(`public must be true or false; it is ${JSON.stringify(flag)}.`);
  }
  const isPublic = flag === true || flagText === 'true';
  return {
    ticketId: id('ticket_id'),
    commentId: id('comment_id'),
    body: text('body'),
    public: isPublic,
    authorEmail: text('author_email') || null,
    authorName: text('author_name') || 'Zendesk agent',
  };
}

function invalid(message: string): ParleyError {
  return new ParleyError('validation_failed', message);
}

function retryAfterMs(header: string | null): number {
  if (!header) return DEFAULT_RETRY_AFTER_MS;
  // Zendesk sends whole seconds.
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0
    ? Math.ceil(seconds * 1000)
    : DEFAULT_RETRY_AFTER_MS;
}
