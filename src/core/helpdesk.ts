/**
 * A helpdesk the business's team works in (Zendesk first): a handoff opens a ticket there, the
 * team's replies in Parley become public comments on it, and its agents' public comments come back
 * to the customer. Implementations live with the channels.
 */
export interface HelpdeskTicketInput {
  subject: string;
  /** The last messages of the conversation, one `Author: text` line each. */
  transcript: string;
  summary: string;
  requester: { name: string; email: string | null };
  /** The Parley conversation, stored on the ticket so it can be found from either side. */
  externalId: string;
}

/** A comment a helpdesk reports through its webhook, already verified. */
export interface HelpdeskComment {
  ticketId: string;
  commentId: string;
  body: string;
  public: boolean;
  /** The helpdesk user who wrote it (their e-mail when the helpdesk gives it). */
  authorEmail: string | null;
  authorName: string;
}

export interface Helpdesk {
  /** Opens a ticket and returns its id in the helpdesk. */
  createTicket(ticket: HelpdeskTicketInput): Promise<{ ticketId: string }>;
  addComment(ticketId: string, text: string, isPublic: boolean): Promise<void>;
  /**
   * Checks the webhook's signature over the raw body and parses it; throws a ParleyError
   * (`unauthorized` for a bad signature, `validation_failed` for a body it cannot read).
   */
  parseWebhook(request: {
    headers: Record<string, string | undefined>;
    rawBody: string;
  }): HelpdeskComment;
  /** True when a comment was written through this helpdesk's API user (our own, echoed back). */
  isOwnComment(comment: HelpdeskComment): boolean;
}

/** A retryable failure talking to the helpdesk; `retryAfterMs` when it said how long to wait. */
export class HelpdeskUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'HelpdeskUnavailableError';
  }
}

export interface HelpdeskTicket {
  id: string;
  businessId: string;
  conversationId: string;
  /** One ticket per handoff episode: the deciding handoff decision, or when the wait began. */
  episode: string;
  ticketId: string | null;
  state: 'pending' | 'created' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  /** The last person message (by seq) already copied to the ticket as a comment. */
  syncedSeq: number;
  createdAt: Date;
}

export interface HelpdeskRepository {
  /** Records a ticket to open for the episode; nothing when one exists (idempotent). */
  enqueueTicket(input: {
    businessId: string;
    conversationId: string;
    episode: string;
    syncedSeq: number;
  }): Promise<void>;
  /** Pending tickets due at `now`. */
  dueTickets(now: Date, limit: number): Promise<HelpdeskTicket[]>;
  markCreated(id: string, ticketId: string): Promise<void>;
  markRetry(
    id: string,
    input: { error: string; nextAttemptAt: Date; failed: boolean },
  ): Promise<void>;
  /** Created tickets with a person message newer than their synced seq. */
  ticketsWithNewReplies(limit: number): Promise<HelpdeskTicket[]>;
  setSyncedSeq(id: string, seq: number): Promise<void>;
  /** The newest ticket of the business with this helpdesk id. */
  findByTicketId(businessId: string, ticketId: string): Promise<HelpdeskTicket | null>;
  /** Records an incoming comment; false when it was seen before (a replay). */
  recordIncomingComment(input: {
    businessId: string;
    commentId: string;
    ticketId: string;
  }): Promise<boolean>;
  /** Links the message a comment became to the comment, so it is not copied back. */
  linkIncomingMessage(businessId: string, commentId: string, messageId: string): Promise<void>;
  /** Message ids that came from the helpdesk, among `messageIds`. */
  incomingMessageIds(businessId: string, messageIds: readonly string[]): Promise<Set<string>>;
}

/** The business file's `zendesk:` section, validated (zendesk-config.ts). */
export interface ZendeskSettings {
  /** `https://{subdomain}.zendesk.com`, or the `baseUrl` given (no trailing slash). */
  baseUrl: string;
  /** The Zendesk agent whose API token Parley uses; its comments are recognised as Parley's. */
  email: string;
  apiToken: string;
  /** The signing secret of the Zendesk webhook that sends comments to Parley. */
  webhookSecret: string;
}
