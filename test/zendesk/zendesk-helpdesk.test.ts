import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createZendeskHelpdesk,
  parseCommentPayload,
  signZendeskWebhook,
} from '../../src/channels/zendesk/zendesk-helpdesk.js';
import { isParleyError } from '../../src/core/errors.js';
import { HelpdeskUnavailableError } from '../../src/core/helpdesk.js';
import { startZendeskStandIn } from './support/zendesk-stand-in.js';

const CREDENTIALS = { email: 'parley@northside.example', apiToken: 'zendesk-api-token-1' };
const SECRET = 'zendesk-webhook-secret-0123456789';
const TICKET = {
  subject: 'Alex (web): refund',
  summary: 'Wants a refund.',
  transcript: 'Customer: money back please',
  requester: { name: 'Alex', email: 'alex@example.com' },
  externalId: 'conversation-1',
};

describe('the Zendesk helpdesk client', () => {
  let zendesk: Awaited<ReturnType<typeof startZendeskStandIn>>;
  const helpdesk = (apiToken = CREDENTIALS.apiToken) =>
    createZendeskHelpdesk({
      baseUrl: zendesk.baseUrl,
      email: CREDENTIALS.email,
      apiToken,
      webhookSecret: SECRET,
    });

  beforeAll(async () => {
    zendesk = await startZendeskStandIn(CREDENTIALS);
  });
  afterAll(async () => {
    await zendesk?.close();
  });

  test('creates a ticket with the requester, the parley tag and the conversation as external id', async () => {
    const { ticketId } = await helpdesk().createTicket(TICKET);
    expect(zendesk.tickets.at(-1)).toEqual({
      id: Number(ticketId),
      subject: 'Alex (web): refund',
      comment: {
        body: 'Wants a refund.\n\nConversation:\nCustomer: money back please',
        public: false,
      },
      requester: { name: 'Alex', email: 'alex@example.com' },
      tags: ['parley'],
      external_id: 'conversation-1',
    });
    await helpdesk().addComment(ticketId, 'On its way.', true);
    expect(zendesk.comments.at(-1)).toEqual({
      ticketId: Number(ticketId),
      body: 'On its way.',
      public: true,
    });
  });

  test('says which setting to fix when Zendesk refuses the token', async () => {
    const error: unknown = await helpdesk('wrong-token-123')
      .createTicket(TICKET)
      .catch((e: unknown) => e);
    expect(isParleyError(error, 'unauthorized')).toBe(true);
    expect((error as Error).message).toContain('zendesk.email and the API token');
  });

  test('a 429 carries its Retry-After and a 503 is retryable', async () => {
    zendesk.failures.push({ status: 429, retryAfter: '7' }, { status: 503 });
    const limited: unknown = await helpdesk()
      .createTicket(TICKET)
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(HelpdeskUnavailableError);
    expect((limited as HelpdeskUnavailableError).retryAfterMs).toBe(7_000);
    const down: unknown = await helpdesk()
      .createTicket(TICKET)
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(HelpdeskUnavailableError);
    expect((down as HelpdeskUnavailableError).retryAfterMs).toBeNull();
  });

  test('verifies the webhook signature over timestamp and raw body', () => {
    const rawBody = JSON.stringify({ ticket_id: 5, comment_id: '77', body: 'Hi', public: true });
    const headers = signZendeskWebhook(rawBody, SECRET, '2026-11-25T10:00:00Z');
    expect(helpdesk().parseWebhook({ headers, rawBody })).toEqual({
      ticketId: '5',
      commentId: '77',
      body: 'Hi',
      public: true,
      authorEmail: null,
      authorName: 'Zendesk agent',
    });
    const tampered = rawBody.replace('Hi', 'Ha');
    expect(() => helpdesk().parseWebhook({ headers, rawBody: tampered })).toThrow(/signature/);
    const otherTime = {
      ...headers,
      'x-zendesk-webhook-signature-timestamp': '2026-11-25T10:00:01Z',
    };
    expect(() => helpdesk().parseWebhook({ headers: otherTime, rawBody })).toThrow(/signature/);
    expect(() => helpdesk().parseWebhook({ headers: {}, rawBody })).toThrow(/signature/);
  });

  test('refuses bodies that are not the documented template, naming the field', () => {
    expect(() => parseCommentPayload('not json')).toThrow(/not JSON/);
    expect(() => parseCommentPayload('{"ticket_id": "abc", "comment_id": 1}')).toThrow(/ticket_id/);
    expect(() => parseCommentPayload('{"ticket_id": 1, "comment_id": 2, "public": "yes"}')).toThrow(
      /public must be true or false/,
    );
  });
});
