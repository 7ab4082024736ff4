import { sql } from 'drizzle-orm';
import { systemClock, type Clock } from '../core/clock.js';
import { randomIds, type IdGenerator } from '../core/ids.js';
import type { Store } from '../core/store.js';
import type { Database } from './database.js';
import {
  createAgentStepRepository,
  createAuditRepository,
} from './repositories/agent-step-repository.js';
import { createAnalyticsRepository } from './repositories/analytics-repository.js';
import { createAppointmentRepository } from './repositories/appointment-repository.js';
import { createBusinessRepository } from './repositories/business-repository.js';
import { createCartRepository } from './repositories/cart-repository.js';
import { createCatalogRepository } from './repositories/catalog-repository.js';
import { createChannelMessageRepository } from './repositories/channel-message-repository.js';
import { createContactDirectoryRepository } from './repositories/contact-directory-repository.js';
import { createContactIdentityRepository } from './repositories/contact-identity-repository.js';
import { createContactRepository } from './repositories/contact-repository.js';
import type { RepositoryContext } from './repositories/context.js';
import { createConversationRepository } from './repositories/conversation-repository.js';
import { createCustomerWindowRepository } from './repositories/customer-window-repository.js';
import {
  createHandoffDecisionRepository,
  createHandoffPolicyRepository,
} from './repositories/handoff-repository.js';
import { createCannedReplyRepository } from './repositories/canned-reply-repository.js';
import { createConversationNoteRepository } from './repositories/conversation-note-repository.js';
import { createConversationTagRepository } from './repositories/conversation-tag-repository.js';
import { createHandoffSummaryRepository } from './repositories/handoff-summary-repository.js';
import { createHelpdeskRepository } from './repositories/helpdesk-repository.js';
import { createInboxRepository } from './repositories/inbox-repository.js';
import { createKnowledgeRepository } from './repositories/knowledge-repository.js';
import { createLeadDeliveryRepository } from './repositories/lead-delivery-repository.js';
import { createLeadRepository } from './repositories/lead-repository.js';
import { createKnowledgeDocumentRepository } from './repositories/knowledge-document-repository.js';
import { createProductEmbeddingRepository } from './repositories/product-embedding-repository.js';
import { createMessageRepository } from './repositories/message-repository.js';
import { createModelCallRepository } from './repositories/model-call-repository.js';
import { createOrderRepository } from './repositories/order-repository.js';
import {
  createOutboxRepository,
  createSettingsRepository,
} from './repositories/outbox-repository.js';
import {
  createApiKeyRepository,
  createLoginThrottleRepository,
  createSessionRepository,
} from './repositories/session-repository.js';
import { createPendingActionRepository } from './repositories/pending-action-repository.js';
import { createUserRepository } from './repositories/user-repository.js';
import { createWebhookInboxRepository } from './repositories/webhook-inbox-repository.js';

/** The `Store` port over Drizzle; the same code serves PGlite and PostgreSQL. */
export function createDrizzleStore(
  db: Database,
  seams: { ids?: IdGenerator; clock?: Clock } = {},
): Store {
  const context: RepositoryContext = {
    db,
    ids: seams.ids ?? randomIds,
    clock: seams.clock ?? systemClock,
  };
  return {
    transaction: (work) =>
      db.transaction((tx) => work(createDrizzleStore(tx as unknown as Database, seams))),
    businesses: createBusinessRepository(context),
    users: createUserRepository(context),
    sessions: createSessionRepository(context),
    loginThrottle: createLoginThrottleRepository(context),
    apiKeys: createApiKeyRepository(context),
    contacts: createContactRepository(context),
    conversations: createConversationRepository(context),
    messages: createMessageRepository(context),
    agentSteps: createAgentStepRepository(context),
    audit: createAuditRepository(context),
    knowledge: createKnowledgeRepository(context),
    knowledgeDocuments: createKnowledgeDocumentRepository(context),
    productEmbeddings: createProductEmbeddingRepository(context),
    catalog: createCatalogRepository(context),
    outbox: createOutboxRepository(context),
    settings: createSettingsRepository(context),
    modelCalls: createModelCallRepository(context),
    carts: createCartRepository(context),
    orders: createOrderRepository(context),
    pendingActions: createPendingActionRepository(context),
    appointments: createAppointmentRepository(context),
    webhookInbox: createWebhookInboxRepository(context),
    channelMessages: createChannelMessageRepository(context),
    customerWindows: createCustomerWindowRepository(context),
    contactIdentities: createContactIdentityRepository(context),
    handoffDecisions: createHandoffDecisionRepository(context),
    handoffPolicies: createHandoffPolicyRepository(context),
    contactDirectory: createContactDirectoryRepository(context),
    handoffSummaries: createHandoffSummaryRepository(context),
    inbox: createInboxRepository(context),
    conversationNotes: createConversationNoteRepository(context),
    conversationTags: createConversationTagRepository(context),
    cannedReplies: createCannedReplyRepository(context),
    leads: createLeadRepository(context),
    leadDeliveries: createLeadDeliveryRepository(context),
    analytics: createAnalyticsRepository(context),
    helpdesk: createHelpdeskRepository(context),
    async ping() {
      await db.execute(sql`SELECT 1`);
    },
  };
}
