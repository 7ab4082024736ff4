import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCallRecord } from '../../../src/core/model-calls.js';
import { EgressRecorder } from '../../../src/models/egress-recorder.js';
import { backends } from '../../support/test-database.js';
import { openGatewayWorld, type GatewayWorld } from '../support/gateway-fixture.js';

describe.each(backends)('egress log write-behind (%s)', (backend) => {
  let world: GatewayWorld;

  beforeAll(async () => {
    world = await openGatewayWorld(backend);
  });
  afterAll(async () => {
    await world.close();
  });

  const record = (modelId: string, businessId = world.businessId): ModelCallRecord => ({
    businessId,
    contactId: null,
    conversationId: null,
    source: 'gateway',
    task: 'owner-workspace',
    modelId,
    provider: 'openai-compatible',
    location: 'local',
    dataClasses: [],
    redactions: {},
    inputTokens: 10,
    outputTokens: 5,
    cachedInputTokens: null,
    costMicros: 0,
    latencyMs: 1,
    outcome: 'ok',
    errorCode: null,
    fallbackFrom: null,
    at: world.clock.now(),
  });
  const storedModels = async () =>
    (await world.store.modelCalls.list(world.businessId, { limit: 100 }))
      .map((call) => call.modelId)
      .filter((id) => id.startsWith('egress-'))
      .sort();

  it('keeps the records of a failed write and stores them once the database answers again', async () => {
    let down = true;
    const errors: unknown[] = [];
    const recorder = new EgressRecorder(
      {
        // The real repository behind a switch: the database "restarting" refuses connections.
        insertMany: (records) =>
          down
            ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'))
            : world.store.modelCalls.insertMany(records),
      },
      { onError: (error) => errors.push(error) },
    );
    recorder.record(record('egress-a'));
    recorder.record(record('egress-b'));
    await recorder.flush();
    expect(errors).toHaveLength(1);
    expect(recorder.pending).toBe(2);
    recorder.record(record('egress-c'));
    down = false;
    await recorder.flush();
    expect(recorder.pending).toBe(0);
    expect(await storedModels()).toEqual(['egress-a', 'egress-b', 'egress-c']);
  });

  it('writes a batch the database keeps refusing record by record, giving up only the bad one', async () => {
    const errors: unknown[] = [];
    const recorder = new EgressRecorder(world.store.modelCalls, {
      onError: (error) => errors.push(error),
    });
    recorder.record(record('egress-d'));
    // A business that does not exist: the foreign key refuses this record, and with it the batch.
    recorder.record(record('egress-bad', randomUUID()));
    recorder.record(record('egress-e'));
    for (let attempt = 0; attempt < 3; attempt++) await recorder.flush();
    expect(recorder.pending).toBe(3);
    expect(await storedModels()).toEqual(['egress-a', 'egress-b', 'egress-c']);
    await recorder.flush();
    expect(recorder.pending).toBe(0);
    expect(await storedModels()).toEqual([
      'egress-a',
      'egress-b',
      'egress-c',
      'egress-d',
      'egress-e',
    ]);
    expect(String(errors.at(-1))).toContain('refused 1 records');
  });
});
