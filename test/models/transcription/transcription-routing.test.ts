import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseBusinessConfig } from '../../../src/config/load-business-config.js';
import { readServerSettings } from '../../../src/config/server-settings.js';
import { isModelRefusal } from '../../../src/core/model-refusal.js';
import { whatIfCosts } from '../../../src/models/what-if-cost.js';
import { startModelGateway } from '../../../src/server/start-model-gateway.js';
import { backends } from '../../support/test-database.js';
import { openGatewayWorld, type GatewayWorld } from '../support/gateway-fixture.js';

/** A `POST /v1/audio/transcriptions` stand-in: answers as told and keeps what it received. */
interface SpeechServer {
  baseUrl: string;
  status: number;
  received: Array<{
    model: string;
    bytes: number;
    authorization: string | null;
    format?: string;
  }>;
  close(): Promise<void>;
}

async function startSpeechServer(text: string, usage?: object): Promise<SpeechServer> {
  const state: SpeechServer = {
    baseUrl: '',
    status: 200,
    received: [],
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('latin1');
      if (request.url !== '/v1/audio/transcriptions' || request.method !== 'POST') {
        response.writeHead(404).end();
        return;
      }
      const format = /name="response_format"\r\n\r\n([^\r]*)/.exec(body)?.[1] ?? '';
      state.received.push({
        model: /name="model"\r\n\r\n([^\r]*)/.exec(body)?.[1] ?? '',
        bytes: body.length,
        authorization: request.headers.authorization ?? null,
        ...(format === 'json' ? {} : { format }),
      });
      if (state.status !== 200) {
        response.writeHead(state.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'overloaded' } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      // Verbose JSON carries the audio's duration, as whisper-1 and whisper.cpp's server send it.
      const duration = format === 'verbose_json' ? { duration: 42.5, language: 'english' } : {};
      response.end(JSON.stringify({ text: ` ${text} `, ...duration, ...(usage ? { usage } : {}) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

const VOICE = {
  bytes: new Uint8Array([0x4f, 0x67, 0x67, 0x53, 1, 2, 3]),
  mimeType: 'audio/ogg',
  filename: 'voice.ogg',
};

describe.each(backends)('transcription through the model gateway (%s)', (backend) => {
  let world: GatewayWorld;
  let hosted: SpeechServer;
  let home: SpeechServer;

  beforeAll(async () => {
    world = await openGatewayWorld(backend);
    hosted = await startSpeechServer('from the hosted model', {
      type: 'tokens',
      input_tokens: 120,
      output_tokens: 8,
    });
    home = await startSpeechServer('from the local whisper');
  });
  afterAll(async () => {
    await world.close();
    await hosted.close();
    await home.close();
  });
  afterEach(() => {
    hosted.status = 200;
    hosted.received.length = 0;
    home.received.length = 0;
  });

  const catalog = () => ({
    hosted: {
      provider: 'openai',
      model: 'gpt-4o-transcribe',
      baseUrl: hosted.baseUrl,
      apiKey: 'sk-hosted',
      location: 'external',
      price: { inputPerMillion: 2.5, outputPerMillion: 10 },
    },
    home: { provider: 'openai-compatible', model: 'whisper-small', baseUrl: home.baseUrl },
  });

  it('uses the primary, records tokens and cost, and falls back when it fails', async () => {
    const gateway = world.gateway({
      catalog: catalog(),
      tasks: { transcription: { primary: 'hosted', fallbacks: ['home'] } },
    });
    const transcriber = gateway.transcriber!;
    expect(await transcriber.transcribe({ businessId: world.businessId, ...VOICE })).toBe(
      'from the hosted model',
    );
    expect(hosted.received).toEqual([
      {
        model: 'gpt-4o-transcribe',
        bytes: expect.any(Number) as number,
        authorization: 'Bearer sk-hosted',
      },
    ]);
    hosted.status = 503;
    expect(await transcriber.transcribe(VOICE)).toBe('from the local whisper');
    await gateway.recorder.flush();
    const calls = await world.store.modelCalls.list(world.businessId, { limit: 10 });
    expect(
      calls
        .filter((call) => call.task === 'transcription')
        .map((call) => [
          call.modelId,
          call.outcome,
          call.errorCode,
          call.fallbackFrom,
          call.inputTokens,
          call.costMicros,
          call.dataClasses,
        ])
        .reverse(),
    ).toEqual([
      ['hosted', 'ok', null, null, 120, 120 * 2.5 + 8 * 10, ['personal']],
      ['hosted', 'error', 'http_503', null, null, 0, ['personal']],
      ['home', 'ok', null, 'hosted', null, 0, ['personal']],
    ]);
  });

  it('prices whisper-1 by the minute of audio and charges the contact whose voice note it was', async () => {
    const gateway = world.gateway({
      catalog: {
        // No price in the file: Parley's table bills whisper-1 at 0.006 per minute of audio.
        whisper: { provider: 'openai', model: 'whisper-1', baseUrl: home.baseUrl, apiKey: 'sk' },
      },
      tasks: { transcription: 'whisper' },
      budgets: { perContactPerDay: 0.005 },
    });
    const transcriber = gateway.transcriber!;
    const note = { businessId: world.businessId, contactId: world.contactId, ...VOICE };
    expect(await transcriber.transcribe(note)).toBe('from the local whisper');
    // Billed by the minute: Parley asks for the duration.
    expect(home.received.map((request) => request.format)).toEqual(['verbose_json']);
    await gateway.recorder.flush();
    const [call] = await world.store.modelCalls.list(world.businessId, { limit: 1 });
    expect(call).toMatchObject({
      task: 'transcription',
      modelId: 'whisper',
      contactId: world.contactId,
      audioSeconds: 42.5,
      costMicros: 4_250, // 42.5 s at 0.006 per minute
    });
    // The contact's budget counts their voice notes: once spent, the next one is refused.
    expect(await transcriber.transcribe(note)).toBe('from the local whisper');
    const refused = await transcriber.transcribe(note).catch((error: unknown) => error);
    expect(isModelRefusal(refused) && refused.reason).toBe('budget-exhausted');
    await gateway.recorder.flush();
    const [last] = await world.store.modelCalls.list(world.businessId, { limit: 1 });
    expect(last).toMatchObject({ outcome: 'refused', contactId: world.contactId });
    expect(home.received).toHaveLength(2);

    // The cost page's what-if prices the month's measured audio on models billed by the minute.
    const usage = await world.store.modelCalls.usageByDay(world.businessId, {
      since: new Date('2026-03-01T00:00:00Z'),
    });
    const whisper = usage.filter((row) => row.modelId === 'whisper');
    expect(whisper.map((row) => [row.calls, row.audioSeconds, row.costMicros])).toEqual([
      [2, 85, 8_500],
    ]);
    const whatIf = whatIfCosts(
      {
        days: 30,
        calls: 2,
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        audioSeconds: 85,
      },
      gateway.catalog,
      {},
      { fixed: null },
    );
    expect(whatIf.rows).toEqual([
      expect.objectContaining({ modelId: 'whisper', monthlyCostMicros: 8_500 }),
    ]);
  });

  it('never sends a voice note to a provider the business keeps personal data from', async () => {
    const localOnly = world.gateway({
      catalog: catalog(),
      tasks: { transcription: { primary: 'hosted', fallbacks: ['home'] } },
      dataClasses: { personal: ['local'] },
    });
    expect(await localOnly.transcriber!.transcribe(VOICE)).toBe('from the local whisper');
    expect(hosted.received).toEqual([]);

    const nowhere = world.gateway({
      catalog: catalog(),
      tasks: { transcription: 'hosted' },
      dataClasses: { personal: ['local'] },
    });
    const refusal = await nowhere.transcriber!.transcribe(VOICE).catch((error: unknown) => error);
    expect(isModelRefusal(refusal)).toBe(true);
    expect((refusal as Error).message).toMatch(/No speech-to-text model may receive a voice note/);
    expect(hosted.received).toEqual([]);
    await nowhere.recorder.flush();
    const [refused] = await world.store.modelCalls.list(world.businessId, { limit: 1 });
    expect(refused).toMatchObject({
      task: 'transcription',
      outcome: 'refused',
      errorCode: 'no_allowed_provider',
    });
  });

  it('has no transcriber without a route', () => {
    expect(world.gateway({ catalog: catalog(), tasks: {} }).transcriber).toBeNull();
  });

  it('PARLEY_TRANSCRIPTION_URL is a shorthand for the route, unless the file has one', async () => {
    const config = parseBusinessConfig(
      'business: { slug: voice-shop, name: Voice Shop, timezone: Europe/Berlin, currency: EUR }\n',
      'shop.yaml',
      {},
    );
    const settings = readServerSettings({
      PARLEY_TRANSCRIPTION_URL: home.baseUrl,
      PARLEY_TRANSCRIPTION_MODEL: 'ggml-base.en',
      PARLEY_TRANSCRIPTION_API_KEY: 'whisper-key',
    });
    const gateway = startModelGateway({
      businessId: world.businessId,
      config,
      settings,
      store: world.store,
      clock: world.clock,
      logger: pino({ level: 'silent' }),
    });
    expect(gateway.tasks).toEqual(['transcription']);
    expect(await gateway.transcriber!.transcribe(VOICE)).toBe('from the local whisper');
    expect(home.received).toEqual([
      {
        model: 'ggml-base.en',
        bytes: expect.any(Number) as number,
        authorization: 'Bearer whisper-key',
      },
    ]);
    await gateway.close();
    const [call] = await world.store.modelCalls.list(world.businessId, { limit: 1 });
    expect(call).toMatchObject({ modelId: 'transcription', location: 'local', outcome: 'ok' });
  });
});
