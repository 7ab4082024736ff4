import type { Store } from '../src/core/store.js';
import { AGENT_REPLY } from './support/customer-messages.js';
import { summarizeLatencies, type LatencySummary } from './support/latency-stats.js';

export interface BaselineResult {
  load: string;
  latency: LatencySummary;
  perSecond: number;
}

export interface BaselinePlan {
  sequentialOps: number;
  concurrentWorkers: number;
  opsPerWorker: number;
}

/**
 * The floor a turn is compared with: one transaction that inserts a message and updates its
 * conversation (BEGIN, INSERT, UPDATE, COMMIT), through the same store and pool as Parley. Replies
 * are written as the agent's, so they owe no turn and the running worker leaves them alone.
 */
export async function measureStoreInsert(
  store: Store,
  businessId: string,
  plan: BaselinePlan,
): Promise<BaselineResult[]> {
  const conversationIds: string[] = [];
  for (let index = 0; index < Math.max(1, plan.concurrentWorkers); index++) {
    const contact = await store.contacts.findOrCreateByIdentity(
      businessId,
      { channel: 'web', externalId: `baseline-${index}` },
      {},
    );
    const conversation = await store.conversations.findOrOpen(businessId, contact.id, 'web');
    conversationIds.push(conversation.id);
  }

  const insertOnce = async (conversationId: string): Promise<number> => {
    const started = performance.now();
    await store.transaction(async (tx) => {
      const { message } = await tx.messages.insert({
        businessId,
        conversationId,
        channel: 'web',
        direction: 'outbound',
        author: 'agent',
        parts: [{ type: 'text', text: AGENT_REPLY }],
        status: 'pending',
      });
      await tx.conversations.noteMessage(businessId, conversationId, message);
    });
    return performance.now() - started;
  };

  const first = conversationIds[0]!;
  for (let index = 0; index < 50; index++) await insertOnce(first);

  const sequential: number[] = [];
  const sequentialStarted = performance.now();
  for (let index = 0; index < plan.sequentialOps; index++) {
    sequential.push(await insertOnce(first));
  }
  const sequentialMs = performance.now() - sequentialStarted;

  const concurrent: number[] = [];
  const concurrentStarted = performance.now();
  await Promise.all(
    conversationIds.map(async (conversationId) => {
      for (let index = 0; index < plan.opsPerWorker; index++) {
        concurrent.push(await insertOnce(conversationId));
      }
    }),
  );
  const concurrentMs = performance.now() - concurrentStarted;

  return [
    {
      load: '1 at a time',
      latency: summarizeLatencies(sequential),
      perSecond: (sequential.length / sequentialMs) * 1000,
    },
    {
      load: `${plan.concurrentWorkers} concurrent`,
      latency: summarizeLatencies(concurrent),
      perSecond: (concurrent.length / concurrentMs) * 1000,
    },
  ];
}
