import { describe, expect, it } from 'vitest';
import { createDrizzleStore } from '../src/store/drizzle-store.js';
import { backends, openTestDatabase } from './support/test-database.js';

describe.each(backends)('store on %s (smoke)', (backend) => {
  it('opens, migrates and round-trips a business', async () => {
    const database = await openTestDatabase(backend);
    try {
      const store = createDrizzleStore(database.db);
      const business = await store.businesses.upsert({
        slug: 'smoke',
        name: 'Smoke',
        instructions: '',
        profile: {
          description: '',
          timezone: 'Europe/London',
          languages: ['en'],
          currency: 'GBP',
          openingHours: {},
          tone: 'friendly',
        },
      });
      expect((await store.businesses.getBySlug('smoke'))?.id).toBe(business.id);
      await store.knowledge.replaceFaq(business.id, [
        { question: 'When are you open?', answer: 'Monday to Saturday, 9 to 6.' },
        { question: 'Do you deliver?', answer: 'Yes, within 10 miles.' },
      ]);
      const hits = await store.knowledge.searchFaq(business.id, 'what are your opening hours', 3);
      expect(hits[0]?.question).toBe('When are you open?');
    } finally {
      await database.destroy();
    }
  });
});
