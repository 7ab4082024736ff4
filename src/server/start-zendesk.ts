import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createZendeskHelpdesk } from '../channels/zendesk/zendesk-helpdesk.js';
import type { BusinessConfig } from '../config/business-config.js';
import { triggersOpeningTickets } from '../config/handoff-config.js';
import type { Clock } from '../core/clock.js';
import { isParleyError } from '../core/errors.js';
import {
  HelpdeskUnavailableError,
  type Helpdesk,
  type HelpdeskComment,
  type HelpdeskTicket,
} from '../core/helpdesk.js';
import type { HandoffPolicy, HandoffTrigger } from '../core/handoff.js';
import type { LiveEvents } from '../core/live-events.js';
import type { Message } from '../core/message.js';
import type { Store } from '../core/store.js';
import { changeConversationHolder } from '../inbox/change-conversation-holder.js';
import type { Actor } from '../inbox/inbox-dependencies.js';
import { replyAsPerson } from '../inbox/reply-as-person.js';
import { registerZendeskRoutes } from './routes/zendesk-routes.js';

/** How many of the latest messages the ticket quotes. */
const TRANSCRIPT_MESSAGES = 20;
/** How long a new ticket waits for the takeover summary before it is opened without one. */
const SUMMARY_WAIT_MS = 20_000;
const MAX_ATTEMPTS = 24;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 60 * 60_000;

const AUTHORS: Record<Message['author'], string> = {
  customer: 'Customer',
  agent: 'Agent',
  person: 'Team',
  system: 'Parley',
};

/** Replies written in Zendesk reach the customer as the business's team. */
const ZENDESK_ACTOR: Actor = { kind: 'api_key', apiKeyId: 'zendesk' };

export interface ZendeskWiring {
  helpdeskFor(businessId: string): Helpdesk | null;
  /** Opens due tickets and copies new team replies as comments, once. */
  syncOnce(): Promise<void>;
  /** Registers `POST /webhooks/zendesk/:businessId` (before the server listens). */
  registerRoutes(app: FastifyInstance): void;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Zendesk for the business Parley was started for, when its file has a `zendesk:` section: a
 * handoff whose deciding trigger lists `zendesk` in its `notify` queues a ticket (durably: the row
 * is retried until Zendesk takes it), the team's replies in Parley become public comments, and
 * Zendesk agents' public comments come back by webhook. A handoff no rule decided (the agent's
 * request_human, a menu choice, a model failure) follows the `personRequest` trigger's list.
 */
