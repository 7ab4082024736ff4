import { ParleyError } from '../../core/errors.js';
import type { ShopifySettings } from '../../core/shopify-sync.js';

/** The fields of an Admin REST `Product` that Parley reads (others are ignored). */
export interface ShopifyProduct {
  id?: number | string;
  title?: string | null;
  body_html?: string | null;
  product_type?: string | null;
  handle?: string | null;
  tags?: string | null;
  status?: string | null;
  options?: Array<{ name?: string | null; position?: number | null }> | null;
  variants?: ShopifyVariant[] | null;
  images?: unknown[] | null;
}

export interface ShopifyVariant {
  title?: string | null;
  price?: string | number | null;
  compare_at_price?: string | number | null;
  sku?: string | null;
  option1?: string | null;
  option2?: string | null;
  option3?: string | null;
  inventory_management?: string | null;
  inventory_policy?: string | null;
  inventory_quantity?: number | null;
}

export interface ShopifyClientDependencies {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const PAGE_SIZE = 250;
const MAX_PAGES = 1_000;
const MAX_RATE_LIMITED_RETRIES = 6;
const MAX_SERVER_ERROR_RETRIES = 3;
// The REST Admin API's leaky bucket: 40 calls, 2 leak per second (standard plans). Parley slows
// down before it is full rather than collecting 429s.
const BUCKET_HEADROOM = 4;
const LEAK_PER_SECOND = 2;

/**
 * Every product of the shop, all statuses, through the Admin REST API
 * (`GET /admin/api/<version>/products.json?limit=250`), following the `Link: <…page_info=…>;
 * rel="next"` cursor. Waits out 429s (Retry-After) and keeps clear of the call limit
 * (`X-Shopify-Shop-Api-Call-Limit`). A refused token or a missing scope is a ParleyError that says
 * what to fix; nothing is returned unless every page was read.
 */
export async function fetchShopifyProducts(
  settings: ShopifySettings,
  deps: ShopifyClientDependencies = {},
): Promise<{ products: ShopifyProduct[]; pages: number }> {
  const fetchFn = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));
  const origin = new URL(settings.apiBaseUrl).origin;
  let next: string | null =
    `${settings.apiBaseUrl}/admin/api/${settings.apiVersion}/products.json?limit=${PAGE_SIZE}&status=active,draft,archived`;
  const products: ShopifyProduct[] = [];
  let pages = 0;
  while (next) {
    if (pages >= MAX_PAGES) {
      throw new ParleyError(
        'validation_failed',
        `Shopify kept sending pages after ${MAX_PAGES} (${products.length} products): the sync stopped without changing the catalog.`,
      );
    }
    const response = await getPage(next, settings, fetchFn, sleep);
    const body = (await response.json().catch(() => null)) as { products?: unknown } | null;
    if (!body || !Array.isArray(body.products)) {
      throw new ParleyError(
        'validation_failed',
        `Shopify answered ${next.split('?')[0]} without a products list; check shopify.apiBaseUrl and shopify.apiVersion in the business file.`,
      );
    }
    products.push(...(body.products as ShopifyProduct[]));
    pages++;
    next = nextPageUrl(response.headers.get('link'));
    // The token goes only to the shop: a next link elsewhere is not followed.
    if (next && new URL(next).origin !== origin) {
      throw new ParleyError(
        'validation_failed',
        `Shopify's next-page link points to ${new URL(next).origin}, not ${origin}; the sync stopped without changing the catalog.`,
      );
    }
    await keepUnderCallLimit(response.headers.get('x-shopify-shop-api-call-limit'), sleep);
  }
  return { products, pages };
}

async function getPage(
  url: string,
  settings: ShopifySettings,
  fetchFn: typeof fetch,
  sleep: (ms: number) => Promise<void>,
): Promise<Response> {
  let rateLimited = 0;
  let serverErrors = 0;
  for (;;) {
    let response: Response;
    try {
      response = await fetchFn(url, {
        headers: { 'X-Shopify-Access-Token': settings.accessToken, Accept: 'application/json' },
      });
    } catch (error) {
      if (serverErrors++ < MAX_SERVER_ERROR_RETRIES) {
        await sleep(1_000 * 2 ** serverErrors);
        continue;
      }
      throw new ParleyError(
        'internal',
        `Could not reach Shopify at ${settings.apiBaseUrl}: ${(error as Error).message}. Check shopify.shop (or shopify.apiBaseUrl) and this machine's network; the catalog was not changed.`,
        { cause: error, expose: true },
      );
    }
    if (response.ok) return response;
    if (response.status === 429 && rateLimited++ < MAX_RATE_LIMITED_RETRIES) {
      await sleep(retryAfterMs(response.headers.get('retry-after')));
      continue;
    }
    if (response.status >= 500 && serverErrors++ < MAX_SERVER_ERROR_RETRIES) {
      await sleep(1_000 * 2 ** serverErrors);
      continue;
    }
    throw refusal(response, settings);
  }
}

function refusal(response: Response, settings: ShopifySettings): ParleyError {
  const unchanged = 'The catalog was not changed.';
  switch (response.status) {
    case 401:
      return new ParleyError(
        'config_invalid',
        `Shopify refused the access token for ${settings.shop} (401). Set shopify.accessToken to the Admin API access token of the store's custom app (Shopify admin → Settings → Apps and sales channels → Develop apps; it starts with shpat_). ${unchanged}`,
        { expose: true },
      );
    case 403:
      return new ParleyError(
        'config_invalid',
        `Shopify does not let this token read products (403). Give the custom app the read_products scope (and read_inventory for stock), install it again, and use its new token. ${unchanged}`,
        { expose: true },
      );
    case 404:
      return new ParleyError(
        'config_invalid',
        `Shopify has no products API at ${settings.apiBaseUrl} for version ${settings.apiVersion} (404). Check shopify.shop and use a supported shopify.apiVersion. ${unchanged}`,
        { expose: true },
      );
    case 429:
      return new ParleyError(
        'rate_limited',
        `Shopify kept limiting the requests (429) after ${MAX_RATE_LIMITED_RETRIES} waits. Try the sync again in a minute. ${unchanged}`,
      );
    default:
      return new ParleyError(
        'internal',
        `Shopify answered ${response.status} ${response.statusText}. ${unchanged} Try again later.`,
        { expose: true },
      );
  }
}

/** `Link: <https://…&page_info=abc>; rel="previous", <https://…&page_info=def>; rel="next"` */
export function nextPageUrl(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part.trim());
    if (match) return match[1]!;
  }
  return null;
}

function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  // Shopify sends seconds, possibly fractional ("2.0"); a missing or odd value waits 2 s.
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1_000 : 2_000;
}

async function keepUnderCallLimit(
  header: string | null,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  const match = /^(\d+)\/(\d+)$/.exec(header?.trim() ?? '');
  if (!match) return;
  const used = Number(match[1]);
  const size = Number(match[2]);
  const over = used - (size - BUCKET_HEADROOM);
  if (over > 0) await sleep(Math.ceil((over / LEAK_PER_SECOND) * 1_000));
}
