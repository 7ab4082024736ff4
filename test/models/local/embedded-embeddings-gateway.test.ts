import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBusinessConfig } from '../../../src/config/load-business-config.js';
import { modelsSection, toModelsSettings } from '../../../src/config/models-config.js';
import { DEMO_CONFIG_PATH } from '../../../src/cli/load-startup.js';
import { isModelRefusal } from '../../../src/core/model-refusal.js';
import { createEmbeddedModels } from '../../../src/models/local/embedded-models.js';
import { ModelLibrary } from '../../../src/models/local/model-library.js';
import { createApiKey } from '../../../src/server/routes/api-key-routes.js';
import { DEMO_OWNER, signIn } from '../../server/support/sign-in.js';
import { eventually } from '../../support/eventually.js';
import { writeTinyGguf } from '../../support/gguf-writer.js';
import { backends } from '../../support/test-database.js';
import { startTestParley, type TestParley } from '../../support/test-parley.js';
import { openGatewayWorld, type GatewayWorld } from '../support/gateway-fixture.js';

/** A models folder holding the tiny GGUF, recorded as `tiny` (as `parley model pull` would). */
async function modelsFolder(folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  await writeTinyGguf(join(folder, 'tiny.gguf'));
  await new ModelLibrary(folder).record({
    name: 'tiny',
    file: 'tiny.gguf',
    source: 'test',
    size: 0,
    sha256: '',
    pulledAt: '2026-03-02T10:00:00Z',
  });
  return folder;
}

const local = {
  provider: 'embedded',
  model: 'tiny',
  threads: 1,
  sequences: 1,
  contextSize: 1024,
  amortised: { hardwarePerHour: 0.36, tokensPerSecond: 100 },
};

describe.each(backends)('the embeddings route on an embedded model (%s)', (backend) => {
  let world: GatewayWorld;
  let library: ModelLibrary;
  beforeAll(async () => {
    world = await openGatewayWorld(backend);
    library = new ModelLibrary(await modelsFolder(await mkdtemp(join(tmpdir(), 'parley-models-'))));
  }, 60_000);
  afterAll(() => world.close());

  function gatewayWith(models: unknown) {
    const embedded = createEmbeddedModels(library, { threads: 1 });
    return world.gateway(models, {
      embedded: (entry) => embedded.model(entry),
      embeddedEmbeddings: (entry) => embedded.embeddingModel(entry),
      dispose: () => embedded.close(),
    });
  }

  it('embeds personal data locally, unredacted, and logs local egress with amortised cost', async () => {
    const gateway = gatewayWith({
      catalog: { here: local },
      tasks: { embeddings: 'here' },
      dataClasses: { personal: ['local'] },
    });
    const context = {
      contactId: world.contactId,
      conversationId: null,
      source: 'gateway' as const,
    };
    const result = await gateway.embed(
      ['I am Ana Costa, email ana@example.com', 'Refunds within 30 days'],
      context,
    );
    expect(result.modelId).toBe('here');
    expect(result.embeddings.map((vector) => vector.length)).toEqual([64, 64]);
    expect(result.inputTokens).toBeGreaterThan(40);
    const again = await gateway.embed(['Refunds within 30 days'], context);
    expect(again.embeddings[0]).toEqual(result.embeddings[1]);
    await gateway.close();
    const calls = await world.store.modelCalls.list(world.businessId, { limit: 2 });
    const first = calls.find((call) => call.inputTokens === result.inputTokens)!;
    expect(first).toMatchObject({
      task: 'embeddings',
      modelId: 'here',
      provider: 'embedded',
      location: 'local',
      outcome: 'ok',
      contactId: world.contactId,
      dataClasses: ['personal'],
      redactions: {},
      outputTokens: 0,
    });
    // 0.36 per hour at 100 tokens/s: an input token (prefill) costs a tenth of a micro.
    expect(first.costMicros).toBe(Math.round(result.inputTokens! / 10));
  });

  it('falls back to the next model when the local one cannot embed, and says why in the log', async () => {
    const gateway = gatewayWith({
      catalog: {
        // Not pulled: the lookup fails, the call is logged as an error, the route goes on.
        missing: { ...local, model: 'not-pulled' },
        here: local,
      },
      tasks: { embeddings: { primary: 'missing', fallbacks: ['here'] } },
    });
    const result = await gateway.embed(['Opening hours'], {
      contactId: null,
      conversationId: null,
      source: 'gateway',
    });
    expect(result.modelId).toBe('here');
    await gateway.close();
    const calls = await world.store.modelCalls.list(world.businessId, { limit: 50 });
    expect(
      calls
        .filter((call) => call.modelId === 'missing' || call.fallbackFrom === 'missing')
        .map((call) => [call.modelId, call.outcome, call.fallbackFrom])
        .sort(),
    ).toEqual([
      ['here', 'ok', 'missing'],
      ['missing', 'error', null],
    ]);
  });

  it("holds a burst's estimated cost against the contact's budget, as for hosted embeddings", async () => {
    const gateway = gatewayWith({
      // An input token at 0.005: 400 characters are estimated at 100 tokens, 0.5, the whole budget.
      catalog: { here: { ...local, amortised: { hardwarePerHour: 180, tokensPerSecond: 1 } } },
      tasks: { embeddings: 'here' },
      budgets: { perContactPerDay: 0.5 },
    });
    const bo = await world.store.contacts.findOrCreateByIdentity(
      world.businessId,
      { channel: 'web', externalId: 'visitor-bo' },
      { displayName: 'Bo Lind' },
    );
    const context = { contactId: bo.id, conversationId: null, source: 'gateway' as const };
    const burst = await Promise.all(
      Array.from({ length: 4 }, () =>
        gateway.embed(['x'.repeat(400)], context).then(
          () => 'answered',
          (error: unknown) => (isModelRefusal(error) ? error.reason : error),
        ),
      ),
    );
    expect(burst.filter((outcome) => outcome === 'answered')).toHaveLength(1);
    expect(burst.filter((outcome) => outcome === 'budget-exhausted')).toHaveLength(3);
    // The answered call cost more than the budget: the next one is refused outright.
    const refusal = await gateway.embed(['again'], context).catch((error: unknown) => error);
    expect(isModelRefusal(refusal) && refusal.reason).toBe('budget-exhausted');
    await gateway.close();
  });
});

