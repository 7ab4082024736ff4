import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import './knowledge.css';
import { useSession } from '../session-context.js';
import { FaqSection } from './faq-section.js';
import { knowledgeApi, type WireDocument, type WireFaqEntry } from './knowledge-api.js';

const ACCEPT = '.pdf,.docx,.html,.htm,.md,.markdown,.txt';
const STATUS_LABELS: Record<WireDocument['status'], string> = {
  indexed: 'Searchable by words',
  embedded: 'Searchable by words and meaning',
  embedding_failed: 'Searchable by words only',
};

/**
 * What the agent answers from: uploaded documents (PDF, DOCX, HTML, Markdown, text), each cut
 * into passages, and the FAQ (from the business file or written here). Owners change; staff read.
 */
export function KnowledgePage() {
  const { user } = useSession();
  const isOwner = user.role === 'owner';
  const [documents, setDocuments] = useState<WireDocument[] | null>(null);
  const [faq, setFaq] = useState<WireFaqEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const load = useCallback(() => {
    Promise.all([knowledgeApi.documents(), knowledgeApi.faq()]).then(
      ([list, entries]) => {
        setDocuments(list.documents);
        setFaq(entries.entries);
      },
      (cause: Error) => setError(cause.message),
    );
  }, []);
  useEffect(load, [load]);

  const upload = async (files: readonly File[]) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    const done: string[] = [];
    for (const file of files) {
      try {
        const document = await knowledgeApi.upload(file);
        done.push(`${document.title} (${document.passageCount} passages)`);
      } catch (cause) {
        setError(`${file.name}: ${(cause as Error).message}`);
      }
    }
    if (done.length > 0) setNotice(`Uploaded ${done.join(', ')}.`);
    setBusy(false);
    if (input.current) input.current.value = '';
    load();
  };

  const remove = async (document: WireDocument) => {
    if (!window.confirm(`Delete "${document.title}"? The agent will no longer answer from it.`)) {
      return;
    }
    try {
      await knowledgeApi.remove(document.id);
      setNotice(`Deleted ${document.title}.`);
      load();
    } catch (cause) {
      setError((cause as Error).message);
    }
  };

  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setDragging(false);
    if (isOwner && !busy) void upload([...event.dataTransfer.files]);
  };

  return (
    <main className="console-page knowledge-page" data-testid="knowledge-page">
      <h1>Knowledge</h1>
      <p className="knowledge-intro">
        The agent answers from these documents and the FAQ, and cites the document it used.
        Uploading a file with the same name replaces it.
      </p>
      {isOwner && (
        <section
          className={`knowledge-drop${dragging ? ' knowledge-drop-active' : ''}`}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <label>
            {busy ? 'Uploading…' : 'Drop files here, or choose them: '}
            <input
              ref={input}
              type="file"
              multiple
              accept={ACCEPT}
              disabled={busy}
              aria-label="Upload documents"
              onChange={(event) => void upload([...(event.target.files ?? [])])}
            />
          </label>
          <small>PDF, DOCX, HTML, Markdown or plain text, up to 20 MB each.</small>
        </section>
      )}
      {error && (
        <p role="alert" className="knowledge-error">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="knowledge-notice">
          {notice}
        </p>
      )}
      <section>
        <h2>Documents</h2>
        {documents === null ? (
          <p>Loading…</p>
        ) : documents.length === 0 ? (
          <p>No documents yet.</p>
        ) : (
          <table className="knowledge-table">
            <thead>
              <tr>
                <th>Title</th>
                <th>File</th>
                <th>Passages</th>
                <th>Search</th>
                <th>Updated</th>
                {isOwner && <th aria-label="Actions" />}
              </tr>
            </thead>
            <tbody>
              {documents.map((document) => (
                <tr key={document.id} data-testid="knowledge-document">
                  <td>{document.title}</td>
                  <td>{document.name}</td>
                  <td>{document.passageCount}</td>
                  <td title={document.statusDetail ?? undefined}>
                    {STATUS_LABELS[document.status]}
                  </td>
                  <td>{new Date(document.updatedAt).toLocaleString()}</td>
                  {isOwner && (
                    <td>
                      <button type="button" onClick={() => void remove(document)}>
                        Delete
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <FaqSection
        entries={faq}
        isOwner={isOwner}
        onChanged={(message) => {
          setError(null);
          setNotice(message);
          load();
        }}
      />
    </main>
  );
}
