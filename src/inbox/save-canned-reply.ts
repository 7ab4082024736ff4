import { ParleyError, notFound } from '../core/errors.js';
import type { CannedReply, CannedReplyInput } from '../core/inbox-store.js';
import { assertKnownPlaceholders } from './fill-canned-reply.js';
import type { InboxDependencies } from './inbox-dependencies.js';
import { MAX_REPLY_LENGTH } from './reply-as-person.js';

const SHORTCUT = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Creates a canned reply (no `id`) or replaces one; the shortcut is unique per business. */
export async function saveCannedReply(
  deps: Pick<InboxDependencies, 'store'>,
  input: { businessId: string; id?: string; reply: CannedReplyInput },
): Promise<CannedReply> {
  const shortcut = input.reply.shortcut.trim().replace(/^\//, '').toLowerCase();
  if (!SHORTCUT.test(shortcut)) {
    throw new ParleyError(
      'validation_failed',
      `"${input.reply.shortcut}" cannot be a shortcut. Use 1-32 lower-case letters, digits, "-" or "_", e.g. "hours" (typed as /hours).`,
      { issues: [{ path: 'body.shortcut', message: 'letters, digits, - or _; up to 32' }] },
    );
  }
  const title = input.reply.title.trim() || shortcut;
  const body = input.reply.body.trim();
  if (body === '' || body.length > MAX_REPLY_LENGTH) {
    throw new ParleyError(
      'validation_failed',
      `The reply text must be 1 to ${MAX_REPLY_LENGTH} characters (it is ${body.length}).`,
      { issues: [{ path: 'body.body', message: 'empty or too long' }] },
    );
  }
  assertKnownPlaceholders(body);
  const reply = { shortcut, title, body };
  if (input.id === undefined) return deps.store.cannedReplies.create(input.businessId, reply);
  const updated = await deps.store.cannedReplies.update(input.businessId, input.id, reply);
  if (!updated) throw notFound('Canned reply');
  return updated;
}
