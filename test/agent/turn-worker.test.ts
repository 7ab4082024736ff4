import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import type { AgentTurnDependencies } from '../../src/agent/run-agent-turn.js';
import { TurnWorker } from '../../src/agent/turn-worker.js';
import { ManualClock } from '../../src/core/clock.js';
import { createInProcessLiveEvents } from '../../src/core/live-events.js';
import { gate, scriptedModel } from '../support/scripted-model.js';
import { startTestParley } from '../support/test-parley.js';
import { byAgent, useAgentHarness } from './agent-harness.js';
import { waitFor } from './wait-for.js';

const WORKER_OPTIONS = { concurrency: 2, leaseMs: 10 * 60_000, pollMs: 50 };

describe('turns survive crashes', () => {
  const harness = useAgentHarness();

  it('answers a message stored while no worker ran, once a worker starts', async () => {
    const model = scriptedModel([{ text: 'Yes, trade-ins are welcome.' }]);
    // No worker is running: the message is stored and its turn-requested event goes unheard.
    const { conversation } = await harness.customer().write('Do you take trade-ins?');
    expect(byAgent(await harness.messages(conversation.id))).toEqual([]);

    const worker = new TurnWorker(harness.turnDependencies(model.binding), WORKER_OPTIONS);
    worker.start();
    try {
      const [reply] = await waitFor('the agent reply', async () => {
        const replies = byAgent(await harness.messages(conversation.id));
        return replies.length > 0 ? replies : null;
      });
      expect(reply!.text).toBe('Yes, trade-ins are welcome.');
    } finally {
      await worker.stop();
    }
    expect(await harness.conversation(conversation.id)).toMatchObject({
      agentCursor: conversation.lastInboundSeq,
    });
  });

  it('releases the lease of a turn that threw, so it is retried at once', async () => {
    const model = scriptedModel([{ text: 'We are open 10am to 4pm on Saturdays.' }]);
    const deps = failingOnce(harness.turnDependencies(model.binding));
    const worker = new TurnWorker(deps, WORKER_OPTIONS);
    const { conversation } = await harness.customer().write('Are you open on Saturday?');

    await expect(worker.runOnce()).rejects.toThrow('the settings lookup failed');
    expect(byAgent(await harness.messages(conversation.id))).toEqual([]);
    // The lease is ten minutes: only a released turn can be claimed again now.
    expect(await worker.runOnce()).toBe(true);
    expect(byAgent(await harness.messages(conversation.id)).map((m) => m.text)).toEqual([
      'We are open 10am to 4pm on Saturdays.',
    ]);
    expect(await worker.runOnce()).toBe(false);
  });

  it('a running worker reports the error and retries the turn', async () => {
    const model = scriptedModel([{ text: 'Most repairs take 2 to 3 working days.' }]);
    const errors: unknown[] = [];
    const worker = new TurnWorker(failingOnce(harness.turnDependencies(model.binding)), {
      ...WORKER_OPTIONS,
      onError: (error) => errors.push(error),
    });
    worker.start();
    try {
      const { conversation } = await harness.customer().write('How long do repairs take?');
      await waitFor('the retried turn to answer', async () => {
        const replies = byAgent(await harness.messages(conversation.id));
        return replies.length > 0;
      });
    } finally {
      await worker.stop();
    }
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('the settings lookup failed');
  });

  it('retries a turn that keeps failing once at once, then only after a growing delay', async () => {
    const model = scriptedModel([{ text: 'never sent' }]);
    const deps = harness.turnDependencies(model.binding);
    let attempts = 0;
    const worker = new TurnWorker(
      {
        ...deps,
        settingsFor() {
          attempts++;
          throw new Error('this turn always fails');
        },
      },
      { ...WORKER_OPTIONS, onError: () => {} },
    );
    const { conversation } = await harness.customer().write('Do you repair carbon frames?');
    worker.start();
    try {
      await waitFor('the second attempt', () => Promise.resolve(attempts >= 2 ? true : null));
      // Polled every 50 ms: without the delay it would have been tried again many times by now.
      await new Promise((resolve) => setTimeout(resolve, 400));
    } finally {
      await worker.stop();
    }
    expect(attempts).toBe(2);
    // Not released for an immediate retry: leased until the next try, a second after the failure.
    const { store } = harness;
    const soon = new Date(Date.now() + 200);
    const lease = new Date(Date.now() + 60_000);
    expect(await store.conversations.claimPendingTurn(soon, lease)).toBeNull();
    const later = new Date(Date.now() + 2_000);
    expect((await store.conversations.claimPendingTurn(later, lease))?.id).toBe(conversation.id);
    // Settled, so the turn is not left owed for the next test.
    await store.conversations.finishTurn(conversation.businessId, conversation.id, {
      handledSeq: conversation.lastInboundSeq,
      failure: null,
    });
  });

  it("takes over a crashed process's turn once its lease has passed", async () => {
    const clock = new ManualClock(new Date());
    const model = scriptedModel([{ text: 'Call us on 0161 496 0123.' }]);
    const { conversation } = await harness.customer().write('What is your phone number?');
    // Another process claimed the turn and died before finishing it.
    const crashed = await harness.store.conversations.claimPendingTurn(
      clock.now(),
      new Date(clock.now().getTime() + 60_000),
    );
    expect(crashed?.id).toBe(conversation.id);

    const worker = new TurnWorker(
      { ...harness.turnDependencies(model.binding), clock },
      { ...WORKER_OPTIONS, leaseMs: 60_000 },
    );
    expect(await worker.runOnce()).toBe(false);
    clock.advance(60_001);
    expect(await worker.runOnce()).toBe(true);
    expect(byAgent(await harness.messages(conversation.id)).map((m) => m.text)).toEqual([
      'Call us on 0161 496 0123.',
    ]);
  });

  it('a restarted Parley answers what was stored before it started', async () => {
    const model = scriptedModel([{ text: 'Free click and collect, ready within 2 hours.' }]);
    const { conversation } = await harness.customer().write('Can I collect my order?');
    // A whole Parley over the same database, as after a restart.
    const parley = await startTestParley({
      model: model.binding,
      overrides: { database: harness.database },
    });
    try {
      const [reply] = await waitFor('the agent reply after the restart', async () => {
        const replies = byAgent(await harness.messages(conversation.id));
        return replies.length > 0 ? replies : null;
      });
      expect(reply!.text).toBe('Free click and collect, ready within 2 hours.');
      await waitFor('the outbox to send it', async () => {
        const message = await harness.store.messages.getById(harness.business.id, reply!.id);
        return message?.status === 'sent';
      });
    } finally {
      await parley.stop();
    }
  });
});

