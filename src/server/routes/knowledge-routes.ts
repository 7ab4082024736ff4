import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Embedder } from '../../core/embedder.js';
import { notFound, ParleyError } from '../../core/errors.js';
import { DOCUMENT_FORMATS, type KnowledgeDocument } from '../../core/knowledge.js';
import { SUPPORTED_TYPES } from '../../tools/knowledge/extract-document.js';
import { createSearchKnowledge } from '../../tools/knowledge/search-knowledge.js';
import { uploadDocument, type DocumentUpload } from '../../tools/knowledge/upload-document.js';
import type { ApiRegistry } from '../api-route.js';
import { errorSchema } from '../api-shapes.js';
import { registerFaqRoutes } from './faq-routes.js';
import type { ServerDependencies } from '../server-dependencies.js';

/** The largest document Parley accepts. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
const TOO_LARGE = `The document is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB, the most Parley accepts. Split it into smaller files, or remove images from it.`;

// Read as bytes for the upload route (text/plain keeps Fastify's own parser: a string).
const RAW_TYPES = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/html',
  'application/xhtml+xml',
  'text/markdown',
  'text/x-markdown',
  'application/octet-stream',
];

const documentSchema = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string(),
  format: z.enum(DOCUMENT_FORMATS),
  byteSize: z.number(),
  passageCount: z.number(),
  status: z.enum(['indexed', 'embedded', 'embedding_failed']),
  statusDetail: z.string().nullable(),
  embeddingModel: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const passageSchema = z.object({
  position: z.number(),
  section: z.string(),
  page: z.number().nullable(),
  text: z.string(),
});
const idParams = z.object({ id: z.string().min(1) });

export interface KnowledgeRouteDependencies extends ServerDependencies {
  /** The business's embeddings model, when one is configured. */
  embedderFor(businessId: string): Embedder | null;
}

/**
 * Knowledge: documents (upload, list, read, delete), the FAQ (see faq-routes.ts) and a search that shows what the agent would find. Owners change; staff read.
 */
