import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiKeys } from '../../src/store/schema/index.js';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { request, type ErrorResponse } from './support/http-client.js';
import { DEMO_OWNER, createUser, signIn } from './support/sign-in.js';

interface CreatedKey {
  apiKey: { id: string; name: string; prefix: string; revokedAt: string | null };
  secret: string;
}

describe.each(backends)('API keys (%s)', (backend) => {
  let parley: TestParley;
  let ownerCookie: string;

  beforeAll(async () => {
    parley = await startTestParley({ backend });
    ownerCookie = await signIn(parley.baseUrl, DEMO_OWNER);
  });
  afterAll(async () => {
    await parley?.stop();
  });

  async function createKey(name: string): Promise<CreatedKey> {
    const response = await request<CreatedKey>(parley.baseUrl, '/api/api-keys', {
      body: { name },
      cookie: ownerCookie,
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  test('the owner creates a key: the secret is returned once and only its hash is stored', async () => {
    const { apiKey, secret } = await createKey('Zapier');
    expect(secret).toMatch(/^pk_[A-Za-z0-9_-]{20,}$/);
    expect(apiKey).toMatchObject({ name: 'Zapier', prefix: secret.slice(0, 10), revokedAt: null });

    const [row] = await parley.database.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row).toBeDefined();
    expect(row!.businessId).toBe(parley.business.id);
    expect(row!.keyHash).toBe(createHash('sha256').update(secret).digest('hex'));
    // No column holds the secret itself.
    expect(JSON.stringify(row)).not.toContain(secret);

    const listed = await request<{ apiKeys: Array<Record<string, unknown>> }>(
      parley.baseUrl,
      '/api/api-keys',
      { cookie: ownerCookie },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.apiKeys.map((key) => key.id)).toContain(apiKey.id);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(JSON.stringify(listed.body)).not.toContain(row!.keyHash);
  });

  test('a Bearer key reads conversations; once revoked it is refused', async () => {
    const { apiKey, secret } = await createKey('Reporting script');
    const allowed = await request<{ conversations: unknown[] }>(
      parley.baseUrl,
      '/api/conversations',
      { bearer: secret },
    );
    expect(allowed.status).toBe(200);
    expect(Array.isArray(allowed.body.conversations)).toBe(true);

    const revoke = await request(parley.baseUrl, `/api/api-keys/${apiKey.id}`, {
      method: 'DELETE',
      cookie: ownerCookie,
    });
    expect(revoke.status).toBe(204);

    const refused = await request<ErrorResponse>(parley.baseUrl, '/api/conversations', {
      bearer: secret,
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');

    const again = await request<ErrorResponse>(parley.baseUrl, `/api/api-keys/${apiKey.id}`, {
      method: 'DELETE',
      cookie: ownerCookie,
    });
    expect(again.status).toBe(404);
  });

  test('a made-up key is refused', async () => {
    const response = await request<ErrorResponse>(parley.baseUrl, '/api/conversations', {
      bearer: 'pk_this-key-was-never-issued-by-parley',
    });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
  });

  test('staff may read conversations but not manage API keys (403)', async () => {
    const staff = await createUser(parley.store, {
      businessId: parley.business.id,
      email: 'staff@northside.test',
      role: 'staff',
    });
    const cookie = await signIn(parley.baseUrl, {
      email: staff.user.email,
      password: staff.password,
    });

    expect((await request(parley.baseUrl, '/api/conversations', { cookie })).status).toBe(200);

    const create = await request<ErrorResponse>(parley.baseUrl, '/api/api-keys', {
      body: { name: 'sneaky' },
      cookie,
    });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('forbidden');
    expect((await request(parley.baseUrl, '/api/api-keys', { cookie })).status).toBe(403);

    const rows = await parley.database.db.select().from(apiKeys).where(eq(apiKeys.name, 'sneaky'));
    expect(rows).toEqual([]);
  });

  test('a key of one business cannot revoke another business’s key', async () => {
    const { apiKey } = await createKey('Kept');
    const other = await parley.store.businesses.upsert({
      slug: 'key-thief',
      name: 'Key Thief Ltd',
      instructions: '',
      profile: {
        description: 'x',
        timezone: 'Europe/London',
        languages: ['en'],
        currency: 'GBP',
        openingHours: {},
        tone: 'plain',
      },
    });
    const thief = await createUser(parley.store, {
      businessId: other.id,
      email: 'owner@key-thief.test',
      role: 'owner',
    });
    const cookie = await signIn(parley.baseUrl, {
      email: thief.user.email,
      password: thief.password,
    });
    const revoke = await request(parley.baseUrl, `/api/api-keys/${apiKey.id}`, {
      method: 'DELETE',
      cookie,
    });
    expect(revoke.status).toBe(404);
    const [row] = await parley.database.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row!.revokedAt).toBeNull();
  });
});
