import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { modelsSection, toModelsSettings } from '../../src/config/models-config.js';
import { createUser, DEMO_OWNER, signIn } from '../server/support/sign-in.js';
import {
  startEmbeddingsStubServer,
  type EmbeddingsStubServer,
} from '../support/embeddings-stub-server.js';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { buildDocx, buildPdf } from './support/document-files.js';

interface DocumentView {
  id: string;
  name: string;
  title: string;
  format: string;
  passageCount: number;
  status: string;
  passages?: Array<{ section: string; page: number | null; text: string }>;
}
interface ErrorView {
  error: { code: string; message: string };
}

describe.each(backends)('knowledge API over HTTP, embeddings configured (%s)', (backend) => {
  let parley: TestParley;
  let embeddings: EmbeddingsStubServer;
  let owner: string;
  let staff: string;

  beforeAll(async () => {
    embeddings = await startEmbeddingsStubServer();
    const config = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    config.models = toModelsSettings(
      modelsSection.parse({
        catalog: {
          embed: {
            provider: 'openai-compatible',
            model: 'stub-embed',
            baseUrl: embeddings.baseUrl,
          },
        },
        tasks: { embeddings: 'embed' },
      }),
    );
    parley = await startTestParley({
      backend,
      demoPassword: DEMO_OWNER.password,
      overrides: { config },
    });
    owner = await signIn(parley.baseUrl, DEMO_OWNER);
    const { password } = await createUser(parley.store, {
      businessId: parley.business.id,
      email: 'staff@knowledge.test',
      role: 'staff',
    });
    staff = await signIn(parley.baseUrl, { email: 'staff@knowledge.test', password });
  });
  afterAll(async () => {
    await parley?.stop();
    await embeddings?.close();
  });

  async function call<Body>(
    path: string,
    init: { method?: string; cookie?: string; body?: BodyInit; headers?: Record<string, string> },
  ): Promise<{ status: number; body: Body }> {
    const response = await fetch(new URL(path, parley.baseUrl), {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(init.cookie ? { cookie: init.cookie } : {}), ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Body };
  }

  const uploadRaw = (name: string, type: string, body: BodyInit, cookie = owner) =>
    call<DocumentView & ErrorView>(`/api/knowledge/documents?name=${encodeURIComponent(name)}`, {
      cookie,
      body,
      headers: { 'content-type': type },
    });

  it('uploads a PDF as the raw body and a DOCX as multipart; lists, reads and embeds them', async () => {
    const pdf = await uploadRaw(
      'returns.pdf',
      'application/pdf',
      buildPdf(
        [
          ['Refunds are paid to the original card within 5 working days.'],
          ['Exchanges are free within 30 days.'],
        ],
        'Returns policy',
      ),
    );
    expect(pdf.status).toBe(201);
    expect(pdf.body).toMatchObject({
      name: 'returns.pdf',
      title: 'Returns policy',
      format: 'pdf',
      passageCount: 2,
      status: 'embedded',
    });
    const form = new FormData();
    form.append('title', 'Warranty terms');
    form.append(
      'file',
      new Blob(
        [
          buildDocx([
            { text: 'Frames', heading: 1 },
            { text: 'Every frame has a lifetime warranty against defects.' },
          ]),
        ],
        { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
      ),
      'warranty.docx',
    );
    const docx = await call<DocumentView>('/api/knowledge/documents', {
      cookie: owner,
      body: form,
    });
    expect(docx.status).toBe(201);
    expect(docx.body).toMatchObject({ title: 'Warranty terms', format: 'docx', passageCount: 1 });

    const list = await call<{ documents: DocumentView[] }>('/api/knowledge/documents', {
      cookie: staff,
    });
    expect(list.status).toBe(200);
    expect(list.body.documents.map((document) => document.name).sort()).toEqual([
      'returns.pdf',
      'warranty.docx',
    ]);
    const one = await call<DocumentView>(`/api/knowledge/documents/${pdf.body.id}`, {
      cookie: staff,
    });
    expect(one.body.passages?.map((passage) => passage.page)).toEqual([1, 2]);
    // Passages went to the embeddings model in one batch, with their document's title.
    expect(
      embeddings.inputs.some(
        (batch) => batch.length === 2 && batch[0]!.startsWith('Returns policy'),
      ),
    ).toBe(true);

    const search = await call<{ results: Array<{ source: string; cite?: string }> }>(
      `/api/knowledge/search?q=${encodeURIComponent('exchanges within 30 days')}`,
      { cookie: staff },
    );
    expect(search.body.results).toContainEqual(
      expect.objectContaining({ source: 'Returns policy, page 2', cite: 'Returns policy' }),
    );
    if (parley.database.capabilities.vector) {
      // "money back" shares no word with the refund passage: the query's vector finds it.
      const meaning = await call<{ results: Array<{ source: string }> }>(
        `/api/knowledge/search?q=${encodeURIComponent('can I get my money back')}`,
        { cookie: staff },
      );
      expect(meaning.body.results.map((result) => result.source)).toContain(
        'Returns policy, page 1',
      );
    }
  });

  it('replaces a re-upload of the same name and deletes documents for good', async () => {
    const first = await uploadRaw('hours.md', 'text/markdown', '# Hours\n\nOpen at eight.');
    const second = await uploadRaw(
      'hours.md',
      'text/markdown',
      '# Hours\n\nOpen at nine.\n\n## Sunday\n\nClosed.',
    );
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.passageCount).toBe(2);
    const staffDelete = await call<ErrorView>(`/api/knowledge/documents/${first.body.id}`, {
      method: 'DELETE',
      cookie: staff,
    });
    expect(staffDelete.status).toBe(403);
    const deleted = await call(`/api/knowledge/documents/${first.body.id}`, {
      method: 'DELETE',
      cookie: owner,
    });
    expect(deleted.status).toBe(204);
    expect(
      (await call(`/api/knowledge/documents/${first.body.id}`, { cookie: owner })).status,
    ).toBe(404);
    expect(
      await parley.store.knowledgeDocuments.passages(parley.business.id, first.body.id),
    ).toEqual([]);
  });

  it('refuses bad uploads with a reason and stores nothing', async () => {
    const before = (await parley.store.knowledgeDocuments.list(parley.business.id)).length;
    const image = await uploadRaw('photo.png', 'image/png', new Uint8Array([137, 80, 78, 71]));
    expect(image.status).toBe(415);
    expect(image.body.error.message).toContain('"image/png"');
    const corrupt = await uploadRaw('broken.pdf', 'application/pdf', '%PDF-1.7 garbage');
    expect(corrupt.status).toBe(422);
    expect(corrupt.body.error.message).toContain('"broken.pdf"');
    const fakeDocx = await uploadRaw(
      'fake.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'plain words',
    );
    expect(fakeDocx.status).toBe(422);
    const tooLarge = await uploadRaw('huge.txt', 'text/plain', 'a'.repeat(20 * 1024 * 1024 + 1));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.message).toContain('larger than 20 MB');
    const unnamed = await call<ErrorView>('/api/knowledge/documents', {
      cookie: owner,
      body: 'text',
      headers: { 'content-type': 'text/plain' },
    });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error.message).toContain('?name=');
    const empty = new FormData();
    empty.append('title', 'no file');
    expect((await call('/api/knowledge/documents', { cookie: owner, body: empty })).status).toBe(
      400,
    );
    const staffUpload = await uploadRaw('staff.md', 'text/markdown', '# Staff\n\nHi.', staff);
    expect(staffUpload.status).toBe(403);
    const anonymous = await call('/api/knowledge/documents', {});
    expect(anonymous.status).toBe(401);
    expect((await parley.store.knowledgeDocuments.list(parley.business.id)).length).toBe(before);
  });

  it('lists the FAQ from the business file and documents the routes in OpenAPI', async () => {
    const faq = await call<{ entries: Array<{ question: string }> }>('/api/knowledge/faq', {
      cookie: staff,
    });
    expect(faq.body.entries.length).toBeGreaterThan(0);
    const openApi = await call<{ paths: Record<string, Record<string, unknown>> }>(
      '/api/openapi.json',
      {},
    );
    expect(Object.keys(openApi.body.paths['/api/knowledge/documents'] ?? {}).sort()).toEqual([
      'get',
      'post',
    ]);
    expect(openApi.body.paths['/api/knowledge/documents/{id}']).toHaveProperty('delete');
  });
});
