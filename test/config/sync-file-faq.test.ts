import { describe, expect, it } from 'vitest';
import { syncFileFaq } from '../../src/config/sync-file-faq.js';
import type { Store } from '../../src/core/store.js';
import { createBusiness, useContractDatabase } from '../store/contract-fixtures.js';
import { backends } from '../support/test-database.js';

const HOURS = { question: 'When are you open?', answer: '9 to 5.' };
const PARKING = { question: 'Is there parking?', answer: 'Behind the shop.' };
const GIFTS = { question: 'Do you sell gift cards?', answer: 'Yes.' };

describe.each(backends)('start-up sync of the FAQ against the owner’s edits (%s)', (backend) => {
  const context = useContractDatabase(backend);

  const questions = async (store: Store, businessId: string) =>
    (await store.knowledge.listFaq(businessId)).map(
      (entry) => `${entry.question}: ${entry.answer}`,
    );

  it('follows the file for untouched entries, in the file’s order', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    await syncFileFaq(store.knowledge, business.id, [HOURS, PARKING]);
    await syncFileFaq(store.knowledge, business.id, [{ ...PARKING, answer: 'No parking.' }, GIFTS]);
    expect(await questions(store, business.id)).toEqual([
      'Is there parking?: No parking.',
      'Do you sell gift cards?: Yes.',
    ]);
  });

  it('keeps an edited entry when the file drops or changes it, and does not twin a console question', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    await syncFileFaq(store.knowledge, business.id, [HOURS, PARKING]);
    const [hours] = await store.knowledge.listFaq(business.id);
    await store.knowledge.updateFaq(business.id, hours!.id, {
      question: 'What are your hours?',
      answer: 'Always open.',
    });
    await store.knowledge.createFaq(business.id, {
      question: 'do you sell GIFT cards?',
      answer: 'Ours.',
    });
    await syncFileFaq(store.knowledge, business.id, [
      { ...HOURS, answer: 'The file changed this.' },
      PARKING,
      GIFTS,
    ]);
    expect(await questions(store, business.id)).toEqual([
      'What are your hours?: Always open.',
      'Is there parking?: Behind the shop.',
      'do you sell GIFT cards?: Ours.',
    ]);
    // The file drops the edited entry's question: the owner's entry stays (order aside: the
    // file's entries take their places in the file, beside the owner's).
    await syncFileFaq(store.knowledge, business.id, [PARKING]);
    expect((await questions(store, business.id)).sort()).toEqual([
      'Is there parking?: Behind the shop.',
      'What are your hours?: Always open.',
      'do you sell GIFT cards?: Ours.',
    ]);
  });

  it('keeps a deleted file entry deleted until the file drops it; listed again later, it returns', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    await syncFileFaq(store.knowledge, business.id, [HOURS, PARKING]);
    const parking = (await store.knowledge.listFaq(business.id))[1]!;
    expect(await store.knowledge.deleteFaq(business.id, parking.id)).toBe(true);
    expect(await store.knowledge.searchFaq(business.id, 'parking', 3)).toEqual([]);
    await syncFileFaq(store.knowledge, business.id, [HOURS, PARKING]);
    expect(await questions(store, business.id)).toEqual(['When are you open?: 9 to 5.']);
    await syncFileFaq(store.knowledge, business.id, [HOURS]);
    expect(await store.knowledge.listFaqRecords(business.id)).toHaveLength(1);
    await syncFileFaq(store.knowledge, business.id, [HOURS, PARKING]);
    expect(await questions(store, business.id)).toEqual([
      'When are you open?: 9 to 5.',
      'Is there parking?: Behind the shop.',
    ]);
  });

  it('removes an entry created in the console for good', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const created = await store.knowledge.createFaq(business.id, GIFTS);
    expect(created).toMatchObject({ source: 'console', fileQuestion: null });
    expect(await store.knowledge.deleteFaq(business.id, created.id)).toBe(true);
    expect(await store.knowledge.listFaqRecords(business.id)).toEqual([]);
    expect(await store.knowledge.deleteFaq(business.id, created.id)).toBe(false);
  });
});
