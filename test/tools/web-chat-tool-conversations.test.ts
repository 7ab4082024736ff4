import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { confirmChoiceId } from '../../src/core/commerce.js';
import { formatMoney } from '../../src/core/money.js';
import { EventStreamClient } from '../server/support/event-stream-client.js';
import {
  answerFrom,
  firstToolOutput,
  callFrom,
  scriptedModel,
  type ScriptedModel,
  type ScriptedStep,
} from '../support/scripted-model.js';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';

// Each catalog tool, list_my_appointments and remove_from_cart in a scripted conversation on the
// web chat: the visitor posts to the widget API, the turn worker runs the agent with a scripted
// model, the reply goes through the outbox, and the visitor reads it from the widget's SSE stream.
// Figures the customer sees are the catalog's (the turn guard blocks any other).

// Monday 30 November 2026, 08:00 in London; the demo shop's minimum notice is 2 hours.
const NOW = '2026-11-30T08:00:00Z';

interface WidgetMessage {
  id: string;
  seq: number;
  author: 'customer' | 'agent' | 'person' | 'system';
  text: string;
  parts: Array<
    | { type: 'text'; text: string }
    | { type: 'choices'; choices: Array<{ id: string; title: string }> }
  >;
}

interface Visitor {
  businessId: string;
  visitorId: string;
  token: string;
  stream: EventStreamClient;
}

