/** The payment-provider port: hosted checkout pages and their signed confirmations. */

export interface CheckoutRequest {
  businessId: string;
  orderId: string;
  orderNumber: number;
  /** ISO 4217, as the catalog stores it. */
  currency: string;
  lines: Array<{ name: string; unitAmountMinor: number; quantity: number }>;
  /** Makes a retried request return the session already created instead of a second one. */
  idempotencyKey: string;
}

export interface CheckoutSession {
  provider: string;
  sessionId: string;
  /** The page the customer pays on: Parley's own payment link, always allowed in replies. */
  url: string;
}

/** What a verified provider webhook means for Parley. */
export type PaymentEvent =
  | {
      kind: 'checkout-paid' | 'checkout-expired';
      eventId: string;
      sessionId: string;
      orderId: string | null;
      /** The business the checkout was created for, from the session's metadata, when present. */
      businessId: string | null;
    }
  | { kind: 'ignored'; eventId: string; type: string };

export interface PaymentProvider {
  readonly name: string;
  /** Origins of the provider's payment pages, e.g. `https://checkout.stripe.com`. */
  readonly linkOrigins: readonly string[];
  createCheckout(request: CheckoutRequest): Promise<CheckoutSession>;
  /**
   * Verifies the webhook's signature over the raw body and reads it. Throws a ParleyError
   * (`unauthorized`) when the signature is missing, wrong or too old.
   */
  readWebhook(rawBody: string, headers: Readonly<Record<string, string | undefined>>): PaymentEvent;
}
