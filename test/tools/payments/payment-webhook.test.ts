import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusinessConfig } from '../../../src/config/business-config.js';
import { loadBusinessConfig } from '../../../src/config/load-business-config.js';
import { DEMO_CONFIG_PATH } from '../../../src/cli/load-startup.js';
import type { Order } from '../../../src/core/commerce.js';
import { systemClock } from '../../../src/core/clock.js';
import { createStripeCheckout } from '../../../src/tools/payments/stripe-checkout.js';
import { startTestParley, type TestParley } from '../../support/test-parley.js';
import {
  startStripeStandIn,
  type StripeStandIn,
  type StandInSession,
} from '../support/stripe-stand-in.js';
import { backends } from '../../support/test-database.js';

describe.each(backends)(
  'Stripe webhooks move orders on, real HTTP, signed as Stripe documents (%s)',
  (backend) => {
    let parley: TestParley;
    let stripe: StripeStandIn;
    let config: BusinessConfig;

    beforeAll(async () => {
      stripe = await startStripeStandIn();
      const demo = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
      config = {
        ...demo,
        businessTools: {
          ...demo.businessTools!,
          payments: {
            provider: 'stripe',
            secretKey: stripe.secretKey,
            webhookSecret: stripe.webhookSecret,
            apiBaseUrl: stripe.baseUrl,
            checkoutOrigin: stripe.checkoutOrigin,
            successUrl: 'https://northside-cycles.example/thanks',
            cancelUrl: 'https://northside-cycles.example/basket',
          },
        },
      };
      parley = await startTestParley({ backend, overrides: { config } });
    });
    afterAll(async () => {
      await parley?.stop();
      await stripe?.close();
    });

    async function placedOrder(): Promise<{
      order: Order;
      session: StandInSession;
      variantId: string;
    }> {
      const { store, business } = parley;
      const contact = await store.contacts.findOrCreateByIdentity(
        business.id,
        { channel: 'web', externalId: `visitor-${Math.random()}` },
        {},
      );
      const product = (await store.catalog.getProduct(business.id, 'gold-d-lock'))!;
      const variant = product.variants[0]!;
      expect(await store.catalog.takeStock(business.id, variant.id, 2)).toBe(true);
      const order = await store.orders.create({
        businessId: business.id,
        contactId: contact.id,
        conversationId: null,
        currency: 'GBP',
        lines: [
          {
            variantId: variant.id,
            productTitle: product.title,
            variantTitle: variant.title,
            sku: variant.sku,
            unitPriceMinor: variant.priceMinor,
            quantity: 2,
            lineTotalMinor: variant.priceMinor * 2,
          },
        ],
      });
      const provider = createStripeCheckout({
        ...config.businessTools!.payments!,
        clock: systemClock,
      });
      const checkout = await provider.createCheckout({
        businessId: business.id,
        orderId: order.id,
        orderNumber: order.number,
        currency: 'GBP',
        lines: [{ name: product.title, unitAmountMinor: variant.priceMinor, quantity: 2 }],
        idempotencyKey: `order-${order.id}`,
      });
      await store.orders.attachPayment(business.id, order.id, {
        provider: 'stripe',
        sessionId: checkout.sessionId,
        url: checkout.url,
      });
      const session = stripe.sessions.find((entry) => entry.id === checkout.sessionId)!;
      return { order, session, variantId: variant.id };
    }

    function post(body: string, signature: string | null, businessId = parley.business.id) {
      return fetch(`${parley.baseUrl}/webhooks/payments/${businessId}/stripe`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'stripe-signature': signature } : {}),
        },
        body,
      });
    }

    async function statusOf(order: Order) {
      return (await parley.store.orders.getById(parley.business.id, order.id))!.status;
    }

    it('marks the order paid on a correctly signed checkout.session.completed, once', async () => {
      const { order, session } = await placedOrder();
      const event = stripe.event('checkout.session.completed', session);
      const response = await post(event.body, event.signature);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        received: true,
        orderNumber: order.number,
        status: 'paid',
      });
      expect(await statusOf(order)).toBe('paid');
      // Stripe redelivers: nothing changes the second time.
      const again = await post(event.body, event.signature);
      expect(again.status).toBe(200);
      const audit = await parley.store.audit.list(parley.business.id, { subjectId: order.id });
      expect(audit.filter((entry) => entry.action === 'order.paid')).toHaveLength(1);
    });

    it('rejects a missing, wrong or stale signature and changes nothing', async () => {
      const { order, session } = await placedOrder();
      const event = stripe.event('checkout.session.completed', session);
      expect((await post(event.body, null)).status).toBe(401);
      const forged = stripe.event('checkout.session.completed', session, { secret: 'whsec_wrong' });
      expect((await post(forged.body, forged.signature)).status).toBe(401);
      const stale = stripe.event('checkout.session.completed', session, {
        timestampSeconds: Math.floor(Date.now() / 1000) - 3_600,
      });
      expect((await post(stale.body, stale.signature)).status).toBe(401);
      // The body must be byte for byte what was signed.
      expect((await post(`${event.body} `, event.signature)).status).toBe(401);
      expect(await statusOf(order)).toBe('pending_payment');
    });

    it('leaves an unpaid completion alone, and cancels an expired checkout returning its stock', async () => {
      const { order, session, variantId } = await placedOrder();
      const unpaid = stripe.event('checkout.session.completed', session, {
        paymentStatus: 'unpaid',
      });
      expect((await post(unpaid.body, unpaid.signature)).status).toBe(200);
      expect(await statusOf(order)).toBe('pending_payment');
      const [before] = await parley.store.catalog.getVariants(parley.business.id, [variantId]);
      const expired = stripe.event('checkout.session.expired', session);
      expect((await post(expired.body, expired.signature)).status).toBe(200);
      expect(await statusOf(order)).toBe('cancelled');
      const [after] = await parley.store.catalog.getVariants(parley.business.id, [variantId]);
      expect(after!.variant.stock).toBe(before!.variant.stock! + 2);
    });

    it("never moves another business's order, whatever session id or business the event names", async () => {
      const { store } = parley;
      // A second business on the same Parley, with an order awaiting payment on its own session.
      const other = await store.businesses.upsert({
        slug: 'harbour-bakery',
        name: 'Harbour Bakery',
        instructions: '',
        profile: {
          description: 'A bakery.',
          timezone: 'Europe/London',
          languages: ['en'],
          currency: 'GBP',
          openingHours: {},
          tone: 'warm',
        },
      });
      const customer = await store.contacts.findOrCreateByIdentity(
        other.id,
        { channel: 'web', externalId: 'bakery-visitor' },
        {},
      );
      const theirs = await store.orders.create({
        businessId: other.id,
        contactId: customer.id,
        conversationId: null,
        currency: 'GBP',
        lines: [
          {
            variantId: null,
            productTitle: 'Sourdough',
            variantTitle: 'Default',
            sku: null,
            unitPriceMinor: 450,
            quantity: 1,
            lineTotalMinor: 450,
          },
        ],
      });
      await store.orders.attachPayment(other.id, theirs.id, {
        provider: 'stripe',
        sessionId: 'cs_test_bakery_0001',
        url: 'https://checkout.stripe.com/c/pay/cs_test_bakery_0001',
      });
      const session = (businessId: string | null): StandInSession => ({
        id: 'cs_test_bakery_0001',
        url: '',
        idempotencyKey: null,
        form: new URLSearchParams({
          'metadata[order_id]': theirs.id,
          ...(businessId ? { 'metadata[business_id]': businessId } : {}),
        }),
      });
      // Signed with this (the demo) business's secret, posted to its webhook: naming the other
      // business, naming this one, or naming none, the session is not one of this business's.
      for (const claimed of [other.id, parley.business.id, null]) {
        for (const type of ['checkout.session.completed', 'checkout.session.expired']) {
          const event = stripe.event(type, session(claimed));
          const response = await post(event.body, event.signature);
          expect(response.status).toBe(200);
          expect(await response.json()).toEqual({ received: true });
        }
      }
      const after = (await store.orders.getById(other.id, theirs.id))!;
      expect(after.status).toBe('pending_payment');
      expect(after.paidAt).toBeNull();
      expect(await store.audit.list(other.id, { subjectId: theirs.id })).toEqual([]);
      // The event naming the other business is on record with the business that received it.
      const foreign = (await store.audit.list(parley.business.id, { limit: 1000 })).filter(
        (entry) => entry.action === 'payment.foreign-event',
      );
      expect(foreign).toHaveLength(2);
      expect(foreign[0]!.details).toMatchObject({
        sessionId: 'cs_test_bakery_0001',
        claimedBusinessId: other.id,
      });
    });

    it('refuses a genuine checkout of this business whose event names another business', async () => {
      const { order, session } = await placedOrder();
      session.form.set('metadata[business_id]', '00000000-0000-4000-8000-000000000000');
      const event = stripe.event('checkout.session.completed', session);
      expect((await post(event.body, event.signature)).status).toBe(200);
      expect(await statusOf(order)).toBe('pending_payment');
    });

    it('answers 404 for a business without payments', async () => {
      const event = stripe.event('checkout.session.completed', (await placedOrder()).session);
      const response = await post(
        event.body,
        event.signature,
        '00000000-0000-4000-8000-000000000000',
      );
      expect(response.status).toBe(404);
    });
  },
);
