import { findPhrase, foldText } from './match-words.js';

// Words that name a person in the languages Parley ships with; matched on whole words, so inflected
// forms are listed too (German asks "mit einem Menschen sprechen", never "mit einem Mensch").
const PERSON_WORDS = [
  'human',
  'person',
  'someone',
  'somebody',
  'agent',
  'staff',
  'operator',
  'representative',
  'real people',
  'manager',
  'persona',
  'humano',
  'alguien',
  'encargado',
  'mensch',
  'menschen',
  'mitarbeiter',
  'mitarbeiterin',
  'jemand',
  'jemandem',
  'personne',
  'humain',
  'conseiller',
  "quelqu'un",
  'persoon',
  'medewerker',
  'iemand',
  'operatore',
  'qualcuno',
  'pessoa',
  'atendente',
];

// A word for a person alone is not a request ("my person is sick", "is the agent a bot?"): it
// also needs a wish to talk or a complaint about talking to a bot.
const ASKING_WORDS = [
  'talk',
  'speak',
  'chat',
  'call',
  'connect',
  'transfer',
  'want',
  'need',
  'get',
  'give',
  'let me',
  'put me',
  'can i',
  'could i',
  'real',
  'actual',
  'please',
  'not a bot',
  'no bot',
  'hablar',
  'quiero',
  'necesito',
  'pasame',
  'páseme',
  'con',
  'sprechen',
  'reden',
  'möchte',
  'will',
  'bitte',
  'verbinden',
  'mit',
  'parler',
  'veux',
  'voudrais',
  'besoin',
  'avec',
  'spreken',
  'praten',
  'wil',
  'met',
  'parlare',
  'voglio',
  'vorrei',
  'con',
  'falar',
  'quero',
  'preciso',
  'com',
];

// Whole requests that name no person ("¿puedo hablar con alguien?" is caught by the words above).
const DIRECT_REQUESTS = [
  'talk to a real',
  'not a bot',
  'are you a bot',
  'stop the bot',
  'no more bot',
  'kein bot',
  'pas un robot',
  'no eres un bot',
  'geen bot',
];

/** Choice id of the menu's "Talk to a person" button (menu-reply.ts offers it). */
export const PERSON_CHOICE_ID = 'menu:person';

/**
 * Whether the customer asks for a person, in any language Parley ships with plus the owner's own
 * phrases; returns what matched (the evidence), or null.
 */
export function recognisePersonRequest(
  text: string,
  extraPhrases: readonly string[] = [],
): string | null {
  const own = findPhrase(text, extraPhrases);
  if (own) return `"${own}"`;
  const direct = findPhrase(text, DIRECT_REQUESTS);
  if (direct) return `"${direct}"`;
  const person = findPhrase(text, PERSON_WORDS);
  if (!person) return null;
  const folded = foldText(text).trim();
  // "Human please", "¿Una persona?": a short message naming a person is a request by itself.
  const short = folded.split(/\s+/).length <= 3;
  const asking = findPhrase(text, ASKING_WORDS);
  if (short || asking) return `"${person}"${asking ? ` with "${asking}"` : ''}`;
  return null;
}
