import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import type { BusinessConfig } from '../../src/config/business-config.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { modelsSection, toModelsSettings } from '../../src/config/models-config.js';
import { faqEntries } from '../../src/store/schema/index.js';
import {
  startEmbeddingsStubServer,
  STUB_EMBEDDING_DIMENSIONS,
  stubEmbedding,
  type EmbeddingsStubServer,
} from '../support/embeddings-stub-server.js';
import { openWidgetVisitor } from '../agent/widget-visitor.js';
import { createUser, DEMO_OWNER, signIn } from '../server/support/sign-in.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';

interface EntryView {
  id: string;
  question: string;
  answer: string;
  source: 'file' | 'console';
  fileQuestion: string | null;
  updatedAt: string;
}
interface ErrorView {
  error: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
}

const HOURS = 'What are your opening hours?';
const DELIVERY = 'Do you deliver, and how much does it cost?';
const RETURNS = 'What is your returns policy?';

async function call<Body>(
  parley: TestParley,
  path: string,
  init: { method?: string; cookie?: string; json?: unknown } = {},
): Promise<{ status: number; body: Body }> {
  const response = await fetch(new URL(path, parley.baseUrl), {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Body };
}

async function listFaq(parley: TestParley, cookie: string): Promise<EntryView[]> {
  const { status, body } = await call<{ entries: EntryView[] }>(parley, '/api/knowledge/faq', {
    cookie,
  });
  expect(status).toBe(200);
  return body.entries;
}

async function searchTexts(parley: TestParley, cookie: string, q: string): Promise<string[]> {
  const { status, body } = await call<{ results: Array<{ source: string; text: string }> }>(
    parley,
    `/api/knowledge/search?q=${encodeURIComponent(q)}`,
    { cookie },
  );
  expect(status).toBe(200);
  return body.results.map((result) => `${result.source} | ${result.text}`);
}

describe.each(backends)('FAQ entries over HTTP (%s)', (backend) => {
  let parley: TestParley;
  let owner: string;
  let staff: string;
  let otherOwner: string;

  beforeAll(async () => {
    parley = await startTestParley({ backend, demoPassword: DEMO_OWNER.password });
    owner = await signIn(parley.baseUrl, DEMO_OWNER);
    const { password } = await createUser(parley.store, {
      businessId: parley.business.id,
      email: 'staff@faq.test',
      role: 'staff',
    });
    staff = await signIn(parley.baseUrl, { email: 'staff@faq.test', password });
    const other = await parley.store.businesses.upsert({
      slug: 'other-shop',
      name: 'Other Shop',
      instructions: '',
      profile: {
        description: 'Kites',
        timezone: 'Europe/London',
        languages: ['en'],
        currency: 'GBP',
        openingHours: {},
        tone: 'plain',
      },
    });
    await parley.store.knowledge.replaceFaq(other.id, [
      { question: 'Do you sell kites?', answer: 'Only box kites, in red.' },
    ]);
    const otherUser = await createUser(parley.store, {
      businessId: other.id,
      email: 'owner@other.test',
      role: 'owner',
    });
    otherOwner = await signIn(parley.baseUrl, {
      email: 'owner@other.test',
      password: otherUser.password,
    });
  });
  afterAll(async () => {
    await parley?.stop();
  });

  it('lists the business file’s entries, marked as from the file, to owners and staff', async () => {
    const entries = await listFaq(parley, staff);
    expect(entries.map((entry) => entry.question).slice(0, 3)).toEqual([HOURS, DELIVERY, RETURNS]);
    expect(entries.every((entry) => entry.source === 'file')).toBe(true);
    expect(entries[0]!.fileQuestion).toBe(HOURS);
    expect((await call(parley, '/api/knowledge/faq')).status).toBe(401);
  });

  it('adds an entry that search_knowledge and menu mode find at once', async () => {
    const created = await call<EntryView>(parley, '/api/knowledge/faq', {
      cookie: owner,
      json: {
        question: '  Do you fix punctures while I wait?  ',
        answer: 'Yes: a puncture repair takes about 20 minutes and costs £12.',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      question: 'Do you fix punctures while I wait?',
      source: 'console',
      fileQuestion: null,
    });
    expect((await listFaq(parley, owner)).at(-1)?.id).toBe(created.body.id);
    expect(await searchTexts(parley, owner, 'puncture repair')).toContainEqual(
      'FAQ: Do you fix punctures while I wait? | Yes: a puncture repair takes about 20 minutes and costs £12.',
    );

    // Menu mode (no model) searches the FAQ itself: a web chat visitor gets the new answer.
    const visitor = await openWidgetVisitor(parley);
    await visitor.send('Can you fix a puncture?');
    const [reply] = await visitor.waitForAgentMessages(1);
    expect(reply!.text).toContain('a puncture repair takes about 20 minutes and costs £12');
  });

  it('rewrites a file entry: the new answer is found, the old text no longer', async () => {
    const hours = (await listFaq(parley, owner)).find((entry) => entry.question === HOURS)!;
    const edited = await call<EntryView>(parley, `/api/knowledge/faq/${hours.id}`, {
      method: 'PUT',
      cookie: owner,
      json: {
        question: 'When are you open?',
        answer: 'Every day from 8am to 8pm, bank holidays included.',
      },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id: hours.id,
      question: 'When are you open?',
      source: 'console',
      fileQuestion: HOURS,
    });
    const found = await searchTexts(parley, owner, 'When are you open?');
    expect(found[0]).toBe(
      'FAQ: When are you open? | Every day from 8am to 8pm, bank holidays included.',
    );
    expect(found.join('\n')).not.toContain('closed on Sundays');
    expect(await searchTexts(parley, owner, 'closed on Sundays and bank holidays')).not.toEqual(
      expect.arrayContaining([expect.stringContaining('FAQ: What are your opening hours?')]),
    );
  });

  it('deletes an entry everywhere', async () => {
    const returns = (await listFaq(parley, owner)).find((entry) => entry.question === RETURNS)!;
    expect(
      (await call(parley, `/api/knowledge/faq/${returns.id}`, { method: 'DELETE', cookie: owner }))
        .status,
    ).toBe(204);
    expect((await listFaq(parley, owner)).map((entry) => entry.id)).not.toContain(returns.id);
    expect((await searchTexts(parley, owner, 'returns policy refund')).join('\n')).not.toContain(
      'FAQ: What is your returns policy?',
    );
    const again = await call<ErrorView>(parley, `/api/knowledge/faq/${returns.id}`, {
      method: 'DELETE',
      cookie: owner,
    });
    expect(again.status).toBe(404);
    const edit = await call<ErrorView>(parley, `/api/knowledge/faq/${returns.id}`, {
      method: 'PUT',
      cookie: owner,
      json: { question: RETURNS, answer: 'Back again?' },
    });
    expect(edit.status).toBe(404);
  });

  it('refuses bad input with the field named, and changes nothing', async () => {
    const before = await listFaq(parley, owner);
    const empty = await call<ErrorView>(parley, '/api/knowledge/faq', {
      cookie: owner,
      json: { question: '   ', answer: 'Something' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.issues).toEqual([
      { path: 'body.question', message: 'Write the question, as a customer would ask it.' },
    ]);
    const missing = await call<ErrorView>(parley, '/api/knowledge/faq', {
      cookie: owner,
      json: { question: 'Is there parking?' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues?.map((issue) => issue.path)).toEqual(['body.answer']);
    const long = await call<ErrorView>(parley, '/api/knowledge/faq', {
      cookie: owner,
      json: { question: 'Is there parking?', answer: 'x'.repeat(4001) },
    });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain('upload longer texts as a document');
    const extra = await call<ErrorView>(parley, '/api/knowledge/faq', {
      cookie: owner,
      json: { question: 'Is there parking?', answer: 'Yes.', position: 1 },
    });
    expect(extra.status).toBe(400);
    const twin = await call<ErrorView>(parley, '/api/knowledge/faq', {
      cookie: owner,
      json: { question: 'do you DELIVER, and how much does it cost?', answer: 'Twice?' },
    });
    expect(twin.status).toBe(409);
    expect(twin.body.error.message).toContain(`"${DELIVERY}"`);
    expect(twin.body.error.issues?.[0]?.path).toBe('body.question');
    const notAnId = await call<ErrorView>(parley, '/api/knowledge/faq/not-an-id', {
      method: 'PUT',
      cookie: owner,
      json: { question: 'Q?', answer: 'A.' },
    });
    expect(notAnId.status).toBe(404);
    expect(await listFaq(parley, owner)).toEqual(before);
  });

  it('keeps one entry when the same question is saved several times at once', async () => {
    const question = 'Can I bring my dog into the shop?';
    const saves = await Promise.all(
      ['Yes, dogs on leads are welcome.', 'Yes.', 'Of course.', 'Dogs are welcome.'].map((answer) =>
        call<EntryView | ErrorView>(parley, '/api/knowledge/faq', {
          cookie: owner,
          json: { question, answer },
        }),
      ),
    );
    expect(saves.map((save) => save.status).sort()).toEqual([201, 409, 409, 409]);
    const saved = (await listFaq(parley, owner)).filter((entry) => entry.question === question);
    expect(saved).toHaveLength(1);
  });

  it('lets staff read but not change, and keeps businesses apart', async () => {
    const [first] = await listFaq(parley, owner);
    const byStaff = await call<ErrorView>(parley, '/api/knowledge/faq', {
      cookie: staff,
      json: { question: 'Staff question?', answer: 'Staff answer.' },
    });
    expect(byStaff.status).toBe(403);
    expect(
      (await call(parley, `/api/knowledge/faq/${first!.id}`, { method: 'DELETE', cookie: staff }))
        .status,
    ).toBe(403);

    const theirs = await listFaq(parley, otherOwner);
    expect(theirs.map((entry) => entry.question)).toEqual(['Do you sell kites?']);
    const crossEdit = await call(parley, `/api/knowledge/faq/${first!.id}`, {
      method: 'PUT',
      cookie: otherOwner,
      json: { question: 'Hijacked?', answer: 'Yes.' },
    });
    expect(crossEdit.status).toBe(404);
    const crossDelete = await call(parley, `/api/knowledge/faq/${first!.id}`, {
      method: 'DELETE',
      cookie: otherOwner,
    });
    expect(crossDelete.status).toBe(404);
    expect((await listFaq(parley, owner))[0]).toEqual(first);
    expect((await searchTexts(parley, otherOwner, 'punctures')).join('\n')).not.toContain(
      'puncture',
    );
  });

  it('documents the FAQ routes in the OpenAPI document', async () => {
    const { body } = await call<{ paths: Record<string, Record<string, unknown>> }>(
      parley,
      '/api/openapi.json',
    );
    expect(Object.keys(body.paths['/api/knowledge/faq'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(body.paths['/api/knowledge/faq/{id}'] ?? {}).sort()).toEqual([
      'delete',
      'put',
    ]);
  });
});

describe.each(backends)('FAQ edits across restarts with the same business file (%s)', (backend) => {
  let database: TestDatabase;
  let parley: TestParley | undefined;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await parley?.stop();
    await database?.destroy();
  });

  async function start(config?: BusinessConfig): Promise<{ parley: TestParley; owner: string }> {
    await parley?.stop();
    parley = await startTestParley({
      backend,
      database,
      demoPassword: DEMO_OWNER.password,
      ...(config ? { overrides: { config } } : {}),
    });
    return { parley, owner: await signIn(parley.baseUrl, DEMO_OWNER) };
  }

  it('keeps the owner’s edits, additions and deletions; the file still updates its own entries', async () => {
    const first = await start();
    const entries = await listFaq(first.parley, first.owner);
    const hours = entries.find((entry) => entry.question === HOURS)!;
    const delivery = entries.find((entry) => entry.question === DELIVERY)!;
    const returns = entries.find((entry) => entry.question === RETURNS)!;
    const put = await call(first.parley, `/api/knowledge/faq/${hours.id}`, {
      method: 'PUT',
      cookie: first.owner,
      json: { question: HOURS, answer: 'Open every day, 8am to 8pm.' },
    });
    expect(put.status).toBe(200);
    await call(first.parley, `/api/knowledge/faq/${returns.id}`, {
      method: 'DELETE',
      cookie: first.owner,
    });
    const added = await call<EntryView>(first.parley, '/api/knowledge/faq', {
      cookie: first.owner,
      json: { question: 'Do you rent bikes?', answer: 'Yes, £20 a day.' },
    });
    expect(added.status).toBe(201);
    const edited = await listFaq(first.parley, first.owner);

    // The same business file: nothing the owner did is undone, and nothing is rewritten.
    const second = await start();
    expect(await listFaq(second.parley, second.owner)).toEqual(edited);
    expect((await searchTexts(second.parley, second.owner, 'opening hours'))[0]).toBe(
      `FAQ: ${HOURS} | Open every day, 8am to 8pm.`,
    );

    // The file changes the entry the owner edited and one they did not: only the latter moves.
    const changed = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    changed.faq = changed.faq.map((entry) =>
      entry.question === HOURS
        ? { ...entry, answer: 'The file says: open 9 to 5.' }
        : entry.question === DELIVERY
          ? { ...entry, answer: 'Delivery is free everywhere.' }
          : entry,
    );
    const third = await start(changed);
    const after = await listFaq(third.parley, third.owner);
    expect(after.find((entry) => entry.id === hours.id)?.answer).toBe(
      'Open every day, 8am to 8pm.',
    );
    expect(after.find((entry) => entry.id === delivery.id)).toMatchObject({
      answer: 'Delivery is free everywhere.',
      source: 'file',
    });
    expect(after.map((entry) => entry.question)).not.toContain(RETURNS);
    expect(after.find((entry) => entry.id === added.body.id)?.answer).toBe('Yes, £20 a day.');
  });
});

describe.each(backends)('FAQ entries with an embeddings model (%s)', (backend) => {
  let parley: TestParley;
  let embeddings: EmbeddingsStubServer;
  let owner: string;

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
  });
  afterAll(async () => {
    await parley?.stop();
    await embeddings?.close();
  });

  const storedVector = async (id: string) => {
    const [row] = await parley.database.db
      .select({ embedding: faqEntries.embedding })
      .from(faqEntries)
      .where(eq(faqEntries.id, id));
    return row?.embedding ?? null;
  };

  it('embeds an entry when it is saved, again when it is rewritten, and finds it by meaning', async () => {
    const created = await call<EntryView>(parley, '/api/knowledge/faq', {
      cookie: owner,
      json: { question: 'Can I send a helmet back?', answer: 'Yes, within 30 days, unworn.' },
    });
    expect(created.status).toBe(201);
    const first = await storedVector(created.body.id);
    expect(first).toHaveLength(STUB_EMBEDDING_DIMENSIONS);
    expect(first![0]).toBeCloseTo(
      stubEmbedding('Can I send a helmet back?\nYes, within 30 days, unworn.')[0]!,
      5,
    );

    const edited = await call<EntryView>(parley, `/api/knowledge/faq/${created.body.id}`, {
      method: 'PUT',
      cookie: owner,
      json: { question: 'Can I send a helmet back?', answer: 'Refunds go to your card.' },
    });
    expect(edited.status).toBe(200);
    const second = await storedVector(created.body.id);
    const wanted = stubEmbedding('Can I send a helmet back?\nRefunds go to your card.');
    expect(second!.map((value) => Number(value.toFixed(5)))).toEqual(
      wanted.map((value) => Number(value.toFixed(5))),
    );

    if (parley.database.capabilities.vector) {
      // "reimbursed" and "headgear" share no word with the entry: only its vector finds it.
      expect((await searchTexts(parley, owner, 'reimbursed headgear'))[0]).toBe(
        'FAQ: Can I send a helmet back? | Refunds go to your card.',
      );
    }
    // The file's entries were embedded by the first search.
    const unembedded = await parley.store.knowledge.faqWithoutEmbedding(parley.business.id, 100);
    expect(unembedded).toEqual([]);
  });
});
