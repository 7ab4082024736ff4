import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeConversationHolder } from '../../src/inbox/change-conversation-holder.js';
import { replyAsPerson } from '../../src/inbox/reply-as-person.js';
import { customerEvent, messagingWebhook, mid } from './fixtures/messaging-webhooks.js';
import { contactEntry, inbound, whatsappWebhook } from './fixtures/whatsapp-webhooks.js';
import { eventually } from '../support/eventually.js';
import { startMetaParley, type MetaParley } from './support/meta-parley.js';

describe('sending: the window-closed template and self-imposed pacing', () => {
  let meta: MetaParley;
  beforeAll(async () => {
    meta = await startMetaParley({
      windowClosedTemplate: true,
      // One message per recipient at once, the next after 400 ms: pacing shows up within a test.
      overrides: { metaChannels: { pacer: { recipientIntervalMs: 400, recipientBurst: 1 } } },
    });
  });
  afterAll(async () => {
    await meta.stop();
  });

  const deps = () => ({
    store: meta.parley.store,
    live: meta.parley.live,
    clock: { now: () => new Date() },
  });

  it('sends the configured template when Meta answers 131047, and says so on the reply', async () => {
    const customer = {
      waId: '447700940001',
      userId: 'US.44770094000100000000',
      name: 'Late Customer',
    };
    const isOurs = (request: { body: Record<string, unknown> | null }) =>
      request.body?.to === `+${customer.waId}` && request.body.type !== undefined;
    // Parley thinks the window is open; Meta knows better (a rare case Meta documents).
    meta.graph.script(
      {
        kind: 'error',
        code: 131047,
        message: 'Re-engagement message',
        details:
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      },
      { match: (request) => isOurs(request) && request.body?.type === 'interactive' },
    );
    const message = inbound(
      'text',
      { text: { body: 'hello' } },
      { from: customer.waId, from_user_id: customer.userId },
    );
    await meta.post(
      'whatsapp',
      whatsappWebhook({ contacts: [contactEntry(customer)], messages: [message] }),
    );
    const reply = await eventually(
      'the reply to settle',
      async () => {
        const found = (await meta.messagesOf('whatsapp', customer.userId)).find(
          (candidate) => candidate.author === 'agent',
        );
        return found && found.status !== 'pending' ? found : undefined;
      },
      20_000,
    );
    expect(reply.status).toBe('failed');
    expect(reply.statusError).toMatch(
      /^131047 window closed: WhatsApp refused the reply \(131047 Re-engagement message: .*\)\. Sent the template "follow_up_reply" instead/,
    );
    const template = meta.graph
      .sends()
      .find((request) => isOurs(request) && request.body?.type === 'template');
    expect(template?.body).toMatchObject({
      type: 'template',
      template: { name: 'follow_up_reply', language: { code: 'en_GB' } },
      biz_opaque_callback_data: `parley:${reply.id}`,
    });
    // Recorded under its own part number: a retry would never send the template twice.
    const chunks = await meta.parley.store.channelMessages.listChunks(
      meta.parley.business.id,
      reply.id,
    );
    expect(chunks).toEqual([{ chunk: 10_000, channelMessageId: template?.providerMessageId }]);
  });

  it('holds the second part of a long reply for the pair rate without using up attempts, in order', async () => {
    const psid = '6783451111111111';
    await meta.post(
      'messenger',
      messagingWebhook('messenger', [
        customerEvent('messenger', psid, {
          message: { mid: mid(), text: 'Tell me everything about the tune-up' },
        }),
      ]),
    );
    const agentReply = await eventually(
      'the agent reply',
      async () => {
        const found = (await meta.messagesOf('messenger', psid)).find(
          (candidate) => candidate.author === 'agent',
        );
        return found && found.status === 'sent' ? found : undefined;
      },
      20_000,
    );
    await changeConversationHolder(deps(), {
      businessId: meta.parley.business.id,
      conversationId: agentReply.conversationId,
      change: 'take-over',
      actor: { kind: 'api_key', apiKeyId: 'test' },
    });
    const long = Array.from(
      { length: 60 },
      (_, index) => `Step ${index + 1}: we check, clean and adjust one more part of the bike.`,
    ).join(' ');
    const personal = await replyAsPerson(deps(), {
      businessId: meta.parley.business.id,
      conversationId: agentReply.conversationId,
      text: long,
      actor: { kind: 'api_key', apiKeyId: 'test' },
    });
    const sent = await eventually(
      'every part to leave',
      async () => {
        const message = await meta.parley.store.messages.getById(
          meta.parley.business.id,
          personal.id,
        );
        return message?.status === 'sent' ? message : undefined;
      },
      20_000,
    );
    const parts = meta.graph
      .sends()
      .filter(
        (request) =>
          (request.body?.message as { metadata?: string } | undefined)?.metadata ===
          `parley:${personal.id}`,
      );
    expect(parts).toHaveLength(2);
    const texts = parts.map((request) => (request.body?.message as { text: string }).text);
    expect(texts[0]?.startsWith('Step 1:')).toBe(true);
    expect(texts.join(' ')).toBe(long);
    expect(sent.channelMessageId).toBe(parts[0]?.providerMessageId);
    // Every reply left, in the order it was written: the agent's, the take-over notice, the
    // person's two parts (the pacer held each one back without failing it).
    const thread = await meta.messagesOf('messenger', psid);
    const outbound = thread.filter((message) => message.direction === 'outbound');
    expect(outbound.map((message) => `${message.author}:${message.status}`)).toEqual([
      'agent:sent',
      'system:sent',
      'person:sent',
    ]);
    const order = meta.graph
      .sends()
      .filter((request) => (request.body?.recipient as { id?: string } | undefined)?.id === psid)
      .map((request) => (request.body?.message as { metadata?: string }).metadata);
    expect(order).toEqual(
      outbound.flatMap((message) =>
        message.author === 'person'
          ? [`parley:${message.id}`, `parley:${message.id}`]
          : [`parley:${message.id}`],
      ),
    );
  });
});
