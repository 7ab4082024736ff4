import type { Business } from '../core/business.js';
import type { Choice, Message, MessagePart } from '../core/message.js';
import type { Store } from '../core/store.js';
import { PERSON_CHOICE_ID, recognisePersonRequest } from './handoff/person-request.js';

export const MENU_CHOICES = {
  ask: { id: 'menu:ask', title: 'Ask a question' },
  person: { id: PERSON_CHOICE_ID, title: 'Talk to a person' },
} satisfies Record<string, Choice>;

export interface MenuReply {
  parts: MessagePart[];
  /** Set when the customer chose to talk to a person. */
  handoffReason: string | null;
}

/**
 * Promise 4, "works without a model": a structured reply for when no model is configured or the
 * model is down. The customer can search the FAQ by typing, or ask for a person.
 */
export async function composeMenuReply(
  store: Store,
  business: Business,
  newMessages: readonly Message[],
): Promise<MenuReply> {
  const latest = newMessages.at(-1);
  const choice = latest?.parts.find((part) => part.type === 'choice-reply');
  const text = latest?.text.trim() ?? '';

  if (
    choice?.choiceId === MENU_CHOICES.person.id ||
    (!choice && recognisePersonRequest(text) !== null)
  ) {
    return {
      parts: [
        {
          type: 'text',
          text: `I've asked a person from ${business.name} to reply here. ${openingHoursHint(business)}`.trim(),
        },
      ],
      handoffReason: 'customer asked for a person (menu)',
    };
  }
  if (choice?.choiceId === MENU_CHOICES.ask.id || text === '') {
    return menu(`Type your question and I'll look for an answer from ${business.name}.`);
  }

  const hits = await store.knowledge.searchFaq(business.id, text, 1);
  const best = hits[0];
  if (best) {
    return {
      parts: [
        { type: 'text', text: best.answer },
        { type: 'choices', choices: [MENU_CHOICES.ask, MENU_CHOICES.person] },
      ],
      handoffReason: null,
    };
  }
  return menu(
    `Sorry, I couldn't find an answer to that. You can ask in other words, or talk to a person from ${business.name}.`,
  );
}

function menu(text: string): MenuReply {
  return {
    parts: [
      { type: 'text', text },
      { type: 'choices', choices: [MENU_CHOICES.ask, MENU_CHOICES.person] },
    ],
    handoffReason: null,
  };
}

function openingHoursHint(business: Business): string {
  const days = Object.entries(business.profile.openingHours)
    .filter(([, ranges]) => ranges && ranges.length > 0)
    .map(
      ([day, ranges]) =>
        `${day} ${ranges.map((range) => `${range.open}-${range.close}`).join(', ')}`,
    );
  return days.length > 0 ? `We're open ${days.join('; ')} (${business.profile.timezone}).` : '';
}
