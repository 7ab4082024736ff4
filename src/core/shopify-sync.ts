/** Where a business's Shopify store is and how Parley may read it (the business file's `shopify`). */
export interface ShopifySettings {
  /** The shop's `*.myshopify.com` domain. */
  shop: string;
  /** An Admin API access token of a custom app with the `read_products` scope. */
  accessToken: string;
  /** Admin API version, such as `2025-10`. */
  apiVersion: string;
  /** `https://<shop>` unless set (a stand-in serves the tests). */
  apiBaseUrl: string;
}
