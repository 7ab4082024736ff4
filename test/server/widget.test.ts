import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { request, type ErrorResponse } from './support/http-client.js';
import { createOtherBusiness } from './support/other-business.js';
import { DEMO_OWNER, signIn } from './support/sign-in.js';

interface VisitorMessage {
  id: string;
  seq: number;
  conversationId: string;
  author: string;
  text: string;
}

const SHOP_ORIGIN = 'https://shop.example';

describe.each(backends)('the web chat widget API (%s)', (backend) => {
  let parley: TestParley;

  beforeAll(async () => {
    parley = await startTestParley({ backend });
  });
  afterAll(async () => {
    await parley?.stop();
  });

  const widget = (path: string, businessId = parley.business.id) =>
    `/api/widget/${businessId}${path}`;

  async function newVisitor(businessId = parley.business.id) {
    const response = await request<{ visitorId: string; token: string }>(
      parley.baseUrl,
      widget('/visitors', businessId),
      { method: 'POST' },
    );
    expect(response.status).toBe(201);
    return response.body;
  }

  test('creates visitors with distinct identities and signed tokens', async () => {
    const first = await newVisitor();
    const second = await newVisitor();
    expect(first.visitorId).not.toBe(second.visitorId);
    expect(first.token).toContain(first.visitorId);
    expect(first.token).not.toBe(second.token);

    const config = await request(parley.baseUrl, widget('/config'));
    expect(config.status).toBe(200);
    expect(config.body).toEqual({
      businessName: 'Northside Cycles',
      greeting: (await loadBusinessConfig(DEMO_CONFIG_PATH, {})).channels.web.greeting,
    });

    const unknownBusiness = await request<ErrorResponse>(
      parley.baseUrl,
      widget('/visitors', randomUUID()),
      {
        method: 'POST',
      },
    );
    expect(unknownBusiness.status).toBe(404);
  });

  test('a token for one business is refused by another (401); a forged token too', async () => {
    const other = await createOtherBusiness(parley.store, 'widget');
    const visitor = await newVisitor();

    const post = await request<ErrorResponse>(
      parley.baseUrl,
      widget('/messages', other.business.id),
      {
        bearer: visitor.token,
        body: { clientMessageId: randomUUID(), text: 'hello other shop' },
      },
    );
    expect(post.status).toBe(401);
    expect(post.body.error.code).toBe('unauthorized');
    const read = await request(parley.baseUrl, widget('/messages', other.business.id), {
      bearer: visitor.token,
    });
    expect(read.status).toBe(401);
    const stream = await request(
      parley.baseUrl,
      `${widget('/stream', other.business.id)}?token=${encodeURIComponent(visitor.token)}`,
    );
    expect(stream.status).toBe(401);

    // Another visitor id with this visitor's signature.
    const [version, , mac] = visitor.token.split('.');
    const forged = await request(parley.baseUrl, widget('/messages'), {
      bearer: `${version}.${other.contact.id.replaceAll('-', '')}.${mac}`,
    });
    expect(forged.status).toBe(401);
    expect((await request(parley.baseUrl, widget('/messages'))).status).toBe(401);

    const untouched = await parley.store.messages.listForConversation(
      other.business.id,
      other.conversation.id,
    );
    expect(untouched.filter((message) => message.author === 'customer')).toEqual([
      expect.objectContaining({ id: other.message.id }),
    ]);
  });

  test('the same clientMessageId twice gives the same message and stores one', async () => {
    const visitor = await newVisitor();
    const clientMessageId = randomUUID();
    const send = () =>
      request<{ message: VisitorMessage }>(parley.baseUrl, widget('/messages'), {
        bearer: visitor.token,
        body: { clientMessageId, text: 'Do you service e-bikes?' },
      });
    const first = await send();
    const retry = await send();
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.body.message.id).toBe(first.body.message.id);
    expect(retry.body.message.seq).toBe(first.body.message.seq);

    const stored = await parley.store.messages.listForConversation(
      parley.business.id,
      first.body.message.conversationId,
    );
    expect(stored.filter((message) => message.author === 'customer')).toHaveLength(1);
    // Another visitor using the same client id is a different message.
    const stranger = await newVisitor();
    const theirs = await request<{ message: VisitorMessage }>(parley.baseUrl, widget('/messages'), {
      bearer: stranger.token,
      body: { clientMessageId, text: 'Do you service e-bikes?' },
    });
    expect(theirs.body.message.id).not.toBe(first.body.message.id);
  });

  test('a text over 2000 characters and an empty body are 400s', async () => {
    const visitor = await newVisitor();
    const tooLong = await request<ErrorResponse>(parley.baseUrl, widget('/messages'), {
      bearer: visitor.token,
      body: { clientMessageId: randomUUID(), text: 'a'.repeat(2001) },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.issues?.map((issue) => issue.path)).toEqual(['body.text']);

    const longest = await request(parley.baseUrl, widget('/messages'), {
      bearer: visitor.token,
      body: { clientMessageId: randomUUID(), text: 'a'.repeat(2000) },
    });
    expect(longest.status).toBe(202);

    for (const body of [
      { clientMessageId: randomUUID() },
      { clientMessageId: randomUUID(), text: '   ' },
    ]) {
      const empty = await request<ErrorResponse>(parley.baseUrl, widget('/messages'), {
        bearer: visitor.token,
        body,
      });
      expect(empty.status, JSON.stringify(body)).toBe(400);
      expect(empty.body.error.code).toBe('validation_failed');
      expect(empty.body.error.message).toMatch(/text or a choiceId/);
    }
  });

  test('a choice reply is stored as a choice-reply part', async () => {
    const visitor = await newVisitor();
    const response = await request<{ message: VisitorMessage & { parts: unknown[] } }>(
      parley.baseUrl,
      widget('/messages'),
      {
        bearer: visitor.token,
        body: { clientMessageId: randomUUID(), choiceId: 'menu:ask', text: 'Ask a question' },
      },
    );
    expect(response.status).toBe(202);
    expect(response.body.message.parts).toEqual([
      { type: 'choice-reply', choiceId: 'menu:ask', title: 'Ask a question' },
    ]);
  });

  test('CORS: the widget API allows any origin when none are configured; the console API allows none', async () => {
    const preflight = await request(parley.baseUrl, widget('/messages'), {
      method: 'OPTIONS',
      headers: {
        origin: SHOP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
    // The widget authenticates with its token, never with cookies.
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();

    const visitor = await request(parley.baseUrl, widget('/visitors'), {
      method: 'POST',
      headers: { origin: SHOP_ORIGIN },
    });
    expect(visitor.headers.get('access-control-allow-origin')).toBe('*');

    const cookie = await signIn(parley.baseUrl, DEMO_OWNER);
    const consoleCall = await request(parley.baseUrl, '/api/conversations', {
      cookie,
      headers: { origin: SHOP_ORIGIN },
    });
    expect(consoleCall.status).toBe(200);
    expect(consoleCall.headers.get('access-control-allow-origin')).toBeNull();

    const consolePreflight = await request(parley.baseUrl, '/api/conversations', {
      method: 'OPTIONS',
      headers: { origin: SHOP_ORIGIN, 'access-control-request-method': 'GET' },
    });
    expect(consolePreflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(consolePreflight.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('the web chat widget API with allowedOrigins configured', () => {
  let parley: TestParley;

  beforeAll(async () => {
    const config = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    config.channels.web.allowedOrigins = [SHOP_ORIGIN];
    parley = await startTestParley({ overrides: { config } });
  });
  afterAll(async () => {
    await parley?.stop();
  });

  test('only the configured origin is allowed', async () => {
    const url = `/api/widget/${parley.business.id}/messages`;
    const preflight = (origin: string) =>
      request(parley.baseUrl, url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    expect((await preflight(SHOP_ORIGIN)).headers.get('access-control-allow-origin')).toBe(
      SHOP_ORIGIN,
    );
    const stranger = await preflight('https://elsewhere.example');
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });
});
