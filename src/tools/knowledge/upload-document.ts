import type { Embedder } from '../../core/embedder.js';
import { ParleyError } from '../../core/errors.js';
import type { DocumentStatus, KnowledgeDocument } from '../../core/knowledge.js';
import type { Store } from '../../core/store.js';
import { chunkPassages } from './chunk-passages.js';
import { detectFormat, extractDocument } from './extract-document.js';

/** Texts per embeddings request: one request per batch keeps a long document to a few calls. */
export const EMBED_BATCH = 64;

export interface DocumentUpload {
  businessId: string;
  /** The file name; uploading the same name again replaces the document. */
  fileName: string;
  contentType: string | undefined;
  bytes: Uint8Array;
  /** Shown as the source in citations; default the document's own title, else the file name. */
  title?: string | undefined;
}

/**
 * Reads, chunks, embeds (when an embeddings model is configured) and stores a document. Nothing
 * is stored unless the whole document was read: a bad file leaves the earlier version in place.
 * An embeddings failure does not lose the upload: it is stored for full-text search, and says so.
 */
export async function uploadDocument(
  deps: { store: Store; embedder: Embedder | null },
  upload: DocumentUpload,
): Promise<KnowledgeDocument> {
  const fileName = cleanFileName(upload.fileName);
  const format = detectFormat(upload.contentType, fileName);
  const extracted = await extractDocument(upload.bytes, format, fileName);
  const passages = chunkPassages(extracted.blocks);
  if (passages.length === 0) {
    throw new ParleyError(
      'unprocessable',
      `"${fileName}" holds no text Parley can search. Check that it is the right file.`,
    );
  }
  const title = upload.title?.trim() || extracted.title || titleFromFileName(fileName);

  let status: DocumentStatus = 'indexed';
  let statusDetail: string | null = null;
  let embeddingModel: string | null = null;
  let vectors: number[][] | null = null;
  if (deps.embedder) {
    try {
      vectors = [];
      for (let start = 0; start < passages.length; start += EMBED_BATCH) {
        const batch = passages.slice(start, start + EMBED_BATCH);
        const result = await deps.embedder.embed(
          batch.map((passage) => embeddingText(title, passage.section, passage.text)),
          { source: 'workspace' },
        );
        if (result.vectors.length !== batch.length) {
          throw new Error(
            `the model returned ${result.vectors.length} vectors for ${batch.length} passages`,
          );
        }
        vectors.push(...result.vectors);
        embeddingModel = result.modelId;
      }
      status = 'embedded';
    } catch (error) {
      vectors = null;
      embeddingModel = null;
      status = 'embedding_failed';
      statusDetail = `Searchable by its words only: the embeddings model failed (${(error as Error).message}). Upload it again to retry.`;
    }
  }
  return deps.store.knowledgeDocuments.replace(upload.businessId, {
    name: fileName,
    title: title.slice(0, 200),
    format,
    byteSize: upload.bytes.length,
    status,
    statusDetail,
    embeddingModel,
    passages: passages.map((passage, index) => ({
      ...passage,
      embedding: vectors?.[index] ?? null,
    })),
  });
}

/** What is embedded for a passage: where it sits gives it meaning ("Returns › Refunds"). */
export function embeddingText(title: string, section: string, text: string): string {
  return [title, section, text].filter((part) => part.trim() !== '').join('\n');
}

function cleanFileName(raw: string): string {
  // Browsers and curl may send a path; only the last part names the document.
  const name = raw.split(/[\\/]/).pop()?.trim() ?? '';
  if (name === '' || name.length > 200 || hasControlCharacters(name)) {
    throw new ParleyError(
      'validation_failed',
      'Give the document a file name of 1 to 200 characters (e.g. returns-policy.pdf).',
    );
  }
  return name;
}

function titleFromFileName(fileName: string): string {
  const base =
    fileName
      .replace(/\.[a-z0-9]+$/i, '')
      .replace(/[-_]+/g, ' ')
      .trim() || fileName;
  return base.charAt(0).toUpperCase() + base.slice(1);
}

function hasControlCharacters(text: string): boolean {
  return [...text].some((char) => char.charCodeAt(0) < 0x20);
}
