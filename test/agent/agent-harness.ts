import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { ModelCircuit } from '../../src/agent/model-circuit.js';
import {
  runAgentTurn,
  type AgentSettings,
  type AgentTurnDependencies,
  type TurnOutcome,
} from '../../src/agent/run-agent-turn.js';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { syncBusinessConfig } from '../../src/config/sync-business-config.js';
import type { Business } from '../../src/core/business.js';
import { systemClock } from '../../src/core/clock.js';
import type { Conversation } from '../../src/core/conversation.js';
import { randomIds } from '../../src/core/ids.js';
import { createInProcessLiveEvents, type LiveEvents } from '../../src/core/live-events.js';
import type { Message, MessagePart } from '../../src/core/message.js';
import type { ModelBinding } from '../../src/core/model.js';
import type { Store } from '../../src/core/store.js';
import type { InboxDependencies } from '../../src/inbox/inbox-dependencies.js';
import {
  receiveCustomerMessage,
  type ReceivedMessage,
} from '../../src/inbox/receive-customer-message.js';
import { createDrizzleStore } from '../../src/store/drizzle-store.js';
import { defaultTools } from '../../src/tools/default-tools.js';
import { openTestDatabase, type Backend, type TestDatabase } from '../support/test-database.js';

/** The demo business's agent settings (examples/demo-shop.yaml). */
export const DEMO_AGENT_SETTINGS = { maxSteps: 6, historyMessages: 20 } as const;

export interface Customer {
  senderId: string;
  /** The customer writes (text, or parts such as a menu choice); returns what the inbox stored. */
  write(
    content: string | MessagePart[],
    options?: { channelMessageId?: string },
  ): Promise<ReceivedMessage>;
}

export interface AgentHarness {
  database: TestDatabase;
  store: Store;
  live: LiveEvents;
  /** The demo business, synced from examples/demo-shop.yaml. */
  business: Business;
  inbox: InboxDependencies;
  /** Turn dependencies with this model (null: menu mode); a fresh circuit unless one is given. */
  turnDependencies(
    model: ModelBinding | null,
    overrides?: Partial<AgentSettings> & { circuit?: ModelCircuit },
  ): AgentTurnDependencies;
  /** A new web chat customer of `businessId` (the demo business by default). */
  customer(businessId?: string): Customer;
  /**
   * Claims the owed turn, which must be this conversation's: a turn left owed by an earlier test
   * would make the test fail here rather than answer the wrong customer.
   */
  claim(conversationId: string): Promise<Conversation>;
  /** Claims this conversation's owed turn and runs it. */
  runTurn(deps: AgentTurnDependencies, conversationId: string): Promise<TurnOutcome>;
  messages(conversationId: string): Promise<Message[]>;
  conversation(conversationId: string): Promise<Conversation>;
}

/**
 * A migrated database with the demo business, opened once for the calling test file, for tests
 * that drive turns directly (no workers running: nothing happens until the test says so).
 */
export function useAgentHarness(backend: Backend = 'pglite'): AgentHarness {
  const harness = {} as AgentHarness;
  beforeAll(async () => {
    const database = await openTestDatabase(backend);
    const store = createDrizzleStore(database.db);
    const business = await syncBusinessConfig(
      store,
      await loadBusinessConfig(DEMO_CONFIG_PATH, {}),
    );
    const live = createInProcessLiveEvents();
    const inbox: InboxDependencies = { store, live, clock: systemClock };
    Object.assign(harness, {
      database,
      store,
      live,
      business,
      inbox,
      turnDependencies(model, overrides = {}) {
        const settings: AgentSettings = {
          model,
          maxSteps: overrides.maxSteps ?? DEMO_AGENT_SETTINGS.maxSteps,
          historyMessages: overrides.historyMessages ?? DEMO_AGENT_SETTINGS.historyMessages,
        };
        return {
          store,
          live,
          clock: systemClock,
          ids: randomIds,
          circuit: overrides.circuit ?? new ModelCircuit(systemClock),
          tools: defaultTools,
          settingsFor: () => settings,
        };
      },
      customer(businessId = business.id) {
        const senderId = `visitor-${randomUUID()}`;
        return {
          senderId,
          write: (content, options = {}) =>
            receiveCustomerMessage(inbox, {
              businessId,
              channel: 'web',
              senderId,
              parts: typeof content === 'string' ? [{ type: 'text', text: content }] : content,
              channelMessageId: options.channelMessageId ?? randomUUID(),
            }),
        };
      },
      async claim(conversationId) {
        const now = new Date();
        const claimed = await store.conversations.claimPendingTurn(
          now,
          new Date(now.getTime() + 60_000),
        );
        expect(claimed?.id, 'the owed turn should be this conversation').toBe(conversationId);
        return claimed!;
      },
      async runTurn(deps, conversationId) {
        return runAgentTurn(deps, await harness.claim(conversationId));
      },
      messages: (conversationId) => store.messages.listForConversation(business.id, conversationId),
      async conversation(conversationId) {
        const conversation = await store.conversations.getById(business.id, conversationId);
        expect(conversation).not.toBeNull();
        return conversation!;
      },
    } satisfies AgentHarness);
  });
  afterAll(async () => {
    await harness.database?.destroy();
  });
  return harness;
}

/** The agent's messages in a list of messages. */
export function byAgent(messages: readonly Message[]): Message[] {
  return messages.filter((message) => message.author === 'agent');
}
