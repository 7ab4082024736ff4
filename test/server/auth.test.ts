import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { readServerSettings } from '../../src/config/server-settings.js';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { request, type ErrorResponse } from './support/http-client.js';
import { DEMO_OWNER, createUser, sessionCookieOf, signIn } from './support/sign-in.js';

const WRONG_CREDENTIALS = 'The e-mail or password is wrong.';

describe.each(backends)('console sign-in (%s)', (backend) => {
  let parley: TestParley;
  // Follows the real time until a test moves it on past the throttle window.
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    parley = await startTestParley({ backend, overrides: { clock } });
  });
  afterAll(async () => {
    await parley?.stop();
  });

  async function login(email: string, password: string) {
    return request<ErrorResponse>(parley.baseUrl, '/api/auth/login', { body: { email, password } });
  }

  async function newAccount(label: string) {
    const email = `${label}@throttle.test`;
    const { password } = await createUser(parley.store, {
      businessId: parley.business.id,
      email,
      role: 'staff',
    });
    return { email, password };
  }

  test('login answers with the user and business and sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const response = await request<Record<string, Record<string, unknown>>>(
      parley.baseUrl,
      '/api/auth/login',
      { body: DEMO_OWNER },
    );
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ email: DEMO_OWNER.email, role: 'owner' });
    expect(response.body.user).not.toHaveProperty('passwordHash');
    expect(response.body.business).toMatchObject({
      id: parley.business.id,
      name: 'Northside Cycles',
    });

    const cookie = response.headers
      .getSetCookie()
      .find((line) => line.startsWith('parley_session='));
    expect(cookie).toBeDefined();
    const attributes = cookie!.split(';').map((part) => part.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    // Plain HTTP: a Secure cookie would never be sent back.
    expect(attributes).not.toContain('secure');
  });

  test('/api/auth/me answers for a session and refuses without one', async () => {
    const cookie = await signIn(parley.baseUrl, DEMO_OWNER);
    const me = await request<Record<string, Record<string, unknown>>>(
      parley.baseUrl,
      '/api/auth/me',
      { cookie },
    );
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: DEMO_OWNER.email, businessId: parley.business.id });
    expect(me.body.business).toMatchObject({ id: parley.business.id });

    const anonymous = await request<ErrorResponse>(parley.baseUrl, '/api/auth/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');

    const forged = await request<ErrorResponse>(parley.baseUrl, '/api/auth/me', {
      cookie: 'parley_session=not-a-real-session-token',
    });
    expect(forged.status).toBe(401);
  });

  test('a wrong password and an unknown e-mail get the same 401, and no cookie', async () => {
    const wrongPassword = await login(DEMO_OWNER.email, 'not-the-password');
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body).toEqual({
      error: { code: 'unauthorized', message: WRONG_CREDENTIALS },
    });
    expect(wrongPassword.headers.getSetCookie()).toEqual([]);

    const unknownEmail = await login('nobody@nowhere.test', 'not-the-password');
    expect(unknownEmail.status).toBe(401);
    // The same message: a response must not reveal which e-mail addresses have accounts.
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(unknownEmail.headers.getSetCookie()).toEqual([]);
  });

  test('the 6th failed attempt within the window is refused with 429 and Retry-After, until the window passes', async () => {
    const account = await newAccount('locked');
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await login(account.email, 'wrong-password')).status, `attempt ${attempt}`).toBe(401);
    }
    const sixth = await login(account.email, 'wrong-password');
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe('rate_limited');
    expect(sixth.body.error.message).toMatch(/try again/i);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);

    // While throttled even the right password is refused: guessing must not go on in the window.
    const rightPassword = await login(account.email, account.password);
    expect(rightPassword.status).toBe(429);
    expect(rightPassword.headers.getSetCookie()).toEqual([]);
    // The throttle is per account: the demo owner is not locked out by this.
    expect((await login(DEMO_OWNER.email, DEMO_OWNER.password)).status).toBe(200);

    clock.advance(15 * 60 * 1000 + 1000);
    expect((await login(account.email, account.password)).status).toBe(200);
  });

  test('a successful login clears the account’s failures', async () => {
    const account = await newAccount('recovers');
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect((await login(account.email, 'wrong-password')).status).toBe(401);
    }
    expect((await login(account.email, account.password)).status).toBe(200);
    // Without the reset, the 2nd of these would be the 6th failure in the window: 429.
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect((await login(account.email, 'wrong-password')).status, `attempt ${attempt}`).toBe(401);
    }
  });

  test('logout ends the session: the cookie is cleared and no longer works', async () => {
    const cookie = await signIn(parley.baseUrl, DEMO_OWNER);
    expect((await request(parley.baseUrl, '/api/auth/me', { cookie })).status).toBe(200);

    const logout = await request(parley.baseUrl, '/api/auth/logout', { method: 'POST', cookie });
    expect(logout.status).toBe(204);
    const cleared = logout.headers
      .getSetCookie()
      .find((line) => line.startsWith('parley_session='));
    expect(cleared).toMatch(/^parley_session=;/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/i);

    // A client that ignores the clearing header must still be signed out.
    const replayed = await request<ErrorResponse>(parley.baseUrl, '/api/auth/me', { cookie });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.code).toBe('unauthorized');
    const conversations = await request(parley.baseUrl, '/api/conversations', { cookie });
    expect(conversations.status).toBe(401);
  });

  test('behind no proxy, X-Forwarded-Proto is not believed: the cookie is not marked Secure', async () => {
    const response = await request(parley.baseUrl, '/api/auth/login', {
      body: DEMO_OWNER,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(response.status).toBe(200);
    expect(sessionCookieOf(response.headers)).toBeDefined();
    const cookie = response.headers
      .getSetCookie()
      .find((line) => line.startsWith('parley_session='));
    expect(cookie!.toLowerCase()).not.toContain('secure');
  });
});

