import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusinessConfig } from '../../src/config/business-config.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { systemClock } from '../../src/core/clock.js';
import type { Message } from '../../src/core/message.js';
import { createStripeCheckout } from '../../src/tools/payments/stripe-checkout.js';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { startStripeStandIn, type StripeStandIn } from '../tools/support/stripe-stand-in.js';

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(backends)('the customer hears when their payment arrives (%s)', (backend) => {
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

  it('writes one "payment received" message through the outbox, even when Stripe redelivers', async () => {
    const { store, business } = parley;
    const contact = await store.contacts.findOrCreateByIdentity(
      business.id,
      { channel: 'web', externalId: `visitor-${Math.random()}` },
      {},
    );
    const conversation = await store.conversations.findOrOpen(business.id, contact.id, 'web');
    const product = (await store.catalog.getProduct(business.id, 'gold-d-lock'))!;
    const variant = product.variants[0]!;
    const order = await store.orders.create({
      businessId: business.id,
      contactId: contact.id,
      conversationId: conversation.id,
      currency: 'GBP',
      lines: [
        {
          variantId: variant.id,
          productTitle: product.title,
          variantTitle: variant.title,
          sku: variant.sku,
          unitPriceMinor: 4_250,
          quantity: 2,
          lineTotalMinor: 8_500,
        },
      ],
    });
    const checkout = await createStripeCheckout({
      ...config.businessTools!.payments!,
      clock: systemClock,
    }).createCheckout({
      businessId: business.id,
      orderId: order.id,
      orderNumber: order.number,
      currency: 'GBP',
      lines: [{ name: product.title, unitAmountMinor: 4_250, quantity: 2 }],
      idempotencyKey: `order-${order.id}`,
    });
    await store.orders.attachPayment(business.id, order.id, {
      provider: 'stripe',
      sessionId: checkout.sessionId,
      url: checkout.url,
    });
    const session = stripe.sessions.find((entry) => entry.id === checkout.sessionId)!;
    const event = stripe.event('checkout.session.completed', session);
    const deliver = () =>
      fetch(`${parley.baseUrl}/webhooks/payments/${business.id}/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': event.signature },
        body: event.body,
      });
    expect((await deliver()).status).toBe(200);
    expect((await deliver()).status).toBe(200);

    const notices = (messages: Message[]) =>
      messages.filter((message) =>
        message.parts.some(
          (part) => part.type === 'text' && part.text.startsWith('Payment received for order'),
        ),
      );
    const messages = await until(
      () => store.messages.listForConversation(business.id, conversation.id),
      (list) => notices(list).some((message) => message.status === 'sent'),
    );
    const [notice, ...more] = notices(messages);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ direction: 'outbound', author: 'system', status: 'sent' });
    expect(notice!.parts).toEqual([
      {
        type: 'text',
        text: `Payment received for order #${order.number} (£85.00), thank you! We'll get it ready and let you know as soon as it's on its way.`,
      },
    ]);
  });
});
