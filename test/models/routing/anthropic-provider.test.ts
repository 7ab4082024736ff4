import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callContextOptions } from '../../../src/core/model-call-context.js';
import { backends } from '../../support/test-database.js';
import { openGatewayWorld, type GatewayWorld } from '../support/gateway-fixture.js';

/** Anthropic's Messages API (`POST /v1/messages`), answering as Claude does, with prompt caching. */
async function startAnthropicStandIn() {
  const received: Array<{ headers: Record<string, unknown>; body: Record<string, unknown> }> = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url !== '/v1/messages' || request.method !== 'POST') {
        response.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      received.push({ headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: body.model,
          content: [{ type: 'text', text: 'Hello [NAME_1], your order ships today.' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: {
            input_tokens: 100,
            output_tokens: 20,
            cache_read_input_tokens: 40,
            cache_creation_input_tokens: 0,
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(backends)('Anthropic as a provider (%s)', (backend) => {
  let world: GatewayWorld;
  let anthropic: Awaited<ReturnType<typeof startAnthropicStandIn>>;

  beforeAll(async () => {
    world = await openGatewayWorld(backend);
    anthropic = await startAnthropicStandIn();
  });
  afterAll(async () => {
    await Promise.all([anthropic.close(), world.close()]);
  });

  it('answers through the route, redacted, with cached tokens priced from the table', async () => {
    const gateway = world.gateway({
      catalog: {
        claude: {
          provider: 'anthropic',
          model: 'claude-3-5-haiku-latest',
          baseUrl: anthropic.baseUrl,
          apiKey: 'sk-ant-test',
        },
      },
      tasks: { 'customer-replies': 'claude' },
    });
    const result = await generateText({
      model: gateway.modelFor('customer-replies')!,
      prompt: 'I am Ana Costa, where is my order?',
      providerOptions: callContextOptions({
        contactId: world.contactId,
        conversationId: null,
        source: 'agent',
      }),
    });
    expect(result.text).toBe('Hello Ana Costa, your order ships today.');
    const [request] = anthropic.received;
    expect(request!.headers['x-api-key']).toBe('sk-ant-test');
    expect(JSON.stringify(request!.body)).toContain('I am [NAME_1], where is my order?');
    expect(JSON.stringify(request!.body)).not.toContain('Ana');

    await gateway.close();
    const [call] = await world.store.modelCalls.list(world.businessId, { limit: 1 });
    expect(call).toMatchObject({
      modelId: 'claude',
      provider: 'anthropic',
      location: 'external',
      redactions: { name: 1 },
      cachedInputTokens: 40,
      outputTokens: 20,
    });
    // Anthropic reports cache reads apart from input_tokens; the SDK's total includes them.
    expect(call!.inputTokens).toBe(140);
    // claude-3-5-haiku from the table: uncached input at 0.80, cache reads at 0.08, output at 4.
    expect(call!.costMicros).toBe(Math.round(100 * 0.8 + 40 * 0.08 + 20 * 4));
  });
});
