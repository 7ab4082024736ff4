import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmChoiceId } from '../../src/core/commerce.js';
import type { Message } from '../../src/core/message.js';
import {
  answerFrom,
  firstToolOutput,
  callFrom,
  scriptedModel,
  toolResultsOf,
  type ScriptedModel,
  type ScriptedStep,
} from '../support/scripted-model.js';
import { backends } from '../support/test-database.js';
import { contactEntry, inbound, whatsappWebhook } from './fixtures/whatsapp-webhooks.js';
import { eventually } from '../support/eventually.js';
import { startMetaParley, type MetaParley } from './support/meta-parley.js';

// Each business tool in a scripted conversation on WhatsApp: signed webhooks in, the agent with a
// scripted model, replies out through the Graph API stand-in. Confirmations (orders, bookings,
// cancellations) are composed by Parley as reply buttons and settled in code when tapped.

type Customer = { waId: string; userId: string; name: string };
type Send = Record<string, unknown>;

/** What the customer reads in one WhatsApp send: a text body or an interactive message's body. */
function readable(send: Send): string {
  if (send.type === 'text') return (send.text as { body: string }).body;
  if (send.type === 'interactive') {
    return (send.interactive as { body: { text: string } }).body.text;
  }
  return '';
}

function buttonsOf(send: Send): Array<{ id: string; title: string }> {
  if (send.type !== 'interactive') return [];
  const interactive = send.interactive as {
    type: string;
    action: { buttons?: Array<{ reply: { id: string; title: string } }> };
  };
  return (interactive.action.buttons ?? []).map((button) => button.reply);
}

