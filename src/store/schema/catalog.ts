import { sql, type SQL } from 'drizzle-orm';
import {
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { businesses } from './businesses.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const faqEntries = pgTable(
  'faq_entries',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    position: integer('position').notNull().default(0),
    // 'file' while the entry is exactly as the business file wrote it; 'console' once the owner
    // created or edited it in the console or API. Start-up sync only ever writes 'file' entries.
    source: text('source', { enum: ['file', 'console'] })
      .notNull()
      .default('file'),
    // The question as the business file asks it: how start-up sync recognises the entry after
    // the owner rewords it. Null for entries created in the console.
    fileQuestion: text('file_question'),
    // Set when the owner deletes an entry that came from the file: a tombstone, so the next start
    // does not bring it back. Deleted entries are never listed or searched.
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    // The question and answer embedded (when an embeddings model is configured); cleared by every
    // rewrite, so a stale vector never finds an old answer. A plain float array, as for passages.
    embedding: real('embedding').array(),
    // English stemming plus the unstemmed words, so both "opening" and "open" match.
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs((): SQL =>
        sql.raw(
          `setweight(to_tsvector('english', question), 'A') || setweight(to_tsvector('english', answer), 'B') || to_tsvector('simple', question || ' ' || answer)`,
        ),
      ),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('faq_entries_business').on(table.businessId),
    index('faq_entries_search').using('gin', table.search),
  ],
);

export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    handle: text('handle').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    category: text('category'),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    status: text('status', { enum: ['active', 'draft', 'archived'] })
      .notNull()
      .default('active'),
    // What typo-tolerant search compares customers' words with (pg_trgm): the words that name
    // the product. Descriptions are left to full-text search, where their length does not dilute.
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs((): SQL =>
        sql.raw(`lower(title || ' ' || coalesce(category, '') || ' ' || (tags::text))`),
      ),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs((): SQL =>
        sql.raw(
          `setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', coalesce(category, '') || ' ' || (tags::text)), 'B') || setweight(to_tsvector('english', description), 'C') || to_tsvector('simple', title)`,
        ),
      ),
    // A plain float array so the migration runs without pgvector; cast to `vector` at query time
    // where the extension exists (see DatabaseHandle.capabilities).
    embedding: real('embedding').array(),
    // What the business file said about this product when start-up sync last applied it: the
    // sync applies only what the file changed since, so a Shopify sync's or import's later
    // changes (an archived status, a new price) survive a restart with the same file.
    fileEntry: jsonb('file_entry').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('products_handle').on(table.businessId, table.handle),
    // GIN without the pending list: PGlite has no autovacuum to merge it, and a search over an
    // unmerged list scans it whole (a fresh 10,000-product import was searched row by row).
    index('products_search').using('gin', table.search).with({ fastupdate: false }),
    index('products_search_trigram')
      .using('gin', table.searchText.op('gin_trgm_ops'))
      .with({ fastupdate: false }),
    // Listing by filters alone walks titles in order and stops at the limit.
    index('products_business_title').on(table.businessId, table.title),
    // A category filter walks one category's titles in order (see product-search.ts).
    index('products_business_category').on(
      table.businessId,
      sql`lower(${table.category})`,
      table.title,
    ),
  ],
);

export const productVariants = pgTable(
  'product_variants',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    sku: text('sku'),
    title: text('title').notNull(),
    options: jsonb('options').$type<Record<string, string>>().notNull().default({}),
    // The options with keys and values lower-cased, so an option filter is one `->>` per
    // variant instead of expanding every variant's options row by row.
    optionsSearch: jsonb('options_search')
      .notNull()
      .generatedAlwaysAs((): SQL => sql.raw(`lower(options::text)::jsonb`)),
    priceMinor: integer('price_minor').notNull(),
    compareAtMinor: integer('compare_at_minor'),
    stock: integer('stock'),
    position: integer('position').notNull().default(0),
  },
  (table) => [uniqueIndex('product_variants_title').on(table.productId, table.title)],
);

export const services = pgTable(
  'services',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    durationMinutes: integer('duration_minutes').notNull(),
    bufferMinutes: integer('buffer_minutes').notNull().default(0),
    priceMinor: integer('price_minor').notNull(),
  },
  (table) => [uniqueIndex('services_slug').on(table.businessId, table.slug)],
);
