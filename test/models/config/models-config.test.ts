import { describe, expect, it } from 'vitest';
import { parseBusinessConfig } from '../../../src/config/load-business-config.js';
import {
  isLocalAddress,
  modelsSection,
  resolveModelsSettings,
  toModelsSettings,
} from '../../../src/config/models-config.js';
import { ManualClock } from '../../../src/core/clock.js';
import { isParleyError } from '../../../src/core/errors.js';
import { ModelGateway } from '../../../src/models/model-gateway.js';

const noLedger = { insertMany: () => Promise.resolve(), spend: () => Promise.resolve(0) } as never;

describe('models section of the business file', () => {
  it('maps providers, routes (short and long form), data classes and defaults', () => {
    const settings = toModelsSettings(
      modelsSection.parse({
        catalog: {
          ollama: {
            provider: 'openai-compatible',
            model: 'qwen3:8b',
            baseUrl: 'http://ollama:11434/v1',
          },
          gpt: { provider: 'openai', model: 'gpt-4.1-mini', apiKey: 'sk-x' },
          home: { provider: 'embedded', model: 'qwen2.5-0.5b-instruct' },
        },
        tasks: { 'customer-replies': { primary: 'ollama', fallbacks: ['gpt'] }, summaries: 'home' },
        dataClasses: { personal: ['local'] },
      }),
    );
    expect(settings.catalog.map((entry) => [entry.id, entry.location])).toEqual([
      ['ollama', 'local'],
      ['gpt', 'external'],
      ['home', 'local'],
    ]);
    expect(settings.tasks).toEqual({
      'customer-replies': { primary: 'ollama', fallbacks: ['gpt'] },
      summaries: { primary: 'home', fallbacks: [] },
    });
    expect(settings.redaction).toBe('external');
    expect(settings.circuitBreaker).toEqual({ failureThreshold: 3, openForMs: 30_000 });
  });

  it('says which model id is unknown and which ones exist', () => {
    const result = modelsSection.safeParse({
      catalog: { gpt: { provider: 'openai', model: 'gpt-4.1-mini' } },
      tasks: { 'customer-replies': { primary: 'gtp', fallbacks: [] } },
      dataClasses: { payment: ['nope'] },
    });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    expect(messages).toContain(
      'tasks.customer-replies.primary: "gtp" is not in models.catalog. Use one of: gpt.',
    );
    expect(messages).toContain(
      'dataClasses.payment.0: "nope" is not in models.catalog. Use one of: gpt.',
    );
  });

  it('reads a models section from YAML through the whole business-file parser', () => {
    const config = parseBusinessConfig(
      [
        'business: { slug: shop, name: Shop, timezone: Europe/Madrid, currency: EUR }',
        'models:',
        '  catalog: { local: { provider: openai-compatible, model: qwen3:8b, baseUrl: "http://127.0.0.1:11434/v1" } }',
        '  tasks: { customer-replies: local }',
        '  budgets: { perBusinessPerDay: 5 }',
      ].join('\n'),
      'shop.yaml',
      {},
    );
    expect(config.models?.budgets.perBusinessPerDay).toBe(5);
  });

  it('keeps the old single model section working as a one-model route', () => {
    const settings = resolveModelsSettings(null, {
      baseUrl: 'https://api.example.com/v1',
      name: 'some-model',
      apiKey: 'k',
      timeoutMs: 10_000,
    });
    expect(settings.catalog).toMatchObject([
      { id: 'default', location: 'external', model: 'some-model' },
    ]);
    expect(settings.tasks).toEqual({ 'customer-replies': { primary: 'default', fallbacks: [] } });
    expect(isLocalAddress('http://10.0.0.5:8000/v1')).toBe(true);
    expect(isLocalAddress('https://api.openai.com/v1')).toBe(false);
  });

  it('refuses to start a gateway with a model whose licence excludes the business', () => {
    const settings = toModelsSettings(
      modelsSection.parse({
        catalog: {
          vision: {
            provider: 'openai-compatible',
            model: 'llama3.2-vision:11b',
            baseUrl: 'http://127.0.0.1:1/v1',
          },
        },
        licensing: { domicile: 'IT' },
      }),
    );
    let error: unknown;
    try {
      new ModelGateway({
        businessId: 'b',
        settings,
        ledger: noLedger,
        knownNames: () => Promise.resolve([]),
        clock: new ManualClock(),
      });
    } catch (caught) {
      error = caught;
    }
    expect(isParleyError(error, 'config_invalid')).toBe(true);
    expect((error as Error).message).toContain(
      'models.catalog.vision: llama3.2-vision:11b (Llama 3.2 Community License) excludes this business (domicile IT)',
    );
  });
});