export async function registerKnowledgeRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: KnowledgeRouteDependencies,
): Promise<void> {
  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 4, parts: 5 },
  });
  app.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );

  api.register(app, {
    method: 'POST',
    url: '/api/knowledge/documents',
    summary:
      'Upload a document (PDF, DOCX, HTML, Markdown, text) as the raw body with its Content-Type and ?name=, or as multipart/form-data (field "file", optional "title"). The same name replaces the earlier upload.',
    tag: 'knowledge',
    auth: 'owner',
    query: z.object({
      name: z.string().trim().min(1).max(200).optional(),
      title: z.string().trim().min(1).max(200).optional(),
    }),
    upload: {
      contentTypes: [...RAW_TYPES, 'text/plain'],
      maxBytes: MAX_DOCUMENT_BYTES,
      tooLarge: TOO_LARGE,
    },
    responses: {
      201: { description: 'Stored and searchable', schema: documentSchema },
      400: { description: 'No file or no file name', schema: errorSchema },
      413: { description: 'The file is too large', schema: errorSchema },
      415: { description: 'Not a type Parley reads', schema: errorSchema },
      422: { description: 'The file is damaged or holds no text', schema: errorSchema },
    },
    async handler({ principal, request, reply, query }) {
      const upload = request.isMultipart()
        ? await readMultipart(request)
        : readRaw(request, query.name);
      const document = await uploadDocument(
        { store: deps.store, embedder: deps.embedderFor(principal.businessId) },
        { ...upload, businessId: principal.businessId, title: query.title ?? upload.title },
      );
      await deps.store.audit.record({
        businessId: principal.businessId,
        actorType: principal.kind === 'api_key' ? 'api_key' : 'user',
        actorId: principal.kind === 'api_key' ? principal.apiKeyId : principal.userId,
        action: 'knowledge.document.uploaded',
        subjectType: 'knowledge_document',
        subjectId: document.id,
        details: { name: document.name, passages: document.passageCount },
      });
      reply.code(201);
      return view(document);
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/knowledge/documents',
    summary: 'The business’s documents with their passage counts and status',
    tag: 'knowledge',
    auth: 'member',
    responses: {
      200: { description: 'Documents', schema: z.object({ documents: z.array(documentSchema) }) },
    },
    async handler({ principal }) {
      const documents = await deps.store.knowledgeDocuments.list(principal.businessId);
      return { documents: documents.map(view) };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/knowledge/documents/:id',
    summary: 'One document and its passages, in reading order',
    tag: 'knowledge',
    auth: 'member',
    params: idParams,
    responses: {
      200: {
        description: 'The document',
        schema: documentSchema.extend({ passages: z.array(passageSchema) }),
      },
      404: { description: 'No such document', schema: errorSchema },
    },
    async handler({ principal, params }) {
      const document = await deps.store.knowledgeDocuments.getById(principal.businessId, params.id);
      if (!document) throw notFound('The document');
      const passages = await deps.store.knowledgeDocuments.passages(
        principal.businessId,
        document.id,
      );
      return { ...view(document), passages };
    },
  });

  api.register(app, {
    method: 'DELETE',
    url: '/api/knowledge/documents/:id',
    summary: 'Delete a document and its passages: the agent no longer finds it',
    tag: 'knowledge',
    auth: 'owner',
    params: idParams,
    responses: {
      204: { description: 'Deleted' },
      404: { description: 'No such document', schema: errorSchema },
    },
    async handler({ principal, params, reply }) {
      const deleted = await deps.store.knowledgeDocuments.delete(principal.businessId, params.id);
      if (!deleted) throw notFound('The document');
      await deps.store.audit.record({
        businessId: principal.businessId,
        actorType: principal.kind === 'api_key' ? 'api_key' : 'user',
        actorId: principal.kind === 'api_key' ? principal.apiKeyId : principal.userId,
        action: 'knowledge.document.deleted',
        subjectType: 'knowledge_document',
        subjectId: params.id,
        details: {},
      });
      return reply.code(204).send();
    },
  });

  registerFaqRoutes(app, api, deps);

  api.register(app, {
    method: 'GET',
    url: '/api/knowledge/search',
    summary: 'What search_knowledge finds for a question: FAQ entries and passages, best first',
    tag: 'knowledge',
    auth: 'member',
    query: z.object({ q: z.string().trim().min(1).max(300) }),
    responses: {
      200: {
        description: 'Results with their sources',
        schema: z.object({
          results: z.array(
            z.object({ source: z.string(), cite: z.string().optional(), text: z.string() }),
          ),
        }),
      },
    },
    async handler({ principal, query }) {
      const tool = createSearchKnowledge((id) => deps.embedderFor(id));
      const output = (await tool.execute(
        { query: query.q },
        {
          store: deps.store,
          clock: deps.clock,
          scope: { businessId: principal.businessId, contactId: '', conversationId: '' },
          effects: { requestHuman: () => undefined },
        },
      )) as { results: unknown[] };
      return { results: output.results };
    },
  });
}

function readRaw(
  request: FastifyRequest,
  name: string | undefined,
): Pick<DocumentUpload, 'fileName' | 'contentType' | 'bytes' | 'title'> {
  const body = request.body;
  const bytes =
    typeof body === 'string'
      ? new TextEncoder().encode(body)
      : Buffer.isBuffer(body)
        ? new Uint8Array(body)
        : null;
  if (!bytes || bytes.length === 0) {
    throw new ParleyError(
      'validation_failed',
      `Send the document as the request body with its Content-Type (${SUPPORTED_TYPES}), or as multipart/form-data with a "file" field.`,
    );
  }
  const fileName = name ?? fileNameFromDisposition(request.headers['content-disposition']);
  if (!fileName) {
    throw new ParleyError(
      'validation_failed',
      'Name the document: add ?name=returns-policy.pdf to the address (uploading the same name again replaces it).',
    );
  }
  return { fileName, contentType: request.headers['content-type'], bytes, title: undefined };
}

async function readMultipart(
  request: FastifyRequest,
): Promise<Pick<DocumentUpload, 'fileName' | 'contentType' | 'bytes' | 'title'>> {
  let file: { fileName: string; contentType: string; bytes: Uint8Array } | null = null;
  let title: string | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const buffer = await part.toBuffer();
        if (part.fieldname === 'file' && !file) {
          file = {
            fileName: part.filename,
            contentType: part.mimetype,
            bytes: new Uint8Array(buffer),
          };
        }
      } else if (part.fieldname === 'title' && typeof part.value === 'string') {
        title = part.value.trim() || undefined;
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new ParleyError('payload_too_large', TOO_LARGE, { cause: error });
    }
    throw new ParleyError(
      'validation_failed',
      `The multipart form cannot be read (${(error as Error).message}). Send one file in a field named "file".`,
      { cause: error },
    );
  }
  if (!file) {
    throw new ParleyError(
      'validation_failed',
      'The form has no file. Send the document in a field named "file".',
    );
  }
  return { ...file, title };
}

function fileNameFromDisposition(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const encoded = header.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      return undefined;
    }
  }
  return header.match(/filename="?([^";]+)"?/i)?.[1];
}

function view(document: KnowledgeDocument) {
  return {
    id: document.id,
    name: document.name,
    title: document.title,
    format: document.format,
    byteSize: document.byteSize,
    passageCount: document.passageCount,
    status: document.status,
    statusDetail: document.statusDetail,
    embeddingModel: document.embeddingModel,
    createdAt: document.createdAt.toISOString(),
    updatedAt: document.updatedAt.toISOString(),
  };
}
