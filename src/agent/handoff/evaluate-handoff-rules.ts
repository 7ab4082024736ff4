import type { BusinessProfile } from '../../core/business.js';
import type { Contact } from '../../core/contact.js';
import {
  HANDOFF_TRIGGERS,
  type HandoffDecisionInput,
  type HandoffPolicy,
  type HandoffTrigger,
} from '../../core/handoff.js';
import type { Message } from '../../core/message.js';
import { scoreFrustration } from './frustration-score.js';
import { findPhrase, foldText } from './match-words.js';
import { countStalledTurns } from './no-progress.js';
import { openingStatus } from './opening-hours-status.js';
import { PERSON_CHOICE_ID, recognisePersonRequest } from './person-request.js';

/** What the rules look at before the model's turn. */
export interface BeforeTurnFacts {
  profile: BusinessProfile;
  contact: Contact | null;
  /** The customer's messages this turn answers. */
  newMessages: readonly Message[];
  /** The conversation's recent messages, oldest first (for no-progress). */
  window: readonly Message[];
  now: Date;
  cartValueMinor: number | null;
}

/** What the rules look at after the model's turn. */
export interface AfterTurnFacts {
  /** The model's own rating of the reply, null when absent (no model, or it gave none). */
  complexity: number | null;
  cartValueMinor: number | null;
}

type Verdict = { fired: boolean; evidence: string };

const ACTION_STRENGTH = { handoff: 3, callback: 2, notify: 1 } as const;

/**
 * Evaluates every enabled deterministic rule against the turn's facts. Each becomes a decision
 * (fired or not, with evidence); the strongest fired one (handoff > callback > notify, then the
 * policy's trigger order) is marked `deciding`.
 */
export function evaluateBeforeTurn(
  policy: HandoffPolicy,
  facts: BeforeTurnFacts,
): HandoffDecisionInput[] {
  const { triggers } = policy;
  const text = facts.newMessages.map((message) => message.text).join('\n');
  const verdicts: Partial<Record<HandoffTrigger, Verdict>> = {};
  if (triggers.personRequest.enabled) {
    const choice = facts.newMessages.some((message) =>
      message.parts.some(
        (part) => part.type === 'choice-reply' && part.choiceId === PERSON_CHOICE_ID,
      ),
    );
    const matched = choice
      ? 'the "Talk to a person" button'
      : recognisePersonRequest(text, triggers.personRequest.phrases);
    verdicts.personRequest = matched
      ? { fired: true, evidence: `customer asked for a person: ${matched}` }
      : { fired: false, evidence: 'no request for a person' };
  }
  if (triggers.frustration.enabled) {
    const { score, signals } = scoreFrustration(text);
    const level = triggers.frustration.level;
    verdicts.frustration = {
      fired: score >= level,
      evidence: `frustration ${score.toFixed(2)} (level ${level})${signals.length ? `: ${signals.join(', ')}` : ''}`,
    };
  }
  if (triggers.cartValue.enabled) verdicts.cartValue = cartVerdict(policy, facts.cartValueMinor);
  if (triggers.topics.enabled) {
    const hit = Object.entries(triggers.topics.lists)
      .map(([topic, words]) => ({ topic, word: findPhrase(text, words) }))
      .find((entry) => entry.word !== null);
    verdicts.topics = hit
      ? { fired: true, evidence: `topic ${hit.topic}: "${hit.word}"` }
      : { fired: false, evidence: 'no listed topic' };
  }
  if (triggers.noProgress.enabled) {
    const { stalled, evidence } = countStalledTurns(facts.window);
    verdicts.noProgress = {
      fired: stalled >= triggers.noProgress.turns,
      evidence: `${stalled} of ${triggers.noProgress.turns} turns without progress${evidence.length ? `: ${evidence.join('; ')}` : ''}`,
    };
  }
  if (triggers.flaggedContact.enabled) {
    const flagged = new Set(triggers.flaggedContact.contacts.map(foldText));
    const known = [facts.contact?.phone, facts.contact?.email].filter(
      (value): value is string => !!value,
    );
    const match = known.find((value) => flagged.has(foldText(value)));
    const marked = facts.contact?.vip ? 'VIP' : facts.contact?.flagged ? 'flagged' : null;
    verdicts.flaggedContact = match
      ? { fired: true, evidence: `flagged contact ${match}` }
      : marked
        ? { fired: true, evidence: `contact marked ${marked} in the contact panel` }
        : { fired: false, evidence: 'contact is not flagged' };
  }
  if (triggers.keywords.enabled) {
    const word = findPhrase(text, triggers.keywords.words);
    verdicts.keywords = word
      ? { fired: true, evidence: `keyword "${word}"` }
      : { fired: false, evidence: 'no keyword' };
  }
  if (triggers.outsideHours.enabled) {
    const status = openingStatus(facts.profile, facts.now);
    verdicts.outsideHours = status.open
      ? { fired: false, evidence: `open (${status.localTime} ${facts.profile.timezone})` }
      : {
          fired: true,
          evidence: `closed at ${status.localTime} ${facts.profile.timezone}${status.nextOpening ? `, opens ${status.nextOpening}` : ''}`,
        };
  }
  return toDecisions(policy, 'before', verdicts);
}

/** The rules that need the model's turn: its complexity rating, and the cart after its tools ran. */
export function evaluateAfterTurn(
  policy: HandoffPolicy,
  facts: AfterTurnFacts,
): HandoffDecisionInput[] {
  const { triggers } = policy;
  const verdicts: Partial<Record<HandoffTrigger, Verdict>> = {};
  if (triggers.complexity.enabled) {
    const threshold = triggers.complexity.threshold;
    verdicts.complexity =
      facts.complexity === null
        ? { fired: false, evidence: 'no complexity rating from the model' }
        : {
            fired: facts.complexity >= threshold,
            evidence: `model rated the reply ${facts.complexity} (threshold ${threshold})`,
          };
  }
  if (triggers.cartValue.enabled) verdicts.cartValue = cartVerdict(policy, facts.cartValueMinor);
  return toDecisions(policy, 'after', verdicts);
}

/** The decision that decides the turn, if any rule fired. */
export function decidingDecision(
  decisions: readonly HandoffDecisionInput[],
): HandoffDecisionInput | null {
  return decisions.find((decision) => decision.deciding) ?? null;
}

function cartVerdict(policy: HandoffPolicy, value: number | null): Verdict {
  const limit = policy.triggers.cartValue.aboveMinor;
  if (value === null) return { fired: false, evidence: 'no cart' };
  return { fired: value >= limit, evidence: `cart ${value} (limit ${limit}, minor units)` };
}

function toDecisions(
  policy: HandoffPolicy,
  phase: 'before' | 'after',
  verdicts: Partial<Record<HandoffTrigger, Verdict>>,
): HandoffDecisionInput[] {
  const decisions: HandoffDecisionInput[] = [];
  for (const trigger of HANDOFF_TRIGGERS) {
    const verdict = verdicts[trigger];
    if (!verdict) continue;
    decisions.push({
      phase,
      trigger,
      fired: verdict.fired,
      action: policy.triggers[trigger].action,
      evidence: verdict.evidence,
      deciding: false,
    });
  }
  let best: HandoffDecisionInput | null = null;
  for (const decision of decisions) {
    if (
      decision.fired &&
      (!best || ACTION_STRENGTH[decision.action] > ACTION_STRENGTH[best.action])
    )
      best = decision;
  }
  if (best) best.deciding = true;
  return decisions;
}
