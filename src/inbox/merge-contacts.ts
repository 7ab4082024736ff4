import type { Contact } from '../core/contact.js';
import type { ContactMergeCounts } from '../core/contact-directory.js';
import { ParleyError, notFound } from '../core/errors.js';
import type { Actor, InboxDependencies } from './inbox-dependencies.js';

export interface MergeContactsResult {
  contact: Contact;
  moved: ContactMergeCounts;
}

/**
 * Merges `mergeId` into `keepId` when the team finds they are one person: identities,
 * conversations, carts, orders, appointments, pending actions, leads, service windows and
 * model-call links move in ONE transaction, the merged contact is deleted, and an audit record
 * keeps what it was. Refused when both have an open conversation on the same channel (the one
 * open conversation per channel rule): resolve one of them first.
 */
export async function mergeContacts(
  deps: InboxDependencies,
  input: { businessId: string; keepId: string; mergeId: string; actor: Actor },
): Promise<MergeContactsResult> {
  if (input.keepId === input.mergeId) {
    throw new ParleyError(
      'validation_failed',
      'A contact cannot be merged with itself. Choose another contact to merge.',
    );
  }
  // A customer's message answered while the merge runs locks its conversation, then the contact;
  // the merge locks the contacts, then their conversations. PostgreSQL breaks such a deadlock by
  // aborting one side; the merge is then simply run again (nothing of it was committed).
  const result = await retryOnDeadlock(() =>
    deps.store.transaction(async (tx) => {
      const locked = await tx.contactDirectory.lockForMerge(input.businessId, [
        input.keepId,
        input.mergeId,
      ]);
      const kept = locked.find((contact) => contact.id === input.keepId);
      const merged = locked.find((contact) => contact.id === input.mergeId);
      // A contact of another business is not found here: merging across businesses is impossible.
      if (!kept || !merged) throw notFound('Contact');
      const clashes = await tx.contactDirectory.openConversationClashes(
        input.businessId,
        input.keepId,
        input.mergeId,
      );
      if (clashes.length > 0) {
        throw new ParleyError(
          'conflict',
          `Both contacts have an open ${clashes.join(' and ')} conversation, and a contact has at most one open conversation per channel. Resolve one of them, then merge.`,
        );
      }
      const identities = await tx.contacts.identities(input.businessId, input.mergeId);
      const conversationIds = (
        await tx.conversations.listForContact(input.businessId, input.mergeId)
      ).map((conversation) => ({ id: conversation.id, state: conversation.state }));
      const moved = await tx.contactDirectory.moveInto(
        input.businessId,
        input.keepId,
        input.mergeId,
      );
      await tx.audit.record({
        businessId: input.businessId,
        actorType: input.actor.kind,
        actorId: input.actor.kind === 'user' ? input.actor.userId : input.actor.apiKeyId,
        action: 'contact.merged',
        subjectType: 'contact',
        subjectId: input.keepId,
        details: {
          merged: {
            id: merged.id,
            displayName: merged.displayName,
            phone: merged.phone,
            email: merged.email,
            vip: merged.vip,
            flagged: merged.flagged,
            createdAt: merged.createdAt.toISOString(),
            identities,
          },
          moved,
        },
      });
      const contact = await tx.contacts.getById(input.businessId, input.keepId);
      return { contact: contact!, moved, conversations: conversationIds };
    }),
  );
  for (const conversation of result.conversations) {
    deps.live.publish({
      type: 'conversation-updated',
      businessId: input.businessId,
      conversationId: conversation.id,
      state: conversation.state,
    });
  }
  return { contact: result.contact, moved: result.moved };
}

const DEADLOCK_ATTEMPTS = 3;

async function retryOnDeadlock<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error;
    }
  }
}

/** SQLSTATE 40P01 (deadlock detected) anywhere in the cause chain (Drizzle wraps the driver's). */
function isDeadlock(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ((current as Error & { code?: unknown }).code === '40P01') return true;
  }
  return false;
}
