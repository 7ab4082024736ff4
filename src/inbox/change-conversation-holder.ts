import type { Conversation, ConversationState } from '../core/conversation.js';
import { ParleyError, notFound } from '../core/errors.js';
import type { Store } from '../core/store.js';
import type { Actor, InboxDependencies } from './inbox-dependencies.js';

type HolderChange = 'take-over' | 'hand-back' | 'resolve';

const TRANSITIONS: Record<
  HolderChange,
  { from: readonly ConversationState[]; to: ConversationState; refusal: string }
> = {
  'take-over': {
    from: ['agent', 'waiting_for_person'],
    to: 'person',
    refusal: 'Someone has already taken over this conversation. Refresh to see who holds it.',
  },
  'hand-back': {
    from: ['person'],
    to: 'agent',
    refusal: 'Only a conversation a person holds can be handed back to the agent.',
  },
  resolve: {
    from: ['agent', 'waiting_for_person', 'person'],
    to: 'resolved',
    refusal: 'This conversation is already resolved.',
  },
};

const CUSTOMER_NOTICES: Partial<
  Record<HolderChange, (actorName: string, business: string) => string>
> = {
  'take-over': (actorName, business) => `You're now chatting with ${actorName} from ${business}.`,
  'hand-back': (_actorName, business) => `You're chatting with the ${business} assistant again.`,
};

/**
 * Take over, hand back or resolve: a compare-and-set on the conversation's state, so two people
 * cannot both take the same conversation. The customer is told who they are talking to.
 */
export async function changeConversationHolder(
  deps: InboxDependencies,
  input: { businessId: string; conversationId: string; change: HolderChange; actor: Actor },
): Promise<Conversation> {
  const rule = TRANSITIONS[input.change];
  const result = await deps.store.transaction(async (tx) => {
    const existing = await tx.conversations.getById(input.businessId, input.conversationId);
    if (!existing) throw notFound('Conversation');
    const moved = await tx.conversations.transition(input.businessId, input.conversationId, {
      from: rule.from,
      to: rule.to,
      ...(input.change === 'take-over'
        ? { assignedUserId: input.actor.kind === 'user' ? input.actor.userId : null }
        : {}),
      ...(input.change === 'hand-back' ? { assignedUserId: null, handoffReason: null } : {}),
    });
    if (!moved) throw new ParleyError('conflict', await refusalFor(tx, input, rule.refusal));
    const noticeSeq = await sendCustomerNotice(tx, moved, input.change, input.actor);
    await tx.audit.record({
      businessId: input.businessId,
      actorType: input.actor.kind === 'user' ? 'user' : 'api_key',
      actorId: input.actor.kind === 'user' ? input.actor.userId : input.actor.apiKeyId,
      action: `conversation.${input.change}`,
      subjectType: 'conversation',
      subjectId: input.conversationId,
      details: { from: existing.state, to: moved.state },
    });
    return { conversation: moved, noticeSeq, from: existing.state };
  });
  const { conversation, noticeSeq, from } = result;
  if (noticeSeq !== null) {
    deps.live.publish({
      type: 'message-created',
      businessId: input.businessId,
      conversationId: conversation.id,
      seq: noticeSeq,
    });
    deps.live.publish({ type: 'outbox-enqueued', businessId: input.businessId });
  }
  deps.live.publish({
    type: 'conversation-updated',
    businessId: input.businessId,
    conversationId: conversation.id,
    state: conversation.state,
    holderChange: { change: input.change, from },
  });
  return conversation;
}

async function sendCustomerNotice(
  tx: Store,
  conversation: Conversation,
  change: HolderChange,
  actor: Actor,
): Promise<number | null> {
  const notice = CUSTOMER_NOTICES[change];
  if (!notice) return null;
  const business = await tx.businesses.getById(conversation.businessId);
  const actorName = actor.kind === 'user' ? firstName(actor.name) : 'our team';
  const { message } = await tx.messages.insert({
    businessId: conversation.businessId,
    conversationId: conversation.id,
    channel: conversation.channel,
    direction: 'outbound',
    author: 'system',
    parts: [{ type: 'text', text: notice(actorName, business?.name ?? 'us') }],
    status: 'pending',
  });
  await tx.outbox.enqueue({
    businessId: conversation.businessId,
    messageId: message.id,
    conversationId: conversation.id,
    channel: conversation.channel,
    at: message.createdAt,
  });
  await tx.conversations.noteMessage(conversation.businessId, conversation.id, message);
  return message.seq;
}

/**
 * Why the change was refused. A take-over that lost the race names the winner (read after the
 * compare-and-set failed, so it sees the committed holder).
 */
async function refusalFor(
  tx: Store,
  input: { businessId: string; conversationId: string; change: HolderChange },
  fallback: string,
): Promise<string> {
  if (input.change !== 'take-over') return fallback;
  const current = await tx.conversations.getById(input.businessId, input.conversationId);
  if (current?.state === 'resolved') {
    return 'This conversation is resolved. A new message from the customer opens a new one.';
  }
  if (current?.state !== 'person') return fallback;
  const holder = current.assignedUserId
    ? await tx.users.getById(input.businessId, current.assignedUserId)
    : null;
  return `${holder?.name ?? 'Someone'} has already taken over this conversation.`;
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name;
}
