import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadBusinessConfig } from '../../../src/config/load-business-config.js';
import { modelsSection, toModelsSettings } from '../../../src/config/models-config.js';
import { DEMO_CONFIG_PATH } from '../../../src/cli/load-startup.js';
import { createApiKey } from '../../../src/server/routes/api-key-routes.js';
import { startTestParley, type TestParley } from '../../support/test-parley.js';
import { backends } from '../../support/test-database.js';
import { startStandInUpstream, type StandInUpstream } from '../support/stand-in-upstream.js';

// Routes whose models all speak OpenAI's protocol take the pass-through: the request is forwarded
// as it came (redacted for external models) and the upstream's answer relayed back. The stand-in
// answers with id `chatcmpl-1`, which only the pass-through keeps (the SDK's path makes its own).
describe.each(backends)('OpenAI endpoint pass-through (%s)', (backend) => {
  let parley: TestParley;
  let flaky: StandInUpstream;
  let steady: StandInUpstream;
  let nearby: StandInUpstream;
  let client: OpenAI;

  beforeAll(async () => {
    [flaky, steady, nearby] = await Promise.all([
      startStandInUpstream(),
      startStandInUpstream(),
      startStandInUpstream(),
    ]);
    const config = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    config.models = toModelsSettings(
      modelsSection.parse({
        catalog: {
          flaky: {
            provider: 'openai-compatible',
            model: 'flaky-model',
            baseUrl: flaky.baseUrl,
            location: 'external',
          },
          steady: {
            provider: 'openai',
            model: 'steady-model',
            baseUrl: steady.baseUrl,
            apiKey: 'sk-steady',
          },
          nearby: {
            provider: 'openai-compatible',
            model: 'nearby-model',
            baseUrl: nearby.baseUrl,
            location: 'local',
          },
        },
        tasks: {
          'owner-workspace': { primary: 'flaky', fallbacks: ['steady'] },
          summaries: 'nearby',
        },
        circuitBreaker: { failureThreshold: 100 },
        licensing: { domicile: 'GB' },
      }),
    );
    parley = await startTestParley({ backend, overrides: { config } });
    const { secret } = await createApiKey(parley, {
      businessId: parley.business.id,
      name: 'pass-through test',
    });
    client = new OpenAI({ apiKey: secret, baseURL: `${parley.baseUrl}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await parley.stop();
    await Promise.all([flaky.close(), steady.close(), nearby.close()]);
  });
  beforeEach(() => {
    flaky.replies = [{ kind: 'status', status: 502 }];
    flaky.requests.length = 0;
    steady.requests.length = 0;
    nearby.requests.length = 0;
  });

  async function egressRows(limit: number) {
    await parley.modelGateway.close();
    return parley.store.modelCalls.list(parley.business.id, { limit });
  }

  it('falls back when the primary answers 502, redacts what leaves and restores the reply', async () => {
    steady.replies = [{ kind: 'text', text: 'I wrote to [EMAIL_1] and [PHONE_1].' }];
    const completion = await client.chat.completions.create({
      model: 'parley',
      max_completion_tokens: 50,
      messages: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: 'Mail jo@example.org or call +44 7911 123456 about the invoice' },
      ],
    });
    expect(completion.id).toBe('chatcmpl-1');
    expect(completion.choices[0]!.message.content).toBe(
      'I wrote to jo@example.org and +44 7911 123456.',
    );
    expect(completion.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 20 });
    expect(flaky.requests).toHaveLength(1);
    const sent = steady.requests.at(-1)!.body;
    expect(sent).toMatchObject({ model: 'steady-model', max_completion_tokens: 50 });
    expect(JSON.stringify(sent)).not.toContain('jo@example.org');
    expect(JSON.stringify(sent)).not.toContain('7911');
    const [ok, failed] = await egressRows(2);
    expect(failed).toMatchObject({
      source: 'gateway',
      modelId: 'flaky',
      outcome: 'error',
      errorCode: 'http_502',
      redactions: { email: 1, phone: 1 },
    });
    expect(ok).toMatchObject({
      source: 'gateway',
      modelId: 'steady',
      outcome: 'ok',
      fallbackFrom: 'flaky',
      inputTokens: 100,
      outputTokens: 20,
      cachedInputTokens: 40,
      redactions: { email: 1, phone: 1 },
      dataClasses: ['personal'],
    });
  });

  it('streams text with placeholders cut across chunks restored, usage only when asked', async () => {
    steady.replies = [{ kind: 'text', text: 'Sure, [EMAIL_1] is noted.' }];
    const stream = await client.chat.completions.create({
      model: 'owner-workspace',
      stream: true,
      messages: [{ role: 'user', content: 'My address is jo@example.org' }],
    });
    let text = '';
    let usageSeen = false;
    let finish: string | null = null;
    for await (const chunk of stream) {
      expect(chunk.id).toBe('chatcmpl-1');
      if (chunk.usage) usageSeen = true;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe('Sure, jo@example.org is noted.');
    expect(finish).toBe('stop');
    expect(usageSeen).toBe(false);
    // The upstream was asked for usage all the same, so the call's tokens are logged.
    expect(steady.requests.at(-1)!.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    const [ok] = await egressRows(1);
    expect(ok).toMatchObject({ modelId: 'steady', outcome: 'ok', inputTokens: 100 });
  });

  it('streams tool calls whole, with their arguments restored, and usage when asked', async () => {
    steady.replies = [
      { kind: 'tool-call', name: 'lookup_order', arguments: { email: '[EMAIL_1]', n: 2 } },
    ];
    const stream = await client.chat.completions.create({
      model: 'parley',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Where is the order of jo@example.org?' }],
      tools: [
        {
          type: 'function',
          function: { name: 'lookup_order', parameters: { type: 'object', properties: {} } },
        },
      ],
    });
    let name = '';
    let args = '';
    let finish: string | null = null;
    let usage: unknown = null;
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        name += call.function?.name ?? '';
        args += call.function?.arguments ?? '';
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(name).toBe('lookup_order');
    expect(JSON.parse(args)).toEqual({ email: 'jo@example.org', n: 2 });
    expect(finish).toBe('tool_calls');
    expect(usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 20 });
  });

  it('restores tool-call arguments in a whole answer, and redacts earlier tool calls sent back', async () => {
    steady.replies = [{ kind: 'tool-call', name: 'send_mail', arguments: { to: '[EMAIL_1]' } }];
    const completion = await client.chat.completions.create({
      model: 'parley',
      messages: [
        { role: 'user', content: 'Mail jo@example.org' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_0',
              type: 'function',
              function: { name: 'find', arguments: '{"email":"jo@example.org"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_0', content: 'jo@example.org has order 7.' },
      ],
    });
    const call = completion.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({
      to: 'jo@example.org',
    });
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(JSON.stringify(steady.requests.at(-1)!.body)).not.toContain('jo@example.org');
  });

  it('passes a local model the request unredacted and relays its stream as it is', async () => {
    nearby.replies = [{ kind: 'text', text: 'Hello [EMAIL_1] and jo@example.org' }];
    const stream = await client.chat.completions.create({
      model: 'summaries',
      stream: true,
      messages: [{ role: 'user', content: 'Summarise: jo@example.org asked for a refund' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello [EMAIL_1] and jo@example.org');
    expect(JSON.stringify(nearby.requests.at(-1)!.body)).toContain('jo@example.org');
    const [ok] = await egressRows(1);
    expect(ok).toMatchObject({
      modelId: 'nearby',
      location: 'local',
      outcome: 'ok',
      redactions: {},
      dataClasses: ['personal'],
    });
  });

  it("takes the AI SDK's path for a request with an image, with the same fallback and redaction", async () => {
    steady.replies = [{ kind: 'text', text: 'A bike, [EMAIL_1].' }];
    const image = { url: 'data:image/png;base64,iVBORw0KGgo=' };
    const completion = await client.chat.completions.create({
      model: 'parley',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this? Reply to jo@example.org' },
            { type: 'image_url', image_url: image },
          ],
        },
      ],
    });
    expect(completion.id).not.toBe('chatcmpl-1');
    expect(completion.model).toBe('parley');
    expect(completion.choices[0]!.message.content).toBe('A bike, jo@example.org.');
    expect(JSON.stringify(steady.requests.at(-1)!.body)).not.toContain('jo@example.org');
    const [ok, failed] = await egressRows(2);
    expect(failed).toMatchObject({ modelId: 'flaky', outcome: 'error', errorCode: 'http_502' });
    expect(ok).toMatchObject({ modelId: 'steady', outcome: 'ok', fallbackFrom: 'flaky' });
  });

  it('answers 400 for arguments that are not JSON, and an error when every model fails, logging each attempt', async () => {
    await expect(
      client.chat.completions.create({
        model: 'parley',
        messages: [
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_0', type: 'function', function: { name: 'find', arguments: '{oops' } },
            ],
          },
        ],
      }),
    ).rejects.toMatchObject({ status: 400 });
    steady.replies = [{ kind: 'status', status: 500 }];
    await expect(
      client.chat.completions.create({
        model: 'parley',
        messages: [{ role: 'user', content: 'Hello' }],
      }),
    ).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining('Every model on this route failed') as string,
    });
    const [last, first] = await egressRows(2);
    expect(first).toMatchObject({ modelId: 'flaky', errorCode: 'http_502' });
    expect(last).toMatchObject({ modelId: 'steady', errorCode: 'http_500', fallbackFrom: 'flaky' });
  });
});
