import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBusinessConfig } from '../../../src/config/load-business-config.js';
import { modelsSection, toModelsSettings } from '../../../src/config/models-config.js';
import { DEMO_CONFIG_PATH } from '../../../src/cli/load-startup.js';
import { createApiKey } from '../../../src/server/routes/api-key-routes.js';
import { startTestParley, type TestParley } from '../../support/test-parley.js';
import { backends } from '../../support/test-database.js';
import { buildTinyGguf } from '../../support/gguf-writer.js';
import { startModelFileServer } from '../support/model-file-server.js';
import { startStandInUpstream, type StandInUpstream } from '../support/stand-in-upstream.js';

describe.each(backends)('OpenAI-compatible endpoint (%s)', (backend) => {
  let parley: TestParley;
  let upstream: StandInUpstream;
  let client: OpenAI;
  let secret: string;

  beforeAll(async () => {
    upstream = await startStandInUpstream();
    const config = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    config.models = toModelsSettings(
      modelsSection.parse({
        catalog: {
          hosted: {
            provider: 'openai',
            model: 'gpt-4.1-mini',
            baseUrl: upstream.baseUrl,
            apiKey: 'sk-up',
          },
          vectors: {
            provider: 'openai',
            model: 'text-embedding-3-small',
            baseUrl: upstream.baseUrl,
            apiKey: 'sk-up',
          },
        },
        tasks: { 'owner-workspace': 'hosted', embeddings: 'vectors' },
        licensing: { domicile: 'GB' },
      }),
    );
    // The console's downloads come from a local stand-in, which the operator must name.
    parley = await startTestParley({
      backend,
      overrides: { config },
      env: { PARLEY_MODEL_DOWNLOAD_HOSTS: '127.0.0.1' },
    });
    ({ secret } = await createApiKey(parley, {
      businessId: parley.business.id,
      name: 'gateway test',
    }));
    client = new OpenAI({ apiKey: secret, baseURL: `${parley.baseUrl}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await parley.stop();
    await upstream.close();
  });

  it('lists the catalog and the routes', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id).sort()).toEqual([
      'embeddings',
      'hosted',
      'owner-workspace',
      'vectors',
    ]);
  });

  it('answers a chat completion through routing and redaction, and logs it as gateway egress', async () => {
    upstream.replies = [{ kind: 'text', text: 'Noted, [EMAIL_1].' }];
    const completion = await client.chat.completions.create({
      model: 'parley',
      messages: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: 'Write to jo@example.org about the invoice' },
      ],
    });
    expect(completion.choices[0]!.message.content).toBe('Noted, jo@example.org.');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({
      prompt_tokens: 100,
      completion_tokens: 20,
      total_tokens: 120,
    });
    expect(JSON.stringify(upstream.requests.at(-1)!.body)).not.toContain('jo@example.org');
    await parley.modelGateway.close();
    const [call] = await parley.store.modelCalls.list(parley.business.id, { limit: 1 });
    expect(call).toMatchObject({
      source: 'gateway',
      modelId: 'hosted',
      redactions: { email: 1 },
      outcome: 'ok',
    });
  });

  it('streams tool calls the official client assembles, with usage', async () => {
    upstream.replies = [
      { kind: 'tool-call', name: 'lookup_order', arguments: { email: '[EMAIL_1]' } },
    ];
    const stream = await client.chat.completions.create({
      model: 'hosted',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Where is the order of jo@example.org?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'lookup_order',
            parameters: {
              type: 'object',
              properties: { email: { type: 'string' } },
              required: ['email'],
            },
          },
        },
      ],
    });
    const calls: Array<{ name?: string; arguments?: string }> = [];
    let finish: string | null = null;
    let usage: unknown = null;
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) calls.push(call.function ?? {});
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(calls).toEqual([
      { name: 'lookup_order', arguments: JSON.stringify({ email: 'jo@example.org' }) },
    ]);
    expect(finish).toBe('tool_calls');
    expect(usage).toMatchObject({ total_tokens: 120 });
  });

  it('streams text deltas with placeholders restored', async () => {
    upstream.replies = [{ kind: 'text', text: 'Call [PHONE_1] now, please.' }];
    const stream = await client.chat.completions.create({
      model: 'owner-workspace',
      stream: true,
      messages: [{ role: 'user', content: 'my number is +44 7911 123456' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Call +44 7911 123456 now, please.');
  });

  it('embeds (base64 by default in the client) through the embeddings route', async () => {
    const result = await client.embeddings.create({ model: 'embeddings', input: ['one', 'two'] });
    expect(result.data).toHaveLength(2);
    expect(result.data[1]!.embedding.map((value) => Number(value.toFixed(3)))).toEqual([
      0.2, 0.2, 0.3,
    ]);
    expect(result.usage.prompt_tokens).toBe(8);
  });

  it('rejects a missing or wrong key, and an unknown model', async () => {
    const stranger = new OpenAI({
      apiKey: 'pk_not-a-key',
      baseURL: `${parley.baseUrl}/v1`,
      maxRetries: 0,
    });
    await expect(stranger.models.list()).rejects.toMatchObject({ status: 401 });
    await expect(
      client.chat.completions.create({
        model: 'gpt-9',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('serves usage, cost and the egress log to the owner, without values', async () => {
    await parley.modelGateway.close();
    const headers = { authorization: `Bearer ${secret}` };
    const usage = await fetch(`${parley.baseUrl}/api/models/usage?days=7`, { headers });
    expect(usage.status).toBe(200);
    const body = (await usage.json()) as { totals: { calls: number; costMicros: number } };
    expect(body.totals.calls).toBeGreaterThanOrEqual(4);
    expect(body.totals.costMicros).toBeGreaterThan(0);
    const calls = await (await fetch(`${parley.baseUrl}/api/models/calls`, { headers })).text();
    expect(calls).toContain('"source":"gateway"');
    expect(calls).not.toMatch(/jo@example|7911/);
    const whatIf = (await (
      await fetch(`${parley.baseUrl}/api/models/what-if?days=1&gpuPerHour=1.2`, { headers })
    ).json()) as {
      traffic: { calls: number };
      rows: Array<{ modelId: string; priceSource: string; monthlyCostMicros: number }>;
      fixedMonthlyMicros: number;
      monthlyCalls: number;
    };
    expect(whatIf.fixedMonthlyMicros).toBe(864_000_000);
    expect(whatIf.monthlyCalls).toBe(whatIf.traffic.calls * 30);
    const hosted = whatIf.rows.find((row) => row.modelId === 'hosted')!;
    expect(hosted.priceSource).toBe('table');
    expect(hosted.monthlyCostMicros).toBeGreaterThan(0);
    const models = (await (await fetch(`${parley.baseUrl}/api/models`, { headers })).json()) as {
      models: Array<{ id: string; licence: { status: string; name: string } }>;
    };
    expect(models.models.find((model) => model.id === 'hosted')!.licence).toMatchObject({
      status: 'allowed',
      name: 'OpenAI Services Agreement (closed model, API only)',
    });
  });

  it('downloads a local model from the console API, with progress to poll', async () => {
    const files = await startModelFileServer(buildTinyGguf(5));
    const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
    const started = await fetch(`${parley.baseUrl}/api/models/pull`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ source: `${files.url}/tiny-console.gguf` }),
    });
    expect(started.status).toBe(202);
    type Local = {
      pulled: Array<{ name: string; sha256: string }>;
      downloads: Array<{ name: string; status: string; receivedBytes: number; totalBytes: number }>;
      recommended: Array<{ name: string }>;
    };
    let local: Local | null = null;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      local = (await (
        await fetch(`${parley.baseUrl}/api/models/local`, { headers })
      ).json()) as Local;
      if (local.downloads.some((download) => download.status !== 'downloading')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(local!.downloads).toEqual([
      expect.objectContaining({
        name: 'tiny-console',
        status: 'done',
        receivedBytes: local!.downloads[0]!.totalBytes,
      }),
    ]);
    expect(local!.pulled).toEqual([
      expect.objectContaining({ name: 'tiny-console', sha256: files.sha256 }),
    ]);
    expect(local!.recommended.map((model) => model.name)).toContain('qwen2.5-0.5b-instruct');
    await files.close();
  });
});
