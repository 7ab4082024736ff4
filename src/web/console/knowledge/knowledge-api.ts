import { ApiError } from '../api/api-error.js';
import { requestJson } from '../api/request-json.js';

/** A document as `GET /api/knowledge/documents` shows it. */
export interface WireDocument {
  id: string;
  name: string;
  title: string;
  format: 'pdf' | 'docx' | 'html' | 'markdown' | 'text';
  byteSize: number;
  passageCount: number;
  status: 'indexed' | 'embedded' | 'embedding_failed';
  statusDetail: string | null;
  updatedAt: string;
}

/** An FAQ entry as `GET /api/knowledge/faq` shows it. */
export interface WireFaqEntry {
  id: string;
  question: string;
  answer: string;
  source: 'file' | 'console';
  fileQuestion: string | null;
  updatedAt: string;
}

export const knowledgeApi = {
  documents: () => requestJson<{ documents: WireDocument[] }>('/api/knowledge/documents'),
  faq: () => requestJson<{ entries: WireFaqEntry[] }>('/api/knowledge/faq'),
  addFaq: (entry: { question: string; answer: string }) =>
    requestJson<WireFaqEntry>('/api/knowledge/faq', { method: 'POST', body: entry }),
  editFaq: (id: string, entry: { question: string; answer: string }) =>
    requestJson<WireFaqEntry>(`/api/knowledge/faq/${encodeURIComponent(id)}`, {
      method: 'PUT',
      body: entry,
    }),
  removeFaq: (id: string) =>
    requestJson<void>(`/api/knowledge/faq/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  remove: (id: string) =>
    requestJson<void>(`/api/knowledge/documents/${encodeURIComponent(id)}`, {
      method: 'DELETE',
    }),
  /** Sends the file as the raw body with its type; the same name replaces the earlier upload. */
  async upload(file: File): Promise<WireDocument> {
    let response: Response;
    try {
      response = await fetch(`/api/knowledge/documents?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          accept: 'application/json',
          'content-type': file.type || 'application/octet-stream',
        },
        body: file,
      });
    } catch {
      throw new ApiError(0, 'network', 'Parley cannot be reached. Check your connection.');
    }
    const body = (await response.json().catch(() => null)) as
      (WireDocument & { error?: { code: string; message: string } }) | null;
    if (!response.ok) {
      throw new ApiError(
        response.status,
        body?.error?.code ?? 'internal',
        body?.error?.message ?? `Parley answered with status ${response.status}.`,
      );
    }
    return body!;
  },
};
