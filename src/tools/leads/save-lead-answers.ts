import type { ToolScope } from '../../core/agent-tool.js';
import type { Clock } from '../../core/clock.js';
import type { LeadAnswer, LeadSettings, LeadWithContact } from '../../core/leads.js';
import type { Store } from '../../core/store.js';
import { queueLeadEvent } from './lead-event.js';
import { missingQuestions, scoreLead } from './score-lead.js';
import { validateLeadAnswers } from './validate-lead-answers.js';

/**
 * The e-mail address and phone number the channel already knows (a WhatsApp number, a widget
 * visitor's e-mail), as answers to the first e-mail and phone questions: the agent need not ask
 * for what Parley has. The customer's own answers override them.
 */
async function knownContactDetails(
  tx: Store,
  scope: ToolScope,
  settings: LeadSettings,
): Promise<Record<string, LeadAnswer>> {
  const contact = await tx.contacts.getById(scope.businessId, scope.contactId);
  const known: Record<string, LeadAnswer> = {};
  for (const type of ['email', 'phone'] as const) {
    const value = contact?.[type];
    const question = settings.questions.find((entry) => entry.type === type);
    if (!value || !question) continue;
    const checked = validateLeadAnswers(settings, { [question.id]: value });
    if (checked.ok) Object.assign(known, checked.answers);
  }
  return known;
}

export interface SavedLead {
  lead: LeadWithContact;
  created: boolean;
  missing: Array<{ id: string; prompt: string }>;
}

/**
 * Merges validated answers into the scope's contact's lead (created on the first answer), scores
 * it in code and moves its stage, unless a person set the stage. One transaction with the lead
 * row locked, so answers saved by two calls at once are both kept; a new lead or a new stage
 * queues its CRM push in the same transaction.
 */
export async function saveLeadAnswers(
  deps: { store: Store; clock: Clock },
  scope: ToolScope,
  settings: LeadSettings,
  answers: Readonly<Record<string, LeadAnswer>>,
): Promise<SavedLead> {
  return deps.store.transaction(async (tx) => {
    const { lead, created } = await tx.leads.lockOrCreate({
      businessId: scope.businessId,
      contactId: scope.contactId,
      conversationId: scope.conversationId,
      stage: scoreLead(settings, {}).stage,
    });
    const merged = {
      ...(await knownContactDetails(tx, scope, settings)),
      ...lead.answers,
      ...answers,
    };
    const { score, stage } = scoreLead(settings, merged);
    await tx.leads.update(scope.businessId, lead.id, {
      answers: merged,
      score,
      stage: lead.stageSetBy === 'person' ? lead.stage : stage,
      conversationId: scope.conversationId,
    });
    const after = (await tx.leads.getById(scope.businessId, lead.id))!;
    await queueLeadEvent(tx, settings, {
      before: created ? null : lead,
      after,
      at: deps.clock.now(),
    });
    return { lead: after, created, missing: missingQuestions(settings, merged) };
  });
}
