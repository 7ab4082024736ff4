import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EmbeddedLanguageModel } from '../../../src/models/local/embedded-language-model.js';
import { LlamaWorkerHost } from '../../../src/models/local/llama-worker-host.js';
import { writeTinyGguf } from '../../support/gguf-writer.js';

// A random-weight model writes gibberish: these tests assert structure (tokens, schema validity,
// handler calls), never the text.
describe('embedded llama.cpp runtime in a worker thread (tiny random GGUF)', () => {
  let host: LlamaWorkerHost;
  let model: EmbeddedLanguageModel;

  beforeAll(async () => {
    const folder = await mkdtemp(join(tmpdir(), 'parley-gguf-'));
    const modelPath = join(folder, 'tiny.gguf');
    await writeTinyGguf(modelPath);
    host = new LlamaWorkerHost({ modelPath, threads: 1, sequences: 2, contextSize: 2048 });
    model = new EmbeddedLanguageModel('tiny.gguf', host);
  }, 60_000);
  afterAll(() => host.close());

  it('answers a chat turn and counts its tokens', async () => {
    const result = await generateText({
      model,
      system: 'You are a shop assistant.',
      prompt: 'Do you repair e-bikes?',
      maxOutputTokens: 12,
    });
    expect(result.usage.inputTokens).toBeGreaterThan(10);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeLessThanOrEqual(12);
  });

  it('makes a schema-constrained tool call that parses, and the handler runs', async () => {
    const calls: unknown[] = [];
    const schema = z.object({
      email: z.string().max(40),
      size: z.enum(['S', 'M', 'L']),
      giftWrap: z.boolean(),
    });
    const result = await generateText({
      model,
      prompt: 'Where is my order?',
      maxOutputTokens: 150,
      toolChoice: 'required',
      stopWhen: stepCountIs(1),
      tools: {
        lookup_order: tool({
          description: 'Find an order',
          inputSchema: schema,
          execute: (input) => {
            calls.push(input);
            return Promise.resolve({ status: 'shipped' });
          },
        }),
      },
    });
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]!.toolName).toBe('lookup_order');
    expect(schema.safeParse(result.toolCalls[0]!.input).success).toBe(true);
    expect(calls).toHaveLength(1);
    expect(result.toolResults[0]!.output).toEqual({ status: 'shipped' });
  });

  it('writes JSON that matches a requested schema', async () => {
    const result = await model.doGenerate({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Extract the invoice.' }] }],
      responseFormat: {
        type: 'json',
        schema: {
          type: 'object',
          properties: { vendor: { type: 'string' }, paid: { type: 'boolean' } },
          required: ['vendor', 'paid'],
        },
      },
      maxOutputTokens: 320,
    });
    const text = result.content.find((part) => part.type === 'text');
    const parsed = z
      .object({ vendor: z.string(), paid: z.boolean() })
      .safeParse(JSON.parse(text && text.type === 'text' ? text.text : ''));
    expect(parsed.success).toBe(true);
  });

  it('queues more callers than sequences, and the main thread keeps running meanwhile', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        generateText({ model, prompt: `Question ${index}`, maxOutputTokens: 40 }),
      ),
    );
    clearInterval(ticker);
    expect(results.every((result) => (result.usage.outputTokens ?? 0) > 0)).toBe(true);
    // Generation runs in the worker: the main thread's timers fired while it worked.
    expect(ticks).toBeGreaterThan(0);
  });

  it('streams a plain reply as the model writes it', async () => {
    const result = streamText({ model, prompt: 'Tell me about your shop.', maxOutputTokens: 30 });
    let deltas = 0;
    let text = '';
    for await (const delta of result.textStream) {
      deltas++;
      text += delta;
    }
    expect(deltas).toBeGreaterThan(1);
    expect(text).toBe(await result.text);
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
  });
});