describe.each(backends)('business tools in WhatsApp conversations (%s)', (backend) => {
  let meta: MetaParley;
  // Each turn's script is set by the test; the agent's model takes its steps from it.
  let turn: ScriptedModel = scriptedModel([]);
  const model = scriptedModel(
    Array.from(
      { length: 400 },
      (): ScriptedStep => async (call) => turn.binding.model.doGenerate(call),
    ),
  );
  let customers = 0;

  beforeAll(async () => {
    meta = await startMetaParley({ backend, model: model.binding });
  });
  afterAll(() => meta?.stop());

  function newCustomer(name: string): Customer {
    customers += 1;
    const suffix = String(customers).padStart(3, '0');
    return { waId: `447700911${suffix}`, userId: `US.4477009110${suffix}`, name };
  }

  const sendsTo = (customer: Customer) =>
    meta.graph
      .sends()
      .map((request) => request.body!)
      .filter((body) => body.to === `+${customer.waId}`);

  const agentMessages = async (customer: Customer): Promise<Message[]> =>
    (await meta.messagesOf('whatsapp', customer.waId)).filter(
      (message) => message.author === 'agent',
    );

  /**
   * The customer sends `message` (a WhatsApp message body of `type`); the agent answers with the
   * steps of `script`. Resolves with what WhatsApp delivered to the customer for that turn.
   */
  async function customerSends(
    customer: Customer,
    type: 'text' | 'interactive',
    body: Record<string, unknown>,
    script: ScriptedStep[],
  ): Promise<Send[]> {
    turn = scriptedModel(script);
    const repliesBefore = (await agentMessages(customer)).length;
    const sendsBefore = sendsTo(customer).length;
    const response = await meta.post(
      'whatsapp',
      whatsappWebhook({
        contacts: [contactEntry(customer)],
        messages: [inbound(type, body, { from: customer.waId, from_user_id: customer.userId })],
      }),
    );
    expect(response.status).toBe(200);
    await eventually(
      'the reply to be sent on WhatsApp',
      async () => {
        const replies = (await agentMessages(customer)).slice(repliesBefore);
        return replies.length > 0 && replies.every((reply) => reply.status !== 'pending')
          ? true
          : undefined;
      },
      30_000,
    );
    expect(turn.remaining()).toBe(0);
    return sendsTo(customer).slice(sendsBefore);
  }

  const says = (customer: Customer, text: string, script: ScriptedStep[]) =>
    customerSends(customer, 'text', { text: { body: text } }, script);

  const taps = (customer: Customer, button: { id: string; title: string }) =>
    customerSends(
      customer,
      'interactive',
      { interactive: { type: 'button_reply', button_reply: button } },
      // Settled in code: any call to the model would fail the turn.
      [],
    );

  const contactOf = async (customer: Customer) =>
    (await meta.parley.store.contacts.findByIdentity(meta.parley.business.id, {
      channel: 'whatsapp',
      externalId: customer.waId,
    }))!;

  it('searches the catalog and describes one product with its catalog price', async () => {
    const customer = newCustomer('Imogen');
    type Found = { results: Array<{ handle: string; title: string; price: string }> };
    const sent = await says(customer, 'Have you got a road bike around a thousand pounds?', [
      { toolCalls: [{ toolName: 'search_products', input: { query: 'road bike' } }] },
      answerFrom<Found>((found) =>
        found.results.map((product) => `${product.title}: ${product.price}`).join('\n'),
      ),
    ]);
    const searched = firstToolOutput<Found>(turn.calls[1]!);
    expect(searched.results.map((product) => product.handle)).toContain('harbour-road-105');
    expect(sent.map(readable).join('\n')).toContain('Harbour Road 105: £1,149.00');

    type Product = { title: string; description: string; variants: Array<{ title: string }> };
    const detail = await says(customer, 'Tell me more about the Harbour Road 105', [
      { toolCalls: [{ toolName: 'get_product', input: { handle: 'harbour-road-105' } }] },
      answerFrom<Product>(
        (product) =>
          `${product.title} comes in ${product.variants.map((variant) => variant.title).join(', ')}.`,
      ),
    ]);
    expect(readable(detail[0]!)).toMatch(/^Harbour Road 105 comes in .*54 cm/);
  }, 90_000);
  it('puts a product in the cart, proposes the order with reply buttons, and places it once when the customer taps Confirm', async () => {
    const customer = newCustomer('Farah');
    type Found = { results: Array<{ variants: Array<{ variantId: string; title: string }> }> };
    const offer = await says(customer, "I'll take the Harbour Road 105 in 54 cm", [
      { toolCalls: [{ toolName: 'search_products', input: { query: 'Harbour Road 105' } }] },
      callFrom<Found>('add_to_cart', (found) => ({
        variantId: found.results[0]!.variants.find((variant) => variant.title === '54 cm')!
          .variantId,
        quantity: 1,
      })),
      { toolCalls: [{ toolName: 'view_cart', input: {} }] },
      { toolCalls: [{ toolName: 'place_order', input: {} }] },
      { text: 'Here is your order, please check it.' },
    ]);
    expect(JSON.stringify(toolResultsOf(turn.calls[3]!)[0]!.output)).toContain('Harbour Road 105');
    const contact = await contactOf(customer);
    const [conversation] = await meta.parley.store.conversations.listForContact(
      meta.parley.business.id,
      contact.id,
    );
    const action = (await meta.parley.store.pendingActions.findOpen(
      meta.parley.business.id,
      conversation!.id,
    ))!;
    const text = offer.map(readable).join('\n');
    expect(text).toContain('Please confirm your order:');
    expect(text).toContain('1 × Harbour Road 105 (54 cm): £1,149.00');
    expect(text).toContain('Total: £1,149.00');
    const buttons = buttonsOf(offer.at(-1)!);
    expect(buttons[0]).toEqual({ id: confirmChoiceId(action.id), title: 'Confirm order' });
    expect(
      await meta.parley.store.orders.listForContact(meta.parley.business.id, contact.id, 10),
    ).toEqual([]);

    const placed = await taps(customer, buttons[0]!);
    const orders = await meta.parley.store.orders.listForContact(
      meta.parley.business.id,
      contact.id,
      10,
    );
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ totalMinor: 114_900, currency: 'GBP' });
    expect(placed.map(readable).join('\n')).toContain(
      `Order ${orders[0]!.number} is placed. Total: £1,149.00.`,
    );
    expect(await meta.parley.store.carts.lines(meta.parley.business.id, contact.id)).toEqual([]);

    type Status = { orders: Array<{ orderNumber: number; status: string; total: string }> };
    const status = await says(customer, 'What is happening with my order?', [
      { toolCalls: [{ toolName: 'order_status', input: {} }] },
      answerFrom<Status>((found) =>
        found.orders
          .map((order) => `Order ${order.orderNumber} (${order.total}): ${order.status}`)
          .join('\n'),
      ),
    ]);
    expect(readable(status[0]!)).toMatch(
      new RegExp(`^Order ${orders[0]!.number} \\(£1,149\\.00\\): .+`),
    );
  }, 120_000);

  it('removes what the customer no longer wants from the cart', async () => {
    const customer = newCustomer('Gareth');
    type Found = { results: Array<{ variants: Array<{ variantId: string }> }> };
    type Cart = unknown;
    await says(customer, 'Add a chain lube, please', [
      { toolCalls: [{ toolName: 'search_products', input: { query: 'lube' } }] },
      callFrom<Found>('add_to_cart', (found) => ({
        variantId: found.results[0]!.variants[0]!.variantId,
        quantity: 1,
      })),
      { text: 'Added.' },
    ]);
    const contact = await contactOf(customer);
    const [line] = await meta.parley.store.carts.lines(meta.parley.business.id, contact.id);
    expect(line).toBeDefined();
    await says(customer, 'Actually, take it out again', [
      { toolCalls: [{ toolName: 'remove_from_cart', input: { variantId: line!.variantId } }] },
      { toolCalls: [{ toolName: 'view_cart', input: {} }] },
      answerFrom<Cart>(() => 'Done, your cart is empty.'),
    ]);
    expect(await meta.parley.store.carts.lines(meta.parley.business.id, contact.id)).toEqual([]);
  }, 90_000);

  it('offers a slot, books it once on Confirm, lists it, moves it and cancels it, each after a confirmation', async () => {
    const customer = newCustomer('Hamid');
    type Slots = { slots: Array<{ start: string; local: string; staff: string }> };
    const offer = await says(customer, 'Can I book a basic tune-up?', [
      { toolCalls: [{ toolName: 'find_slots', input: { service: 'basic-tune-up', days: 7 } }] },
      callFrom<Slots>('book_appointment', (found) => ({
        service: 'Basic tune-up',
        start: found.slots[0]!.start,
      })),
      { text: 'Please confirm the booking below.' },
    ]);
    const slot = firstToolOutput<Slots>(turn.calls[1]!).slots[0]!;
    const contact = await contactOf(customer);
    const [conversation] = await meta.parley.store.conversations.listForContact(
      meta.parley.business.id,
      contact.id,
    );
    const booking = (await meta.parley.store.pendingActions.findOpen(
      meta.parley.business.id,
      conversation!.id,
    ))!;
    expect(offer.map(readable).join('\n')).toContain('Basic tune-up');
    const [confirm] = buttonsOf(offer.at(-1)!);
    expect(confirm!.id).toBe(confirmChoiceId(booking.id));
    const since = new Date(0);
    expect(
      await meta.parley.store.appointments.listForContact(
        meta.parley.business.id,
        contact.id,
        since,
      ),
    ).toEqual([]);

    await taps(customer, confirm!);
    const booked = await meta.parley.store.appointments.listForContact(
      meta.parley.business.id,
      contact.id,
      since,
    );
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ status: 'booked', staffName: slot.staff });
    expect(booked[0]!.startsAt.toISOString()).toBe(slot.start);

    const listed = await says(customer, 'When is my appointment again?', [
      { toolCalls: [{ toolName: 'list_my_appointments', input: {} }] },
      answerFrom<unknown>((output) =>
        JSON.stringify(output).includes(booked[0]!.id) ? `You are booked: ${slot.local}.` : '?',
      ),
    ]);
    expect(readable(listed[0]!)).toBe(`You are booked: ${slot.local}.`);

    let newStart = '';
    const move = await says(customer, 'Can we move it to another time?', [
      { toolCalls: [{ toolName: 'find_slots', input: { service: 'basic-tune-up', days: 7 } }] },
      callFrom<Slots>('reschedule_appointment', (found) => {
        newStart = found.slots.at(-1)!.start;
        return { appointmentId: booked[0]!.id, newStart };
      }),
      { text: 'Please confirm the new time below.' },
    ]);
    const moving = (await meta.parley.store.pendingActions.findOpen(
      meta.parley.business.id,
      conversation!.id,
    ))!;
    const [confirmMove] = buttonsOf(move.at(-1)!);
    expect(confirmMove!.id).toBe(confirmChoiceId(moving.id));
    await taps(customer, confirmMove!);
    const moved = (await meta.parley.store.appointments.getForContact(
      meta.parley.business.id,
      contact.id,
      booked[0]!.id,
    ))!;
    expect(moved).toMatchObject({ status: 'booked', sequence: 1 });
    expect(moved.startsAt.toISOString()).toBe(newStart);

    const proposal = await says(customer, 'Please cancel it', [
      {
        toolCalls: [{ toolName: 'cancel_appointment', input: { appointmentId: booked[0]!.id } }],
      },
      { text: 'Please confirm below.' },
    ]);
    const cancellation = (await meta.parley.store.pendingActions.findOpen(
      meta.parley.business.id,
      conversation!.id,
    ))!;
    const [confirmCancel] = buttonsOf(proposal.at(-1)!);
    expect(confirmCancel!.id).toBe(confirmChoiceId(cancellation.id));
    // Not cancelled before the customer confirms.
    expect(
      (await meta.parley.store.appointments.getForContact(
        meta.parley.business.id,
        contact.id,
        booked[0]!.id,
      ))!.status,
    ).toBe('booked');
    await taps(customer, confirmCancel!);
    expect(
      (await meta.parley.store.appointments.getForContact(
        meta.parley.business.id,
        contact.id,
        booked[0]!.id,
      ))!.status,
    ).toBe('cancelled');
  }, 120_000);
  it('recommends other in-stock products, answers from the knowledge base, and hands over to a person', async () => {
    const customer = newCustomer('Ines');
    type Found = { results: Array<{ title: string; price: string }> };
    const recommended = await says(customer, 'Something like the Harbour Road 105?', [
      {
        toolCalls: [
          {
            toolName: 'recommend_products',
            input: { similarTo: 'harbour-road-105', limit: 3 },
          },
        ],
      },
      answerFrom<Found>((found) =>
        found.results.map((product) => `${product.title}: ${product.price}`).join('\n'),
      ),
    ]);
    const results = firstToolOutput<Found>(turn.calls[1]!).results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((product) => product.title)).not.toContain('Harbour Road 105');
    expect(readable(recommended[0]!)).toBe(
      results.map((product) => `${product.title}: ${product.price}`).join('\n'),
    );

    type Knowledge = { results: Array<{ text: string }> };
    const answer = await says(customer, 'What is your returns policy?', [
      { toolCalls: [{ toolName: 'search_knowledge', input: { query: 'returns policy' } }] },
      answerFrom<Knowledge>((found) => found.results[0]?.text ?? 'I do not know.'),
    ]);
    expect(readable(answer[0]!)).toContain('within 30 days for a full refund');

    const handover = await says(customer, 'Could the workshop fit a saddle I bought elsewhere?', [
      { toolCalls: [{ toolName: 'request_human', input: { reason: 'workshop decision' } }] },
      { text: 'I have asked a colleague to reply here shortly.' },
    ]);
    expect(readable(handover[0]!)).toBe('I have asked a colleague to reply here shortly.');
    const contact = await contactOf(customer);
    const [conversation] = await meta.parley.store.conversations.listForContact(
      meta.parley.business.id,
      contact.id,
    );
    expect(conversation).toMatchObject({
      state: 'waiting_for_person',
      handoffReason: 'workshop decision',
    });
  }, 120_000);
});
