import type { Business } from '../../core/business.js';
import type { Conversation } from '../../core/conversation.js';
import type { HandoffDecisionInput, HandoffPolicy, Mailer } from '../../core/handoff.js';
import type { Store } from '../../core/store.js';

/** The owner's WhatsApp number as an identity: digits only, as Meta's wa_id. */
export function ownerWhatsAppIdentity(phone: string): { channel: 'whatsapp'; externalId: string } {
  return { channel: 'whatsapp', externalId: phone.replace(/\D/g, '') };
}

/** One line for the owner: which rule fired, why, and where to look. */
export function describeForOwner(
  business: Business,
  conversation: Conversation,
  decision: HandoffDecisionInput,
): { subject: string; text: string } {
  const what =
    decision.action === 'notify'
      ? 'needs a look'
      : decision.action === 'callback'
        ? 'wants a call back'
        : 'needs a person';
  return {
    subject: `[${business.name}] A ${conversation.channel} conversation ${what} (${decision.trigger})`,
    text: `Rule: ${decision.trigger} (${decision.action})\nEvidence: ${decision.evidence}\nConversation: /conversations/${conversation.id}\n`,
  };
}

/**
 * Queues the owner's WhatsApp notification through the outbox, inside the turn's transaction, so
 * it survives a crash like every other message. The WhatsApp sender is a separate piece: until it
 * is configured the item waits in the outbox.
 */
export async function queueWhatsAppNotification(
  tx: Store,
  input: { business: Business; policy: HandoffPolicy; text: string; at: Date },
): Promise<void> {
  const to = input.policy.notifications.whatsappTo;
  if (!to) return;
  const contact = await tx.contacts.findOrCreateByIdentity(
    input.business.id,
    ownerWhatsAppIdentity(to),
    {
      displayName: `${input.business.name} notifications`,
      phone: to,
    },
  );
  const conversation = await tx.conversations.findOrOpen(input.business.id, contact.id, 'whatsapp');
  // The agent must never answer the owner's notification thread.
  if (conversation.state === 'agent') {
    await tx.conversations.transition(input.business.id, conversation.id, {
      from: ['agent'],
      to: 'person',
      handoffReason: 'owner notifications',
    });
  }
  const { message } = await tx.messages.insert({
    businessId: input.business.id,
    conversationId: conversation.id,
    channel: 'whatsapp',
    direction: 'outbound',
    author: 'system',
    parts: [{ type: 'text', text: input.text }],
    status: 'pending',
  });
  await tx.outbox.enqueue({
    businessId: input.business.id,
    messageId: message.id,
    conversationId: conversation.id,
    channel: 'whatsapp',
    at: input.at,
  });
  await tx.conversations.noteMessage(input.business.id, conversation.id, message);
}

/** Sends the e-mail notification; failures go to `onError` (the handoff itself already happened). */
export async function sendEmailNotification(
  mailer: Mailer | null,
  policy: HandoffPolicy,
  mail: { subject: string; text: string },
  onError: (error: unknown) => void,
): Promise<void> {
  if (!mailer || policy.notifications.emailTo.length === 0) return;
  try {
    await mailer.send({ to: policy.notifications.emailTo, ...mail });
  } catch (error) {
    onError(error);
  }
}
