import type { Clock } from '../../core/clock.js';
import { ParleyError, notFound } from '../../core/errors.js';
import type { LeadSettings, LeadWithContact } from '../../core/leads.js';
import type { Store } from '../../core/store.js';
import { queueLeadEvent } from './lead-event.js';

/**
 * A person moves a lead to a stage of the business's pipeline (won, lost, or any other). The
 * stage then stays where they put it while the customer's answers keep changing the score.
 */
export async function setLeadStage(
  deps: { store: Store; clock: Clock },
  input: {
    businessId: string;
    leadId: string;
    stage: string;
    settings: LeadSettings;
    actor: { type: 'user' | 'api_key'; id: string };
  },
): Promise<LeadWithContact> {
  const { settings } = input;
  if (!settings.stages.some((stage) => stage.name === input.stage)) {
    throw new ParleyError(
      'validation_failed',
      `"${input.stage.slice(0, 40)}" is not a stage of this business. Use one of: ${settings.stages.map((stage) => stage.name).join(', ')}.`,
      { issues: [{ path: 'body.stage', message: 'not a stage of this business' }] },
    );
  }
  return deps.store.transaction(async (tx) => {
    const changed = await tx.leads.setStage(input.businessId, input.leadId, input.stage);
    if (!changed) throw notFound('Lead');
    await queueLeadEvent(tx, settings, { ...changed, at: deps.clock.now() });
    await tx.audit.record({
      businessId: input.businessId,
      actorType: input.actor.type,
      actorId: input.actor.id,
      action: 'lead.stage_set',
      subjectType: 'lead',
      subjectId: input.leadId,
      details: { from: changed.before.stage, to: input.stage },
    });
    return changed.after;
  });
}
