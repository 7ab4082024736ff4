import { generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callContextOptions } from '../../../src/core/model-call-context.js';
import type { ModelCallRecord } from '../../../src/core/model-calls.js';
import { isModelRefusal } from '../../../src/core/model-refusal.js';
import type { ModelGateway } from '../../../src/models/model-gateway.js';
import { backends } from '../../support/test-database.js';
import { openGatewayWorld, type GatewayWorld } from '../support/gateway-fixture.js';
import { startStandInUpstream, type StandInUpstream } from '../support/stand-in-upstream.js';

describe.each(backends)(
  "budgets: the business's day, and one spend for all processes (%s)",
  (backend) => {
    let world: GatewayWorld;
    let upstream: StandInUpstream;

    beforeAll(async () => {
      world = await openGatewayWorld(backend);
      upstream = await startStandInUpstream();
    });
    afterAll(async () => {
      await Promise.all([upstream.close(), world.close()]);
    });

    const models = (budgets: Record<string, number>) => ({
      catalog: {
        hosted: {
          provider: 'openai',
          model: 'gpt-4.1-mini',
          baseUrl: upstream.baseUrl,
          apiKey: 'sk-test',
          // The stand-in reports 100 tokens in and 20 out: one call costs 0.12.
          price: { inputPerMillion: 1000, outputPerMillion: 1000 },
        },
      },
      tasks: { 'customer-replies': 'hosted' },
      budgets,
    });
    const ask = (gateway: ModelGateway, contactId: string | null = null) =>
      generateText({
        model: gateway.modelFor('customer-replies')!,
        prompt: 'hi',
        maxOutputTokens: 20,
        providerOptions: callContextOptions({ contactId, conversationId: null, source: 'agent' }),
        maxRetries: 0,
      }).then(
        () => 'answered' as const,
        (error: unknown) => (isModelRefusal(error) ? error.reason : error),
      );
    const spent = (at: string, costMicros: number): ModelCallRecord => ({
      businessId: world.businessId,
      contactId: null,
      conversationId: null,
      source: 'agent',
      task: 'customer-replies',
      modelId: 'hosted',
      provider: 'openai',
      location: 'external',
      dataClasses: [],
      redactions: {},
      inputTokens: 1,
      outputTokens: 1,
      cachedInputTokens: null,
      costMicros,
      latencyMs: 1,
      outcome: 'ok',
      errorCode: null,
      fallbackFrom: null,
      at: new Date(at),
    });

    it("counts the business's calendar day in its time zone, not the UTC day", async () => {
      // Madrid is UTC+1 in March: its 2 March began at 23:00 UTC on 1 March.
      world.clock.set('2026-03-02T10:00:00Z');
      await world.store.modelCalls.insertMany([
        spent('2026-03-01T22:30:00Z', 5_000_000), // 23:30 on 1 March in Madrid: yesterday
        spent('2026-03-01T23:30:00Z', 1_000_000), // 00:30 on 2 March in Madrid: today
      ]);
      // The cost page's days are the same calendar days.
      const until = new Date('2026-03-02T00:00:00Z');
      const perDay = async (timeZone?: string) =>
        (
          await world.store.modelCalls.usageByDay(world.businessId, {
            since: new Date('2026-03-01T00:00:00Z'),
            until,
            ...(timeZone ? { timeZone } : {}),
          })
        ).map((row) => [row.day, row.costMicros]);
      expect(await perDay('Europe/Madrid')).toEqual([
        ['2026-03-01', 5_000_000],
        ['2026-03-02', 1_000_000],
      ]);
      expect(await perDay()).toEqual([['2026-03-01', 6_000_000]]);
      const madrid = world.gateway(models({ perBusinessPerDay: 1 }));
      expect(await ask(madrid)).toBe('budget-exhausted');
      // A gateway counting UTC days would have seen nothing spent on 2 March.
      const utc = world.gateway(models({ perBusinessPerDay: 1 }), { timeZone: 'UTC' });
      expect(await ask(utc)).toBe('answered');

      // Madrid's midnight (23:00 UTC) starts a new day and a fresh budget.
      world.clock.set('2026-03-02T22:59:00Z');
      expect(await ask(madrid)).toBe('budget-exhausted');
      world.clock.set('2026-03-02T23:00:00Z');
      expect(await ask(madrid)).toBe('answered');
      const budget = madrid.budget.today();
      expect(budget.day).toBe('2026-03-03');
      expect(budget.since.toISOString()).toBe('2026-03-02T23:00:00.000Z');
    });

    it('lets two Parley processes on one database share one budget', async () => {
      world.clock.set('2026-03-04T10:00:00Z');
      // Two processes: two gateways, each with its own budget guard and egress log.
      const first = world.gateway(models({ perBusinessPerDay: 0.3 }));
      const second = world.gateway(models({ perBusinessPerDay: 0.3 }));
      expect(await ask(second)).toBe('answered'); // 0.12 spent; the second has read the ledger
      // A process sees another's calls once they are in the ledger (written within ~200 ms).
      await second.recorder.flush();
      expect(await ask(first)).toBe('answered'); // 0.24
      expect(await ask(first)).toBe('answered'); // 0.36: over the limit
      // The first counts its own calls at once, before its egress log is written.
      expect(await ask(first)).toBe('budget-exhausted');
      world.clock.advance(1_000);
      expect(await ask(first)).toBe('budget-exhausted');
      // The second reads the shared ledger again within a second and stops too, instead of
      // allowing its own full budget.
      await first.recorder.flush();
      expect(await ask(second)).toBe('budget-exhausted');
      const total = await world.store.modelCalls.spend(world.businessId, {
        since: new Date('2026-03-03T23:00:00Z'),
      });
      expect(total).toBe(360_000);
    });

    it('alerts once per budget and day when the spend crosses alertAt', async () => {
      world.clock.set('2026-03-05T10:00:00Z');
      const alerts: Array<{ scope: string; spentMicros: number; limitMicros: number }> = [];
      const gateway = world.gateway(models({ perContactPerDay: 0.3, alertAt: 0.5 }), {
        onBudgetAlert: ({ scope, spentMicros, limitMicros }) =>
          alerts.push({ scope, spentMicros, limitMicros }),
      });
      expect(await ask(gateway, world.contactId)).toBe('answered'); // 0.12: under half
      expect(alerts).toEqual([]);
      expect(await ask(gateway, world.contactId)).toBe('answered'); // 0.24: past half
      expect(await ask(gateway, world.contactId)).toBe('answered'); // 0.36: still one alert
      expect(alerts).toEqual([{ scope: 'contact', spentMicros: 240_000, limitMicros: 300_000 }]);
      expect(await ask(gateway, world.contactId)).toBe('budget-exhausted');
    });
  },
);
