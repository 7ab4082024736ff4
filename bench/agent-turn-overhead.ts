import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '../src/core/clock.js';
import { receiveCustomerMessage } from '../src/inbox/receive-customer-message.js';
import type { RunningParley } from '../src/server/start-parley.js';
import { formatNumber, summarizeLatencies, type LatencySummary } from './support/latency-stats.js';
import { CUSTOMER_MESSAGES } from './support/customer-messages.js';
import { ReplyWatcher } from './support/reply-watcher.js';
import type { StatementProfiler, StatementTally } from './support/statement-profiler.js';

export interface TurnPlan {
  sequentialTurns: number;
  contacts: number;
  closedLoopRounds: number;
  openLoopRounds: number;
  /** Each contact of the open-loop run writes once per interval, whatever the replies do. */
  openLoopIntervalMs: number;
}

export interface TurnScenarioResult {
  load: string;
  /** Commit of the customer's message to commit of the agent's reply. */
  turn: LatencySummary;
  /** `receiveCustomerMessage`: call to commit of the customer's message. */
  intake: LatencySummary;
  turnsPerSecond: number;
  /** Open loop only: the rate asked for; a lower `turnsPerSecond` means the load was not met. */
  offeredPerSecond: number | null;
  /**
   * CPU time of this process per message (user + system). It barely moves when other processes
   * compete for the cores, unlike latency. On PGlite it includes the database's own work.
   */
  cpuMsPerTurn: number;
  /** After the last reply, how long the outbox took to deliver what was still queued. */
  deliveryBacklogMs: number;
  /** Everything the process sent to the database during the run (intake, turns, outbox, polls). */
  statements: StatementTally[];
}

interface Exchange {
  turnMs: number;
  intakeMs: number;
}

/**
 * Agent-turn overhead with an instant model: one conversation at a time, many conversations as
 * fast as replies come (closed loop: throughput), and many conversations writing at a steady rate
 * (open loop: latency under a load below saturation).
 */
export async function measureAgentTurns(
  parley: RunningParley,
  profiler: StatementProfiler,
  plan: TurnPlan,
  progress: (line: string) => void,
): Promise<TurnScenarioResult[]> {
  const deps = { store: parley.store, live: parley.live, clock: systemClock };
  const watcher = new ReplyWatcher(parley.live);
  const runId = randomUUID().slice(0, 8);

  const sentBy = new Map<string, number>();
  const exchange = async (senderId: string): Promise<Exchange> => {
    const count = sentBy.get(senderId) ?? 0;
    sentBy.set(senderId, count + 1);
    const text = CUSTOMER_MESSAGES[count % CUSTOMER_MESSAGES.length]!;
    const sent = performance.now();
    const received = await receiveCustomerMessage(deps, {
      businessId: parley.business.id,
      channel: 'web',
      senderId,
      parts: [{ type: 'text', text }],
      channelMessageId: randomUUID(),
    });
    const conversationId = received.conversation.id;
    const committedAt = watcher.committedAt(conversationId, received.message.seq) ?? sent;
    const repliedAt = await watcher.nextMessageAt(conversationId, received.message.seq);
    return { turnMs: repliedAt - committedAt, intakeMs: committedAt - sent };
  };

  const scenario = async (
    load: string,
    offeredPerSecond: number | null,
    run: (record: (result: Exchange) => void) => Promise<void>,
  ): Promise<TurnScenarioResult> => {
    progress(`  ${load}`);
    // Deliveries left over from an earlier run would count against this one's statements.
    await waitUntilDelivered(parley);
    const exchanges: Exchange[] = [];
    profiler.reset();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await run((result) => exchanges.push(result));
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const deliveryBacklogMs = await waitUntilDelivered(parley);
    await expectNoHandoffs(parley);
    return {
      load,
      turn: summarizeLatencies(exchanges.map((result) => result.turnMs)),
      intake: summarizeLatencies(exchanges.map((result) => result.intakeMs)),
      turnsPerSecond: (exchanges.length / elapsedMs) * 1000,
      offeredPerSecond,
      cpuMsPerTurn: (cpu.user + cpu.system) / 1000 / exchanges.length,
      deliveryBacklogMs,
      statements: profiler.tallies().map((tally) => ({
        ...tally,
        count: tally.count / exchanges.length,
        totalMs: tally.totalMs / exchanges.length,
      })),
    };
  };

  const contact = (index: number) => `bench-${runId}-${index}`;
  try {
    // Warm-up: JIT, the pool's connections, and every contact's conversation opened.
    for (let index = 0; index < 30; index++) await exchange(`bench-${runId}-warm-up`);
    await Promise.all(
      Array.from({ length: plan.contacts }, (_, index) => exchange(contact(index))),
    );

    const sequential = await scenario(
      `1 conversation, ${plan.sequentialTurns} turns in a row`,
      null,
      async (record) => {
        for (let index = 0; index < plan.sequentialTurns; index++) {
          record(await exchange(contact(plan.contacts)));
        }
      },
    );

    const closedLoop = await scenario(
      `${plan.contacts} concurrent, each writes again on reply (${plan.closedLoopRounds} rounds)`,
      null,
      async (record) => {
        await Promise.all(
          Array.from({ length: plan.contacts }, async (_, index) => {
            for (let round = 0; round < plan.closedLoopRounds; round++) {
              record(await exchange(contact(index)));
            }
          }),
        );
      },
    );

    const perSecond = (plan.contacts / plan.openLoopIntervalMs) * 1000;
    const openLoop = await scenario(
      `${plan.contacts} concurrent, each writes every ${plan.openLoopIntervalMs / 1000} s (${formatNumber(perSecond)} messages/s, ${plan.openLoopRounds} rounds)`,
      perSecond,
      async (record) => {
        const started = performance.now();
        const pending: Promise<void>[] = [];
        await Promise.all(
          Array.from({ length: plan.contacts }, async (_, index) => {
            // Spread the contacts over the interval so the load is steady, not a burst per second.
            const phase = (index / plan.contacts) * plan.openLoopIntervalMs;
            for (let round = 0; round < plan.openLoopRounds; round++) {
              const due = started + phase + round * plan.openLoopIntervalMs;
              await sleep(Math.max(0, due - performance.now()));
              pending.push(exchange(contact(index)).then(record));
            }
          }),
        );
        await Promise.all(pending);
      },
    );

    return [sequential, closedLoop, openLoop];
  } finally {
    watcher.stop();
  }
}

/** A conversation handed to a person gets no more turns: the run would measure the wrong thing. */
async function expectNoHandoffs(parley: RunningParley): Promise<void> {
  const [handedOff] = await parley.store.conversations.list(parley.business.id, {
    state: 'waiting_for_person',
    limit: 1,
  });
  if (handedOff) {
    throw new Error(
      `conversation ${handedOff.id} was handed to a person (${handedOff.handoffReason ?? 'no reason'}): the benchmark's messages must not trigger the handoff policy`,
    );
  }
}

/** Waits until the outbox has nothing pending; returns how long that took. */
async function waitUntilDelivered(parley: RunningParley, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  while ((await parley.store.outbox.pendingCount()) > 0) {
    if (performance.now() - started > timeoutMs) {
      throw new Error(`the outbox still had pending replies after ${timeoutMs} ms`);
    }
    await sleep(5);
  }
  return performance.now() - started;
}
