import { z } from 'zod';
import type { ShopifySettings } from '../core/shopify-sync.js';
import { describeValue } from './describe-value.js';
import { httpUrl, requiredText } from './field-schemas.js';

// The business file's `shopify` section. The token is meant to be a `${NAME}` reference to an
// environment variable, so the file can be shared.

export const shopifySection = z.strictObject({
  shop: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, {
      error: (issue) =>
        `${describeValue(issue.input)} is not a Shopify shop domain. Use the store's myshopify.com domain, such as bike-shop.myshopify.com (Settings → Domains in Shopify).`,
    }),
  accessToken: requiredText,
  apiVersion: z
    .string()
    .trim()
    .regex(/^\d{4}-(01|04|07|10)$/, {
      error: (issue) =>
        `${describeValue(issue.input)} is not a Shopify API version. Use a quarterly version such as 2025-10.`,
    })
    .default('2025-10'),
  apiBaseUrl: httpUrl('https://bike-shop.myshopify.com').optional(),
});

export function toShopifySettings(section: z.output<typeof shopifySection>): ShopifySettings {
  return {
    shop: section.shop,
    accessToken: section.accessToken,
    apiVersion: section.apiVersion,
    apiBaseUrl: (section.apiBaseUrl ?? `https://${section.shop}`).replace(/\/+$/, ''),
  };
}
