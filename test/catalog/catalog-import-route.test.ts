import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { request } from '../server/support/http-client.js';
import { DEMO_OWNER, signIn } from '../server/support/sign-in.js';

describe('POST /api/catalog/import (real HTTP)', () => {
  let parley: TestParley;
  let cookie: string;

  beforeAll(async () => {
    parley = await startTestParley({ demoPassword: DEMO_OWNER.password });
    cookie = await signIn(parley.baseUrl, DEMO_OWNER);
  });
  afterAll(async () => {
    await parley?.stop();
  });

  it('imports a Shopify export for the signed-in owner and reports bad rows by line', async () => {
    const content = await readFile(
      new URL('./fixtures/shopify-current.csv', import.meta.url),
      'utf8',
    );
    const response = await request(parley.baseUrl, '/api/catalog/import', {
      cookie,
      body: { format: 'shopify-csv', content },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ created: 3, updated: 0, imageRows: 1 });
    expect(
      (response.body as { issues: Array<{ line: number }> }).issues.map((issue) => issue.line),
    ).toEqual([8, 11]);
    const tyre = await parley.store.catalog.getProduct(parley.business.id, 'trail-gravel-tyre');
    expect(tyre?.variants).toHaveLength(3);
  });

  it('refuses callers who are not signed in, and unreadable files', async () => {
    const anonymous = await request(parley.baseUrl, '/api/catalog/import', {
      body: { format: 'csv', content: 'Handle,Title\n' },
    });
    expect(anonymous.status).toBe(401);
    const broken = await request(parley.baseUrl, '/api/catalog/import', {
      cookie,
      body: { format: 'json', content: '{not json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ error: { code: 'validation_failed' } });
  });
});
