import { sql, type SQL } from 'drizzle-orm';
import {
  customType,
  index,
  integer,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { businesses } from './businesses.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** An uploaded document (PDF, DOCX, HTML, Markdown, text); its text lives in its passages. */
export const knowledgeDocuments = pgTable(
  'knowledge_documents',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    // The file name it was uploaded as: uploading the same name again replaces it.
    name: text('name').notNull(),
    title: text('title').notNull(),
    format: text('format', { enum: ['pdf', 'docx', 'html', 'markdown', 'text'] }).notNull(),
    byteSize: integer('byte_size').notNull(),
    passageCount: integer('passage_count').notNull(),
    status: text('status', { enum: ['indexed', 'embedded', 'embedding_failed'] }).notNull(),
    statusDetail: text('status_detail'),
    embeddingModel: text('embedding_model'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('knowledge_documents_name').on(table.businessId, table.name)],
);

export const knowledgePassages = pgTable(
  'knowledge_passages',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => knowledgeDocuments.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    // The heading path the passage sits under ("Returns › Refunds"), empty before any heading.
    section: text('section').notNull().default(''),
    page: integer('page'),
    text: text('text').notNull(),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs((): SQL =>
        sql.raw(
          `setweight(to_tsvector('english', section), 'A') || setweight(to_tsvector('english', text), 'B')`,
        ),
      ),
    // A plain float array, as for products: cast to `vector` at query time where pgvector exists.
    embedding: real('embedding').array(),
  },
  (table) => [
    index('knowledge_passages_document').on(table.documentId, table.position),
    index('knowledge_passages_business').on(table.businessId),
    // GIN without the pending list, as for products: until a VACUUM merges it (PGlite has no
    // autovacuum) every search scans it whole, up to 4 MB, and the planner, costing that in,
    // reads a word's passages off the table instead (7 ms rather than 1 ms for 1,300 passages).
    index('knowledge_passages_search').using('gin', table.search).with({ fastupdate: false }),
  ],
);
