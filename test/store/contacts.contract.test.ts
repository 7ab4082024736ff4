import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { contacts } from '../../src/store/schema/index.js';
import { backends } from '../support/test-database.js';
import { createBusiness, useContractDatabase } from './contract-fixtures.js';

describe.each(backends)('contacts contract on %s', (backend) => {
  const context = useContractDatabase(backend);

  /** Rows, not what the port shows: a race's losing contact row must not linger unseen. */
  async function countContactRows(businessId: string): Promise<number> {
    const [row] = await context.database.db
      .select({ total: count() })
      .from(contacts)
      .where(eq(contacts.businessId, businessId));
    return row?.total ?? 0;
  }

  it('creates a contact with its profile and identity on first sight', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const contact = await store.contacts.findOrCreateByIdentity(
      business.id,
      { channel: 'whatsapp', externalId: '447700900123' },
      { displayName: 'Ada', phone: '+447700900123' },
    );
    expect(contact).toMatchObject({
      businessId: business.id,
      displayName: 'Ada',
      phone: '+447700900123',
      email: null,
    });
    expect(await store.contacts.getById(business.id, contact.id)).toEqual(contact);
    expect(await store.contacts.identities(business.id, contact.id)).toEqual([
      { channel: 'whatsapp', externalId: '447700900123' },
    ]);
  });

  it('findOrCreateByIdentity is idempotent', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const identity = { channel: 'web', externalId: 'visitor-1' } as const;
    const first = await store.contacts.findOrCreateByIdentity(business.id, identity, {
      displayName: 'First',
    });
    const second = await store.contacts.findOrCreateByIdentity(business.id, identity, {
      displayName: 'Second',
    });
    expect(second).toEqual(first);
    expect(await store.contacts.identities(business.id, first.id)).toEqual([identity]);
    expect(await countContactRows(business.id)).toBe(1);
  });

  it('concurrent first messages from one new sender yield one contact', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const identity = { channel: 'whatsapp', externalId: '447700900999' } as const;
    const found = await Promise.all(
      Array.from({ length: 10 }, () =>
        store.contacts.findOrCreateByIdentity(business.id, identity, {}),
      ),
    );
    const ids = new Set(found.map((contact) => contact.id));
    expect(ids.size).toBe(1);
    const [contactId] = [...ids];
    expect(await store.contacts.identities(business.id, contactId!)).toEqual([identity]);
    // The losers' provisional contact rows must not be left behind.
    expect(await countContactRows(business.id)).toBe(1);
  });

  it('findByIdentity finds a known contact and never creates one', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const identity = { channel: 'web', externalId: 'returning-visitor' } as const;
    expect(await store.contacts.findByIdentity(business.id, identity)).toBeNull();
    expect(await countContactRows(business.id)).toBe(0);
    const contact = await store.contacts.findOrCreateByIdentity(business.id, identity, {});
    expect(await store.contacts.findByIdentity(business.id, identity)).toEqual(contact);
    expect(
      await store.contacts.findByIdentity(business.id, { ...identity, channel: 'messenger' }),
    ).toBeNull();
  });

  it('the same external id on another channel or in another business is another contact', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const other = await createBusiness(store, 'other');
    const onWeb = await store.contacts.findOrCreateByIdentity(
      business.id,
      { channel: 'web', externalId: 'shared-id' },
      {},
    );
    const onMessenger = await store.contacts.findOrCreateByIdentity(
      business.id,
      { channel: 'messenger', externalId: 'shared-id' },
      {},
    );
    const elsewhere = await store.contacts.findOrCreateByIdentity(
      other.id,
      { channel: 'web', externalId: 'shared-id' },
      {},
    );
    expect(new Set([onWeb.id, onMessenger.id, elsewhere.id]).size).toBe(3);
    expect(elsewhere.businessId).toBe(other.id);
  });

  it("never returns another business's contact or identities", async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const other = await createBusiness(store, 'other');
    const contact = await store.contacts.findOrCreateByIdentity(
      business.id,
      { channel: 'web', externalId: 'private' },
      { email: 'ada@example.com' },
    );
    expect(await store.contacts.getById(other.id, contact.id)).toBeNull();
    expect(await store.contacts.identities(other.id, contact.id)).toEqual([]);
    expect(
      await store.contacts.findByIdentity(other.id, { channel: 'web', externalId: 'private' }),
    ).toBeNull();
  });
});
