import type { Lead, LeadEvent, LeadSettings, LeadWithContact } from '../../core/leads.js';
import type { Store } from '../../core/store.js';

/** The lead as the CRM webhook receives it (the `data` of a delivery). */
export function leadPayload(
  lead: LeadWithContact,
  previousStage: string | null,
): Record<string, unknown> {
  return {
    lead: {
      id: lead.id,
      stage: lead.stage,
      previousStage,
      score: lead.score,
      answers: lead.answers,
      contact: { id: lead.contactId, ...lead.contact },
      conversationId: lead.conversationId,
      createdAt: lead.createdAt.toISOString(),
      updatedAt: lead.updatedAt.toISOString(),
    },
  };
}

/**
 * Queues the CRM push of a lead's creation or stage change, in the caller's transaction, so the
 * change and its push are stored together or not at all. Nothing is queued without a webhook.
 */
export async function queueLeadEvent(
  tx: Store,
  settings: LeadSettings,
  change: { before: Lead | null; after: LeadWithContact; at: Date },
): Promise<LeadEvent | null> {
  if (!settings.webhook) return null;
  const { before, after } = change;
  const event: LeadEvent | null =
    before === null ? 'lead.created' : before.stage !== after.stage ? 'lead.stage_changed' : null;
  if (!event) return null;
  await tx.leadDeliveries.enqueue({
    businessId: after.businessId,
    leadId: after.id,
    event,
    payload: leadPayload(after, before?.stage ?? null),
    at: change.at,
  });
  return event;
}
