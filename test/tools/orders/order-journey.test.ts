import { describe, expect, it } from 'vitest';
import { confirmChoiceId, declineChoiceId } from '../../../src/core/commerce.js';
import { scriptedModel } from '../../support/scripted-model.js';
import { choicesOf, textOf, useBusinessHarness } from '../support/business-harness.js';
import { backends } from '../../support/test-database.js';

describe.each(backends)('orders: cart, confirmation in code, payment link (%s)', (backend) => {
  const harness = useBusinessHarness(backend);

  async function proposeOrder(customerText = 'I want the Harbour Road 105 in 54 cm') {
    const variantId = await harness.variantId('harbour-road-105', '54 cm');
    const customer = harness.customer();
    const conversation = await customer.write(customerText);
    const model = scriptedModel([
      { toolCalls: [{ toolName: 'add_to_cart', input: { variantId, quantity: 1 } }] },
      { toolCalls: [{ toolName: 'place_order', input: {} }] },
      { text: 'I have put the Harbour Road 105 (54 cm) in your cart. Please check and confirm.' },
    ]);
    await harness.turn(conversation.id, model.binding);
    const offer = await harness.lastReply(conversation.id);
    const action = await harness.store.pendingActions.findOpen(
      harness.business.id,
      conversation.id,
    );
    return { customer, conversation, offer, action: action!, variantId };
  }

  it('proposes with a summary Parley composed and a confirm button, and orders nothing yet', async () => {
    const before = await harness.stock('harbour-road-105', '54 cm');
    const { offer, action, customer } = await proposeOrder();
    expect(action).not.toBeNull();
    expect(textOf(offer)).toContain('Please confirm your order:');
    expect(textOf(offer)).toContain('1 × Harbour Road 105 (54 cm): £1,149.00');
    expect(textOf(offer)).toContain('Total: £1,149.00');
    expect(choicesOf(offer)).toEqual([
      { id: confirmChoiceId(action.id), title: 'Confirm order' },
      { id: declineChoiceId(action.id), title: 'Not now' },
    ]);
    expect(await harness.stock('harbour-road-105', '54 cm')).toBe(before);
    const orders = await harness.store.orders.listForContact(
      harness.business.id,
      customer.contactId!,
      10,
    );
    expect(orders).toEqual([]);
  });

  it('places the order when the next message is the confirm button, without any model', async () => {
    const before = (await harness.stock('harbour-road-105', '54 cm'))!;
    const { customer, conversation, action } = await proposeOrder();
    const sessionsBefore = harness.stripe.sessions.length;
    await customer.write([
      { type: 'choice-reply', choiceId: confirmChoiceId(action.id), title: 'Confirm order' },
    ]);
    // An empty script: a model call would throw, so the confirmation is handled in code.
    const noModel = scriptedModel([]);
    const outcome = await harness.turn(conversation.id, noModel.binding);
    expect(outcome).toMatchObject({ kind: 'replied', handedOff: false });
    expect(noModel.calls).toHaveLength(0);

    const [order] = await harness.store.orders.listForContact(
      harness.business.id,
      customer.contactId!,
      10,
    );
    expect(order).toMatchObject({
      status: 'pending_payment',
      totalMinor: 114_900,
      currency: 'GBP',
    });
    expect(order!.lines).toEqual([
      expect.objectContaining({
        productTitle: 'Harbour Road 105',
        variantTitle: '54 cm',
        quantity: 1,
        unitPriceMinor: 114_900,
      }),
    ]);
    expect(await harness.stock('harbour-road-105', '54 cm')).toBe(before - 1);
    expect(await harness.store.carts.lines(harness.business.id, customer.contactId!)).toEqual([]);

    // The checkout session was asked for with the catalog's price, once, keyed by the order.
    expect(harness.stripe.sessions).toHaveLength(sessionsBefore + 1);
    const session = harness.stripe.sessions.at(-1)!;
    expect(session.form.get('line_items[0][price_data][unit_amount]')).toBe('114900');
    expect(session.form.get('line_items[0][price_data][currency]')).toBe('gbp');
    expect(session.form.get('line_items[0][quantity]')).toBe('1');
    expect(session.form.get('client_reference_id')).toBe(order!.id);
    expect(session.idempotencyKey).toBe(`order-${order!.id}`);
    const stored = await harness.store.orders.getById(harness.business.id, order!.id);
    expect(stored!.paymentUrl).toBe(session.url);

    const reply = await harness.lastReply(conversation.id);
    expect(textOf(reply)).toContain(`Order ${order!.number} is placed. Total: £1,149.00.`);
    expect(textOf(reply)).toContain(session.url);
    const settled = await harness.store.pendingActions.getById(harness.business.id, action.id);
    expect(settled).toMatchObject({ status: 'confirmed' });
  });

  it('takes an unambiguous typed yes as confirmation', async () => {
    const { customer, conversation } = await proposeOrder();
    await customer.write('Yes please!');
    await harness.turn(conversation.id, scriptedModel([]).binding);
    const orders = await harness.store.orders.listForContact(
      harness.business.id,
      customer.contactId!,
      5,
    );
    expect(orders).toHaveLength(1);
  });

  it('declines on no, and a later yes does not revive the proposal', async () => {
    const { customer, conversation, action } = await proposeOrder();
    await customer.write('no thanks');
    await harness.turn(conversation.id, scriptedModel([]).binding);
    expect(textOf(await harness.lastReply(conversation.id))).toContain("haven't placed the order");
    expect(
      (await harness.store.pendingActions.getById(harness.business.id, action.id))!.status,
    ).toBe('declined');
    await customer.write('yes');
    const model = scriptedModel([{ text: 'What would you like to do?' }]);
    await harness.turn(conversation.id, model.binding);
    expect(model.calls).toHaveLength(1);
    const orders = await harness.store.orders.listForContact(
      harness.business.id,
      customer.contactId!,
      5,
    );
    expect(orders).toEqual([]);
  });

  it('lets the proposal lapse when the next message is anything else', async () => {
    const { customer, conversation, action } = await proposeOrder();
    await customer.write('yes but can I have it in red?');
    const model = scriptedModel([{ text: 'It only comes in one colour.' }]);
    await harness.turn(conversation.id, model.binding);
    expect(model.calls).toHaveLength(1);
    expect(
      (await harness.store.pendingActions.getById(harness.business.id, action.id))!.status,
    ).toBe('lapsed');
    // The old button, pressed later, confirms nothing.
    await customer.write([
      { type: 'choice-reply', choiceId: confirmChoiceId(action.id), title: 'Confirm order' },
    ]);
    await harness.turn(
      conversation.id,
      scriptedModel([{ text: 'Shall I set up a new order?' }]).binding,
    );
    const orders = await harness.store.orders.listForContact(
      harness.business.id,
      customer.contactId!,
      5,
    );
    expect(orders).toEqual([]);
  });

  it('refuses at confirmation when the price changed since the summary, and takes no stock', async () => {
    const { customer, conversation, action } = await proposeOrder();
    const before = await harness.stock('harbour-road-105', '54 cm');
    const product = (await harness.store.catalog.getProduct(
      harness.business.id,
      'harbour-road-105',
    ))!;
    await harness.store.catalog.upsertProducts(harness.business.id, [
      {
        ...product,
        variants: product.variants.map(({ id: _id, ...variant }) =>
          variant.title === '54 cm' ? { ...variant, priceMinor: 119_900 } : variant,
        ),
      },
    ]);
    try {
      await customer.write('yes');
      await harness.turn(conversation.id, scriptedModel([]).binding);
      expect(textOf(await harness.lastReply(conversation.id))).toContain('has changed');
      expect(
        (await harness.store.pendingActions.getById(harness.business.id, action.id))!.status,
      ).toBe('failed');
      expect(await harness.stock('harbour-road-105', '54 cm')).toBe(before);
      const orders = await harness.store.orders.listForContact(
        harness.business.id,
        customer.contactId!,
        5,
      );
      expect(orders).toEqual([]);
    } finally {
      await harness.store.catalog.upsertProducts(harness.business.id, [
        { ...product, variants: product.variants.map(({ id: _id, ...variant }) => variant) },
      ]);
    }
  });

  it('places the order but hands over when the payment link cannot be created', async () => {
    const { customer, conversation } = await proposeOrder();
    harness.stripe.failNext(500);
    await customer.write('yes');
    const outcome = await harness.turn(conversation.id, scriptedModel([]).binding);
    expect(outcome).toMatchObject({ kind: 'replied', handedOff: true });
    const [order] = await harness.store.orders.listForContact(
      harness.business.id,
      customer.contactId!,
      5,
    );
    expect(order).toMatchObject({ status: 'pending_payment', paymentUrl: null });
    expect(textOf(await harness.lastReply(conversation.id))).toContain(
      'a person from the shop will send it',
    );
  });
});
