import type { ModelMessage } from 'ai';
import type { AgentStepInput } from '../core/agent-step.js';
import { WEEKDAYS, type Business } from '../core/business.js';
import { confirmChoiceId, declineChoiceId, type PendingAction } from '../core/commerce.js';
import type { Conversation } from '../core/conversation.js';
import type { Message, MessagePart } from '../core/message.js';
import type { ActionDependencies } from '../tools/confirmations/action-dependencies.js';
import { settlePendingAction, type SettledReply } from './confirmations/settle-pending-action.js';
import { checkGrounding, type GroundingViolation } from './grounding/check-grounding.js';
import { checkLinks, type LinkViolation, type PaymentLinks } from './grounding/check-links.js';
import {
  addFactsFromText,
  addFactsFromValue,
  emptyFacts,
  type GroundingFacts,
} from './grounding/grounding-facts.js';
import type { ToolLoopResult } from './run-tool-loop.js';

export interface TurnGuardDependencies extends ActionDependencies {
  /** Hosts a reply may link to anywhere on: the business's website and allow-list. */
  allowedLinkHostsFor(businessId: string): readonly string[];
  /**
   * Hosts of the business's payment pages. A link there is allowed only when it is the payment
   * link of one of the customer's own orders, which Parley created.
   */
  paymentLinkHostsFor?(businessId: string): readonly string[];
}

// How many of the customer's latest orders' payment links a reply may repeat.
const PAYMENT_LINK_ORDERS = 20;

export interface ReviewInput {
  business: Business;
  conversation: Conversation;
  window: readonly Message[];
  reply: string;
  handoffReason: string | null;
  /** The turn's steps so far; the correction attempt's steps are appended to it. */
  steps: AgentStepInput[];
  /** Runs the tool loop once more with `extra` messages after the conversation. */
  retry(extra: ModelMessage[]): Promise<ToolLoopResult>;
}

export interface TurnGuard {
  /** Before any model runs: answers to a pending confirmation are handled in code. */
  settle(input: Parameters<typeof settlePendingAction>[1]): Promise<SettledReply | null>;
  /** After the model's reply: grounding and link checks (one correction), then confirm buttons. */
  review(input: ReviewInput): Promise<{ parts: MessagePart[]; handoffReason: string | null }>;
}

type Violation = GroundingViolation | LinkViolation;

const CONFIRM_TITLES: Record<PendingAction['kind'], string> = {
  place_order: 'Confirm order',
  book_appointment: 'Confirm booking',
  reschedule_appointment: 'Confirm new time',
  cancel_appointment: 'Yes, cancel it',
};

/** Promises 1 and 2 around a model's turn (see `run-agent-turn.ts` for where each runs). */
export function createTurnGuard(deps: TurnGuardDependencies): TurnGuard {
  return {
    settle: (input) => settlePendingAction(deps, input),
    async review(input) {
      const { business, conversation } = input;
      await auditBlockedCalls(deps, input.business.id, conversation.id, input.steps);
      const facts = trustedFacts(business, input.window, deps.clock.now());
      addToolFacts(facts, input.steps, business);
      const hosts = deps.allowedLinkHostsFor(business.id);
      const payments = await paymentLinksOf(deps, business.id, conversation.contactId);
      let reply = input.reply;
      let violations = findViolations(reply, facts, hosts, payments);
      if (violations.length > 0) {
        const firstDraft = reply;
        const firstViolations = violations;
        const retried = await input.retry([
          { role: 'assistant', content: reply },
          { role: 'user', content: correctionNote(violations) },
        ]);
        input.steps.push(...retried.steps);
        addToolFacts(facts, retried.steps, business);
        violations = retried.ok
          ? findViolations(retried.text, facts, hosts, payments)
          : firstViolations;
        if (retried.ok && violations.length === 0) {
          reply = retried.text;
          await record(deps, business.id, conversation.id, 'reply.corrected', {
            draft: firstDraft,
            violations: firstViolations,
          });
        } else {
          await record(deps, business.id, conversation.id, 'reply.blocked', {
            drafts: [firstDraft, retried.ok ? retried.text : null],
            violations,
          });
          const open = await deps.store.pendingActions.findOpen(business.id, conversation.id);
          if (open) {
            await deps.store.pendingActions.settle(business.id, open.id, 'lapsed', {
              reason: 'the reply that proposed it failed the checks',
            });
          }
          return {
            parts: [
              {
                type: 'text',
                text: `Sorry, I couldn't check my answer against ${business.name}'s records. I've asked a person from ${business.name} to reply to you here.`,
              },
            ],
            handoffReason: 'the reply failed the grounding check (numbers or links not from tools)',
          };
        }
      }
      const parts: MessagePart[] = [{ type: 'text', text: reply }];
      const open = await deps.store.pendingActions.findOpen(business.id, conversation.id);
      if (open && open.contactId === conversation.contactId) {
        parts.push(
          { type: 'text', text: open.summary },
          {
            type: 'choices',
            choices: [
              { id: confirmChoiceId(open.id), title: CONFIRM_TITLES[open.kind] },
              { id: declineChoiceId(open.id), title: 'Not now' },
            ],
          },
        );
      }
      return { parts, handoffReason: input.handoffReason };
    },
  };
}

