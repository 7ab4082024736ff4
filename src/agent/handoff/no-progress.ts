import type { Message } from '../../core/message.js';
import { findPhrase, foldText } from './match-words.js';

// Replies in which the agent admits it could not help (menu fallbacks and typical model phrasing).
const CANNOT_HELP = [
  "couldn't find",
  'could not find',
  "don't know",
  'do not know',
  "can't help",
  'cannot help',
  'unable to',
  'not sure',
  'no information',
  'ask in other words',
  "can't answer",
  'cannot answer',
];

/**
 * How many turns in a row, ending now, made no progress: the customer repeated an earlier message
 * of theirs (half or more of the words shared), or the agent's previous reply admitted it could not
 * help. Counted over the window of this conversation only, after any person last held it.
 */
export function countStalledTurns(window: readonly Message[]): {
  stalled: number;
  evidence: string[];
} {
  // A person's reply or a take-over/hand-back notice starts a fresh count: no loop back into handoff.
  const lastPerson = window.findLastIndex(
    (message) => message.author === 'person' || message.author === 'system',
  );
  const recent = window.slice(lastPerson + 1);
  const evidence: string[] = [];
  let stalled = 0;
  const inboundIndexes = recent.flatMap((message, index) =>
    message.direction === 'inbound' ? [index] : [],
  );
  for (let position = inboundIndexes.length - 1; position >= 0; position--) {
    const index = inboundIndexes[position]!;
    const message = recent[index]!;
    const earlier = inboundIndexes.slice(0, position).map((at) => recent[at]!);
    const previousReply = recent.slice(0, index).findLast((entry) => entry.author === 'agent');
    const repeated = earlier.some((other) => overlap(other.text, message.text) >= 0.5);
    const cannotHelp = previousReply ? findPhrase(previousReply.text, CANNOT_HELP) : null;
    if (!repeated && !cannotHelp) break;
    stalled++;
    evidence.push(
      repeated ? `customer repeated "${message.text.slice(0, 40)}"` : `agent said "${cannotHelp}"`,
    );
  }
  return { stalled, evidence };
}

function overlap(a: string, b: string): number {
  const wordsA = new Set(
    foldText(a)
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 2),
  );
  const wordsB = new Set(
    foldText(b)
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 2),
  );
  if (wordsA.size === 0 || wordsB.size === 0) return 0;
  let shared = 0;
  for (const word of wordsA) if (wordsB.has(word)) shared++;
  return shared / Math.max(wordsA.size, wordsB.size);
}
