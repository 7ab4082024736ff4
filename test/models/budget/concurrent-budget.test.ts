import { generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callContextOptions } from '../../../src/core/model-call-context.js';
import { isModelRefusal } from '../../../src/core/model-refusal.js';
import { backends } from '../../support/test-database.js';
import { openGatewayWorld, type GatewayWorld } from '../support/gateway-fixture.js';
import { startStandInUpstream, type StandInUpstream } from '../support/stand-in-upstream.js';

describe.each(backends)('budget hard stop under concurrency (%s)', (backend) => {
  let world: GatewayWorld;
  let upstream: StandInUpstream;

  beforeAll(async () => {
    world = await openGatewayWorld(backend);
    // Slow enough that every call of a burst is in flight before the first one is priced.
    upstream = await startStandInUpstream({ delayMs: 150 });
  });
  afterAll(async () => {
    await Promise.all([upstream.close(), world.close()]);
  });

  it('lets no burst of concurrent calls spend past a contact budget, and releases what failed calls held', async () => {
    const gateway = world.gateway({
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
      budgets: { perContactPerDay: 0.2 },
    });
    const ask = () =>
      generateText({
        model: gateway.modelFor('customer-replies')!,
        prompt: 'hi',
        providerOptions: callContextOptions({
          contactId: world.contactId,
          conversationId: null,
          source: 'agent',
        }),
        maxRetries: 0,
      }).then(
        () => 'answered' as const,
        (error: unknown) => (isModelRefusal(error) ? error.reason : error),
      );

    // A flood from one contact: 20 calls at once.
    const burst = await Promise.all(Array.from({ length: 20 }, ask));
    const answered = burst.filter((outcome) => outcome === 'answered').length;
    expect(burst.filter((outcome) => outcome !== 'answered')).toEqual(
      Array.from({ length: 20 - answered }, () => 'budget-exhausted'),
    );
    // Without holds every call would pass the check (nothing was spent yet) and all 20 would be
    // sent. With them, the first call holds its estimate (1,000 tokens out at this price: 1.0, more
    // than the budget) until it is priced, so the others are refused.
    expect(answered).toBe(1);
    expect(upstream.requests).toHaveLength(1);

    // The refused calls held nothing afterwards: while the spend is below the limit, the next call
    // passes, and once it is over, calls are refused.
    while ((await ask()) === 'answered');
    expect(upstream.requests).toHaveLength(2);
    await gateway.close();
    const spent = await world.store.modelCalls.spend(world.businessId, {
      since: new Date('2026-03-02T00:00:00Z'),
      contactId: world.contactId,
    });
    expect(spent).toBe(240_000); // two calls of 0.12, in micros
  });

  it('holds the business budget across contacts too', async () => {
    const other = await world.store.contacts.findOrCreateByIdentity(
      world.businessId,
      { channel: 'web', externalId: 'visitor-ben' },
      { displayName: 'Ben Ode' },
    );
    upstream.requests.length = 0;
    const gateway = world.gateway({
      catalog: {
        hosted: {
          provider: 'openai',
          model: 'gpt-4.1-mini',
          baseUrl: upstream.baseUrl,
          apiKey: 'sk-test',
          price: { inputPerMillion: 1000, outputPerMillion: 1000 },
        },
      },
      tasks: { 'customer-replies': 'hosted' },
      // Today's spend so far (the first test's 0.24) is under the limit: one call may start, and
      // while it runs, its hold keeps the others out; once priced, the spend is over the limit.
      budgets: { perBusinessPerDay: 0.3 },
    });
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        generateText({
          model: gateway.modelFor('customer-replies')!,
          prompt: 'hello',
          providerOptions: callContextOptions({
            contactId: index % 2 === 0 ? world.contactId : other.id,
            conversationId: null,
            source: 'agent',
          }),
          maxRetries: 0,
        }).then(
          () => 'answered',
          (error: unknown) => (isModelRefusal(error) ? error.reason : error),
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'answered')).toHaveLength(1);
    expect(upstream.requests).toHaveLength(1);
  });

  it('holds embedding calls too: a burst from one contact sends one request', async () => {
    const cy = await world.store.contacts.findOrCreateByIdentity(
      world.businessId,
      { channel: 'web', externalId: 'visitor-cy' },
      { displayName: 'Cy Lam' },
    );
    upstream.requests.length = 0;
    const gateway = world.gateway({
      catalog: {
        vectors: {
          provider: 'openai',
          model: 'text-embedding-3-small',
          baseUrl: upstream.baseUrl,
          apiKey: 'sk-test',
          // The stand-in reports 4 tokens per value: one call costs 0.04.
          price: { inputPerMillion: 10_000, outputPerMillion: 0 },
        },
      },
      tasks: { embeddings: 'vectors' },
      budgets: { perContactPerDay: 0.5 },
    });
    const context = { contactId: cy.id, conversationId: null, source: 'gateway' as const };
    // 400 characters: an estimate of 100 tokens (1.0, over the budget) held while the call runs.
    const embed = () =>
      gateway.embed(['x'.repeat(400)], context).then(
        () => 'answered' as const,
        (error: unknown) => (isModelRefusal(error) ? error.reason : error),
      );
    const burst = await Promise.all(Array.from({ length: 8 }, embed));
    expect(burst.filter((outcome) => outcome === 'answered')).toHaveLength(1);
    expect(burst.filter((outcome) => outcome !== 'answered')).toEqual(
      Array.from({ length: 7 }, () => 'budget-exhausted'),
    );
    expect(
      upstream.requests.filter((request) => request.path.endsWith('/embeddings')),
    ).toHaveLength(1);
    // The hold was swapped for the real cost (0.04): the next call passes.
    expect(await embed()).toBe('answered');
  });
});
