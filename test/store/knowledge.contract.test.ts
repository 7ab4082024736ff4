import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/store.js';
import { backends } from '../support/test-database.js';
import { createBusiness, useContractDatabase } from './contract-fixtures.js';

const HOURS = {
  question: 'What are your opening hours?',
  answer: 'We are open Monday to Saturday from 9am to 6pm, and closed on Sundays.',
};
const DELIVERY = {
  question: 'Do you offer delivery?',
  answer: 'Yes, we deliver within 10 miles for £3; orders over £40 are delivered free.',
};
const RETURNS = {
  question: 'Can I return an item?',
  answer: 'Returns are accepted within 30 days with a receipt.',
};
const PARKING = {
  question: 'Is there parking nearby?',
  answer: 'There is a free car park behind the shop.',
};
const FAQ = [HOURS, DELIVERY, RETURNS, PARKING];

describe.each(backends)('knowledge contract on %s', (backend) => {
  const context = useContractDatabase(backend);

  async function businessWithFaq(store: Store) {
    const business = await createBusiness(store);
    await store.knowledge.replaceFaq(business.id, FAQ);
    return business;
  }

  async function topQuestion(store: Store, businessId: string, query: string) {
    const hits = await store.knowledge.searchFaq(businessId, query, 3);
    return hits[0]?.question;
  }

  it('replaceFaq replaces the whole FAQ, in the given order', async () => {
    const { store } = context;
    const business = await businessWithFaq(store);
    expect((await store.knowledge.listFaq(business.id)).map((entry) => entry.question)).toEqual(
      FAQ.map((entry) => entry.question),
    );

    await store.knowledge.replaceFaq(business.id, [PARKING, HOURS]);
    const replaced = await store.knowledge.listFaq(business.id);
    expect(replaced.map(({ question, answer }) => ({ question, answer }))).toEqual([
      PARKING,
      HOURS,
    ]);
    expect(replaced.every((entry) => entry.businessId === business.id)).toBe(true);
    // The old entries are gone from search too.
    expect(await store.knowledge.searchFaq(business.id, 'return an item', 5)).toEqual([]);

    await store.knowledge.replaceFaq(business.id, []);
    expect(await store.knowledge.listFaq(business.id)).toEqual([]);
  });

  it('finds an entry from a natural question whose words are not all in it', async () => {
    const { store } = context;
    const business = await businessWithFaq(store);
    expect(await topQuestion(store, business.id, 'what time do you open on saturdays')).toBe(
      HOURS.question,
    );
    expect(await topQuestion(store, business.id, 'do you take returns without a receipt')).toBe(
      RETURNS.question,
    );
    expect(await topQuestion(store, business.id, 'where can I park my car')).toBe(PARKING.question);
  });

  it('matches other forms of a word (stemming)', async () => {
    const { store } = context;
    const business = await businessWithFaq(store);
    expect(await topQuestion(store, business.id, 'deliveries')).toBe(DELIVERY.question);
    expect(await topQuestion(store, business.id, 'returning')).toBe(RETURNS.question);
    expect(await topQuestion(store, business.id, 'opens')).toBe(HOURS.question);
  });

  it('ranks the best match first and respects the limit', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    await store.knowledge.replaceFaq(business.id, [
      { question: 'Where is the shop?', answer: 'On the high street, by the delivery depot.' },
      {
        question: 'How much does delivery cost?',
        answer: 'Delivery costs £3 and is free over £40.',
      },
      { question: 'Do you sell gift cards?', answer: 'Yes, in store.' },
    ]);
    const hits = await store.knowledge.searchFaq(business.id, 'how much is delivery', 5);
    expect(hits.map((hit) => hit.question)).toEqual([
      'How much does delivery cost?',
      'Where is the shop?',
    ]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect(hits[0]).toMatchObject({ answer: 'Delivery costs £3 and is free over £40.' });

    const one = await store.knowledge.searchFaq(business.id, 'how much is delivery', 1);
    expect(one.map((hit) => hit.question)).toEqual(['How much does delivery cost?']);
  });

  it('matches a noun to its verb when PostgreSQL stems them differently', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    await store.knowledge.replaceFaq(business.id, [
      { question: 'Do you deliver?', answer: 'Yes, within 10 miles of the shop.' },
      { question: 'Can I return an item?', answer: 'Within 30 days with a receipt.' },
    ]);
    expect(await topQuestion(store, business.id, 'delivery?')).toBe('Do you deliver?');
  });

  it('weighs rare words above words every entry shares', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    await store.knowledge.replaceFaq(business.id, [
      {
        question: 'Which bike size do I need?',
        answer:
          'Road bikes and e-bikes come in sizes; hybrid bikes and e-bikes too. Ask about any bike.',
      },
      { question: 'Do you sell used bikes?', answer: 'Yes, checked used bikes with a warranty.' },
      { question: 'How long do repairs take?', answer: 'Most jobs take two working days.' },
    ]);
    expect(await topQuestion(store, business.id, 'Do you repair e-bikes?')).toBe(
      'How long do repairs take?',
    );
  });

  it('returns nothing for empty or stop-word-only queries', async () => {
    const { store } = context;
    const business = await businessWithFaq(store);
    for (const query of ['', '   ', 'the', 'what is it', 'are you there?', 'can I do it']) {
      expect(await store.knowledge.searchFaq(business.id, query, 5), query).toEqual([]);
    }
  });

  it('accepts any text a customer can type, punctuation and query syntax included', async () => {
    const { store } = context;
    const business = await businessWithFaq(store);
    for (const query of [
      `'&|!():*`,
      '!!!???',
      '<->',
      "can't & won't",
      'delivery:*',
      'delivery | (returns & !parking)',
      '"quoted" \\ back\\slash',
      "O'Brien's order",
      '😀 🙏',
      'http://example.com/?a=1&b=2',
      'a'.repeat(3000),
    ]) {
      const hits = await store.knowledge.searchFaq(business.id, query, 5);
      expect(Array.isArray(hits), query).toBe(true);
    }
    for (const query of [`'&|!():*`, '!!!???', '<->', '😀 🙏']) {
      expect(await store.knowledge.searchFaq(business.id, query, 5), query).toEqual([]);
    }
    expect(await topQuestion(store, business.id, 'delivery? (& cost!)')).toBe(DELIVERY.question);
    expect(await topQuestion(store, business.id, "what're your opening-hours?")).toBe(
      HOURS.question,
    );
  });

  it("never returns another business's entries", async () => {
    const { store } = context;
    const business = await businessWithFaq(store);
    const other = await createBusiness(store, 'other');
    await store.knowledge.replaceFaq(other.id, [
      { question: 'What are your opening hours?', answer: 'Always open, 24 hours a day.' },
    ]);
    const ownIds = new Set((await store.knowledge.listFaq(business.id)).map((entry) => entry.id));
    const hits = await store.knowledge.searchFaq(business.id, 'opening hours', 10);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => ownIds.has(hit.id))).toBe(true);
    expect(hits.map((hit) => hit.answer)).not.toContain('Always open, 24 hours a day.');

    const empty = await createBusiness(store, 'empty');
    expect(await store.knowledge.listFaq(empty.id)).toEqual([]);
    expect(await store.knowledge.searchFaq(empty.id, 'opening hours', 10)).toEqual([]);
    // Replacing another business's FAQ leaves this one alone.
    await store.knowledge.replaceFaq(other.id, []);
    expect(await store.knowledge.listFaq(business.id)).toHaveLength(FAQ.length);
  });
});
