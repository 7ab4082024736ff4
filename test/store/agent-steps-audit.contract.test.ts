import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AgentStepInput } from '../../src/core/agent-step.js';
import { ManualClock } from '../../src/core/clock.js';
import { backends } from '../support/test-database.js';
import { createBusiness, createConversation, useContractDatabase } from './contract-fixtures.js';

const STEPS: AgentStepInput[] = [
  {
    kind: 'model',
    model: 'qwen3:8b',
    inputTokens: 812,
    outputTokens: 40,
    latencyMs: 950,
    finishReason: 'tool-calls',
    text: '',
  },
  {
    kind: 'tool',
    toolName: 'search_catalog',
    toolCallId: 'call-1',
    input: { query: 'mug' },
    output: { products: [{ handle: 'stoneware-mug' }] },
    latencyMs: 12,
    error: null,
  },
  { kind: 'error', code: 'model_unavailable', message: 'timed out', latencyMs: 30_000 },
];

describe.each(backends)('agent steps and audit contract on %s', (backend) => {
  const context = useContractDatabase(backend);

  it('records a turn’s steps and lists them in order', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const store = context.storeWith({ clock });
    const business = await createBusiness(store);
    const { conversation } = await createConversation(store, business.id);
    const firstTurn = randomUUID();
    const secondTurn = randomUUID();
    await store.agentSteps.insertMany(business.id, conversation.id, firstTurn, STEPS);
    clock.advance(1000);
    await store.agentSteps.insertMany(business.id, conversation.id, secondTurn, [STEPS[0]!]);
    await store.agentSteps.insertMany(business.id, conversation.id, randomUUID(), []);

    const listed = await store.agentSteps.listForConversation(business.id, conversation.id);
    expect(listed.map(({ id: _id, createdAt: _at, ...step }) => step)).toEqual([
      ...STEPS.map((step, index) => ({
        ...step,
        businessId: business.id,
        conversationId: conversation.id,
        turnId: firstTurn,
        index,
      })),
      {
        ...STEPS[0],
        businessId: business.id,
        conversationId: conversation.id,
        turnId: secondTurn,
        index: 0,
      },
    ]);
  });

  it("never lists another business's agent steps", async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const other = await createBusiness(store, 'other');
    const { conversation } = await createConversation(store, business.id);
    await store.agentSteps.insertMany(business.id, conversation.id, randomUUID(), STEPS);
    expect(await store.agentSteps.listForConversation(other.id, conversation.id)).toEqual([]);
  });

  it('records audit entries and lists them newest first, by subject and limit', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const store = context.storeWith({ clock });
    const business = await createBusiness(store);
    const base = {
      businessId: business.id,
      actorType: 'user' as const,
      actorId: randomUUID(),
      subjectType: 'conversation',
    };
    await store.audit.record({
      ...base,
      action: 'conversation.taken_over',
      subjectId: 'c1',
      details: { from: 'waiting_for_person' },
    });
    clock.advance(1000);
    await store.audit.record({
      ...base,
      action: 'conversation.resolved',
      subjectId: 'c2',
      details: {},
    });
    clock.advance(1000);
    await store.audit.record({
      ...base,
      actorType: 'system',
      actorId: null,
      action: 'conversation.handed_back',
      subjectId: 'c1',
      details: {},
    });

    const all = await store.audit.list(business.id);
    expect(all.map((entry) => entry.action)).toEqual([
      'conversation.handed_back',
      'conversation.resolved',
      'conversation.taken_over',
    ]);
    expect(all[2]).toMatchObject({
      businessId: business.id,
      actorType: 'user',
      actorId: base.actorId,
      subjectType: 'conversation',
      subjectId: 'c1',
      details: { from: 'waiting_for_person' },
      createdAt: new Date('2026-03-02T09:00:00Z'),
    });
    expect(Object.keys(all[2]!).sort()).toEqual(
      [
        'id',
        'businessId',
        'actorType',
        'actorId',
        'action',
        'subjectType',
        'subjectId',
        'details',
        'createdAt',
      ].sort(),
    );

    const aboutC1 = await store.audit.list(business.id, { subjectId: 'c1' });
    expect(aboutC1.map((entry) => entry.action)).toEqual([
      'conversation.handed_back',
      'conversation.taken_over',
    ]);
    expect((await store.audit.list(business.id, { limit: 1 })).map((e) => e.action)).toEqual([
      'conversation.handed_back',
    ]);
  });

  it("never lists another business's audit entries", async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const other = await createBusiness(store, 'other');
    await store.audit.record({
      businessId: business.id,
      actorType: 'system',
      actorId: null,
      action: 'faq.replaced',
      subjectType: 'business',
      subjectId: business.id,
      details: {},
    });
    expect(await store.audit.list(other.id)).toEqual([]);
    expect(await store.audit.list(other.id, { subjectId: business.id })).toEqual([]);
  });
});
