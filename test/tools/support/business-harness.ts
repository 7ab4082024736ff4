import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { ModelCircuit } from '../../../src/agent/model-circuit.js';
import {
  runAgentTurn,
  type AgentTurnDependencies,
  type TurnOutcome,
} from '../../../src/agent/run-agent-turn.js';
import { DEMO_CONFIG_PATH } from '../../../src/cli/load-startup.js';
import type { BusinessConfig } from '../../../src/config/business-config.js';
import { loadBusinessConfig } from '../../../src/config/load-business-config.js';
import { syncBusinessConfig } from '../../../src/config/sync-business-config.js';
import type { Business } from '../../../src/core/business.js';
import { ManualClock } from '../../../src/core/clock.js';
import type { Conversation } from '../../../src/core/conversation.js';
import { randomIds } from '../../../src/core/ids.js';
import { createInProcessLiveEvents } from '../../../src/core/live-events.js';
import type { Message, MessagePart } from '../../../src/core/message.js';
import type { ModelBinding } from '../../../src/core/model.js';
import type { Store } from '../../../src/core/store.js';
import { receiveCustomerMessage } from '../../../src/inbox/receive-customer-message.js';
import {
  wireBusinessTools,
  type BusinessToolsWiring,
} from '../../../src/server/start-business-tools.js';
import { createDrizzleStore } from '../../../src/store/drizzle-store.js';
import { defaultTools } from '../../../src/tools/default-tools.js';
import { openTestDatabase, type Backend, type TestDatabase } from '../../support/test-database.js';
import { startStripeStandIn, type StripeStandIn } from './stripe-stand-in.js';

export interface TestCustomer {
  senderId: string;
  conversationId: string | null;
  contactId: string | null;
  write(content: string | MessagePart[]): Promise<Conversation>;
}

export interface BusinessHarness {
  database: TestDatabase;
  store: Store;
  business: Business;
  config: BusinessConfig;
  clock: ManualClock;
  stripe: StripeStandIn;
  wiring: BusinessToolsWiring;
  customer(): TestCustomer;
  /** Runs the conversation's owed turn with this model (null: menu mode) and the guard. */
  turn(conversationId: string, model: ModelBinding | null): Promise<TurnOutcome>;
  deps(model: ModelBinding | null): AgentTurnDependencies;
  messages(conversationId: string): Promise<Message[]>;
  lastReply(conversationId: string): Promise<Message>;
  variantId(handle: string, title: string): Promise<string>;
  stock(handle: string, title: string): Promise<number | null>;
}

/**
 * The demo business over a fresh test database with the business tools wired as Parley wires
 * them (turn guard, Stripe Checkout against a stand-in). No workers: turns run when a test says.
 */
export function useBusinessHarness(backend: Backend = 'pglite'): BusinessHarness {
  const harness = {} as BusinessHarness;
  beforeAll(async () => {
    const database = await openTestDatabase(backend);
    const clock = new ManualClock(new Date());
    const store = createDrizzleStore(database.db, { clock });
    const stripe = await startStripeStandIn();
    const demo = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    const config: BusinessConfig = {
      ...demo,
      businessTools: {
        ...demo.businessTools!,
        payments: {
          provider: 'stripe',
          secretKey: stripe.secretKey,
          webhookSecret: stripe.webhookSecret,
          apiBaseUrl: stripe.baseUrl,
          checkoutOrigin: stripe.checkoutOrigin,
          successUrl: 'https://northside-cycles.example/thanks',
          cancelUrl: 'https://northside-cycles.example/basket',
        },
      },
    };
    const business = await syncBusinessConfig(store, config);
    const wiring = wireBusinessTools({ store, clock, businessId: business.id, config });
    const live = createInProcessLiveEvents();
    const deps = (model: ModelBinding | null): AgentTurnDependencies => ({
      store,
      live,
      clock,
      ids: randomIds,
      circuit: new ModelCircuit(clock),
      tools: [...defaultTools, ...wiring.tools],
      guard: wiring.guard,
      settingsFor: () => ({ model, maxSteps: 6, historyMessages: 20 }),
    });
    Object.assign(harness, {
      database,
      store,
      business,
      config,
      clock,
      stripe,
      wiring,
      deps,
      customer() {
        const senderId = `visitor-${randomUUID()}`;
        const customer: TestCustomer = {
          senderId,
          conversationId: null,
          contactId: null,
          async write(content) {
            const received = await receiveCustomerMessage(
              { store, live, clock },
              {
                businessId: business.id,
                channel: 'web',
                senderId,
                parts: typeof content === 'string' ? [{ type: 'text', text: content }] : content,
                channelMessageId: randomUUID(),
              },
            );
            customer.conversationId = received.conversation.id;
            customer.contactId = received.contact.id;
            return received.conversation;
          },
        };
        return customer;
      },
      async turn(conversationId, model) {
        const now = clock.now();
        const claimed = await store.conversations.claimPendingTurn(
          now,
          new Date(now.getTime() + 60_000),
        );
        expect(claimed?.id, 'the owed turn should be this conversation').toBe(conversationId);
        return runAgentTurn(deps(model), claimed!);
      },
      messages: (conversationId) => store.messages.listForConversation(business.id, conversationId),
      async lastReply(conversationId) {
        const messages = await store.messages.listForConversation(business.id, conversationId);
        const reply = messages.filter((message) => message.direction === 'outbound').at(-1);
        expect(reply).toBeDefined();
        return reply!;
      },
      async variantId(handle, title) {
        const product = await store.catalog.getProduct(business.id, handle);
        const variant = product?.variants.find((entry) => entry.title === title);
        expect(variant, `${handle} / ${title}`).toBeDefined();
        return variant!.id;
      },
      async stock(handle, title) {
        const product = await store.catalog.getProduct(business.id, handle);
        return product!.variants.find((entry) => entry.title === title)!.stock;
      },
    } satisfies BusinessHarness);
  });
  afterAll(async () => {
    await harness.stripe?.close();
    await harness.database?.destroy();
  });
  return harness;
}

/** The text of a message's text parts. */
export function textOf(message: Message): string {
  return message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}

/** The choices a message offers. */
export function choicesOf(message: Message): Array<{ id: string; title: string }> {
  return message.parts.flatMap((part) => (part.type === 'choices' ? part.choices : []));
}