export function wireZendesk(input: {
  store: Store;
  live: LiveEvents;
  clock: Clock;
  logger: Logger;
  businessId: string;
  config: BusinessConfig;
  /** The effective handoff policy (the console's edit, else the file's). */
  policyFor: (businessId: string) => Promise<HandoffPolicy>;
  pollMs: number;
  fetch?: typeof fetch;
}): ZendeskWiring {
  const { store, live, clock, logger } = input;
  const settings = input.config.zendesk ?? null;
  const helpdesk = settings
    ? createZendeskHelpdesk(settings, input.fetch ? { fetch: input.fetch } : {})
    : null;
  const helpdeskFor = (businessId: string) => (businessId === input.businessId ? helpdesk : null);
  /** Tickets whose comments wait (Retry-After or back-off), by ticket row id. */
  const commentsPausedUntil = new Map<string, number>();

  async function enqueueFor(businessId: string, conversationId: string): Promise<void> {
    if (!helpdeskFor(businessId)) return;
    const conversation = await store.conversations.getById(businessId, conversationId);
    if (!conversation?.waitingSince || conversation.state !== 'waiting_for_person') return;
    const trigger = await decidingTrigger(businessId, conversationId);
    const policy = await input.policyFor(businessId);
    if (!policy.triggers[trigger].notify.includes('zendesk')) return;
    const [latest] = await store.messages.recent(businessId, conversationId, 1);
    await store.helpdesk.enqueueTicket({
      businessId,
      conversationId,
      episode: `waiting-since:${conversation.waitingSince.toISOString()}`,
      syncedSeq: latest?.seq ?? 0,
    });
  }

  /**
   * The trigger that handed the conversation over: the deciding rule of its latest turn (the turn
   * that moved it to waiting; no turn runs while it waits), else `personRequest`.
   */
  async function decidingTrigger(
    businessId: string,
    conversationId: string,
  ): Promise<HandoffTrigger> {
    const decisions = await store.handoffDecisions.listForConversation(businessId, conversationId);
    const lastTurn = decisions.at(-1)?.turnId;
    const deciding = decisions.find(
      (decision) =>
        decision.turnId === lastTurn &&
        decision.deciding &&
        decision.fired &&
        decision.action !== 'notify',
    );
    return deciding?.trigger ?? 'personRequest';
  }

  async function openTicket(row: HelpdeskTicket, desk: Helpdesk): Promise<void> {
    const conversation = await store.conversations.getById(row.businessId, row.conversationId);
    if (!conversation) return;
    const summary = await store.handoffSummaries.latest(row.businessId, row.conversationId);
    // The summary of this handoff, not of an earlier one (the episode starts when the wait did).
    const handedAt = Date.parse(row.episode.replace(/^waiting-since:/, ''));
    const since = Number.isNaN(handedAt) ? row.createdAt.getTime() : handedAt;
    const freshSummary = summary && summary.createdAt.getTime() >= since ? summary : null;
    const sinceQueued = clock.now().getTime() - row.createdAt.getTime();
    if (!freshSummary && sinceQueued < SUMMARY_WAIT_MS) return; // the summary is being written
    const contact = await store.contacts.getById(row.businessId, conversation.contactId);
    const messages = (await store.messages.recent(row.businessId, row.conversationId, 60))
      .filter((message) => message.text.trim() !== '')
      .slice(-TRANSCRIPT_MESSAGES);
    const name = contact?.displayName ?? 'Customer';
    const reason = conversation.handoffReason ?? 'handed to a person';
    const { ticketId } = await desk.createTicket({
      subject: `${name} (${conversation.channel}): ${reason}`,
      summary: freshSummary?.text ?? `Handed to a person: ${reason}.`,
      transcript: messages
        .map((message) => `${AUTHORS[message.author]}: ${message.text.trim()}`)
        .join('\n'),
      requester: { name, email: contact?.email ?? null },
      externalId: row.conversationId,
    });
    await store.helpdesk.markCreated(row.id, ticketId);
  }

  function retryDelay(error: unknown, attempts: number): number {
    if (error instanceof HelpdeskUnavailableError && error.retryAfterMs !== null) {
      return error.retryAfterMs;
    }
    return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempts);
  }

  async function openDueTickets(): Promise<void> {
    const now = clock.now();
    for (const row of await store.helpdesk.dueTickets(now, 20)) {
      const desk = helpdeskFor(row.businessId);
      if (!desk) continue;
      try {
        await openTicket(row, desk);
      } catch (error) {
        const permanent = isParleyError(error) && error.code === 'unprocessable';
        const failed = permanent || row.attempts + 1 >= MAX_ATTEMPTS;
        await store.helpdesk.markRetry(row.id, {
          error: (error as Error).message,
          nextAttemptAt: new Date(now.getTime() + retryDelay(error, row.attempts)),
          failed,
        });
        logger.warn(
          { err: error, conversationId: row.conversationId, failed },
          'Zendesk ticket not created',
        );
      }
    }
  }

  async function copyReplies(): Promise<void> {
    const now = clock.now().getTime();
    for (const row of await store.helpdesk.ticketsWithNewReplies(50)) {
      const desk = helpdeskFor(row.businessId);
      if (!desk || !row.ticketId || (commentsPausedUntil.get(row.id) ?? 0) > now) continue;
      const replies = (
        await store.messages.listForConversation(row.businessId, row.conversationId, {
          afterSeq: row.syncedSeq,
          limit: 50,
        })
      ).filter((message) => message.author === 'person');
      const fromHelpdesk = await store.helpdesk.incomingMessageIds(
        row.businessId,
        replies.map((message) => message.id),
      );
      for (const reply of replies) {
        try {
          if (!fromHelpdesk.has(reply.id) && reply.text.trim() !== '') {
            await desk.addComment(row.ticketId, reply.text, true);
          }
        } catch (error) {
          if (!(isParleyError(error) && error.code === 'unprocessable')) {
            commentsPausedUntil.set(row.id, now + retryDelay(error, 3));
            logger.warn({ err: error, ticketId: row.ticketId }, 'Zendesk comment not added yet');
            break;
          }
          // Zendesk will never take this one (a closed ticket): skip it rather than block the rest.
          logger.error({ err: error, ticketId: row.ticketId }, 'Zendesk refused a comment');
        }
        await store.helpdesk.setSyncedSeq(row.id, reply.seq);
        commentsPausedUntil.delete(row.id);
      }
    }
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let unsubscribe: (() => void) | null = null;
  const pending = new Set<Promise<void>>();

  async function syncOnce(): Promise<void> {
    await openDueTickets();
    await copyReplies();
  }

  function tick(): void {
    if (running) return;
    running = syncOnce()
      .catch((error: unknown) => logger.error({ err: error }, 'Zendesk sync failed'))
      .finally(() => {
        running = null;
      });
  }

  return {
    helpdeskFor,
    syncOnce,
    registerRoutes(app) {
      registerZendeskRoutes(app, {
        helpdeskFor,
        receive: (businessId, comment) =>
          receiveComment({ store, live, clock }, businessId, comment),
      });
    },
    start() {
      if (!helpdesk || timer) return;
      void input
        .policyFor(input.businessId)
        .then((policy) => {
          if (triggersOpeningTickets(policy).length > 0) return;
          logger.warn(
            'Zendesk is configured, but no handoff trigger lists zendesk in its notify, so no ticket will be opened. Add zendesk to the notify of the triggers that should open one (handoff.triggers.<trigger>.notify in the business file, or the Handoff page of the console).',
          );
        })
        .catch((error: unknown) => logger.error({ err: error }, 'Zendesk policy check failed'));
      unsubscribe = live.subscribe((event) => {
        if (event.type !== 'conversation-updated' || event.state !== 'waiting_for_person') return;
        const work = enqueueFor(event.businessId, event.conversationId)
          .catch((error: unknown) => logger.error({ err: error }, 'Zendesk ticket not queued'))
          .finally(() => pending.delete(work));
        pending.add(work);
      });
      // Handoffs while Parley was down (or before the event reached us) still get their ticket.
      const sweep = store.conversations
        .list(input.businessId, { state: 'waiting_for_person', limit: 500 })
        .then(async (waiting) => {
          for (const conversation of waiting) await enqueueFor(input.businessId, conversation.id);
        })
        .catch((error: unknown) => logger.error({ err: error }, 'Zendesk handoff sweep failed'))
        .finally(() => pending.delete(sweep));
      pending.add(sweep);
      timer = setInterval(tick, input.pollMs);
    },
    async stop() {
      unsubscribe?.();
      if (timer) clearInterval(timer);
      timer = null;
      await Promise.all([...pending, running]);
    },
  };
}

