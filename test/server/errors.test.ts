import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { request, type ErrorResponse } from './support/http-client.js';
import { createOtherBusiness, type OtherBusiness } from './support/other-business.js';
import { DEMO_OWNER, signIn } from './support/sign-in.js';

/** Every conversation action of the console, with a body that passes validation. */
const CONVERSATION_ACTIONS = [
  { method: 'GET', suffix: '' },
  { method: 'POST', suffix: '/take-over' },
  { method: 'POST', suffix: '/messages', body: { text: 'Hello from the wrong business' } },
  { method: 'POST', suffix: '/hand-back' },
  { method: 'POST', suffix: '/resolve' },
  { method: 'POST', suffix: '/read' },
] as const;

describe.each(backends)('API errors and tenant isolation (%s)', (backend) => {
  let parley: TestParley;
  let cookie: string;

  beforeAll(async () => {
    parley = await startTestParley({ backend });
    cookie = await signIn(parley.baseUrl, DEMO_OWNER);
  });
  afterAll(async () => {
    await parley?.stop();
  });

  test('an oversized body is refused with 413 and the JSON error shape', async () => {
    const response = await parley.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(1024 * 1024 + 1) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toContain('application/json');
    const body = response.json<ErrorResponse>();
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe('payload_too_large');
    expect(body.error.message).toMatch(/too large/);
  });

  test('malformed JSON is a 400 that says the body is not valid JSON', async () => {
    const response = await request<ErrorResponse>(parley.baseUrl, '/api/auth/login', {
      body: '{"email": "owner@demo.parley", "password": ',
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.message).toMatch(/not valid JSON/);
  });

  test('a body that fails validation is a 400 whose issues name the field', async () => {
    const login = await request<ErrorResponse>(parley.baseUrl, '/api/auth/login', {
      body: { email: 'owner@demo.parley' },
    });
    expect(login.status).toBe(400);
    expect(login.body.error.code).toBe('validation_failed');
    expect(login.body.error.issues?.map((issue) => issue.path)).toEqual(['body.password']);
    expect(login.body.error.issues?.[0]?.message).not.toBe('');
    expect(login.body.error.message).toContain('body.password');

    const { conversation } = await createOtherBusiness(parley.store, 'validation');
    const reply = await request<ErrorResponse>(
      parley.baseUrl,
      `/api/conversations/${conversation.id}/messages`,
      { body: { text: 42 }, cookie },
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error.issues?.map((issue) => issue.path)).toEqual(['body.text']);

    const filter = await request<ErrorResponse>(
      parley.baseUrl,
      '/api/conversations?state=sleeping',
      {
        cookie,
      },
    );
    expect(filter.status).toBe(400);
    expect(filter.body.error.issues?.map((issue) => issue.path)).toEqual(['query.state']);
  });

  test('an unknown conversation id is 404 for every action; a non-UUID id is 400', async () => {
    const unknown = randomUUID();
    for (const action of CONVERSATION_ACTIONS) {
      const missing = await request<ErrorResponse>(
        parley.baseUrl,
        `/api/conversations/${unknown}${action.suffix}`,
        { method: action.method, cookie, ...('body' in action ? { body: action.body } : {}) },
      );
      expect(missing.status, `${action.method} ${action.suffix}`).toBe(404);
      expect(missing.body).toEqual({
        error: { code: 'not_found', message: 'Conversation was not found.' },
      });

      const malformed = await request<ErrorResponse>(
        parley.baseUrl,
        `/api/conversations/not-a-uuid${action.suffix}`,
        { method: action.method, cookie, ...('body' in action ? { body: action.body } : {}) },
      );
      expect(malformed.status, `${action.method} ${action.suffix}`).toBe(400);
      expect(malformed.body.error.code).toBe('validation_failed');
      expect(malformed.body.error.issues?.map((issue) => issue.path)).toEqual(['path.id']);
    }
  });

  test('an unknown API address is a JSON 404', async () => {
    const response = await request<ErrorResponse>(parley.baseUrl, '/api/no-such-thing', { cookie });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });

  describe('another business’s conversation', () => {
    let other: OtherBusiness;
    // A second conversation of the other business, held by a person: hand-back and replies
    // would succeed on it if the business scope were missing.
    let held: OtherBusiness['conversation'];

    beforeAll(async () => {
      other = await createOtherBusiness(parley.store, 'tenant');
      const contact = await parley.store.contacts.findOrCreateByIdentity(
        other.business.id,
        { channel: 'web', externalId: `held-${randomUUID()}` },
        {},
      );
      const opened = await parley.store.conversations.findOrOpen(
        other.business.id,
        contact.id,
        'web',
      );
      held = (await parley.store.conversations.transition(other.business.id, opened.id, {
        from: ['agent'],
        to: 'person',
      }))!;
      expect(held.state).toBe('person');
    });

    test('is not found for GET, take-over, messages, hand-back, resolve and read, and never leaks', async () => {
      for (const action of CONVERSATION_ACTIONS) {
        for (const target of [other.conversation, held]) {
          const response = await request<ErrorResponse>(
            parley.baseUrl,
            `/api/conversations/${target.id}${action.suffix}`,
            { method: action.method, cookie, ...('body' in action ? { body: action.body } : {}) },
          );
          const label = `${action.method} ${action.suffix} on a ${target.state} conversation`;
          expect(response.status, label).toBe(404);
          // Exactly what an id that exists nowhere gets: no hint that it exists elsewhere.
          expect(response.body, label).toEqual({
            error: { code: 'not_found', message: 'Conversation was not found.' },
          });
          const text = JSON.stringify(response.body);
          expect(text).not.toContain(other.message.text);
          expect(text).not.toContain('Secret Customer');
        }
      }

      // Nothing changed on the other business's side.
      const [first, second] = await Promise.all([
        parley.store.conversations.getById(other.business.id, other.conversation.id),
        parley.store.conversations.getById(other.business.id, held.id),
      ]);
      expect(first).toMatchObject({ state: 'agent', unreadCount: other.conversation.unreadCount });
      expect(second).toMatchObject({ state: 'person' });
      const messages = await parley.store.messages.listForConversation(
        other.business.id,
        other.conversation.id,
      );
      // (The other business's own agent may have answered its customer meanwhile.)
      expect(
        messages.filter((message) => message.author !== 'agent').map((message) => message.id),
      ).toEqual([other.message.id]);
      expect(await parley.store.messages.listForConversation(other.business.id, held.id)).toEqual(
        [],
      );
      const byPeople = (await parley.store.audit.list(other.business.id)).filter(
        (entry) => entry.actorType === 'user' || entry.actorType === 'api_key',
      );
      expect(byPeople).toEqual([]);
    });

    test('is not in the list, whatever the filter', async () => {
      for (const query of ['', '?state=agent', '?state=person']) {
        const response = await request<{ conversations: Array<{ id: string }> }>(
          parley.baseUrl,
          `/api/conversations${query}`,
          { cookie },
        );
        expect(response.status).toBe(200);
        const ids = response.body.conversations.map((conversation) => conversation.id);
        expect(ids).not.toContain(other.conversation.id);
        expect(ids).not.toContain(held.id);
      }
    });
  });
});
