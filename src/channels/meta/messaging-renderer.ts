import type { MessagePart } from '../../core/message.js';
import { markdownToPlainText } from './markdown-formatting.js';
import { numberedChoices, outboundContent, outboundFiles, truncate } from './outbound-content.js';
import { splitText } from './split-text.js';

/** A Messenger/Instagram Send API `message` object. */
export interface MessagingContent {
  text: string;
  quick_replies?: Array<{ content_type: 'text'; title: string; payload: string }>;
}

export const MESSAGING_TEXT_LIMIT = 2000;
const MAX_QUICK_REPLIES = 13;
const QUICK_REPLY_TITLE_LIMIT = 20;
const DEFAULT_PROMPT = 'Choose an option:';

/**
 * A reply for Messenger and Instagram: plain text (neither shows Markdown) split at 2,000
 * characters, choices as quick replies on the last piece (a numbered menu beyond 13).
 */
export function renderForMessaging(parts: readonly MessagePart[]): MessagingContent[] {
  // Files go as a link in their own message, before any quick replies (which must come last).
  const files = outboundFiles(parts).map((file) => ({
    text: truncate(
      `${file.caption ?? file.filename ?? 'Download'}: ${file.url}`,
      MESSAGING_TEXT_LIMIT,
    ),
  }));
  const contents = renderTextAndChoices(parts);
  const last = contents.at(-1);
  return last?.quick_replies ? [...contents.slice(0, -1), ...files, last] : [...contents, ...files];
}

function renderTextAndChoices(parts: readonly MessagePart[]): MessagingContent[] {
  const { text: markdown, choices } = outboundContent(parts);
  const text = markdownToPlainText(markdown);
  if (choices.length === 0 || choices.length > MAX_QUICK_REPLIES) {
    const full = choices.length > 0 ? `${text}\n\n${numberedChoices(choices)}`.trim() : text;
    return splitText(full, MESSAGING_TEXT_LIMIT).map((piece) => ({ text: piece }));
  }
  const pieces = splitText(text, MESSAGING_TEXT_LIMIT);
  if (pieces.length === 0) pieces.push(DEFAULT_PROMPT);
  const contents: MessagingContent[] = pieces.map((piece) => ({ text: piece }));
  contents[contents.length - 1]!.quick_replies = choices.map((choice) => ({
    content_type: 'text',
    title: truncate(choice.title, QUICK_REPLY_TITLE_LIMIT),
    payload: choice.id,
  }));
  return contents;
}
