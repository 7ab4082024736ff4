import type { Business } from '../../core/business.js';
import type { Clock } from '../../core/clock.js';
import type { Conversation } from '../../core/conversation.js';
import type { HandoffDecisionInput, HandoffPolicy, Mailer } from '../../core/handoff.js';
import type { Message } from '../../core/message.js';
import type { Store } from '../../core/store.js';
import type { CartValueLookup } from './cart-value.js';
import { COMPLEXITY_INSTRUCTION, extractComplexityRating } from './complexity-rating.js';
import {
  decidingDecision,
  evaluateAfterTurn,
  evaluateBeforeTurn,
} from './evaluate-handoff-rules.js';
import { composeHandoffNotice } from './handoff-notice.js';
import {
  describeForOwner,
  queueWhatsAppNotification,
  sendEmailNotification,
} from './notify-handoff.js';

export interface HandoffGuardDependencies {
  store: Store;
  clock: Clock;
  /** The effective policy: the owner's console edit, else the business file's. */
  policyFor: (businessId: string) => Promise<HandoffPolicy>;
  cartValue: CartValueLookup;
  mailer: Mailer | null;
  onError: (error: unknown) => void;
}

/** One turn's handoff state, carried from before the model to the commit. */
export interface HandoffCheck {
  business: Business;
  conversation: Conversation;
  policy: HandoffPolicy;
  decisions: HandoffDecisionInput[];
  /** Set when a rule takes the turn from the agent: what the customer is told, and the reason. */
  stop: { notice: string; reason: string } | null;
  /** Appended to the system prompt (asks the model for its complexity rating). */
  promptSuffix: string;
}

/**
 * The handoff policy's hook into an agent turn. Deterministic rules run in code before the model
 * (a request for a person never reaches it) and after it (its own rating, the cart its tools
 * built), so a broken or hostile model cannot talk its way past them.
 */
export function createHandoffGuard(deps: HandoffGuardDependencies) {
  const scopeOf = (conversation: Conversation) => ({
    businessId: conversation.businessId,
    contactId: conversation.contactId,
    conversationId: conversation.id,
  });

  function decide(check: HandoffCheck): HandoffCheck {
    const deciding = decidingDecision(check.decisions);
    if (!deciding || deciding.action === 'notify') return { ...check, stop: null };
    return {
      ...check,
      stop: {
        notice: composeHandoffNotice(check.business, deciding.action, deps.clock.now()),
        reason: `${deciding.action === 'callback' ? 'callback: ' : ''}${deciding.evidence}`,
      },
    };
  }

  return {
    async before(input: {
      business: Business;
      conversation: Conversation;
      window: readonly Message[];
      newMessages: readonly Message[];
    }): Promise<HandoffCheck> {
      const policy = await deps.policyFor(input.business.id);
      const contact = await deps.store.contacts.getById(
        input.business.id,
        input.conversation.contactId,
      );
      const cartValueMinor = policy.triggers.cartValue.enabled
        ? await deps.cartValue(scopeOf(input.conversation))
        : null;
      const decisions = evaluateBeforeTurn(policy, {
        profile: input.business.profile,
        contact,
        newMessages: input.newMessages,
        window: input.window,
        now: deps.clock.now(),
        cartValueMinor,
      });
      return decide({
        business: input.business,
        conversation: input.conversation,
        policy,
        decisions,
        stop: null,
        promptSuffix: policy.triggers.complexity.enabled ? `\n\n${COMPLEXITY_INSTRUCTION}` : '',
      });
    },

    /** Checks the model's reply; returns the text to send (the marker stripped, or the notice). */
    async after(
      check: HandoffCheck,
      reply: string,
    ): Promise<{ text: string; check: HandoffCheck }> {
      const { text, rating } = extractComplexityRating(reply);
      const cartValueMinor = check.policy.triggers.cartValue.enabled
        ? await deps.cartValue(scopeOf(check.conversation))
        : null;
      const after = evaluateAfterTurn(check.policy, { complexity: rating, cartValueMinor });
      // A stronger decision before the model stays the deciding one.
      if (decidingDecision(check.decisions))
        for (const decision of after) decision.deciding = false;
      const next = decide({ ...check, decisions: [...check.decisions, ...after] });
      return { text: next.stop ? next.stop.notice : text, check: next };
    },

    /** Inside the turn's transaction: the decisions, and the owner's WhatsApp message. */
    async record(tx: Store, check: HandoffCheck, turnId: string): Promise<void> {
      await tx.handoffDecisions.insertMany(
        check.business.id,
        check.conversation.id,
        turnId,
        check.decisions,
      );
      const deciding = decidingDecision(check.decisions);
      if (deciding && check.policy.triggers[deciding.trigger].notify.includes('whatsapp')) {
        const { subject } = describeForOwner(check.business, check.conversation, deciding);
        await queueWhatsAppNotification(tx, {
          business: check.business,
          policy: check.policy,
          text: `${subject}\n${deciding.evidence}`,
          at: deps.clock.now(),
        });
      }
    },

    /** After the commit: the e-mail (console notification is the live event and the thread). */
    async notify(check: HandoffCheck): Promise<void> {
      const deciding = decidingDecision(check.decisions);
      if (!deciding || !check.policy.triggers[deciding.trigger].notify.includes('email')) return;
      await sendEmailNotification(
        deps.mailer,
        check.policy,
        describeForOwner(check.business, check.conversation, deciding),
        deps.onError,
      );
    },
  };
}

export type HandoffGuard = ReturnType<typeof createHandoffGuard>;