describe('console sign-in behind a TLS-terminating proxy (PARLEY_TRUST_PROXY)', () => {
  let parley: TestParley;

  beforeAll(async () => {
    const settings = readServerSettings({
      PORT: '0',
      PARLEY_TRUST_PROXY: 'true',
      PARLEY_DEMO_PASSWORD: DEMO_OWNER.password,
    });
    parley = await startTestParley({ overrides: { settings } });
  });
  afterAll(async () => {
    await parley?.stop();
  });

  test('a login that came over HTTPS gets a Secure cookie', async () => {
    const response = await request(parley.baseUrl, '/api/auth/login', {
      body: DEMO_OWNER,
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.5' },
    });
    expect(response.status).toBe(200);
    const cookie = response.headers
      .getSetCookie()
      .find((line) => line.startsWith('parley_session='));
    const attributes = cookie!.split(';').map((part) => part.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax']));

    const plain = await request(parley.baseUrl, '/api/auth/login', {
      body: DEMO_OWNER,
      headers: { 'x-forwarded-proto': 'http', 'x-forwarded-for': '203.0.113.5' },
    });
    expect(plain.headers.getSetCookie().join(';').toLowerCase()).not.toContain('secure');
  });

  test('failures are also throttled per client address, across accounts', async () => {
    const attacker = { 'x-forwarded-for': '198.51.100.7' };
    for (let attempt = 1; attempt <= 20; attempt++) {
      const response = await request(parley.baseUrl, '/api/auth/login', {
        body: { email: `guess-${attempt}@spray.test`, password: 'wrong-password' },
        headers: attacker,
      });
      expect(response.status, `attempt ${attempt}`).toBe(401);
    }
    const blocked = await request<ErrorResponse>(parley.baseUrl, '/api/auth/login', {
      body: DEMO_OWNER,
      headers: attacker,
    });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).not.toBeNull();

    const someoneElse = await request(parley.baseUrl, '/api/auth/login', {
      body: DEMO_OWNER,
      headers: { 'x-forwarded-for': '198.51.100.8' },
    });
    expect(someoneElse.status).toBe(200);
  });
});
