import { bigint, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { businesses } from './businesses.js';

/**
 * Every word of a business's product titles, categories, tags and descriptions, kept by a trigger
 * on `products` (see the catalog-words migration). Typo correction looks a customer's unknown word
 * up here through the trigram index: a few thousand words instead of every product. Words of
 * renamed or removed products stay; a correction to them simply finds nothing. The list only
 * grows while the business exists: product search caches the words it has seen here (see
 * src/store/repositories/catalog-word-facts.ts) and relies on that.
 */
export const catalogWords = pgTable(
  'catalog_words',
  {
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    word: text('word').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.businessId, table.word] }),
    index('catalog_words_trigram')
      .using('gin', table.word.op('gin_trgm_ops'))
      .with({ fastupdate: false }),
  ],
);

/**
 * A number that moves whenever a business's word list gains words: the same trigger bumps it,
 * once per writing transaction (a 10,000-product import updates this row once, not once per
 * product), so the new words and the new version become visible together. Product search caches
 * what the list did not hold (a customer's unknown word and its corrections) with the version it
 * was looked up at, reads the version in its search statement, and looks again when it moved,
 * whichever process wrote the catalog. No row: version 0.
 */
export const catalogWordVersions = pgTable('catalog_word_versions', {
  businessId: uuid('business_id')
    .primaryKey()
    .references(() => businesses.id, { onDelete: 'cascade' }),
  version: bigint('version', { mode: 'number' }).notNull(),
});
