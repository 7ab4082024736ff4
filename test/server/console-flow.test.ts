import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { eventually } from '../support/eventually.js';
import { request, type ErrorResponse } from './support/http-client.js';
import { DEMO_OWNER, signIn } from './support/sign-in.js';

interface VisitorMessage {
  id: string;
  seq: number;
  conversationId: string;
  author: string;
  text: string;
}

interface ApiConversation {
  id: string;
  state: string;
  assignedUserId: string | null;
  unreadCount: number;
  lastMessagePreview: string;
  contact: { id: string } | null;
}

describe.each(backends)('the console flow over HTTP (%s)', (backend) => {
  let parley: TestParley;
  let cookie: string;
  let ownerId: string;
  let visitorToken: string;
  let conversationId: string;

  beforeAll(async () => {
    parley = await startTestParley({ backend });
    cookie = await signIn(parley.baseUrl, DEMO_OWNER);
    const me = await request<{ user: { id: string } }>(parley.baseUrl, '/api/auth/me', { cookie });
    ownerId = me.body.user.id;
  });
  afterAll(async () => {
    await parley?.stop();
  });

  const widget = (path: string) => `/api/widget/${parley.business.id}${path}`;
  const conversation = (path = '') => `/api/conversations/${conversationId}${path}`;

  async function visitorMessages(): Promise<VisitorMessage[]> {
    const response = await request<{ messages: VisitorMessage[] }>(
      parley.baseUrl,
      widget('/messages'),
      { bearer: visitorToken },
    );
    expect(response.status).toBe(200);
    return response.body.messages;
  }

  async function post(path: string, body?: unknown) {
    return request<ErrorResponse & { conversation: ApiConversation }>(parley.baseUrl, path, {
      method: 'POST',
      cookie,
      ...(body === undefined ? {} : { body }),
    });
  }

  test('a visitor writes, the agent answers in menu mode, and the console lists the conversation', async () => {
    const visitor = await request<{ token: string }>(parley.baseUrl, widget('/visitors'), {
      method: 'POST',
    });
    expect(visitor.status).toBe(201);
    visitorToken = visitor.body.token;

    const sent = await request<{ message: VisitorMessage }>(parley.baseUrl, widget('/messages'), {
      bearer: visitorToken,
      body: { clientMessageId: randomUUID(), text: 'What are your opening hours?' },
    });
    expect(sent.status).toBe(202);
    conversationId = sent.body.message.conversationId;

    const reply = await eventually("the agent's menu-mode reply", async () =>
      (await visitorMessages()).find((message) => message.author === 'agent'),
    );
    expect(reply.seq).toBeGreaterThan(sent.body.message.seq);
    expect(reply.text).toMatch(/Monday to Friday/);

    const list = await request<{ conversations: ApiConversation[] }>(
      parley.baseUrl,
      '/api/conversations',
      { cookie },
    );
    expect(list.status).toBe(200);
    const listed = list.body.conversations.find((item) => item.id === conversationId);
    expect(listed).toMatchObject({ state: 'agent', channel: 'web', assignedUserId: null });
    expect(listed!.contact).not.toBeNull();

    const thread = await request<{ messages: Array<{ author: string }>; steps: unknown[] }>(
      parley.baseUrl,
      conversation(),
      { cookie },
    );
    expect(thread.status).toBe(200);
    expect(thread.body.messages.map((message) => message.author)).toEqual(['customer', 'agent']);
  });

  test('a person cannot reply while the agent holds the conversation (409)', async () => {
    const response = await post(conversation('/messages'), { text: 'Hi, this is the owner' });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('conflict');
    expect(response.body.error.message).toMatch(/take over/i);
    expect((await visitorMessages()).some((message) => message.author === 'person')).toBe(false);
  });

  test('take-over moves the conversation to the person; a second take-over is a 409', async () => {
    const first = await post(conversation('/take-over'));
    expect(first.status).toBe(200);
    expect(first.body.conversation).toMatchObject({
      id: conversationId,
      state: 'person',
      assignedUserId: ownerId,
    });

    const second = await post(conversation('/take-over'));
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('conflict');

    const held = await request<{ conversations: ApiConversation[] }>(
      parley.baseUrl,
      '/api/conversations?state=person',
      { cookie },
    );
    expect(held.body.conversations.map((item) => item.id)).toEqual([conversationId]);
  });

  test('a person’s reply is 201 and reaches the visitor', async () => {
    const response = await request<{
      message: { id: string; author: string; authorUserId: string };
    }>(parley.baseUrl, conversation('/messages'), {
      cookie,
      body: { text: 'Hi, Sam from the shop here. How can I help?' },
    });
    expect(response.status).toBe(201);
    expect(response.body.message).toMatchObject({ author: 'person', authorUserId: ownerId });

    const seen = await visitorMessages();
    expect(seen.find((message) => message.id === response.body.message.id)).toMatchObject({
      author: 'person',
      text: 'Hi, Sam from the shop here. How can I help?',
    });
    // The visitor is told a person joined, and sees no staff ids.
    expect(seen.some((message) => message.author === 'system')).toBe(true);
    expect(JSON.stringify(seen)).not.toContain(ownerId);
  });

  test('read clears the unread count', async () => {
    await request(parley.baseUrl, widget('/messages'), {
      bearer: visitorToken,
      body: { clientMessageId: randomUUID(), text: 'Thanks! Is the Trek in stock?' },
    });
    const before = await request<{ conversation: ApiConversation }>(
      parley.baseUrl,
      conversation(),
      {
        cookie,
      },
    );
    expect(before.body.conversation.unreadCount).toBeGreaterThan(0);
    const read = await post(conversation('/read'));
    expect(read.status).toBe(204);
    const after = await request<{ conversation: ApiConversation }>(parley.baseUrl, conversation(), {
      cookie,
    });
    expect(after.body.conversation.unreadCount).toBe(0);
    // The agent stayed silent while a person held the conversation.
    expect((await visitorMessages()).filter((message) => message.author === 'agent')).toHaveLength(
      1,
    );
  });

  test('hand-back returns it to the agent; handing back twice is a 409', async () => {
    const back = await post(conversation('/hand-back'));
    expect(back.status).toBe(200);
    expect(back.body.conversation).toMatchObject({ state: 'agent', assignedUserId: null });
    expect((await post(conversation('/hand-back'))).status).toBe(409);
    expect((await post(conversation('/messages'), { text: 'too late' })).status).toBe(409);
  });

  test('resolve closes it; resolving again is a 409', async () => {
    const resolved = await post(conversation('/resolve'));
    expect(resolved.status).toBe(200);
    expect(resolved.body.conversation.state).toBe('resolved');
    expect((await post(conversation('/resolve'))).status).toBe(409);

    const list = await request<{ conversations: ApiConversation[] }>(
      parley.baseUrl,
      '/api/conversations?state=resolved',
      { cookie },
    );
    expect(list.body.conversations.map((item) => item.id)).toContain(conversationId);
  });
});
