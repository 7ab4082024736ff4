import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/message.js';
import { changeConversationHolder } from '../../src/inbox/change-conversation-holder.js';
import { replyAsPerson } from '../../src/inbox/reply-as-person.js';
import { backends } from '../support/test-database.js';
import {
  contactEntry,
  inbound,
  statusEntry,
  whatsappWebhook,
} from './fixtures/whatsapp-webhooks.js';
import { eventually } from '../support/eventually.js';
import { consoleApi, type ConsoleMessage } from './support/console-api.js';
import { META, startMetaParley, type MetaParley } from './support/meta-parley.js';

let customerNumber = 447700910000;

/** A new customer (so tests do not share conversations), writing `text` `hoursAgo` ago. */
function newCustomer() {
  customerNumber += 1;
  return {
    waId: String(customerNumber),
    userId: `US.${customerNumber}000000000`,
    name: `Customer ${customerNumber}`,
  };
}

describe.each(backends)('WhatsApp replies out (%s)', (backend) => {
  let meta: MetaParley;
  beforeAll(async () => {
    meta = await startMetaParley({ backend, windowClosedTemplate: false });
  });
  afterAll(async () => {
    await meta.stop();
  });

  /** The customer writes; resolves with the agent's (menu mode) reply once it has left. */
  async function customerWrites(
    customer: ReturnType<typeof newCustomer>,
    text: string,
    options: { hoursAgo?: number } = {},
  ) {
    const timestamp = Math.floor(Date.now() / 1000 - (options.hoursAgo ?? 0) * 3600);
    const message = inbound(
      'text',
      { text: { body: text } },
      {
        from: customer.waId,
        from_user_id: customer.userId,
        timestamp: String(timestamp),
      },
    );
    await meta.post(
      'whatsapp',
      whatsappWebhook({ contacts: [contactEntry(customer)], messages: [message] }),
    );
    return message;
  }

  async function agentReplyTo(
    customer: ReturnType<typeof newCustomer>,
    settled = true,
  ): Promise<Message> {
    return eventually(
      'the agent reply to settle',
      async () => {
        const messages = await meta.messagesOf('whatsapp', customer.userId);
        const reply = messages.find((message) => message.author === 'agent');
        if (!reply) return undefined;
        if (settled && reply.status === 'pending') return undefined;
        return reply;
      },
      20_000,
    );
  }

  const sendsTo = (customer: ReturnType<typeof newCustomer>) =>
    meta.graph.sends().filter((request) => request.body?.to === `+${customer.waId}`);

  it('sends the agent reply natively (menu choices as reply buttons) and follows its statuses', async () => {
    const customer = newCustomer();
    await customerWrites(customer, 'hello');
    const reply = await agentReplyTo(customer);
    expect(reply.status).toBe('sent');
    const [send] = sendsTo(customer);
    expect(send?.path).toBe(`${META.phoneNumberId}/messages`);
    expect(send?.token).toBe(META.whatsappToken);
    expect(send?.body).toMatchObject({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: `+${customer.waId}`,
      type: 'interactive',
      interactive: {
        type: 'button',
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'menu:ask', title: 'Ask a question' } },
            { type: 'reply', reply: { id: 'menu:person', title: 'Talk to a person' } },
          ],
        },
      },
      biz_opaque_callback_data: `parley:${reply.id}`,
    });
    expect(reply.channelMessageId).toBe(send?.providerMessageId);

    // Statuses arrive out of order and twice: read first, then a late delivered and sent.
    const id = send!.providerMessageId!;
    const now = Math.floor(Date.now() / 1000);
    await meta.post(
      'whatsapp',
      whatsappWebhook({
        statuses: [statusEntry(id, 'read', { at: now + 2, recipient: customer.waId })],
      }),
    );
    await meta.post(
      'whatsapp',
      whatsappWebhook({
        statuses: [
          statusEntry(id, 'delivered', { at: now + 1, recipient: customer.waId }),
          statusEntry(id, 'sent', { at: now, recipient: customer.waId }),
          statusEntry(id, 'read', { at: now + 2, recipient: customer.waId }),
        ],
      }),
    );
    await meta.drained();
    const { store, business } = meta.parley;
    expect((await store.messages.getById(business.id, reply.id))?.status).toBe('read');
    const reports = await store.channelMessages.listReports(business.id, reply.id);
    expect(reports.map((report) => report.status)).toEqual(['sent', 'delivered', 'read']);
  });

  it('finds a status by the callback data even before the provider id was recorded, and shows failures in the console', async () => {
    const customer = newCustomer();
    await customerWrites(customer, 'hi there');
    const reply = await agentReplyTo(customer);
    await meta.post(
      'whatsapp',
      whatsappWebhook({
        statuses: [
          statusEntry('wamid.unknown-to-parley', 'failed', {
            parleyMessageId: reply.id,
            recipient: customer.waId,
            errors: [
              {
                code: 131026,
                title: 'Message undeliverable',
                message: 'Message undeliverable',
                error_data: { details: 'The recipient is not on WhatsApp or uses an old version.' },
              },
            ],
          }),
        ],
      }),
    );
    await meta.drained();
    const api = await consoleApi(meta.parley.baseUrl);
    const thread = await api.get<{ messages: ConsoleMessage[] }>(
      `/api/conversations/${reply.conversationId}`,
    );
    const shown = thread.messages.find((message) => message.id === reply.id);
    expect(shown).toMatchObject({
      status: 'failed',
      statusError:
        '131026 Message undeliverable: The recipient is not on WhatsApp or uses an old version.',
    });
  });

  it('backs off on 130429 (throughput) and 131056 (pair rate), then delivers', async () => {
    for (const code of [130429, 131056]) {
      const customer = newCustomer();
      meta.graph.script(
        {
          kind: 'error',
          code,
          message: code === 130429 ? 'Rate limit hit' : 'Pair rate limit hit',
        },
        { match: (request) => request.body?.to === `+${customer.waId}` },
      );
      await customerWrites(customer, 'hello');
      const reply = await agentReplyTo(customer);
      expect(reply.status).toBe('sent');
      const attempts = meta.graph.requests.filter(
        (request) =>
          request.body?.to === `+${customer.waId}` && request.body.type === 'interactive',
      );
      expect(attempts).toHaveLength(2);
      expect(attempts[0]?.providerMessageId).toBeNull();
    }
  });

  it('retries transient errors (131000) and gives up at once on 131026, showing why', async () => {
    const transient = newCustomer();
    meta.graph.script(
      { kind: 'error', status: 500, code: 131000, message: 'Something went wrong' },
      {
        match: (request) => request.body?.to === `+${transient.waId}`,
      },
    );
    await customerWrites(transient, 'hello');
    expect((await agentReplyTo(transient)).status).toBe('sent');

    const unreachable = newCustomer();
    meta.graph.script(
      {
        kind: 'error',
        code: 131026,
        message: 'Message undeliverable',
        details: 'Receiver is incapable of receiving this message',
      },
      { match: (request) => request.body?.to === `+${unreachable.waId}`, times: 5 },
    );
    await customerWrites(unreachable, 'hello');
    const failed = await agentReplyTo(unreachable);
    expect(failed).toMatchObject({
      status: 'failed',
      statusError: '131026 Message undeliverable: Receiver is incapable of receiving this message',
    });
    expect(
      meta.graph.requests.filter(
        (request) => request.body?.to === `+${unreachable.waId}` && request.body.type,
      ),
    ).toHaveLength(1);
  });

  it.each([
    [132001, 'Template name does not exist in the translation'],
    [368, 'Temporarily blocked for policies violations'],
  ])('fails %i without retrying and alerts the owner', async (code, title) => {
    const customer = newCustomer();
    meta.graph.script(
      { kind: 'error', code, message: title },
      {
        match: (request) => request.body?.to === `+${customer.waId}`,
        times: 5,
      },
    );
    await customerWrites(customer, 'hello');
    const reply = await agentReplyTo(customer);
    expect(reply).toMatchObject({ status: 'failed', statusError: `${code} ${title}` });
    const alerts = await meta.parley.store.audit.list(meta.parley.business.id, {
      subjectId: 'whatsapp',
    });
    expect(
      alerts.some(
        (entry) =>
          entry.action === 'channel.alert' && String(entry.details.message).startsWith(`${code} `),
      ),
    ).toBe(true);
  });

  it('keeps the reply in the outbox on a rejected token (190) and alerts the owner', async () => {
    const customer = newCustomer();
    meta.graph.script(
      {
        kind: 'error',
        status: 401,
        code: 190,
        message: 'Error validating access token: Session has expired',
      },
      { match: (request) => request.body?.to === `+${customer.waId}` },
    );
    await customerWrites(customer, 'hello');
    const reply = await agentReplyTo(customer, false);
    const alert = await eventually('a token alert', async () => {
      const entries = await meta.parley.store.audit.list(meta.parley.business.id, {
        subjectId: 'whatsapp',
      });
      return entries.find((entry) => entry.details.code === 'token_rejected');
    });
    expect(String(alert.details.message)).toMatch(/^190 Error validating access token.*renew it/);
    await eventually('the outbox to note the error', async () => {
      const message = await meta.parley.store.messages.getById(meta.parley.business.id, reply.id);
      return message?.status === 'pending' ? message : undefined;
    });
    expect(sendsTo(customer)).toHaveLength(0);
  });

  it('sends nothing free-form when the 24-hour window has closed, and says so (no template configured)', async () => {
    const customer = newCustomer();
    await customerWrites(customer, 'a question from yesterday', { hoursAgo: 25 });
    const reply = await agentReplyTo(customer);
    expect(reply.status).toBe('failed');
    expect(reply.statusError).toMatch(
      /^131047 window closed: .*more than 24 hours ago.*Configure channels\.whatsapp\.templates\.windowClosed/,
    );
    expect(
      meta.graph.requests.filter(
        (request) => request.body?.to === `+${customer.waId}` && request.body.type,
      ),
    ).toHaveLength(0);
  });

  it("sends a person's Markdown reply in WhatsApp formatting, each accepted part recorded", async () => {
    const customer = newCustomer();
    await customerWrites(customer, 'I need a person');
    const agentReply = await agentReplyTo(customer);
    const { store, live, clock, business } = { ...meta.parley, clock: { now: () => new Date() } };
    const deps = { store, live, clock };
    const conversation = await store.conversations.getById(business.id, agentReply.conversationId);
    if (conversation?.state !== 'person') {
      await changeConversationHolder(deps, {
        businessId: business.id,
        conversationId: agentReply.conversationId,
        change: 'take-over',
        actor: { kind: 'api_key', apiKeyId: 'test' },
      });
    }
    const paragraph = `**Good news:** your bike is ready. ${'We trued the wheels and replaced the chain. '.repeat(45)}`;
    const text = `${paragraph}\n\n${paragraph}`.slice(0, 4000);
    // The person's reply limit is 4,096 characters; two such replies make one long thread.
    const sent = await replyAsPerson(deps, {
      businessId: business.id,
      conversationId: agentReply.conversationId,
      text,
      actor: { kind: 'api_key', apiKeyId: 'test' },
    });
    const delivered = await eventually(
      'the person reply to leave',
      async () => {
        const message = await store.messages.getById(business.id, sent.id);
        return message?.status === 'sent' ? message : undefined;
      },
      20_000,
    );
    const parts = sendsTo(customer).filter(
      (request) => request.body?.biz_opaque_callback_data === `parley:${sent.id}`,
    );
    expect(parts.length).toBeGreaterThanOrEqual(1);
    const bodies = parts.map((request) => (request.body?.text as { body: string }).body);
    expect(bodies.every((body) => body.length <= 4096)).toBe(true);
    expect(bodies[0]?.startsWith('*Good news:* your bike is ready.')).toBe(true);
    const chunks = await store.channelMessages.listChunks(business.id, sent.id);
    expect(chunks.map((chunk) => chunk.channelMessageId)).toEqual(
      parts.map((request) => request.providerMessageId),
    );
    expect(delivered.channelMessageId).toBe(parts[0]?.providerMessageId);
  });
});
