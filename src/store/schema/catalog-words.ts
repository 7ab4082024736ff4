import { index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { businesses } from './businesses.js';

/**
 * Every word of a business's product titles, categories, tags and descriptions, kept by a trigger
 * on `products` (see the catalog-words migration). Typo correction looks a customer's unknown word
 * up here through the trigram index: a few thousand words instead of every product. Words of
 * renamed or removed products stay; a correction to them simply finds nothing.
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