describe('polling', () => {
  const harness = useAgentHarness();

  it('an idle worker claims once per poll, not once per loop, and wakes every loop for what its poll finds', async () => {
    const opened = gate();
    const started: string[] = [];
    const answer = async (call: LanguageModelV3CallOptions) => {
      started.push(JSON.stringify(call.prompt).slice(-60));
      await opened.promise;
      return {
        content: [{ type: 'text' as const, text: 'Thanks, someone will look at it.' }],
        finishReason: { unified: 'stop' as const, raw: 'stop' },
        usage: {
          inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 5, text: 5, reasoning: 0 },
        },
        warnings: [],
      };
    };
    const model = scriptedModel([answer, answer, answer]);
    const deps = harness.turnDependencies(model.binding);
    let claims = 0;
    const store = {
      ...deps.store,
      conversations: {
        ...deps.store.conversations,
        claimPendingTurn: (now: Date, leaseUntil: Date) => {
          claims++;
          return deps.store.conversations.claimPendingTurn(now, leaseUntil);
        },
      },
    };
    // Its own event bus, which nobody publishes on: only the poll can find the owed turns.
    const worker = new TurnWorker(
      { ...deps, store, live: createInProcessLiveEvents() },
      { concurrency: 4, leaseMs: 10 * 60_000, pollMs: 100 },
    );
    worker.start();
    try {
      // Every loop looks once at start-up; from then on only the polling loop does. Timers fire
      // late on a busy machine, never early: at most one claim per 100 ms poll, where a claim per
      // loop would be four.
      await waitFor('the start-up claims', () => claims >= 4);
      const since = performance.now();
      await waitFor('a few polls', () => claims >= 4 + 5);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const polls = Math.floor((performance.now() - since) / 100) + 1;
      expect(claims - 4).toBeLessThanOrEqual(polls);

      for (const text of ['Is the shop open?', 'Do you repair wheels?', 'Can I pay later?']) {
        await harness.customer().write(text);
      }
      // The poll finds one and wakes the sleeping loops, so all three run at once.
      await waitFor('three turns running together', () => worker.running === 3);
      expect(started).toHaveLength(3);
    } finally {
      opened.open();
      await waitFor('the turns to finish', () => worker.running === 0);
      await worker.stop();
    }
  });
});

/** Turn dependencies whose first settings lookup throws, as a failing database call would. */
function failingOnce(deps: AgentTurnDependencies): AgentTurnDependencies {
  let failed = false;
  return {
    ...deps,
    settingsFor(businessId) {
      if (!failed) {
        failed = true;
        throw new Error('the settings lookup failed');
      }
      return deps.settingsFor(businessId);
    },
  };
}
