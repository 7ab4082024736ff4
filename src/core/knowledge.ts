/** The document formats Parley extracts text from. */
export const DOCUMENT_FORMATS = ['pdf', 'docx', 'html', 'markdown', 'text'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/**
 * `indexed`: full-text only (no embeddings model); `embedded`: full-text and vectors;
 * `embedding_failed`: full-text only because the embeddings model failed at upload.
 */
export type DocumentStatus = 'indexed' | 'embedded' | 'embedding_failed';

export interface KnowledgeDocument {
  id: string;
  businessId: string;
  /** The file name it was uploaded as; uploading the same name again replaces it. */
  name: string;
  title: string;
  format: DocumentFormat;
  byteSize: number;
  passageCount: number;
  status: DocumentStatus;
  statusDetail: string | null;
  embeddingModel: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A piece of a document: a few paragraphs under one heading, overlapping its neighbours. */
export interface PassageInput {
  section: string;
  page: number | null;
  text: string;
}

export interface NewDocument {
  name: string;
  title: string;
  format: DocumentFormat;
  byteSize: number;
  status: DocumentStatus;
  statusDetail: string | null;
  embeddingModel: string | null;
  passages: ReadonlyArray<PassageInput & { embedding: readonly number[] | null }>;
}

export interface PassageHit {
  id: string;
  documentId: string;
  documentTitle: string;
  section: string;
  page: number | null;
  text: string;
  /** Higher is better; only comparable within one search. */
  score: number;
}

export interface KnowledgeDocumentRepository {
  /** Stores the document and its passages, replacing one of the same name in one transaction. */
  replace(businessId: string, document: NewDocument): Promise<KnowledgeDocument>;
  list(businessId: string): Promise<KnowledgeDocument[]>;
  getById(businessId: string, id: string): Promise<KnowledgeDocument | null>;
  /** The document's passages in reading order. */
  passages(businessId: string, id: string): Promise<Array<PassageInput & { position: number }>>;
  /** Removes the document and its passages; false when there was none. */
  delete(businessId: string, id: string): Promise<boolean>;
  /** Full-text (and, with an embedding and pgvector, cosine) ranking fused by rank; best first. */
  search(
    businessId: string,
    search: { query: string; embedding?: readonly number[] | undefined; limit: number },
  ): Promise<PassageHit[]>;
}

/** Products whose `embedding` is missing, and storing theirs once computed. */
export interface ProductEmbeddingRepository {
  /** Active products without an embedding: the text to embed for each. */
  missing(businessId: string, limit: number): Promise<Array<{ id: string; text: string }>>;
  save(
    businessId: string,
    vectors: ReadonlyArray<{ id: string; embedding: readonly number[] }>,
  ): Promise<void>;
}