describe.each(backends)('business tools in web chat conversations (%s)', (backend) => {
  let parley: TestParley;
  // Each turn's script is set by the test; the agent's model takes its steps from it.
  let turn: ScriptedModel = scriptedModel([]);
  const model = scriptedModel(
    Array.from(
      { length: 200 },
      (): ScriptedStep => async (call) => turn.binding.model.doGenerate(call),
    ),
  );
  const streams: EventStreamClient[] = [];

  beforeAll(async () => {
    parley = await startTestParley({
      backend,
      model: model.binding,
      overrides: { clock: new ManualClock(NOW) },
    });
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await parley?.stop();
  });

  async function newVisitor(): Promise<Visitor> {
    const businessId = parley.business.id;
    const created = await fetch(`${parley.baseUrl}/api/widget/${businessId}/visitors`, {
      method: 'POST',
    });
    expect(created.status).toBe(201);
    const { visitorId, token } = (await created.json()) as { visitorId: string; token: string };
    const stream = await EventStreamClient.open(
      `${parley.baseUrl}/api/widget/${businessId}/stream?token=${encodeURIComponent(token)}`,
    );
    expect(stream.status).toBe(200);
    streams.push(stream);
    return { businessId, visitorId, token, stream };
  }

  async function post(visitor: Visitor, body: Record<string, string>): Promise<WidgetMessage> {
    const response = await fetch(`${parley.baseUrl}/api/widget/${visitor.businessId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${visitor.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientMessageId: randomUUID(), ...body }),
    });
    expect(response.status, await response.clone().text()).toBe(202);
    return ((await response.json()) as { message: WidgetMessage }).message;
  }

  /**
   * The visitor sends `body`; the agent answers with the steps of `script`. Resolves with the
   * agent's reply as the visitor's SSE stream delivered it.
   */
  async function exchange(
    visitor: Visitor,
    body: Record<string, string>,
    script: ScriptedStep[],
  ): Promise<WidgetMessage> {
    turn = scriptedModel(script);
    const sent = await post(visitor, body);
    const event = await visitor.stream.waitFor(
      (candidate) =>
        candidate.event === 'message' &&
        (JSON.parse(candidate.data) as WidgetMessage).author === 'agent' &&
        Number(candidate.id) > sent.seq,
      'the agent reply on the widget stream',
      30_000,
    );
    expect(turn.remaining()).toBe(0);
    return JSON.parse(event.data) as WidgetMessage;
  }

  const says = (visitor: Visitor, text: string, script: ScriptedStep[]) =>
    exchange(visitor, { text }, script);

  /** The visitor's contact id, as the web chat identified them. */
  async function contactOf(visitor: Visitor): Promise<string> {
    const contact = await parley.store.contacts.findByIdentity(parley.business.id, {
      channel: 'web',
      externalId: visitor.visitorId,
    });
    expect(contact).not.toBeNull();
    return contact!.id;
  }

  it('searches the catalog: the visitor sees the catalog price of each product found', async () => {
    const visitor = await newVisitor();
    type Found = { results: Array<{ handle: string; title: string; price: string }> };
    const reply = await says(visitor, 'Have you got a road bike around a thousand pounds?', [
      { toolCalls: [{ toolName: 'search_products', input: { query: 'road bike' } }] },
      answerFrom<Found>((found) =>
        found.results.map((product) => `${product.title}: ${product.price}`).join('\n'),
      ),
    ]);
    const found = firstToolOutput<Found>(turn.calls[1]!);
    expect(found.results.map((product) => product.handle)).toContain('harbour-road-105');
    const bike = (await parley.store.catalog.getProduct(parley.business.id, 'harbour-road-105'))!;
    const catalogPrice = formatMoney(bike.variants[0]!.priceMinor, 'GBP');
    expect(catalogPrice).toBe('£1,149.00');
    expect(reply.text).toContain(`Harbour Road 105: ${catalogPrice}`);
  });

  it('describes one product with get_product: its variants, prices and stock from the catalog', async () => {
    const visitor = await newVisitor();
    type Product = {
      title: string;
      variants: Array<{ title: string; price: string; stock: string }>;
    };
    const reply = await says(visitor, 'Tell me about the Harbour Road 105', [
      { toolCalls: [{ toolName: 'get_product', input: { handle: 'harbour-road-105' } }] },
      answerFrom<Product>(
        (product) =>
          `${product.title}:\n${product.variants
            .map((variant) => `${variant.title}, ${variant.price}, ${variant.stock}`)
            .join('\n')}`,
      ),
    ]);
    const bike = (await parley.store.catalog.getProduct(parley.business.id, 'harbour-road-105'))!;
    expect(bike.variants.length).toBeGreaterThan(1);
    for (const variant of bike.variants) {
      const stock =
        variant.stock === null
          ? 'available'
          : variant.stock === 0
            ? 'out of stock'
            : `${variant.stock} in stock`;
      expect(reply.text).toContain(
        `${variant.title}, ${formatMoney(variant.priceMinor, 'GBP')}, ${stock}`,
      );
    }
  });

  it('recommends other in-stock products with their catalog prices', async () => {
    const visitor = await newVisitor();
    type Found = {
      results: Array<{ handle: string; title: string; price: string; inStock: boolean }>;
    };
    const reply = await says(visitor, 'Something like the Harbour Road 105?', [
      {
        toolCalls: [
          { toolName: 'recommend_products', input: { similarTo: 'harbour-road-105', limit: 3 } },
        ],
      },
      answerFrom<Found>((found) =>
        found.results.map((product) => `${product.title}: ${product.price}`).join('\n'),
      ),
    ]);
    const results = firstToolOutput<Found>(turn.calls[1]!).results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((product) => product.handle)).not.toContain('harbour-road-105');
    for (const product of results) {
      expect(product.inStock).toBe(true);
      const stored = (await parley.store.catalog.getProduct(parley.business.id, product.handle))!;
      const prices = stored.variants.map((variant) => variant.priceMinor);
      const low = formatMoney(Math.min(...prices), 'GBP');
      expect(product.price.startsWith(low)).toBe(true);
      expect(reply.text).toContain(`${product.title}: ${product.price}`);
    }
  });

  it('takes a product out of the cart again with remove_from_cart', async () => {
    const visitor = await newVisitor();
    type Found = { results: Array<{ title: string; variants: Array<{ variantId: string }> }> };
    type Removed = {
      removed: boolean;
      cart: { lines: Array<{ item: string; quantity: number }>; total: string };
    };
    await says(visitor, 'Add a chain lube, please', [
      { toolCalls: [{ toolName: 'search_products', input: { query: 'lube' } }] },
      callFrom<Found>('add_to_cart', (found) => ({
        variantId: found.results[0]!.variants[0]!.variantId,
        quantity: 2,
      })),
      { text: 'Added two.' },
    ]);
    const contactId = await contactOf(visitor);
    const [line] = await parley.store.carts.lines(parley.business.id, contactId);
    expect(line).toMatchObject({ quantity: 2 });

    const one = await says(visitor, 'Just one, actually', [
      {
        toolCalls: [
          { toolName: 'remove_from_cart', input: { variantId: line!.variantId, quantity: 1 } },
        ],
      },
      answerFrom<Removed>(
        ({ cart }) =>
          `Your cart: ${cart.lines.map((entry) => `${entry.quantity} × ${entry.item}`).join(', ')}, total ${cart.total}.`,
      ),
    ]);
    const [left] = await parley.store.carts.lines(parley.business.id, contactId);
    expect(left).toMatchObject({ variantId: line!.variantId, quantity: 1 });
    const [variant] = await parley.store.catalog.getVariants(parley.business.id, [line!.variantId]);
    const item = ['Default', 'Default Title'].includes(variant!.variant.title)
      ? variant!.product.title
      : `${variant!.product.title} (${variant!.variant.title})`;
    expect(one.text).toBe(
      `Your cart: 1 × ${item}, total ${formatMoney(variant!.variant.priceMinor, 'GBP')}.`,
    );

    await says(visitor, 'Take it out altogether', [
      { toolCalls: [{ toolName: 'remove_from_cart', input: { variantId: line!.variantId } }] },
      { text: 'Done, your cart is empty.' },
    ]);
    expect(await parley.store.carts.lines(parley.business.id, contactId)).toEqual([]);
  });

  it('lists the visitor’s own appointments with list_my_appointments after a confirmed booking', async () => {
    const visitor = await newVisitor();
    type Slots = { slots: Array<{ start: string; local: string; staff: string }> };
    const offer = await says(visitor, 'Can I book a basic tune-up?', [
      { toolCalls: [{ toolName: 'find_slots', input: { service: 'basic-tune-up', days: 7 } }] },
      callFrom<Slots>('book_appointment', (found) => ({
        service: 'Basic tune-up',
        start: found.slots[0]!.start,
      })),
      { text: 'Please confirm the booking below.' },
    ]);
    const slot = firstToolOutput<Slots>(turn.calls[1]!).slots[0]!;
    const contactId = await contactOf(visitor);
    const [conversation] = await parley.store.conversations.listForContact(
      parley.business.id,
      contactId,
    );
    const proposal = (await parley.store.pendingActions.findOpen(
      parley.business.id,
      conversation!.id,
    ))!;
    const buttons = offer.parts.flatMap((part) => (part.type === 'choices' ? part.choices : []));
    expect(buttons[0]).toEqual({ id: confirmChoiceId(proposal.id), title: 'Confirm booking' });
    // The confirm button is settled in code: any call to the model would fail the turn.
    const booked = await exchange(
      visitor,
      { choiceId: buttons[0]!.id, text: buttons[0]!.title },
      [],
    );
    expect(booked.text).toContain("You're booked");

    type Listed = {
      appointments: Array<{ appointmentId: string; local: string; price: string; staff: string }>;
    };
    const listed = await says(visitor, 'When is my appointment again?', [
      { toolCalls: [{ toolName: 'list_my_appointments', input: {} }] },
      answerFrom<Listed>((found) =>
        found.appointments
          .map((entry) => `${entry.local} with ${entry.staff} (${entry.price})`)
          .join('\n'),
      ),
    ]);
    const listing = firstToolOutput<Listed>(turn.calls[1]!).appointments;
    expect(listing).toHaveLength(1);
    const [appointment] = await parley.store.appointments.listForContact(
      parley.business.id,
      contactId,
      new Date(NOW),
    );
    expect(listing[0]!.appointmentId).toBe(appointment!.id);
    expect(appointment!.startsAt.toISOString()).toBe(slot.start);
    expect(listing[0]!.price).toBe(formatMoney(appointment!.priceMinor, 'GBP'));
    expect(listed.text).toBe(`${slot.local} with ${slot.staff} (£45.00)`);
  });
});
