import type { AgentStep, AgentStepInput } from './agent-step.js';
import type { AnalyticsRepository } from './analytics.js';
import type { AppointmentRepository } from './appointments.js';
import type { Business, BusinessProfile } from './business.js';
import type { Product, Service, FaqEntry, FaqRecord, ProductVariant } from './catalog.js';
import type { CatalogVariant, ProductHit, ProductSearch } from './catalog-search.js';
import type { ChannelKind } from './channel.js';
import type {
  ChannelMessageRepository,
  ContactIdentityRepository,
  CustomerWindowRepository,
  WebhookInboxRepository,
} from './channel-store.js';
import type { CartRepository, OrderRepository, PendingActionRepository } from './commerce-store.js';
import type { Contact, ContactIdentity } from './contact.js';
import type { ContactDirectory } from './contact-directory.js';
import type { HandoffDecisionRepository, HandoffPolicyRepository } from './handoff.js';
import type { HandoffSummaryRepository } from './handoff-summary.js';
import type { LeadDeliveryRepository, LeadRepository } from './leads.js';
import type { HelpdeskRepository } from './helpdesk.js';
import type { KnowledgeDocumentRepository, ProductEmbeddingRepository } from './knowledge.js';
import type {
  CannedReplyRepository,
  ConversationNoteRepository,
  ConversationTagRepository,
  InboxRepository,
} from './inbox-store.js';
import type { ModelCallRepository } from './model-calls.js';
import type { AgentFailure, Conversation, ConversationState } from './conversation.js';
import type { DeliveryStatus, Message, MessageAuthor, MessagePart } from './message.js';
import type { User, UserRole } from './user.js';

/**
 * The storage port. Every method that touches business-owned rows takes the business id first and
 * scopes by it: a row of another business is "not found", never returned.
 */
export interface Store {
  /** Runs `work` in one database transaction; the `Store` it receives writes inside it. */
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;
  readonly businesses: BusinessRepository;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly loginThrottle: LoginThrottleRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly contacts: ContactRepository;
  readonly conversations: ConversationRepository;
  readonly messages: MessageRepository;
  readonly agentSteps: AgentStepRepository;
  readonly audit: AuditRepository;
  readonly knowledge: KnowledgeRepository;
  /** Uploaded documents and their passages (the FAQ is in `knowledge`). */
  readonly knowledgeDocuments: KnowledgeDocumentRepository;
  readonly productEmbeddings: ProductEmbeddingRepository;
  readonly catalog: CatalogRepository;
  readonly outbox: OutboxRepository;
  readonly settings: SettingsRepository;
  /** The egress log and cost ledger of model calls. */
  readonly modelCalls: ModelCallRepository;
  readonly carts: CartRepository;
  readonly orders: OrderRepository;
  readonly pendingActions: PendingActionRepository;
  readonly appointments: AppointmentRepository;
  readonly webhookInbox: WebhookInboxRepository;
  readonly channelMessages: ChannelMessageRepository;
  readonly customerWindows: CustomerWindowRepository;
  readonly contactIdentities: ContactIdentityRepository;
  /** Every evaluated handoff rule, per turn (the audit trail of the handoff policy). */
  readonly handoffDecisions: HandoffDecisionRepository;
  readonly handoffPolicies: HandoffPolicyRepository;
  /** What the person taking over a handed-off conversation reads first. */
  readonly handoffSummaries: HandoffSummaryRepository;
  /** The contact panel: search, profile, VIP/flagged marks, and merging two contacts. */
  readonly contactDirectory: ContactDirectory;
  /** The team inbox: search, views and their counts, assignment. */
  readonly inbox: InboxRepository;
  readonly conversationNotes: ConversationNoteRepository;
  readonly conversationTags: ConversationTagRepository;
  readonly cannedReplies: CannedReplyRepository;
  /** Qualified leads (one per contact) and their pushes to the CRM webhook. */
  readonly leads: LeadRepository;
  readonly leadDeliveries: LeadDeliveryRepository;
  /** The Analytics page: conversations per day, handoffs, response and resolution times. */
  readonly analytics: AnalyticsRepository;
  /** Helpdesk (Zendesk) tickets of handed-off conversations and the comments that came back. */
  readonly helpdesk: HelpdeskRepository;
  /** Cheap liveness query, for `/readyz` and `parley doctor`. */
  ping(): Promise<void>;
}

export interface BusinessInput {
  slug: string;
  name: string;
  profile: BusinessProfile;
  instructions: string;
}

