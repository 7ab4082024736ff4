import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Shopify's Admin REST API, built from its documented behaviour:
 * `GET /admin/api/<version>/products.json?limit=…` with the `X-Shopify-Access-Token` header,
 * `{ products: [...] }` bodies, cursor pagination through `Link: <…page_info=…>; rel="next"`
 * (a page_info request takes only `limit`), the `X-Shopify-Shop-Api-Call-Limit` bucket header,
 * `429` with `Retry-After`, and `401` / `403` bodies of the form `{ errors: "…" }`.
 */
export interface ShopifyStandIn {
  baseUrl: string;
  /** The shop's products, in Admin API shape; edit between syncs. */
  products: Array<Record<string, unknown>>;
  token: string;
  /** Scopes granted to the token; without read_products the API answers 403. */
  scopes: string[];
  /** Answer this many next requests with 429 first. */
  rateLimitNext: number;
  /** What the call-limit header reports as used. */
  callsUsed: number;
  requests: Array<{ path: string; query: URLSearchParams; token: string | undefined }>;
  close(): Promise<void>;
}

export async function startShopifyStandIn(): Promise<ShopifyStandIn> {
  const state = {
    products: [] as Array<Record<string, unknown>>,
    token: 'shpat_test',
    scopes: ['read_products', 'read_inventory'],
    rateLimitNext: 0,
    callsUsed: 1,
    requests: [] as ShopifyStandIn['requests'],
  };
  // page_info cursors: an opaque token for "products from this offset with this limit".
  const cursors = new Map<string, { offset: number; limit: number }>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const token = request.headers['x-shopify-access-token'];
    state.requests.push({
      path: url.pathname,
      query: url.searchParams,
      token: typeof token === 'string' ? token : undefined,
    });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (!/^\/admin\/api\/\d{4}-\d{2}\/products\.json$/.test(url.pathname)) {
      return send(404, { errors: 'Not Found' });
    }
    if (token !== state.token) {
      return send(401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    }
    if (!state.scopes.includes('read_products')) {
      return send(403, {
        errors: '[API] This action requires merchant approval for read_products scope.',
      });
    }
    if (state.rateLimitNext > 0) {
      state.rateLimitNext--;
      return send(
        429,
        {
          errors:
            'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
        },
        { 'retry-after': '0.05' },
      );
    }
    const pageInfo = url.searchParams.get('page_info');
    let offset = 0;
    let limit = Number(url.searchParams.get('limit') ?? 50);
    if (pageInfo) {
      const cursor = cursors.get(pageInfo);
      if (!cursor) return send(400, { errors: { page_info: ['Invalid value.'] } });
      // Shopify: with page_info, only limit (and fields) may be given.
      if (url.searchParams.has('status')) {
        return send(400, { errors: { page_info: ['status cannot be passed with page_info'] } });
      }
      offset = cursor.offset;
      limit = Number(url.searchParams.get('limit') ?? cursor.limit);
    } else {
      const statuses = (url.searchParams.get('status') ?? 'active').split(',');
      if (!statuses.includes('draft') || !statuses.includes('archived')) {
        return send(400, { errors: 'the test expects every status to be asked for' });
      }
    }
    if (!(limit >= 1 && limit <= 250)) return send(400, { errors: { limit: ['must be 1..250'] } });
    const page = state.products.slice(offset, offset + limit);
    const headers: Record<string, string> = {
      'x-shopify-shop-api-call-limit': `${state.callsUsed}/40`,
    };
    if (offset + limit < state.products.length) {
      const next = `c${cursors.size + 1}`;
      cursors.set(next, { offset: offset + limit, limit });
      const base = `http://${request.headers.host}${url.pathname}`;
      headers.link = `<${base}?limit=${limit}&page_info=p${next}>; rel="previous", <${base}?limit=${limit}&page_info=${next}>; rel="next"`;
    }
    return send(200, { products: page }, headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

let nextId = 7_000_000_000;

/** A product in the Admin API's documented shape; `variants` are option values and prices. */
export function shopifyProduct(input: {
  handle: string;
  title: string;
  status?: string;
  productType?: string;
  tags?: string;
  bodyHtml?: string;
  optionNames?: string[];
  variants: Array<{
    options?: string[];
    price: string;
    compareAt?: string | null;
    sku?: string;
    tracked?: boolean;
    policy?: 'deny' | 'continue';
    quantity?: number;
  }>;
  images?: number;
}): Record<string, unknown> {
  const id = nextId++;
  const optionNames = input.optionNames ?? ['Title'];
  return {
    id,
    title: input.title,
    body_html: input.bodyHtml ?? '',
    vendor: 'Stand-in Cycles',
    product_type: input.productType ?? '',
    handle: input.handle,
    tags: input.tags ?? '',
    status: input.status ?? 'active',
    published_scope: 'global',
    admin_graphql_api_id: `gid://shopify/Product/${id}`,
    options: optionNames.map((name, index) => ({
      id: id + index,
      product_id: id,
      name,
      position: index + 1,
    })),
    variants: input.variants.map((variant, index) => {
      const values = variant.options ?? ['Default Title'];
      return {
        id: id * 10 + index,
        product_id: id,
        title: values.join(' / '),
        price: variant.price,
        compare_at_price: variant.compareAt ?? null,
        sku: variant.sku ?? '',
        position: index + 1,
        inventory_policy: variant.policy ?? 'deny',
        inventory_management: variant.tracked === false ? null : 'shopify',
        inventory_quantity: variant.quantity ?? 0,
        option1: values[0] ?? null,
        option2: values[1] ?? null,
        option3: values[2] ?? null,
      };
    }),
    images: Array.from({ length: input.images ?? 0 }, (_, index) => ({
      id: id * 100 + index,
      product_id: id,
      position: index + 1,
      src: `https://cdn.shopify.com/s/files/${id}-${index}.jpg`,
      alt: null,
      variant_ids: [],
    })),
  };
}
