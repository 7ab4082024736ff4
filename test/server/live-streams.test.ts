import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { EventStreamClient, type ServerSentEvent } from './support/event-stream-client.js';
import { eventually } from '../support/eventually.js';
import { request } from './support/http-client.js';
import { createOtherBusiness } from './support/other-business.js';
import { DEMO_OWNER, createUser, signIn } from './support/sign-in.js';

interface StreamedMessage {
  id: string;
  seq: number;
  conversationId: string;
  author: string;
  text: string;
}

interface ConsoleEvent {
  conversationId: string;
  seq?: number;
  state?: string;
}

describe.each(backends)('live event streams over real HTTP (%s)', (backend) => {
  let parley: TestParley;
  const streams: EventStreamClient[] = [];

  beforeAll(async () => {
    parley = await startTestParley({ backend });
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await parley?.stop();
  });

  async function open(path: string, headers: Record<string, string> = {}) {
    const stream = await EventStreamClient.open(`${parley.baseUrl}${path}`, headers);
    streams.push(stream);
    return stream;
  }

  async function newVisitor(businessId: string) {
    const response = await request<{ token: string }>(
      parley.baseUrl,
      `/api/widget/${businessId}/visitors`,
      { method: 'POST' },
    );
    return response.body.token;
  }

  async function say(businessId: string, token: string, text: string) {
    const response = await request<{ message: StreamedMessage }>(
      parley.baseUrl,
      `/api/widget/${businessId}/messages`,
      { bearer: token, body: { clientMessageId: randomUUID(), text } },
    );
    expect(response.status).toBe(202);
    return response.body.message;
  }

  /** Waits for the visitor's message and the agent's answer to it (menu mode answers every one). */
  async function exchange(token: string, text: string) {
    const sent = await say(parley.business.id, token, text);
    const answer = await eventually(`the agent's answer to "${text}"`, async () => {
      const response = await request<{ messages: StreamedMessage[] }>(
        parley.baseUrl,
        `/api/widget/${parley.business.id}/messages?after=${sent.seq}`,
        { bearer: token },
      );
      return response.body.messages.find((message) => message.author === 'agent');
    });
    return { sent, answer };
  }

  function messagesOf(stream: EventStreamClient): StreamedMessage[] {
    return stream.events
      .filter((event) => event.event === 'message')
      .map((event) => {
        const message = JSON.parse(event.data) as StreamedMessage;
        // Each message event carries its seq as the event id (EventSource resumes from it).
        expect(event.id).toBe(String(message.seq));
        return message;
      });
  }

  const isMessage = (id: string) => (event: ServerSentEvent) =>
    event.event === 'message' && (JSON.parse(event.data) as StreamedMessage).id === id;

  test('the widget stream sends the backlog with ids, then live messages, each once', async () => {
    const token = await newVisitor(parley.business.id);
    const first = await exchange(token, 'What is your returns policy?');

    const stream = await open(
      `/api/widget/${parley.business.id}/stream?token=${encodeURIComponent(token)}`,
    );
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    await stream.waitFor(isMessage(first.answer.id), 'the backlog');
    expect(messagesOf(stream).map((message) => message.id)).toEqual([
      first.sent.id,
      first.answer.id,
    ]);

    const live = await say(parley.business.id, token, 'How long do repairs take?');
    await stream.waitFor(isMessage(live.id), 'the live visitor message');
    const liveAnswer = await stream.waitFor(
      (event) =>
        event.event === 'message' &&
        (JSON.parse(event.data) as StreamedMessage).author === 'agent' &&
        Number(event.id) > live.seq,
      'the live agent answer',
    );

    const received = messagesOf(stream);
    expect(received.map((message) => message.seq)).toEqual(
      [...received.map((message) => message.seq)].sort((a, b) => a - b),
    );
    expect(new Set(received.map((message) => message.id)).size).toBe(received.length);
    expect(received.at(-1)!.seq).toBe(Number(liveAnswer.id));
    // What the visitor sees: no staff ids, no delivery internals.
    expect(Object.keys(received[0]!).sort()).toEqual(
      ['author', 'conversationId', 'createdAt', 'id', 'parts', 'seq', 'text'].sort(),
    );
  });

  test('reconnecting with Last-Event-ID sends only later messages, and none twice', async () => {
    const token = await newVisitor(parley.business.id);
    const first = await exchange(token, 'Which payment methods do you accept?');
    const second = await exchange(token, 'Do you deliver?');

    // As EventSource reconnects: the query of the first connection, plus Last-Event-ID.
    const resumed = await open(
      `/api/widget/${parley.business.id}/stream?token=${encodeURIComponent(token)}&after=0`,
      { 'last-event-id': String(first.answer.seq) },
    );
    await resumed.waitFor(isMessage(second.answer.id), 'the messages after Last-Event-ID');

    const live = await say(parley.business.id, token, 'What warranty do your bikes have?');
    await resumed.waitFor(
      (event) => event.event === 'message' && Number(event.id) > live.seq,
      'the answer to the live message',
    );
    const received = messagesOf(resumed);
    expect(received.every((message) => message.seq > first.answer.seq)).toBe(true);
    expect(received.slice(0, 3).map((message) => message.id)).toEqual([
      second.sent.id,
      second.answer.id,
      live.id,
    ]);
    expect(new Set(received.map((message) => message.id)).size).toBe(received.length);

    // The ?after= cursor alone works the same way (the widget's first connection after a reload).
    const fromQuery = await open(
      `/api/widget/${parley.business.id}/stream?token=${encodeURIComponent(token)}&after=${second.answer.seq}`,
    );
    await fromQuery.waitFor(isMessage(live.id), 'the messages after ?after=');
    expect(messagesOf(fromQuery).every((message) => message.seq > second.answer.seq)).toBe(true);
  });

  test('a visitor’s stream carries only that visitor’s messages', async () => {
    const mine = await newVisitor(parley.business.id);
    const theirs = await newVisitor(parley.business.id);
    const before = await exchange(mine, 'What are your opening hours?');
    const stream = await open(
      `/api/widget/${parley.business.id}/stream?token=${encodeURIComponent(mine)}`,
    );
    await stream.waitFor(isMessage(before.answer.id), 'the backlog');
    const other = await exchange(theirs, 'Can I return a helmet?');
    const after = await say(parley.business.id, mine, 'Thanks');
    await stream.waitFor(isMessage(after.id), 'my next message');
    const ids = messagesOf(stream).map((message) => message.id);
    expect(ids).not.toContain(other.sent.id);
    expect(ids).not.toContain(other.answer.id);
  });

  test('/api/events delivers its own business’s events and nothing of another business', async () => {
    const cookie = await signIn(parley.baseUrl, DEMO_OWNER);
    const anonymous = await request(parley.baseUrl, '/api/events');
    expect(anonymous.status).toBe(401);

    const other = await createOtherBusiness(parley.store, 'events');
    const otherOwner = await createUser(parley.store, {
      businessId: other.business.id,
      email: 'owner@events-other.test',
      role: 'owner',
    });
    const otherCookie = await signIn(parley.baseUrl, {
      email: otherOwner.user.email,
      password: otherOwner.password,
    });

    const events = await open('/api/events', { cookie });
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const otherEvents = await open('/api/events', { cookie: otherCookie });

    // The other business's activity first; its own stream proves it was published.
    const otherToken = await newVisitor(other.business.id);
    const otherMessage = await say(other.business.id, otherToken, 'Guten Tag');
    await otherEvents.waitFor(
      (event) =>
        event.event === 'message-created' &&
        (JSON.parse(event.data) as ConsoleEvent).seq === otherMessage.seq,
      "the other business's message-created",
    );

    // Then this business's: a visitor message and a take-over.
    const token = await newVisitor(parley.business.id);
    const message = await say(parley.business.id, token, 'Hello there');
    const created = await events.waitFor(
      (event) =>
        event.event === 'message-created' &&
        (JSON.parse(event.data) as ConsoleEvent).seq === message.seq,
      'message-created',
    );
    expect(JSON.parse(created.data)).toEqual({
      conversationId: message.conversationId,
      seq: message.seq,
    });
    await events.waitFor(
      (event) =>
        event.event === 'conversation-updated' &&
        (JSON.parse(event.data) as ConsoleEvent).conversationId === message.conversationId,
      'conversation-updated for the new message',
    );
    const takeOver = await request(
      parley.baseUrl,
      `/api/conversations/${message.conversationId}/take-over`,
      { method: 'POST', cookie },
    );
    expect(takeOver.status).toBe(200);
    const updated = await events.waitFor(
      (event) =>
        event.event === 'conversation-updated' &&
        (JSON.parse(event.data) as ConsoleEvent).state === 'person',
      'conversation-updated after the take-over',
    );
    expect(JSON.parse(updated.data)).toEqual({
      conversationId: message.conversationId,
      state: 'person',
    });

    // Events are delivered in publication order, so any leak would have arrived by now.
    const seen = events.events.map((event) => JSON.parse(event.data) as ConsoleEvent);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((event) => event.conversationId !== otherMessage.conversationId)).toBe(true);
    expect(
      otherEvents.events.every(
        (event) =>
          (JSON.parse(event.data) as ConsoleEvent).conversationId !== message.conversationId,
      ),
    ).toBe(true);
  });
});
