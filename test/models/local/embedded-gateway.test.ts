import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callContextOptions } from '../../../src/core/model-call-context.js';
import { createEmbeddedModels } from '../../../src/models/local/embedded-models.js';
import { ModelLibrary } from '../../../src/models/local/model-library.js';
import { writeTinyGguf } from '../../support/gguf-writer.js';
import { openGatewayWorld, type GatewayWorld } from '../support/gateway-fixture.js';

describe('the gateway routes to an embedded model pulled into the models folder', () => {
  let world: GatewayWorld;
  let folder: string;
  beforeAll(async () => {
    world = await openGatewayWorld('pglite');
    folder = await mkdtemp(join(tmpdir(), 'parley-models-'));
    await writeTinyGguf(join(folder, 'tiny.gguf'));
    await new ModelLibrary(folder).record({
      name: 'tiny',
      file: 'tiny.gguf',
      source: 'test',
      size: 0,
      sha256: '',
      pulledAt: '2026-03-02T10:00:00Z',
    });
  }, 60_000);
  afterAll(() => world.close());

  it('answers personal-data turns locally, unredacted, and logs local egress with amortised cost', async () => {
    const embedded = createEmbeddedModels(new ModelLibrary(folder), { threads: 1 });
    const gateway = world.gateway(
      {
        catalog: {
          here: {
            provider: 'embedded',
            model: 'tiny',
            threads: 1,
            sequences: 1,
            contextSize: 1024,
            amortised: { hardwarePerHour: 0.36, tokensPerSecond: 100 },
          },
        },
        tasks: { 'customer-replies': 'here' },
        dataClasses: { personal: ['local'] },
      },
      { embedded: (entry) => embedded.model(entry), dispose: () => embedded.close() },
    );
    const result = await generateText({
      model: gateway.modelFor('customer-replies')!,
      prompt: 'I am Ana Costa, email ana@example.com',
      maxOutputTokens: 8,
      providerOptions: callContextOptions({ contactId: world.contactId }),
    });
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    await gateway.close();
    const [call] = await world.store.modelCalls.list(world.businessId, { limit: 1 });
    expect(call).toMatchObject({
      modelId: 'here',
      provider: 'embedded',
      location: 'local',
      outcome: 'ok',
      dataClasses: ['personal'],
      redactions: {},
    });
    // 0.36 per hour at 100 tokens/s is 1 micro per output token, a tenth of that per input token
    // (the ledger keeps whole micros).
    expect(call!.costMicros).toBe(Math.round(call!.outputTokens! + call!.inputTokens! / 10));
  });
});