describe('/v1/embeddings answered by an embedded model, for the official OpenAI client', () => {
  let parley: TestParley;
  let client: OpenAI;

  beforeAll(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-test-'));
    await modelsFolder(join(dataDir, 'models'));
    const config = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    config.models = toModelsSettings(
      modelsSection.parse({
        catalog: { here: local },
        tasks: { embeddings: 'here' },
        licensing: { domicile: 'GB' },
      }),
    );
    parley = await startTestParley({
      backend: 'pglite',
      dataDir,
      demoPassword: DEMO_OWNER.password,
      overrides: { config },
    });
    const { secret } = await createApiKey(parley, {
      businessId: parley.business.id,
      name: 'local embeddings',
    });
    client = new OpenAI({ apiKey: secret, baseURL: `${parley.baseUrl}/v1`, maxRetries: 0 });
  }, 120_000);
  afterAll(() => parley?.stop());

  it('returns one vector per input (floats and base64) and logs the call as local egress', async () => {
    const floats = await client.embeddings.create({
      model: 'embeddings',
      input: ['Opening hours', 'Refunds'],
      encoding_format: 'float',
    });
    expect(floats.data.map((item) => item.embedding.length)).toEqual([64, 64]);
    expect(floats.usage.prompt_tokens).toBeGreaterThan(10);
    // The client's default is base64, which it decodes to the same floats (as float32).
    const decoded = await client.embeddings.create({ model: 'here', input: 'Opening hours' });
    expect(decoded.data[0]!.embedding).toEqual(
      floats.data[0]!.embedding.map((value) => Math.fround(value)),
    );
    const calls = await eventually('the egress rows', async () => {
      const rows = await parley.store.modelCalls.list(parley.business.id, { limit: 5 });
      return rows.length === 2 ? rows : undefined;
    });
    for (const call of calls) {
      expect(call).toMatchObject({
        task: 'embeddings',
        modelId: 'here',
        provider: 'embedded',
        location: 'local',
        source: 'gateway',
        outcome: 'ok',
      });
    }
  });

  it('embeds an uploaded document and the search query with the local model', async () => {
    const owner = await signIn(parley.baseUrl, DEMO_OWNER);
    const upload = await fetch(
      new URL('/api/knowledge/documents?name=returns.md', parley.baseUrl),
      {
        method: 'POST',
        headers: { cookie: owner, 'content-type': 'text/markdown' },
        body: '# Returns\n\nRefunds are paid within 5 working days.\n\n# Exchanges\n\nFree within 30 days.',
      },
    );
    expect(upload.status).toBe(201);
    expect(await upload.json()).toMatchObject({ status: 'embedded', embeddingModel: 'here' });
    const search = await fetch(
      new URL(`/api/knowledge/search?q=${encodeURIComponent('money back')}`, parley.baseUrl),
      { headers: { cookie: owner } },
    );
    expect(search.status).toBe(200);
    // The passages at upload, then the query: both embedded here, both in the egress log.
    const calls = await eventually('the knowledge embedding rows', async () => {
      const rows = await parley.store.modelCalls.list(parley.business.id, { limit: 10 });
      const knowledge = rows.filter((row) => row.source !== 'gateway');
      return knowledge.length === 2 ? knowledge : undefined;
    });
    expect(calls.every((call) => call.modelId === 'here' && call.location === 'local')).toBe(true);
  });
});