export interface BusinessRepository {
  /** Creates the business with this slug, or updates it in place. */
  upsert(input: BusinessInput): Promise<Business>;
  getById(id: string): Promise<Business | null>;
  getBySlug(slug: string): Promise<Business | null>;
  list(): Promise<Business[]>;
}

export interface UserWithSecret extends User {
  passwordHash: string;
}

export interface UserRepository {
  create(input: {
    businessId: string;
    email: string;
    name: string;
    role: UserRole;
    passwordHash: string;
  }): Promise<User>;
  /** Login looks users up across businesses: an e-mail address belongs to one user. */
  findByEmail(email: string): Promise<UserWithSecret | null>;
  getById(businessId: string, id: string): Promise<User | null>;
  list(businessId: string): Promise<User[]>;
  setPassword(businessId: string, id: string, passwordHash: string): Promise<void>;
}

export interface Session {
  id: string;
  userId: string;
  businessId: string;
  expiresAt: Date;
}

export interface SessionRepository {
  create(input: {
    userId: string;
    businessId: string;
    tokenHash: string;
    expiresAt: Date;
  }): Promise<Session>;
  findByTokenHash(tokenHash: string, now: Date): Promise<Session | null>;
  delete(tokenHash: string): Promise<void>;
}

export interface LoginThrottleRepository {
  /** Failures recorded for `key` since `since`. */
  countFailures(key: string, since: Date): Promise<number>;
  recordFailure(key: string, at: Date): Promise<void>;
  clear(key: string): Promise<void>;
}