/**
 * A Zendesk agent's public comment becomes the team's reply to the customer (through the outbox),
 * once per comment id; the first one takes the conversation over from the waiting state. Private
 * notes, empty comments and Parley's own comments echoed back are ignored.
 */
export async function receiveComment(
  deps: { store: Store; live: LiveEvents; clock: Clock },
  businessId: string,
  comment: HelpdeskComment & { own: boolean },
): Promise<{ result: 'delivered' | 'duplicate' | 'ignored'; reason?: string; messageId?: string }> {
  if (comment.own) return { result: 'ignored', reason: 'written by Parley' };
  if (!comment.public) return { result: 'ignored', reason: 'a private note' };
  if (comment.body === '') return { result: 'ignored', reason: 'empty' };
  const ticket = await deps.store.helpdesk.findByTicketId(businessId, comment.ticketId);
  if (!ticket) return { result: 'ignored', reason: 'not a ticket Parley opened' };
  return deps.store.transaction(async (tx) => {
    const fresh = await tx.helpdesk.recordIncomingComment({
      businessId,
      commentId: comment.commentId,
      ticketId: comment.ticketId,
    });
    if (!fresh) return { result: 'duplicate' as const };
    const inner = { store: tx, live: deps.live, clock: deps.clock };
    const conversation = await tx.conversations.getById(businessId, ticket.conversationId);
    if (!conversation || conversation.state === 'resolved') {
      return { result: 'ignored' as const, reason: 'the conversation is resolved' };
    }
    if (conversation.state !== 'person') {
      await changeConversationHolder(inner, {
        businessId,
        conversationId: conversation.id,
        change: 'take-over',
        actor: ZENDESK_ACTOR,
      });
    }
    const message = await replyAsPerson(inner, {
      businessId,
      conversationId: conversation.id,
      text: comment.body,
      actor: ZENDESK_ACTOR,
    });
    await tx.helpdesk.linkIncomingMessage(businessId, comment.commentId, message.id);
    return { result: 'delivered' as const, messageId: message.id };
  });
}

/** Wires Zendesk, registers its webhook route on `app` (before it listens) and starts syncing. */
export function startZendesk(
  input: Parameters<typeof wireZendesk>[0],
  app: FastifyInstance,
): ZendeskWiring {
  const wiring = wireZendesk(input);
  wiring.registerRoutes(app);
  wiring.start();
  return wiring;
}
