import type { Choice, MessagePart } from '../../core/message.js';

/** What an outbound message says, gathered from its parts: the text and the choices offered. */
export function outboundContent(parts: readonly MessagePart[]): {
  text: string;
  choices: Choice[];
} {
  const texts: string[] = [];
  const choices: Choice[] = [];
  for (const part of parts) {
    if (part.type === 'text' && part.text.trim() !== '') texts.push(part.text.trim());
    if (part.type === 'choices') choices.push(...part.choices);
  }
  return { text: texts.join('\n\n'), choices };
}

/** A file Parley sends by link (an appointment's calendar invite). */
export interface OutboundFile {
  url: string;
  filename: string | null;
  caption: string | null;
}

/** The reply's files that Parley serves itself: media parts with an http(s) link. */
export function outboundFiles(parts: readonly MessagePart[]): OutboundFile[] {
  return parts.flatMap((part) =>
    part.type === 'media' && part.providerUrl && /^https?:\/\//.test(part.providerUrl)
      ? [{ url: part.providerUrl, filename: part.filename ?? null, caption: part.caption ?? null }]
      : [],
  );
}

/** Shortens to `limit` characters with an ellipsis, never cutting an emoji in half. */
export function truncate(text: string, limit: number): string {
  const characters = [...text.trim()];
  if (characters.join('').length <= limit) return characters.join('');
  let result = '';
  for (const character of characters) {
    if (result.length + character.length + 1 > limit) break;
    result += character;
  }
  return `${result.trimEnd()}…`;
}

/** Choices as a numbered list, for when there are too many for buttons or quick replies. */
export function numberedChoices(choices: readonly Choice[]): string {
  return [
    ...choices.map((choice, index) => `${index + 1}. ${choice.title}`),
    'Reply with the number or the name of your choice.',
  ].join('\n');
}