export interface ApiKey {
  id: string;
  businessId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiKeyRepository {
  create(input: {
    businessId: string;
    name: string;
    prefix: string;
    keyHash: string;
  }): Promise<ApiKey>;
  findActiveByHash(keyHash: string): Promise<ApiKey | null>;
  touch(id: string, at: Date): Promise<void>;
  list(businessId: string): Promise<ApiKey[]>;
  revoke(businessId: string, id: string, at: Date): Promise<boolean>;
}

export interface ContactRepository {
  /** The contact known by this identity, created (with the identity) when new. */
  findOrCreateByIdentity(
    businessId: string,
    identity: ContactIdentity,
    profile: { displayName?: string | null; phone?: string | null; email?: string | null },
  ): Promise<Contact>;
  findByIdentity(businessId: string, identity: ContactIdentity): Promise<Contact | null>;
  getById(businessId: string, id: string): Promise<Contact | null>;
  identities(businessId: string, contactId: string): Promise<ContactIdentity[]>;
}

export interface ConversationListFilter {
  state?: ConversationState | undefined;
  limit?: number | undefined;
}

export interface ConversationRepository {
  /** The contact's open (not resolved) conversation on the channel, or a new one. */
  findOrOpen(businessId: string, contactId: string, channel: ChannelKind): Promise<Conversation>;
  getById(businessId: string, id: string): Promise<Conversation | null>;
  /** Like getById, and locks the row until the transaction ends (use inside `transaction`). */
  getForUpdate(businessId: string, id: string): Promise<Conversation | null>;
  /** Waiting-for-a-person first, then unread, then most recent. */
  list(businessId: string, filter?: ConversationListFilter): Promise<Conversation[]>;
  listForContact(businessId: string, contactId: string): Promise<Conversation[]>;
  /**
   * Records a message on the conversation: preview, time, unread and inbound cursor. An inbound
   * message with `owesTurn: false` (a reaction, standby traffic) does not move the cursor.
   */
  noteMessage(
    businessId: string,
    id: string,
    message: Message,
    options?: { owesTurn?: boolean },
  ): Promise<Conversation>;
  /**
   * Moves the conversation to `to` only if it is now in one of `from`; returns the updated row, or
   * null when another actor moved it first (the compare-and-set that stops two people taking over).
   */
  transition(
    businessId: string,
    id: string,
    change: {
      from: readonly ConversationState[];
      to: ConversationState;
      assignedUserId?: string | null;
      handoffReason?: string | null;
    },
  ): Promise<Conversation | null>;
  markRead(businessId: string, id: string): Promise<void>;
  /**
   * Claims one conversation owing an agent turn (state `agent`, `lastInboundSeq > agentCursor`,
   * not leased), leasing it until `leaseUntil`. Safe across processes (`FOR UPDATE SKIP LOCKED`).
   */
  claimPendingTurn(now: Date, leaseUntil: Date): Promise<Conversation | null>;
  /** Ends a turn: advances the cursor to `handledSeq` and drops the lease. */
  finishTurn(
    businessId: string,
    id: string,
    result: { handledSeq: number; failure: AgentFailure | null },
  ): Promise<void>;
  /**
   * Gives the turn back without advancing, to be retried: at once, or not before `retryAt` (the
   * lease is kept until then).
   */
  releaseTurn(businessId: string, id: string, retryAt?: Date | null): Promise<void>;
}

export interface NewMessage {
  businessId: string;
  conversationId: string;
  channel: ChannelKind;
  direction: 'inbound' | 'outbound';
  author: MessageAuthor;
  authorUserId?: string | null;
  parts: MessagePart[];
  /** Provider id, or the widget's client id: unique per business and channel (deduplication). */
  channelMessageId?: string | null;
  status: DeliveryStatus;
}

export interface MessageRepository {
  /** Inserts the message; when its channel id was seen before, returns the earlier one instead. */
  insert(input: NewMessage): Promise<{ message: Message; duplicate: boolean }>;
  getById(businessId: string, id: string): Promise<Message | null>;
  /** Messages after `afterSeq` (exclusive), oldest first. */
  listForConversation(
    businessId: string,
    conversationId: string,
    options?: { afterSeq?: number; limit?: number },
  ): Promise<Message[]>;
  /**
   * A contact's messages on one channel, across their conversations, oldest first: those after
   * `afterSeq`, plus any created since `since` (see the widget stream for why both).
   */
  listForContact(
    businessId: string,
    contactId: string,
    channel: ChannelKind,
    options: { afterSeq: number; since?: Date; limit?: number },
  ): Promise<Message[]>;
  /** The newest `limit` messages, returned oldest first: the model's window. */
  recent(businessId: string, conversationId: string, limit: number): Promise<Message[]>;
  setStatus(
    businessId: string,
    id: string,
    status: DeliveryStatus,
    details?: { channelMessageId?: string | null; error?: string | null },
  ): Promise<void>;
}

export interface AgentStepRepository {
  insertMany(
    businessId: string,
    conversationId: string,
    turnId: string,
    steps: readonly AgentStepInput[],
  ): Promise<void>;
  listForConversation(businessId: string, conversationId: string): Promise<AgentStep[]>;
}

export interface AuditEntry {
  id: string;
  businessId: string;
  actorType: 'user' | 'api_key' | 'agent' | 'system';
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

export interface AuditRepository {
  record(entry: Omit<AuditEntry, 'id' | 'createdAt'>): Promise<void>;
  list(businessId: string, options?: { subjectId?: string; limit?: number }): Promise<AuditEntry[]>;
}

export interface KnowledgeHit {
  id: string;
  question: string;
  answer: string;
  score: number;
}

export interface KnowledgeRepository {
  /** Replaces the business's FAQ with exactly these entries. */
  replaceFaq(
    businessId: string,
    entries: ReadonlyArray<{ question: string; answer: string }>,
  ): Promise<void>;
  /** The live FAQ (deleted entries left out), in order. */
  listFaq(businessId: string): Promise<FaqEntry[]>;
  /**
   * Inside a transaction: waits for, then holds until commit, the business's FAQ write lock, so
   * two saves of the same question cannot both find no twin and both insert it.
   */
  lockFaqWrites(businessId: string): Promise<void>;
  /** Every FAQ row, tombstones of deleted file entries included: what start-up sync compares. */
  listFaqRecords(businessId: string): Promise<FaqRecord[]>;
  getFaq(businessId: string, id: string): Promise<FaqEntry | null>;
  /** Adds an entry written in the console, after the others. */
  createFaq(businessId: string, input: { question: string; answer: string }): Promise<FaqEntry>;
  /** Rewrites a live entry; it becomes the owner's ('console'), so start-up sync leaves it alone. */
  updateFaq(
    businessId: string,
    id: string,
    input: { question: string; answer: string },
  ): Promise<FaqEntry | null>;
  /**
   * Deletes a live entry: one from the file is kept as a tombstone so the next start does not
   * bring it back; one created in the console is removed. False if there is no such live entry.
   */
  deleteFaq(businessId: string, id: string): Promise<boolean>;
  /** Start-up sync's writes: file entries added, file entries updated, rows removed. */
  writeFileFaq(
    businessId: string,
    changes: {
      insert: ReadonlyArray<{ question: string; answer: string; position: number }>;
      update: ReadonlyArray<{ id: string; answer: string; position: number; fileQuestion: string }>;
      remove: readonly string[];
    },
  ): Promise<void>;
  /**
   * FAQ entries for a question, best first: any matching word counts; with the question's
   * embedding (and pgvector), the nearest entries by meaning are fused in by rank.
   */
  searchFaq(
    businessId: string,
    query: string,
    limit: number,
    embedding?: readonly number[],
  ): Promise<KnowledgeHit[]>;
  /** Live entries without a vector (new, rewritten, or from the file), oldest first. */
  faqWithoutEmbedding(
    businessId: string,
    limit: number,
  ): Promise<Array<{ id: string; question: string; answer: string }>>;
  /** Stores vectors, each only if its entry still has the question and answer that were embedded. */
  saveFaqEmbeddings(
    businessId: string,
    entries: ReadonlyArray<{ id: string; question: string; answer: string; embedding: number[] }>,
  ): Promise<void>;
}

export interface ProductInput {
  handle: string;
  title: string;
  description: string;
  category: string | null;
  tags: string[];
  status: Product['status'];
  variants: Array<Omit<ProductVariant, 'id'>>;
}

export interface ServiceInput {
  slug: string;
  name: string;
  description: string;
  durationMinutes: number;
  bufferMinutes: number;
  priceMinor: number;
}

export interface CatalogRepository {
  /**
   * Creates or updates products by handle; variants are replaced by title. Stock is `seed` by
   * default: a new variant takes the given stock, an existing one keeps its own (orders move it);
   * `replace` overwrites it (an import from the shop system that owns stock).
   */
  upsertProducts(
    businessId: string,
    products: readonly ProductInput[],
    options?: { stock?: 'seed' | 'replace' },
  ): Promise<void>;
  /** The product with this handle, any status. */
  getProduct(businessId: string, handle: string): Promise<Product | null>;
  /** Variants by id with their product; ids of other businesses are left out. */
  getVariants(businessId: string, variantIds: readonly string[]): Promise<CatalogVariant[]>;
  /** Takes `quantity` units if that many are in stock (untracked stock always succeeds). */
  takeStock(businessId: string, variantId: string, quantity: number): Promise<boolean>;
  /** Puts units back (a cancelled or expired order); untracked stock stays untracked. */
  returnStock(businessId: string, variantId: string, quantity: number): Promise<void>;
  /** Active products matching the search, best first. */
  searchProducts(businessId: string, search: ProductSearch): Promise<ProductHit[]>;
  listProducts(businessId: string, options?: { limit?: number }): Promise<Product[]>;
  countProducts(businessId: string): Promise<number>;
  /** What the business file said about each product when start-up sync last applied it. */
  listFileEntries(
    businessId: string,
  ): Promise<Array<{ handle: string; fileEntry: Record<string, unknown> | null }>>;
  /** Records what the file says now about these products (written only, never a product change). */
  setFileEntries(
    businessId: string,
    entries: ReadonlyArray<{ handle: string; fileEntry: Record<string, unknown> }>,
  ): Promise<void>;
  upsertServices(businessId: string, services: readonly ServiceInput[]): Promise<void>;
  listServices(businessId: string): Promise<Service[]>;
}

export interface OutboxItem {
  id: string;
  businessId: string;
  messageId: string;
  conversationId: string;
  channel: ChannelKind;
  attempts: number;
  status: 'pending' | 'sent' | 'failed';
  nextAttemptAt: Date;
  lastError: string | null;
}

export interface OutboxRepository {
  enqueue(input: {
    businessId: string;
    messageId: string;
    conversationId: string;
    channel: ChannelKind;
    at: Date;
  }): Promise<OutboxItem>;
  /** Claims up to `limit` due items, leasing them until `leaseUntil` (safe across processes). */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<OutboxItem[]>;
  markSent(id: string): Promise<void>;
  reschedule(id: string, nextAttemptAt: Date, error: string): Promise<void>;
  markFailed(id: string, error: string): Promise<void>;
  /**
   * Puts a claimed item back until `nextAttemptAt` without counting the attempt: for waits Parley
   * imposes on itself (rate limits, pacing), which say nothing about the message.
   */
  defer(id: string, nextAttemptAt: Date): Promise<void>;
  /**
   * When an older, still pending reply of the same conversation is next due (null: none). Replies
   * leave in the order they were written: a later one waits while an earlier one is retried.
   */
  earlierPendingDue(id: string): Promise<Date | null>;
  pendingCount(): Promise<number>;
}

export interface SettingsRepository {
  /** Returns the stored value, creating it with `create()` on first use (race-safe). */
  getOrCreate(key: string, create: () => string): Promise<string>;
}
