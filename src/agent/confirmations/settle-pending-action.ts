import type { Business } from '../../core/business.js';
import { confirmChoiceId, type PendingAction } from '../../core/commerce.js';
import type { Conversation } from '../../core/conversation.js';
import type { Message, MessagePart } from '../../core/message.js';
import type { ActionDependencies } from '../../tools/confirmations/action-dependencies.js';
import { carryOutAction } from '../../tools/confirmations/carry-out-action.js';
import { classifyAnswer } from './customer-answer.js';

export interface SettleInput {
  business: Business;
  conversation: Conversation;
  /** The conversation's recent messages, oldest first. */
  window: readonly Message[];
  /** The customer's messages this turn answers. */
  newMessages: readonly Message[];
}

export interface SettledReply {
  parts: MessagePart[];
  handoffReason: string | null;
}

const DECLINED: Record<PendingAction['kind'], string> = {
  place_order: "OK, I haven't placed the order. Your cart is still saved if you change your mind.",
  book_appointment: "OK, I haven't booked anything.",
  reschedule_appointment: 'OK, your appointment stays as it was.',
  cancel_appointment: 'OK, your appointment is not cancelled.',
};

/**
 * Promise 2, confirmation: runs before any model. If the conversation has a proposal waiting and
 * the customer's one new message is its confirm button or an unambiguous yes (to the summary
 * Parley sent in the message just before), the action is carried out here, in code. A no
 * declines it; anything else lets it lapse, and the model answers as usual.
 */
export async function settlePendingAction(
  deps: ActionDependencies,
  input: SettleInput,
): Promise<SettledReply | null> {
  const { store, clock } = deps;
  const { business, conversation } = input;
  const action = await store.pendingActions.findOpen(business.id, conversation.id);
  if (!action) return null;

  const lapse = async (reason: string) => {
    if (await store.pendingActions.settle(business.id, action.id, 'lapsed', { reason })) {
      await audit(deps, action, 'confirmation.lapsed', { reason });
    }
  };
  const [message, ...more] = input.newMessages;
  if (!message || more.length > 0 || action.contactId !== conversation.contactId) {
    await lapse('the next message was not a single answer to the summary');
    return null;
  }
  if (!offeredJustBefore(input.window, message, action)) {
    await lapse('the summary was not the last thing the customer saw');
    return null;
  }
  const answer = classifyAnswer(message, action.id);
  if (answer === 'other') {
    await lapse('the customer wrote something other than a confirmation');
    return null;
  }
  if (clock.now() > action.expiresAt) {
    await lapse('expired');
    return {
      parts: [
        {
          type: 'text',
          text: 'That confirmation has expired, so nothing was done. Ask me again when you are ready.',
        },
      ],
      handoffReason: null,
    };
  }
  if (answer === 'decline') {
    if (await store.pendingActions.settle(business.id, action.id, 'declined', null)) {
      await audit(deps, action, 'confirmation.declined', { messageId: message.id });
    }
    return { parts: [{ type: 'text', text: DECLINED[action.kind] }], handoffReason: null };
  }
  const outcome = await carryOutAction(deps, action);
  if (!outcome) return null;
  await audit(deps, action, `confirmation.${outcome.status}`, {
    messageId: message.id,
    ...outcome.result,
  });
  return {
    parts: [{ type: 'text', text: outcome.text }, ...(outcome.attachments ?? [])],
    handoffReason: outcome.handoffReason,
  };
}

/** The last outbound message before the customer's answer must carry this action's buttons. */
function offeredJustBefore(
  window: readonly Message[],
  answer: Message,
  action: PendingAction,
): boolean {
  const previous = window
    .filter((message) => message.direction === 'outbound' && message.seq < answer.seq)
    .at(-1);
  return (
    previous?.parts.some(
      (part) =>
        part.type === 'choices' &&
        part.choices.some((choice) => choice.id === confirmChoiceId(action.id)),
    ) ?? false
  );
}

async function audit(
  { store }: ActionDependencies,
  action: PendingAction,
  name: string,
  details: Record<string, unknown>,
): Promise<void> {
  await store.audit.record({
    businessId: action.businessId,
    actorType: 'system',
    actorId: null,
    action: name,
    subjectType: 'pending_action',
    subjectId: action.id,
    details: { kind: action.kind, conversationId: action.conversationId, ...details },
  });
}
