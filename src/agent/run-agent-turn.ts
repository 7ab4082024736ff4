import type { AgentStepInput } from '../core/agent-step.js';
import type { AgentTool } from '../core/agent-tool.js';
import type { BlobStore } from '../core/blob-store.js';
import type { Clock } from '../core/clock.js';
import type { AgentFailure, Conversation, ConversationState } from '../core/conversation.js';
import type { IdGenerator } from '../core/ids.js';
import type { LiveEvents } from '../core/live-events.js';
import type { MessagePart } from '../core/message.js';
import type { ModelBinding } from '../core/model.js';
import type { Store } from '../core/store.js';
import { composeMenuReply } from './menu-reply.js';
import type { ModelCircuit } from './model-circuit.js';
import { loadCustomerImages } from './customer-images.js';
import { toModelMessages, type CustomerImage } from './model-messages.js';
import { runToolLoop } from './run-tool-loop.js';
import { buildSystemPrompt } from './system-prompt.js';
import type { HandoffGuard } from './handoff/handoff-guard.js';
import type { TurnGuard } from './turn-guard.js';

/** Per-business agent settings, resolved by the composition root from the business's config. */
export interface AgentSettings {
  model: ModelBinding | null;
  maxSteps: number;
  historyMessages: number;
}

export interface AgentTurnDependencies {
  store: Store;
  live: LiveEvents;
  clock: Clock;
  ids: IdGenerator;
  circuit: ModelCircuit;
  tools: readonly AgentTool[];
  settingsFor(businessId: string): AgentSettings;
  /** Monotonic milliseconds, for latencies. */
  now?: () => number;
  /** The owner's handoff policy, evaluated in code before and after the model. */
  handoff?: HandoffGuard;
  /** Promises 1 and 2: confirmations before the model, grounding and links after it. */
  guard?: TurnGuard;
  /** Where customers' photos are, for a model that reads images (`ModelBinding.acceptsImages`). */
  blobs?: Pick<BlobStore, 'get'>;
}

export type TurnOutcome =
  | { kind: 'replied'; mode: 'model' | 'menu' | 'failure'; handedOff: boolean }
  /** A person took the conversation while the agent was thinking: the reply was dropped. */
  | { kind: 'superseded' }
  | { kind: 'nothing-to-do' };

const MODEL_ATTEMPTS = 2;

/**
 * One agent turn for a claimed conversation: read the window, answer (model with tools, or menus
 * when there is no working model), and commit the reply, the steps and the conversation's new state
 * in one transaction.
 */
