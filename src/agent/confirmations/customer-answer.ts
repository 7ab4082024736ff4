import { confirmChoiceId, declineChoiceId } from '../../core/commerce.js';
import type { Message } from '../../core/message.js';

export type CustomerAnswer = 'confirm' | 'decline' | 'other';

// An unambiguous yes is made only of these words, with at least one that says yes on its own.
// Anything more ("yes but in blue", "yes?", "ok 2 of them") is not a confirmation: the model
// reads it instead, and the proposal lapses.
const YES_WORDS = new Set([
  'yes',
  'yeah',
  'yep',
  'yup',
  'y',
  'ok',
  'okay',
  'sure',
  'confirm',
  'confirmed',
  'si',
  'sí',
  'ja',
  'oui',
  'vale',
  'claro',
  'graag',
  'perfect',
  'correct',
  '👍',
  '✅',
  'please',
  'go',
  'ahead',
  'do',
  'it',
  'place',
  'the',
  'order',
  'book',
  'that',
  'thats',
  "that's",
  'sounds',
  'good',
  'great',
  'fine',
  'i',
  'right',
  'bitte',
  'gerne',
  'd',
  'accord',
  'bien',
  'thanks',
  'thank',
  'you',
]);
const STRONG_YES = new Set([
  'yes',
  'yeah',
  'yep',
  'yup',
  'y',
  'ok',
  'okay',
  'sure',
  'confirm',
  'confirmed',
  'si',
  'sí',
  'ja',
  'oui',
  'vale',
  'claro',
  'graag',
  'perfect',
  'correct',
  '👍',
  '✅',
]);
const NO_WORDS = new Set([
  'no',
  'nope',
  'nah',
  'cancel',
  'dont',
  "don't",
  'do',
  'not',
  'stop',
  'never',
  'mind',
  'thanks',
  'thank',
  'you',
  'nein',
  'non',
  'niet',
  'nee',
  '❌',
  '👎',
  'it',
  'the',
  'order',
  'please',
  'forget',
  'leave',
]);
const STRONG_NO = new Set(['no', 'nope', 'nah', 'cancel', 'nein', 'non', 'nee', '❌', '👎']);

/** How the customer's message answers a proposal whose buttons carry `actionId`. */
export function classifyAnswer(message: Message, actionId: string): CustomerAnswer {
  const choice = message.parts.find((part) => part.type === 'choice-reply');
  if (choice && choice.type === 'choice-reply') {
    if (choice.choiceId === confirmChoiceId(actionId)) return 'confirm';
    if (choice.choiceId === declineChoiceId(actionId)) return 'decline';
    return 'other';
  }
  const text = message.text.trim().toLowerCase();
  if (text === '' || text.length > 60 || /[?\d]/.test(text)) return 'other';
  const words = text.match(/[\p{L}']+|\p{Extended_Pictographic}/gu) ?? [];
  if (words.length === 0) return 'other';
  if (words.every((word) => YES_WORDS.has(word)) && words.some((word) => STRONG_YES.has(word))) {
    return 'confirm';
  }
  if (words.every((word) => NO_WORDS.has(word)) && words.some((word) => STRONG_NO.has(word))) {
    return 'decline';
  }
  return 'other';
}
