import { z } from 'zod';
import { defineTool, type AgentTool } from '../../core/agent-tool.js';
import type { LeadQuestion, LeadSettings } from '../../core/leads.js';
import { refuse } from '../refuse.js';
import { saveLeadAnswers } from './save-lead-answers.js';
import { validateLeadAnswers } from './validate-lead-answers.js';

const TOOL = 'save_lead';
/** Bounds on what the model may pass at all; within them, each answer is checked in detail. */
const MAX_ANSWERS = 30;
const MAX_ANSWER_CHARS = 2_000;

/** The refused answers as the audit log keeps them: every key, each value cut short. */
function auditedAnswers(answers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(answers).map(([key, value]) => [
      key.slice(0, 40),
      typeof value === 'string' && value.length > 200 ? `${value.slice(0, 200)}…` : value,
    ]),
  );
}

/**
 * `save_lead`: records the customer's answers to the business's qualification questions on the
 * conversation's own contact (never a contact the model names), and says which required
 * questions are still open. Scoring and stage are Parley's, in code; the model never sees them.
 */
export function createLeadTools(
  settingsFor: (businessId: string) => LeadSettings | null,
): AgentTool[] {
  return [
    defineTool({
      name: TOOL,
      description:
        "Save the customer's answers to the business's qualification questions (see the system prompt), keyed by question id, as soon as the customer gives them. Earlier answers are kept; pass only new or corrected ones. The result lists the required questions still open: ask them naturally, one or two at a time.",
      inputSchema: z.strictObject({
        answers: z
          .record(
            z.string().max(40),
            z.union([z.string().max(MAX_ANSWER_CHARS), z.number(), z.boolean()]),
          )
          .refine((answers) => Object.keys(answers).length <= MAX_ANSWERS, {
            error: `Pass at most ${MAX_ANSWERS} answers at once.`,
          })
          .describe('Question id → the answer in the type the question asks for.'),
      }),
      async execute({ answers }, context) {
        const settings = settingsFor(context.scope.businessId);
        if (!settings) {
          return refuse(context, TOOL, 'forbidden', 'This business does not qualify leads.');
        }
        const checked = validateLeadAnswers(settings, answers);
        if (!checked.ok) {
          return refuse(
            context,
            TOOL,
            'validation_failed',
            `Nothing was saved. ${checked.problems.join(' ')}`,
            { answers: auditedAnswers(answers) },
          );
        }
        const saved = await saveLeadAnswers(context, context.scope, settings, checked.answers);
        return {
          status: 'saved',
          answers: saved.lead.answers,
          stillToAsk: saved.missing,
          next:
            saved.missing.length > 0
              ? 'Ask the customer the next open question in your own words, when it fits the conversation.'
              : 'Every required question is answered. Thank the customer and tell them the team will be in touch.',
        };
      },
      promptNote(businessId) {
        const settings = settingsFor(businessId);
        if (!settings) return null;
        return [
          `Lead qualification${settings.purpose ? ` (${settings.purpose})` : ''}: when a customer is interested, learn these answers naturally, one or two at a time, without interrogating them, and save each with save_lead as soon as you have it:`,
          ...settings.questions.map(describeQuestion),
        ].join('\n');
      },
    }),
  ];
}

function describeQuestion(question: LeadQuestion): string {
  const kind =
    question.type === 'choice'
      ? `one of: ${question.choices.join(', ')}`
      : question.type === 'number'
        ? `a number${question.min !== null ? ` ≥ ${question.min}` : ''}${question.max !== null ? ` ≤ ${question.max}` : ''}`
        : question.type === 'boolean'
          ? 'true or false'
          : question.type;
  return `- ${question.id} (${kind}${question.required ? ', required' : ''}): ${question.prompt}`;
}
