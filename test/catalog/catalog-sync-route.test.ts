import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { request } from '../server/support/http-client.js';
import { DEMO_OWNER, signIn } from '../server/support/sign-in.js';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import {
  shopifyProduct,
  startShopifyStandIn,
  type ShopifyStandIn,
} from './support/shopify-stand-in.js';

describe.each(backends)('POST /api/catalog/sync (real HTTP, %s)', (backend) => {
  let parley: TestParley;
  let bare: TestParley;
  let shopify: ShopifyStandIn;
  let cookie: string;

  beforeAll(async () => {
    shopify = await startShopifyStandIn();
    const demo = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    parley = await startTestParley({
      backend,
      demoPassword: DEMO_OWNER.password,
      overrides: {
        config: {
          ...demo,
          shopify: {
            shop: 'stand-in-cycles.myshopify.com',
            accessToken: shopify.token,
            apiVersion: '2025-10',
            apiBaseUrl: shopify.baseUrl,
          },
        },
      },
    });
    cookie = await signIn(parley.baseUrl, DEMO_OWNER);
  });
  afterAll(async () => {
    await parley?.stop();
    await bare?.stop();
    await shopify?.close();
  });

  it('syncs the running business from Shopify and reports what changed and what it could not read', async () => {
    shopify.products = [
      shopifyProduct({
        handle: 'city-lock',
        title: 'City Lock',
        variants: [{ price: '30.00', quantity: 3 }],
      }),
      shopifyProduct({ handle: 'bar-tape', title: 'Bar Tape', variants: [{ price: 'free' }] }),
    ];
    const anonymous = await request(parley.baseUrl, '/api/catalog/sync', { body: {} });
    expect(anonymous.status).toBe(401);

    const first = await request(parley.baseUrl, '/api/catalog/sync', { cookie, body: {} });
    expect(first.status).toBe(200);
    const body = first.body as {
      created: number;
      updated: number;
      archived: number;
      problems: Array<{ handle: string | null; message: string }>;
    };
    expect(body).toMatchObject({ shop: 'stand-in-cycles.myshopify.com', created: 1, updated: 0 });
    // The demo products from the business file are not in Shopify: archived, never deleted.
    expect(body.archived).toBeGreaterThan(0);
    expect(body.problems).toEqual([
      expect.objectContaining({
        handle: 'bar-tape',
        message: 'the price "free" is not an amount',
      }),
    ]);
    const lock = await parley.store.catalog.getProduct(parley.business.id, 'city-lock');
    expect(lock?.title).toBe('City Lock');

    shopify.products = [
      shopifyProduct({
        handle: 'city-lock',
        title: 'City Lock Pro',
        variants: [{ price: '35.00', quantity: 1 }],
      }),
    ];
    const second = await request(parley.baseUrl, '/api/catalog/sync', { cookie, body: {} });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ created: 0, updated: 1, archived: 0, problems: [] });
    const renamed = await parley.store.catalog.getProduct(parley.business.id, 'city-lock');
    expect(renamed?.title).toBe('City Lock Pro');
  });

  it('answers 400 with what to add when the business file has no shopify section', async () => {
    bare = await startTestParley({ backend, demoPassword: DEMO_OWNER.password });
    const bareCookie = await signIn(bare.baseUrl, DEMO_OWNER);
    const response = await request(bare.baseUrl, '/api/catalog/sync', {
      cookie: bareCookie,
      body: {},
    });
    expect(response.status).toBe(400);
    const error = (response.body as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/no Shopify store[\s\S]*Add a shopify section/);
  });
});
