import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { sequentialIds } from '../../src/core/ids.js';
import { backends } from '../support/test-database.js';
import { createBusiness, useContractDatabase } from './contract-fixtures.js';

describe.each(backends)('businesses and settings contract on %s', (backend) => {
  const context = useContractDatabase(backend);

  it('upserts a business by slug, in place', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const store = context.storeWith({ clock, ids: sequentialIds(1) });
    const slug = `bakery-${randomUUID()}`;
    const profile = {
      description: 'Bread and cakes.',
      timezone: 'Europe/Dublin',
      languages: ['en', 'ga'],
      currency: 'EUR',
      openingHours: { mon: [{ open: '08:00', close: '16:00' }] },
      tone: 'warm',
    };
    const created = await store.businesses.upsert({
      slug,
      name: 'Bakery',
      profile,
      instructions: '',
    });
    expect(created).toEqual({
      id: '00000000-0000-4000-8000-000000000001',
      slug,
      name: 'Bakery',
      profile,
      instructions: '',
      createdAt: new Date('2026-03-02T09:00:00Z'),
      updatedAt: new Date('2026-03-02T09:00:00Z'),
    });

    clock.advance(60_000);
    const updated = await store.businesses.upsert({
      slug,
      name: 'The Bakery',
      profile: { ...profile, tone: 'cheerful' },
      instructions: 'Never promise same-day cakes.',
    });
    expect(updated).toMatchObject({
      id: created.id,
      name: 'The Bakery',
      instructions: 'Never promise same-day cakes.',
      createdAt: created.createdAt,
      updatedAt: new Date('2026-03-02T09:01:00Z'),
    });
    expect(updated.profile.tone).toBe('cheerful');
    expect(await store.businesses.getById(created.id)).toEqual(updated);
    expect(await store.businesses.getBySlug(slug)).toEqual(updated);
    expect((await store.businesses.list()).filter((b) => b.slug === slug)).toEqual([updated]);
    expect(await store.businesses.getBySlug(`missing-${randomUUID()}`)).toBeNull();
  });

  it('getOrCreate creates a setting once and returns the stored value afterwards', async () => {
    const { store } = context;
    const key = `visitor-token-secret-${randomUUID()}`;
    expect(await store.settings.getOrCreate(key, () => 'first')).toBe('first');
    let calls = 0;
    const second = await store.settings.getOrCreate(key, () => {
      calls += 1;
      return 'second';
    });
    expect(second).toBe('first');
    expect(calls).toBe(0);
  });

  it('concurrent getOrCreate calls agree on one value', async () => {
    const { store } = context;
    const key = `secret-${randomUUID()}`;
    const values = await Promise.all(
      Array.from({ length: 8 }, (_, index) => store.settings.getOrCreate(key, () => `v${index}`)),
    );
    expect(new Set(values).size).toBe(1);
  });

  it('ping answers', async () => {
    await expect(context.store.ping()).resolves.toBeUndefined();
    // A business created by the fixture is visible through getById: the database is shared.
    const business = await createBusiness(context.store);
    expect((await context.store.businesses.getById(business.id))?.slug).toBe(business.slug);
  });
});
