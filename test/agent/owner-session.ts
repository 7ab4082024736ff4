import { expect } from 'vitest';
import type { TestParley } from '../support/test-parley.js';

/** A signed-in console session of the demo owner, for owner actions over HTTP. */
export async function signInOwner(parley: TestParley): Promise<{
  post(path: string, body?: unknown): Promise<Response>;
  get(path: string): Promise<Response>;
}> {
  const response = await fetch(`${parley.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: parley.demoOwner!.email,
      password: parley.demoOwner!.password,
    }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ');
  return {
    post: (path, body) =>
      fetch(`${parley.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          cookie,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    get: (path) => fetch(`${parley.baseUrl}${path}`, { headers: { cookie } }),
  };
}
