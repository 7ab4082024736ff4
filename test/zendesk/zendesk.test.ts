import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signZendeskWebhook } from '../../src/channels/zendesk/zendesk-helpdesk.js';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { systemClock } from '../../src/core/clock.js';
import { changeConversationHolder } from '../../src/inbox/change-conversation-holder.js';
import { replyAsPerson } from '../../src/inbox/reply-as-person.js';
import { eventually } from '../support/eventually.js';
import { request } from '../server/support/http-client.js';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { ZENDESK, withZendesk } from './support/zendesk-business.js';
import { startZendeskStandIn } from './support/zendesk-stand-in.js';

describe.each(backends)('Zendesk tickets and comments (%s)', (backend) => {
  let zendesk: Awaited<ReturnType<typeof startZendeskStandIn>>;
  let parley: TestParley;
  let conversationId: string;
  let ticketId: number;

  beforeAll(async () => {
    zendesk = await startZendeskStandIn(ZENDESK);
    const config = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    parley = await startTestParley({
      backend,
      overrides: { config: withZendesk(config, zendesk.baseUrl) },
    });
  });
  afterAll(async () => {
    await parley?.stop();
    await zendesk?.close();
  });

  const businessId = () => parley.business.id;
  const deps = () => ({ store: parley.store, live: parley.live, clock: systemClock });

  function postWebhook(payload: Record<string, unknown>, secret = ZENDESK.webhookSecret) {
    const body = JSON.stringify(payload);
    return request<Record<string, unknown>>(parley.baseUrl, `/webhooks/zendesk/${businessId()}`, {
      method: 'POST',
      body,
      headers: signZendeskWebhook(body, secret, new Date().toISOString()),
    });
  }

  test('a handoff opens one Zendesk ticket with the summary and transcript, after Zendesk rate-limited the first try', async () => {
    // Zendesk answers the first create with 429 Retry-After: 1; Parley waits and tries again.
    zendesk.failures.push({ status: 429, retryAfter: '1' });
    const visitor = await request<{ token: string }>(
      parley.baseUrl,
      `/api/widget/${businessId()}/visitors`,
      { method: 'POST' },
    );
    const sent = await request<{ message: { conversationId: string } }>(
      parley.baseUrl,
      `/api/widget/${businessId()}/messages`,
      {
        bearer: visitor.body.token,
        body: {
          clientMessageId: randomUUID(),
          text: 'My order 1042 never came, can I talk to a human please?',
        },
      },
    );
    conversationId = sent.body.message.conversationId;
    const ticket = await eventually(
      'the Zendesk ticket',
      () => zendesk.tickets.find((entry) => entry.external_id === conversationId),
      30_000,
    );
    ticketId = ticket.id;
    expect(zendesk.refused).toEqual([]);
    expect(zendesk.failures).toEqual([]);
    expect(ticket.tags).toEqual(['parley']);
    expect(ticket.requester.name).toBeTruthy();
    expect(ticket.subject).toContain('web');
    expect(ticket.comment.body).toContain('Handed over: the customer asked for a person');
    expect(ticket.comment.body).toContain(
      'Customer: My order 1042 never came, can I talk to a human please?',
    );

    // Zendesk holds the ticket as soon as it answers; Parley records the answer just after.
    const row = await eventually(
      'the ticket recorded as created',
      async () => {
        const found = await parley.store.helpdesk.findByTicketId(businessId(), String(ticket.id));
        return found?.state === 'created' ? found : undefined;
      },
      10_000,
    );
    expect(row).toMatchObject({ conversationId, state: 'created', attempts: 2, lastError: null });

    // The same handoff announced again queues nothing new: one ticket per handoff episode.
    const conversation = await parley.store.conversations.getById(businessId(), conversationId);
    await parley.store.helpdesk.enqueueTicket({
      businessId: businessId(),
      conversationId,
      episode: `waiting-since:${conversation!.waitingSince!.toISOString()}`,
      syncedSeq: 0,
    });
    expect(await parley.store.helpdesk.dueTickets(new Date(Date.now() + 60_000), 10)).toEqual([]);
    expect(zendesk.tickets.filter((entry) => entry.external_id === conversationId)).toHaveLength(1);
  });

  test("a person's reply in Parley becomes a public comment on the ticket", async () => {
    const [owner] = await parley.store.users.list(businessId());
    const actor = { kind: 'user' as const, userId: owner!.id, name: owner!.name };
    await changeConversationHolder(deps(), {
      businessId: businessId(),
      conversationId,
      change: 'take-over',
      actor,
    });
    await replyAsPerson(deps(), {
      businessId: businessId(),
      conversationId,
      text: 'Sorry about that! I have asked the courier where order 1042 is.',
      actor,
    });
    const comment = await eventually('the comment on the ticket', () =>
      zendesk.comments.find((entry) => entry.ticketId === ticketId),
    );
    expect(comment).toEqual({
      ticketId,
      body: 'Sorry about that! I have asked the courier where order 1042 is.',
      public: true,
    });
  });

  test("a Zendesk agent's signed public comment reaches the customer once; a bad signature writes nothing", async () => {
    // What a forged webhook must not change: the messages themselves. (Their delivery status may
    // still move meanwhile, as the outbox sends the previous test's reply.)
    const messagesNow = async () =>
      (await parley.store.messages.listForConversation(businessId(), conversationId)).map(
        (message) => ({ id: message.id, seq: message.seq, text: message.text }),
      );
    const before = await messagesNow();
    const comment = {
      ticket_id: String(ticketId),
      comment_id: '900001',
      body: 'The courier found it: it arrives tomorrow morning.',
      public: 'true',
      author_email: 'sam@northside.example',
      author_name: 'Sam',
    };

    const forged = await postWebhook(comment, 'not-the-zendesk-secret-at-all');
    expect(forged.status).toBe(401);
    expect(JSON.stringify(forged.body)).toContain('signature');
    expect(await messagesNow()).toEqual(before);

    const delivered = await postWebhook(comment);
    expect(delivered.status).toBe(200);
    expect(delivered.body).toMatchObject({ result: 'delivered' });
    const replay = await postWebhook(comment);
    expect(replay.body).toEqual({ result: 'duplicate' });

    const after = await parley.store.messages.listForConversation(businessId(), conversationId);
    const added = after.filter((message) => !before.some((old) => old.id === message.id));
    expect(added.map((message) => [message.author, message.text])).toEqual([
      ['person', 'The courier found it: it arrives tomorrow morning.'],
    ]);
    // Sent to the customer through the outbox (the web chat delivers at once).
    await eventually('the reply delivered to the web chat', async () => {
      const message = await parley.store.messages.getById(businessId(), added[0]!.id);
      return message?.status === 'sent' || message?.status === 'delivered' ? message : undefined;
    });

    // Private notes and Parley's own comments echoed back do not reach the customer.
    const note = await postWebhook({ ...comment, comment_id: '900002', public: false });
    expect(note.body).toMatchObject({ result: 'ignored', reason: 'a private note' });
    const echo = await postWebhook({
      ...comment,
      comment_id: '900003',
      author_email: ZENDESK.email,
    });
    expect(echo.body).toMatchObject({ result: 'ignored', reason: 'written by Parley' });

    // The comment that came from Zendesk is not copied back to it; the next Parley reply is.
    await replyAsPerson(deps(), {
      businessId: businessId(),
      conversationId,
      text: 'Anything else I can help with?',
      actor: { kind: 'api_key', apiKeyId: 'test' },
    });
    await eventually('the second Parley reply on the ticket', () =>
      zendesk.comments.length === 2 ? true : undefined,
    );
    expect(zendesk.comments.map((entry) => entry.body)).toEqual([
      'Sorry about that! I have asked the courier where order 1042 is.',
      'Anything else I can help with?',
    ]);
  });

  test('a webhook body that is not the documented template is refused with what to fix', async () => {
    const result = await postWebhook({ ticket: 'nope' });
    expect(result.status).toBe(400);
    expect(JSON.stringify(result.body)).toContain('ticket_id');
  });
});