export async function runAgentTurn(
  deps: AgentTurnDependencies,
  claimed: Conversation,
): Promise<TurnOutcome> {
  const { store, clock } = deps;
  const now = deps.now ?? (() => performance.now());
  const business = await store.businesses.getById(claimed.businessId);
  if (!business) {
    await store.conversations.finishTurn(claimed.businessId, claimed.id, {
      handledSeq: claimed.lastInboundSeq,
      failure: null,
    });
    return { kind: 'nothing-to-do' };
  }
  const settings = deps.settingsFor(business.id);
  const window = await store.messages.recent(business.id, claimed.id, settings.historyMessages);
  const newMessages = window.filter(
    (message) => message.direction === 'inbound' && message.seq > claimed.agentCursor,
  );
  const handledSeq = claimed.lastInboundSeq;

  let parts: MessagePart[];
  let handoffReason: string | null = null;
  let failure: AgentFailure | null = null;
  let mode: 'model' | 'menu' | 'failure';
  const steps: AgentStepInput[] = [];
  // The handoff policy runs first: a rule that fires takes the turn before any model sees it.
  let handoff = await deps.handoff?.before({
    business,
    conversation: claimed,
    window,
    newMessages,
  });

  // A customer's answer to a pending confirmation is settled in code; no model sees it.
  const settled = await deps.guard?.settle({
    business,
    conversation: claimed,
    window,
    newMessages,
  });
  if (handoff?.stop) {
    parts = [{ type: 'text', text: handoff.stop.notice }];
    handoffReason = handoff.stop.reason;
    mode = 'menu';
  } else if (settled) {
    ({ parts, handoffReason } = settled);
    mode = 'menu';
  } else if (!settings.model || deps.circuit.isOpen()) {
    const menu = await composeMenuReply(store, business, newMessages);
    parts = menu.parts;
    handoffReason = menu.handoffReason;
    mode = 'menu';
  } else {
    const requestedHandoffs: string[] = [];
    const context = {
      scope: { businessId: business.id, contactId: claimed.contactId, conversationId: claimed.id },
      store,
      clock,
      effects: { requestHuman: (reason: string) => requestedHandoffs.push(reason) },
    };
    const images =
      settings.model.acceptsImages && deps.blobs
        ? await loadCustomerImages(window, deps.blobs)
        : new Map<string, CustomerImage>();
    let reply: string | null = null;
    for (
      let attempt = 1;
      attempt <= MODEL_ATTEMPTS && reply === null && failure?.code !== 'model_refused';
      attempt++
    ) {
      requestedHandoffs.length = 0;
      const result = await runToolLoop({
        binding: settings.model,
        system:
          buildSystemPrompt(business, deps.tools, clock.now()) + (handoff?.promptSuffix ?? ''),
        messages: toModelMessages(window, images),
        tools: deps.tools,
        context,
        maxSteps: settings.maxSteps,
        now,
      });
      steps.push(...result.steps);
      if (result.ok) reply = result.text;
      else failure = { at: clock.now().toISOString(), code: result.code, message: result.message };
    }
    if (reply !== null) {
      deps.circuit.recordSuccess();
      failure = null;
      parts = [{ type: 'text', text: reply }];
      handoffReason = requestedHandoffs[0] ?? null;
      if (deps.handoff && handoff) {
        ({ text: reply, check: handoff } = await deps.handoff.after(handoff, reply));
        parts = [{ type: 'text', text: reply }];
        handoffReason = handoff.stop?.reason ?? handoffReason;
      }
      if (deps.guard) {
        const binding = settings.model;
        ({ parts, handoffReason } = await deps.guard.review({
          business,
          conversation: claimed,
          window,
          reply,
          handoffReason,
          steps,
          retry: (extra) =>
            runToolLoop({
              binding,
              system: buildSystemPrompt(business, deps.tools, clock.now()),
              messages: [...toModelMessages(window, images), ...extra],
              tools: deps.tools,
              context,
              maxSteps: settings.maxSteps,
              now,
            }),
        }));
      }
      mode = 'model';
    } else if (failure?.code === 'model_refused') {
      // A budget's hard stop or a data-class rule: menus, and the model stays trusted for others.
      const menu = await composeMenuReply(store, business, newMessages);
      parts = menu.parts;
      handoffReason = menu.handoffReason;
      mode = 'menu';
    } else {
      deps.circuit.recordFailure();
      parts = [
        {
          type: 'text',
          text: `Sorry, I can't answer properly right now. I've asked a person from ${business.name} to reply to you here.`,
        },
      ];
      handoffReason = `the model failed (${failure?.code ?? 'unknown'})`;
      mode = 'failure';
    }
  }

  const turnId = deps.ids.newId();
  const committed = await store.transaction(async (tx) => {
    const current = await tx.conversations.getForUpdate(business.id, claimed.id);
    await tx.agentSteps.insertMany(business.id, claimed.id, turnId, steps);
    if (handoff) await deps.handoff?.record(tx, handoff, turnId);
    if (!current || current.state !== 'agent') {
      await tx.conversations.finishTurn(business.id, claimed.id, { handledSeq, failure });
      return null;
    }
    const { message } = await tx.messages.insert({
      businessId: business.id,
      conversationId: claimed.id,
      channel: claimed.channel,
      direction: 'outbound',
      author: 'agent',
      parts,
      status: 'pending',
    });
    await tx.outbox.enqueue({
      businessId: business.id,
      messageId: message.id,
      conversationId: claimed.id,
      channel: claimed.channel,
      at: clock.now(),
    });
    await tx.conversations.noteMessage(business.id, claimed.id, message);
    let state: ConversationState = current.state;
    if (handoffReason !== null) {
      const moved = await tx.conversations.transition(business.id, claimed.id, {
        from: ['agent'],
        to: 'waiting_for_person',
        handoffReason,
      });
      state = moved?.state ?? state;
      await tx.audit.record({
        businessId: business.id,
        actorType: 'agent',
        actorId: null,
        action: 'conversation.handed-off',
        subjectType: 'conversation',
        subjectId: claimed.id,
        details: { reason: handoffReason, turnId },
      });
    }
    await tx.conversations.finishTurn(business.id, claimed.id, { handledSeq, failure });
    return { message, state };
  });

  if (!committed) return { kind: 'superseded' };
  deps.live.publish({
    type: 'message-created',
    businessId: business.id,
    conversationId: claimed.id,
    seq: committed.message.seq,
  });
  deps.live.publish({
    type: 'conversation-updated',
    businessId: business.id,
    conversationId: claimed.id,
    state: committed.state,
  });
  deps.live.publish({ type: 'outbox-enqueued', businessId: business.id });
  if (handoff) void deps.handoff?.notify(handoff);
  return { kind: 'replied', mode, handedOff: handoffReason !== null };
}
