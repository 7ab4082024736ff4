import { expect } from 'vitest';
import type { Store } from '../../../src/core/store.js';
import type { User, UserRole } from '../../../src/core/user.js';
import { hashPassword } from '../../../src/server/auth/passwords.js';
import { request } from './http-client.js';

export const DEMO_OWNER = { email: 'owner@demo.parley', password: 'demo-password-123' };

/** Signs in over HTTP and returns the `Cookie` header value that carries the session. */
export async function signIn(
  baseUrl: string,
  credentials: { email: string; password: string },
): Promise<string> {
  const response = await request(baseUrl, '/api/auth/login', { body: credentials });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return sessionCookieOf(response.headers);
}

/** `parley_session=<token>` from a response's Set-Cookie header. */
export function sessionCookieOf(headers: Headers): string {
  const cookie = headers.getSetCookie().find((line) => line.startsWith('parley_session='));
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(headers.getSetCookie())}`);
  return cookie.split(';')[0]!;
}

/** A console user created straight in the store, as `parley user create` would. */
export async function createUser(
  store: Store,
  input: { businessId: string; email: string; role: UserRole; password?: string; name?: string },
): Promise<{ user: User; password: string }> {
  const password = input.password ?? 'a-test-password-456';
  const user = await store.users.create({
    businessId: input.businessId,
    email: input.email,
    name: input.name ?? input.email.split('@')[0]!,
    role: input.role,
    passwordHash: await hashPassword(password),
  });
  return { user, password };
}
