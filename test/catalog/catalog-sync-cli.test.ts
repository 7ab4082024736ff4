import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { parseBusinessConfig } from '../../src/config/load-business-config.js';
import { runCli } from '../cli/support/run-cli.js';
import {
  shopifyProduct,
  startShopifyStandIn,
  type ShopifyStandIn,
} from './support/shopify-stand-in.js';

// The first command over a fresh data folder creates the embedded database: seconds, not ms.
const CLI_TIMEOUT_MS = 120_000;

describe('the shopify section of the business file', () => {
  test('reads the shop, the token from the environment and the version; rejects a wrong domain', async () => {
    const demo = await readFile(DEMO_CONFIG_PATH, 'utf8');
    const config = parseBusinessConfig(
      `${demo}\nshopify:\n  shop: Bike-Shop.myshopify.com\n  accessToken: \${SHOPIFY_ACCESS_TOKEN}\n`,
      'shop.yaml',
      { SHOPIFY_ACCESS_TOKEN: 'shpat_abc' },
    );
    expect(config.shopify).toEqual({
      shop: 'bike-shop.myshopify.com',
      accessToken: 'shpat_abc',
      apiVersion: '2025-10',
      apiBaseUrl: 'https://bike-shop.myshopify.com',
    });
    expect(() =>
      parseBusinessConfig(
        `${demo}\nshopify:\n  shop: https://bike-shop.com\n  accessToken: x\n  apiVersion: 2025-11\n`,
        'shop.yaml',
        {},
      ),
    ).toThrow(/myshopify\.com domain[\s\S]*quarterly version such as 2025-10/);
  });
});

describe('parley catalog sync', () => {
  let dataDir: string;
  let shopify: ShopifyStandIn;
  let configPath: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-catalog-sync-'));
    shopify = await startShopifyStandIn();
    shopify.products = [
      shopifyProduct({
        handle: 'city-lock',
        title: 'City Lock',
        variants: [{ price: '30.00', quantity: 3 }],
      }),
      shopifyProduct({ handle: 'bar-tape', title: 'Bar Tape', variants: [{ price: 'free' }] }),
    ];
    configPath = join(dataDir, 'shop.yaml');
    const demo = await readFile(DEMO_CONFIG_PATH, 'utf8');
    await writeFile(
      configPath,
      `${demo}\nshopify:\n  shop: stand-in-cycles.myshopify.com\n  accessToken: \${SHOPIFY_ACCESS_TOKEN}\n  apiBaseUrl: ${shopify.baseUrl}\n`,
    );
  });
  afterAll(async () => {
    await shopify?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test(
    'pulls the products, reports the ones it could not read, and explains a refused token',
    async () => {
      const synced = await runCli(['catalog', 'sync', '--config', configPath], {
        PARLEY_DATA_DIR: dataDir,
        SHOPIFY_ACCESS_TOKEN: shopify.token,
      });
      expect(synced.stderr).toBe('');
      expect(synced.code).toBe(0);
      // The demo products of the business file are not in Shopify: archived, not deleted.
      expect(synced.stdout).toMatch(/1 created, 0 updated, \d+ archived/);
      expect(synced.stdout).toContain('not synced: bar-tape: the price "free" is not an amount');

      const refused = await runCli(['catalog', 'sync', '--config', configPath], {
        PARLEY_DATA_DIR: dataDir,
        SHOPIFY_ACCESS_TOKEN: 'shpat_revoked',
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('Set shopify.accessToken');
    },
    CLI_TIMEOUT_MS,
  );
});
