import type { Contact } from '../core/contact.js';
import type { ContactChanges } from '../core/contact-directory.js';
import { ParleyError, notFound } from '../core/errors.js';
import type { Actor, InboxDependencies } from './inbox-dependencies.js';

export const MAX_CONTACT_NAME_LENGTH = 200;

/** The team corrects a contact's name or marks it VIP or flagged (read by the handoff policy). */
export async function updateContact(
  deps: InboxDependencies,
  input: { businessId: string; contactId: string; changes: ContactChanges; actor: Actor },
): Promise<Contact> {
  const changes = { ...input.changes };
  if (typeof changes.displayName === 'string') {
    const name = changes.displayName.trim();
    if (name.length > MAX_CONTACT_NAME_LENGTH) {
      throw new ParleyError(
        'validation_failed',
        `The name is ${name.length} characters; the limit is ${MAX_CONTACT_NAME_LENGTH}. Shorten it.`,
        {
          issues: [
            { path: 'body.displayName', message: `at most ${MAX_CONTACT_NAME_LENGTH} characters` },
          ],
        },
      );
    }
    changes.displayName = name === '' ? null : name;
  }
  return deps.store.transaction(async (tx) => {
    const contact = await tx.contactDirectory.update(input.businessId, input.contactId, changes);
    if (!contact) throw notFound('Contact');
    await tx.audit.record({
      businessId: input.businessId,
      actorType: input.actor.kind,
      actorId: input.actor.kind === 'user' ? input.actor.userId : input.actor.apiKeyId,
      action: 'contact.updated',
      subjectType: 'contact',
      subjectId: contact.id,
      details: { changes },
    });
    return contact;
  });
}