function findViolations(
  reply: string,
  facts: GroundingFacts,
  hosts: readonly string[],
  payments: PaymentLinks,
): Violation[] {
  return [...checkGrounding(reply, facts), ...checkLinks(reply, hosts, payments)];
}

/** The payment hosts and the payment links of this customer's own recent orders. */
async function paymentLinksOf(
  deps: TurnGuardDependencies,
  businessId: string,
  contactId: string,
): Promise<PaymentLinks> {
  const hosts = deps.paymentLinkHostsFor?.(businessId) ?? [];
  if (hosts.length === 0) return { hosts, links: [] };
  const orders = await deps.store.orders.listForContact(businessId, contactId, PAYMENT_LINK_ORDERS);
  return { hosts, links: orders.flatMap((order) => (order.paymentUrl ? [order.paymentUrl] : [])) };
}

function correctionNote(violations: readonly Violation[]): string {
  const listed = violations.map((violation) => `"${violation.text}" (${violation.kind})`);
  return [
    `[Parley check, not from the customer] Your reply states ${listed.join(', ')}, which this turn's tool results do not contain${violations.some((v) => v.kind === 'link') ? ' or which links outside the allowed sites' : ''}.`,
    'Rewrite the reply for the customer: use only prices, stock figures, dates, times and links that tool results give you (call a tool if needed), or leave the figure out.',
  ].join(' ');
}

/**
 * Facts that do not come from tools but from Parley itself: the business's opening hours, its
 * owner's instructions, the local date and time, and what the customer wrote (their budget,
 * the day they asked about) — the customer's own words are theirs to have repeated back.
 */
function trustedFacts(business: Business, window: readonly Message[], now: Date): GroundingFacts {
  const facts = emptyFacts();
  const { timezone } = business.profile;
  const hours = WEEKDAYS.flatMap((day) =>
    (business.profile.openingHours[day] ?? []).map((range) => `${range.open} ${range.close}`),
  ).join(' ');
  addFactsFromText(facts, hours, timezone);
  addFactsFromText(facts, business.instructions, timezone);
  addFactsFromText(facts, business.profile.description, timezone);
  addFactsFromValue(facts, now.toISOString(), {
    currency: business.profile.currency,
    timeZone: timezone,
  });
  for (const message of window) {
    if (message.author === 'customer') addFactsFromText(facts, message.text, timezone);
  }
  return facts;
}

function addToolFacts(facts: GroundingFacts, steps: readonly AgentStepInput[], business: Business) {
  const options = { currency: business.profile.currency, timeZone: business.profile.timezone };
  for (const step of steps) {
    if (step.kind === 'tool' && step.error === null) addFactsFromValue(facts, step.output, options);
  }
}

// Calls the model made that the SDK refused before any tool ran: arguments that broke the
// tool's schema (a quantity of a million, a made-up id) or a tool that does not exist.
const SCHEMA_REJECTION = /^(Invalid input for tool|Model tried to call unavailable tool)/;

async function auditBlockedCalls(
  deps: TurnGuardDependencies,
  businessId: string,
  conversationId: string,
  steps: readonly AgentStepInput[],
): Promise<void> {
  for (const step of steps) {
    if (step.kind !== 'tool' || step.error === null || !SCHEMA_REJECTION.test(step.error)) continue;
    await record(deps, businessId, conversationId, 'tool.rejected', {
      tool: step.toolName,
      input: boundedForAudit(step.input),
      error: step.error.slice(0, 2_000),
    });
  }
}

// A hostile model can send megabytes of arguments; the audit log keeps enough to see what it tried.
const MAX_AUDITED_INPUT = 4_000;

function boundedForAudit(input: unknown): unknown {
  const text = JSON.stringify(input) ?? '';
  return text.length <= MAX_AUDITED_INPUT
    ? input
    : { truncated: true, chars: text.length, start: text.slice(0, MAX_AUDITED_INPUT) };
}

async function record(
  { store }: TurnGuardDependencies,
  businessId: string,
  conversationId: string,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  await store.audit.record({
    businessId,
    actorType: 'agent',
    actorId: null,
    action,
    subjectType: 'conversation',
    subjectId: conversationId,
    details,
  });
}
