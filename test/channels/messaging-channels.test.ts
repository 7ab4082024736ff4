import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/message.js';
import { changeConversationHolder } from '../../src/inbox/change-conversation-holder.js';
import { replyAsPerson } from '../../src/inbox/reply-as-person.js';
import { toModelMessages } from '../../src/agent/model-messages.js';
import { backends } from '../support/test-database.js';
import { customerEvent, messagingWebhook, mid } from './fixtures/messaging-webhooks.js';
import { eventually } from '../support/eventually.js';
import { META, startMetaParley, type MetaParley } from './support/meta-parley.js';

let nextId = 6783450000000000;
const newPsid = () => String((nextId += 1));

describe.each(backends)('Messenger and Instagram (%s)', (backend) => {
  let meta: MetaParley;
  beforeAll(async () => {
    meta = await startMetaParley({ backend });
  });
  afterAll(async () => {
    await meta.stop();
  });

  const deps = () => ({
    store: meta.parley.store,
    live: meta.parley.live,
    clock: { now: () => new Date() },
  });

  async function write(
    channel: 'messenger' | 'instagram',
    psid: string,
    body: Record<string, unknown>,
    options: { standby?: boolean; at?: number } = {},
  ) {
    const event = {
      ...customerEvent(channel, psid, body),
      ...(options.at ? { timestamp: options.at } : {}),
    };
    const response = await meta.post(
      channel,
      messagingWebhook(channel, [event], { standby: options.standby ?? false }),
    );
    expect(response.status).toBe(200);
  }

  async function agentReply(channel: 'messenger' | 'instagram', psid: string): Promise<Message> {
    return eventually(
      'the agent reply to settle',
      async () => {
        const reply = (await meta.messagesOf(channel, psid)).find(
          (message) => message.author === 'agent',
        );
        return reply && reply.status !== 'pending' ? reply : undefined;
      },
      20_000,
    );
  }

  it('answers a Messenger message through the Send API with quick replies, after mark_seen and typing', async () => {
    const psid = newPsid();
    await write('messenger', psid, { message: { mid: mid(), text: 'Hi! Are you open Saturday?' } });
    const reply = await agentReply('messenger', psid);
    expect(reply.status).toBe('sent');
    const send = meta.graph
      .sends()
      .find((request) => (request.body?.recipient as { id?: string })?.id === psid);
    expect(send).toMatchObject({
      path: `${META.pageId}/messages`,
      token: META.pageToken,
      body: {
        recipient: { id: psid },
        messaging_type: 'RESPONSE',
        message: {
          metadata: `parley:${reply.id}`,
          quick_replies: [
            { content_type: 'text', title: 'Ask a question', payload: 'menu:ask' },
            { content_type: 'text', title: 'Talk to a person', payload: 'menu:person' },
          ],
        },
      },
    });
    const actions = meta.graph.requests
      .filter(
        (request) =>
          (request.body?.recipient as { id?: string })?.id === psid && request.body?.sender_action,
      )
      .map((request) => request.body?.sender_action);
    expect(actions).toEqual(['mark_seen', 'typing_on']);

    // Parley's own echo confirms the message; it is not stored a second time.
    await meta.post(
      'messenger',
      messagingWebhook('messenger', [
        {
          sender: { id: META.pageId },
          recipient: { id: psid },
          timestamp: Date.now(),
          message: {
            mid: send!.providerMessageId,
            is_echo: true,
            app_id: 1517776481860111,
            metadata: `parley:${reply.id}`,
            text: 'echo',
          },
        },
      ]),
    );
    // Delivery then read watermarks; a late delivery afterwards changes nothing.
    const later = Date.now() + 1000;
    await write('messenger', psid, {
      delivery: { mids: [send!.providerMessageId], watermark: later },
    });
    await write('messenger', psid, { read: { watermark: later } });
    await write('messenger', psid, { delivery: { watermark: later } });
    await meta.drained();
    const thread = await meta.messagesOf('messenger', psid);
    expect(thread.filter((message) => message.direction === 'outbound')).toHaveLength(1);
    expect(thread.find((message) => message.id === reply.id)?.status).toBe('read');
  });

  it("records a message the business wrote in the Page inbox as its own, never as the customer's", async () => {
    const psid = newPsid();
    await write('messenger', psid, { message: { mid: mid(), text: 'Can I return a helmet?' } });
    await agentReply('messenger', psid);
    await meta.drained();
    const { store, business } = meta.parley;
    const [before] = (await meta.messagesOf('messenger', psid)).map(
      (message) => message.conversationId,
    );
    const conversationBefore = await store.conversations.getById(business.id, before!);
    const echoMid = mid();
    const echo = {
      sender: { id: META.pageId },
      recipient: { id: psid },
      timestamp: Date.now(),
      message: {
        mid: echoMid,
        is_echo: true,
        app_id: 263902037430900,
        text: 'Yes, within 30 days with the receipt. — Sam',
      },
    };
    await meta.post('messenger', messagingWebhook('messenger', [echo]));
    await meta.post('messenger', messagingWebhook('messenger', [echo]));
    await meta.drained();
    const thread = await meta.messagesOf('messenger', psid);
    const recorded = thread.filter((message) => message.channelMessageId === echoMid);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ direction: 'outbound', author: 'person', status: 'sent' });
    const conversationAfter = await store.conversations.getById(business.id, before!);
    expect(conversationAfter?.lastInboundSeq).toBe(conversationBefore?.lastInboundSeq);
    expect(toModelMessages(thread).at(-1)).toEqual({
      role: 'assistant',
      content: 'Yes, within 30 days with the receipt. — Sam',
    });
  });

  it('handles postbacks as choices and reactions as notes, and only listens on standby', async () => {
    const psid = newPsid();
    await write('messenger', psid, {
      postback: { mid: mid(), title: 'Get Started', payload: 'GET_STARTED' },
    });
    await agentReply('messenger', psid);
    const target = (await meta.messagesOf('messenger', psid)).find(
      (message) => message.author === 'agent',
    )!;
    await write('messenger', psid, {
      reaction: { mid: target.channelMessageId, action: 'react', emoji: '👍', reaction: 'like' },
    });
    await write(
      'messenger',
      psid,
      { message: { mid: mid(), text: 'Also, do you sell tubes?' } },
      { standby: true },
    );
    await meta.drained();
    const { store, business } = meta.parley;
    const thread = await meta.messagesOf('messenger', psid);
    expect(thread.map((message) => [message.author, message.parts[0]?.type])).toEqual([
      ['customer', 'choice-reply'],
      ['agent', 'text'],
      ['customer', 'reaction'],
      ['customer', 'text'],
    ]);
    const conversation = await store.conversations.getById(business.id, thread[0]!.conversationId);
    // The postback was answered; the reaction and the standby message owe nothing.
    expect(conversation?.lastInboundSeq).toBe(thread[0]!.seq);
    const receipts = meta.graph.requests.filter(
      (request) =>
        (request.body?.recipient as { id?: string })?.id === psid &&
        request.body?.sender_action === 'mark_seen',
    );
    expect(receipts).toHaveLength(1);
  });

  it('answers on Instagram through Instagram Login (graph.instagram.com /me/messages)', async () => {
    const igsid = newPsid();
    const message = mid('aWdf');
    await write('instagram', igsid, { message: { mid: message, text: 'Do you ship to Leeds?' } });
    await write('instagram', igsid, { message: { mid: message, text: 'Do you ship to Leeds?' } });
    const reply = await agentReply('instagram', igsid);
    const send = meta.graph
      .sends()
      .find((request) => (request.body?.recipient as { id?: string })?.id === igsid);
    expect(send).toMatchObject({
      path: 'me/messages',
      token: META.instagramToken,
      body: {
        recipient: { id: igsid },
        messaging_type: 'RESPONSE',
      },
    });
    expect(typeof (send?.body?.message as { text?: unknown }).text).toBe('string');
    expect(send?.body?.message).not.toHaveProperty('metadata');
    expect(reply.channelMessageId).toBe(send?.providerMessageId);
    await write('instagram', igsid, { read: { mid: send!.providerMessageId } });
    await meta.drained();
    const thread = await meta.messagesOf('instagram', igsid);
    expect(thread.filter((stored) => stored.author === 'customer')).toHaveLength(1);
    expect(thread.find((stored) => stored.id === reply.id)?.status).toBe('read');
  });

  it('never lets the agent write after 24 hours; a person may, with the HUMAN_AGENT tag', async () => {
    const psid = newPsid();
    await write(
      'messenger',
      psid,
      { message: { mid: mid(), text: 'Is my bike ready?' } },
      { at: Date.now() - 30 * 3_600_000 },
    );
    const reply = await agentReply('messenger', psid);
    expect(reply.status).toBe('failed');
    expect(reply.statusError).toMatch(/^window closed: .*only a person may answer now/);
    expect(
      meta.graph
        .sends()
        .filter((request) => (request.body?.recipient as { id?: string })?.id === psid),
    ).toHaveLength(0);

    await changeConversationHolder(deps(), {
      businessId: meta.parley.business.id,
      conversationId: reply.conversationId,
      change: 'take-over',
      actor: { kind: 'api_key', apiKeyId: 'test' },
    });
    const personal = await replyAsPerson(deps(), {
      businessId: meta.parley.business.id,
      conversationId: reply.conversationId,
      text: 'Yes — ready for collection from 10 tomorrow.',
      actor: { kind: 'api_key', apiKeyId: 'test' },
    });
    const send = await meta.graph.waitFor(
      (request) =>
        (request.body?.message as { metadata?: string } | undefined)?.metadata ===
        `parley:${personal.id}`,
    );
    expect(send.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });
});
