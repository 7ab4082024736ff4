import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ChannelKind } from '../../src/core/channel.js';
import type { Contact } from '../../src/core/contact.js';
import {
  appointments,
  cartLines,
  leads,
  orders,
  productVariants,
} from '../../src/store/schema/index.js';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { request, type ErrorResponse } from '../server/support/http-client.js';
import { createOtherBusiness, type OtherBusiness } from '../server/support/other-business.js';
import { createUser, DEMO_OWNER, signIn } from '../server/support/sign-in.js';

interface ApiContact {
  id: string;
  displayName: string | null;
  email: string | null;
  vip: boolean;
  flagged: boolean;
  identities: Array<{ channel: string; externalId: string }>;
}

interface ApiProfile {
  contact: ApiContact;
  conversations: Array<{ id: string; channel: string; state: string }>;
  orders: Array<{ number: number; totalMinor: number }>;
  appointments: Array<{ serviceName: string }>;
  lead: { score: number; answers: Record<string, unknown> } | null;
}

describe.each(backends)('the contact panel and merging contacts (%s)', (backend) => {
  let parley: TestParley;
  let owner: string;
  let staff: string;
  let other: OtherBusiness;

  beforeAll(async () => {
    parley = await startTestParley({ backend });
    owner = await signIn(parley.baseUrl, DEMO_OWNER);
    const member = await createUser(parley.store, {
      businessId: parley.business.id,
      email: 'staff@demo.parley',
      role: 'staff',
    });
    staff = await signIn(parley.baseUrl, { email: 'staff@demo.parley', password: member.password });
    other = await createOtherBusiness(parley.store);
  });
  afterAll(async () => {
    await parley?.stop();
  });

  const db = () => parley.database.db;
  const businessId = () => parley.business.id;

  async function contactOn(
    channel: ChannelKind,
    externalId: string,
    profile: { displayName?: string; email?: string } = {},
  ): Promise<Contact> {
    return parley.store.contacts.findOrCreateByIdentity(
      businessId(),
      { channel, externalId },
      profile,
    );
  }

  async function openConversation(contact: Contact, channel: ChannelKind, text: string) {
    const conversation = await parley.store.conversations.findOrOpen(
      businessId(),
      contact.id,
      channel,
    );
    const { message } = await parley.store.messages.insert({
      businessId: businessId(),
      conversationId: conversation.id,
      channel,
      direction: 'inbound',
      author: 'customer',
      parts: [{ type: 'text', text }],
      channelMessageId: randomUUID(),
      status: 'received',
    });
    await parley.store.conversations.noteMessage(businessId(), conversation.id, message);
    return conversation;
  }

  async function resolve(conversationId: string) {
    await parley.store.conversations.transition(businessId(), conversationId, {
      from: ['agent', 'waiting_for_person', 'person'],
      to: 'resolved',
    });
  }

  async function anyVariant(): Promise<string> {
    const [variant] = await db()
      .select({ id: productVariants.id })
      .from(productVariants)
      .where(eq(productVariants.businessId, businessId()))
      .limit(1);
    return variant!.id;
  }

  async function addOrder(contact: Contact, totalMinor: number) {
    await db().insert(orders).values({
      id: randomUUID(),
      businessId: businessId(),
      contactId: contact.id,
      currency: 'GBP',
      totalMinor,
    });
  }

  async function addAppointment(contact: Contact, serviceName: string) {
    const startsAt = new Date('2030-03-04T10:00:00Z');
    await db()
      .insert(appointments)
      .values({
        id: randomUUID(),
        businessId: businessId(),
        contactId: contact.id,
        serviceSlug: 'fitting',
        serviceName,
        staffSlug: 'sam',
        staffName: 'Sam',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 30 * 60_000),
        blockedUntil: new Date(startsAt.getTime() + 40 * 60_000),
        priceMinor: 0,
        uid: `${randomUUID()}@parley.test`,
      });
  }

  async function addLead(contact: Contact, answers: Record<string, unknown>, score: number) {
    await db()
      .insert(leads)
      .values({
        id: randomUUID(),
        businessId: businessId(),
        contactId: contact.id,
        answers: answers as never,
        score,
        stage: 'new',
      });
  }

  const profileOf = (contactId: string, cookie = owner) =>
    request<ApiProfile & ErrorResponse>(parley.baseUrl, `/api/contacts/${contactId}`, { cookie });
  const merge = (keepId: string, mergeId: string, cookie = owner) =>
    request<{ contact: ApiContact; moved: Record<string, number> } & ErrorResponse>(
      parley.baseUrl,
      `/api/contacts/${keepId}/merge`,
      { cookie, body: { contactId: mergeId } },
    );

  test('the panel shows identities, conversations, orders and appointments of the contact', async () => {
    const contact = await contactOn('whatsapp', '447700900101', { displayName: 'Ada Panel' });
    await openConversation(contact, 'whatsapp', 'Hello from Ada');
    await addOrder(contact, 4_500);
    await addAppointment(contact, 'Bike fitting');

    const response = await profileOf(contact.id, staff);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.contact).toMatchObject({
      displayName: 'Ada Panel',
      vip: false,
      flagged: false,
      identities: [{ channel: 'whatsapp', externalId: '447700900101' }],
    });
    expect(response.body.conversations).toEqual([
      expect.objectContaining({ channel: 'whatsapp', state: 'agent' }),
    ]);
    expect(response.body.orders).toEqual([expect.objectContaining({ totalMinor: 4_500 })]);
    expect(response.body.appointments).toEqual([
      expect.objectContaining({ serviceName: 'Bike fitting' }),
    ]);
    expect(response.body.lead).toBeNull();
  });

  test('a member renames a contact and marks it VIP or flagged; bad input is a clear 400', async () => {
    const contact = await contactOn('web', `visitor-${randomUUID()}`);
    const patch = (body: unknown, cookie = staff) =>
      request<{ contact: ApiContact } & ErrorResponse>(
        parley.baseUrl,
        `/api/contacts/${contact.id}`,
        { method: 'PATCH', cookie, body },
      );
    const renamed = await patch({ displayName: '  Grace Hopper ', vip: true });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.contact).toMatchObject({ displayName: 'Grace Hopper', vip: true });
    expect((await patch({ flagged: true })).body.contact).toMatchObject({
      vip: true,
      flagged: true,
    });
    const stored = await parley.store.contacts.getById(businessId(), contact.id);
    expect(stored).toMatchObject({ displayName: 'Grace Hopper', vip: true, flagged: true });

    const bad = await patch({ vip: 'yes', colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues?.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['body', 'body.vip']),
    );
    expect((await patch({})).status).toBe(400);
    const audit = await parley.store.audit.list(businessId(), { subjectId: contact.id });
    expect(audit.map((entry) => entry.action)).toContain('contact.updated');
  });

  test('search finds contacts by name and by any channel id, only in the own business', async () => {
    const contact = await contactOn('messenger', 'psid-search-4242', {
      displayName: 'Linus Search',
    });
    const search = async (q: string) =>
      request<{ contacts: ApiContact[] } & ErrorResponse>(
        parley.baseUrl,
        `/api/contacts?q=${encodeURIComponent(q)}`,
        { cookie: owner },
      );
    expect((await search('linus sea')).body.contacts.map((found) => found.id)).toEqual([
      contact.id,
    ]);
    expect((await search('search-4242')).body.contacts.map((found) => found.id)).toEqual([
      contact.id,
    ]);
    expect((await search('Secret Customer')).body.contacts).toEqual([]);
    expect((await search('100%')).body.contacts).toEqual([]);
    const short = await search('a');
    expect(short.status).toBe(400);
    expect(short.body.error.issues?.[0]?.path).toBe('query.q');
  });

  test('merging moves identities, conversations, orders, appointments, cart and lead in one go, and keeps an audit record', async () => {
    const variant = await anyVariant();
    const kept = await contactOn('whatsapp', '447700900202', { displayName: 'Maria Kept' });
    const keptConversation = await openConversation(kept, 'whatsapp', 'I want a bike');
    await parley.store.carts.setQuantity(businessId(), kept.id, variant, 1);
    await addLead(kept, { budget: 2000 }, 10);

    const merged = await contactOn('web', `visitor-${randomUUID()}`, {
      email: 'maria@example.com',
    });
    await parley.store.contactDirectory.update(businessId(), merged.id, { vip: true });
    const mergedWeb = await openConversation(merged, 'web', 'Hi, this is Maria on the website');
    const oldWhatsApp = await openConversation(merged, 'whatsapp', 'Old question from March');
    await resolve(oldWhatsApp.id);
    await addOrder(merged, 12_900);
    await addAppointment(merged, 'Test ride');
    await parley.store.carts.setQuantity(businessId(), merged.id, variant, 2);
    await addLead(merged, { timeline: 'this month', budget: 500 }, 30);

    const response = await merge(kept.id, merged.id, staff);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.moved).toMatchObject({
      identities: 1,
      conversations: 2,
      orders: 1,
      appointments: 1,
      cartLines: 1,
      leads: 1,
    });
    expect(response.body.contact).toMatchObject({
      id: kept.id,
      displayName: 'Maria Kept',
      email: 'maria@example.com',
      vip: true,
    });

    const profile = (await profileOf(kept.id)).body;
    expect(profile.contact.identities.map((identity) => identity.channel).sort()).toEqual([
      'web',
      'whatsapp',
    ]);
    expect(profile.conversations.map((conversation) => conversation.id).sort()).toEqual(
      [keptConversation.id, mergedWeb.id, oldWhatsApp.id].sort(),
    );
    expect(profile.orders.map((order) => order.totalMinor)).toEqual([12_900]);
    expect(profile.appointments.map((appointment) => appointment.serviceName)).toEqual([
      'Test ride',
    ]);
    const messages = await parley.store.messages.listForConversation(businessId(), mergedWeb.id);
    expect(
      messages.filter((message) => message.author === 'customer').map((message) => message.text),
    ).toEqual(['Hi, this is Maria on the website']);

    const cart = await db()
      .select()
      .from(cartLines)
      .where(and(eq(cartLines.businessId, businessId()), eq(cartLines.contactId, kept.id)));
    expect(cart.map((line) => line.quantity)).toEqual([3]);
    const keptLeads = await db()
      .select()
      .from(leads)
      .where(and(eq(leads.businessId, businessId()), eq(leads.contactId, kept.id)));
    expect(keptLeads).toHaveLength(1);
    expect(keptLeads[0]!.score).toBe(30);
    expect(keptLeads[0]!.answers).toEqual({ budget: 2000, timeline: 'this month' });
    expect(profile.lead).toMatchObject({ score: 30, answers: { timeline: 'this month' } });

    expect(await parley.store.contacts.getById(businessId(), merged.id)).toBeNull();
    // The customer writing again on the web is recognised as the kept contact.
    const again = await parley.store.contacts.findByIdentity(businessId(), {
      channel: 'web',
      externalId: profile.contact.identities.find((identity) => identity.channel === 'web')!
        .externalId,
    });
    expect(again?.id).toBe(kept.id);

    const audit = await parley.store.audit.list(businessId(), { subjectId: kept.id });
    const record = audit.find((entry) => entry.action === 'contact.merged');
    expect(record?.details).toMatchObject({
      merged: { id: merged.id, email: 'maria@example.com', vip: true },
      moved: { conversations: 2 },
    });
  });

  test('two open conversations on the same channel refuse the merge, and nothing moves', async () => {
    const first = await contactOn('whatsapp', '447700900303');
    const second = await contactOn('messenger', `psid-${randomUUID()}`);
    await openConversation(first, 'web', 'first on the web');
    await openConversation(second, 'web', 'second on the web');
    await addOrder(second, 100);

    const response = await merge(first.id, second.id);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('conflict');
    expect(response.body.error.message).toContain('open web conversation');
    expect(response.body.error.message).toContain('Resolve one of them');
    expect((await profileOf(second.id)).body.orders).toHaveLength(1);
    expect((await profileOf(second.id)).body.contact.identities).toHaveLength(1);
  });

  test("another business's contact cannot be read, changed, or merged either way", async () => {
    const ours = await contactOn('web', `visitor-${randomUUID()}`);
    expect((await profileOf(other.contact.id)).status).toBe(404);
    const patched = await request(parley.baseUrl, `/api/contacts/${other.contact.id}`, {
      method: 'PATCH',
      cookie: owner,
      body: { vip: true },
    });
    expect(patched.status).toBe(404);
    expect((await merge(ours.id, other.contact.id)).status).toBe(404);
    expect((await merge(other.contact.id, ours.id)).status).toBe(404);
    const theirs = await parley.store.contacts.getById(other.business.id, other.contact.id);
    expect(theirs).toMatchObject({ vip: false });
    expect(
      await parley.store.contacts.identities(other.business.id, other.contact.id),
    ).toHaveLength(1);
    expect(await parley.store.contacts.getById(businessId(), ours.id)).not.toBeNull();
  });

  test('a contact cannot be merged with itself', async () => {
    const contact = await contactOn('web', `visitor-${randomUUID()}`);
    const response = await merge(contact.id, contact.id);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('itself');
  });

  test('every column that points at a contact is one the merge moves', async () => {
    // A new table with a contact link must be added to the merge (ContactDirectory.moveInto),
    // or merging would delete its rows with the merged contact (or leave them dangling).
    const result = await db().execute<{ table_name: string }>(sql`
      SELECT DISTINCT table_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_name = 'contact_id'
      ORDER BY table_name`);
    const tables = (result as { rows: Array<{ table_name: string }> }).rows.map(
      (row) => row.table_name,
    );
    expect(tables).toEqual([
      'appointments',
      'cart_lines',
      'contact_identities',
      'conversations',
      'customer_windows',
      'leads',
      'model_calls',
      'orders',
      'pending_actions',
    ]);
  });
});
