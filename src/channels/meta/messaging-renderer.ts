import type { MessagePart } from '../../core/message.js';
import { markdownToPlainText } from './markdown-formatting.js';
import { numberedChoices, outboundContent, outboundFiles, truncate } from './outbound-content.js';
import { splitText } from './split-text.js';

/** A Messenger/Instagram Send API `message` object: text (with quick replies) or a file. */
export type MessagingContent = MessagingText | MessagingAttachment;

export interface MessagingText {
  text: string;
  quick_replies?: Array<{ content_type: 'text'; title: string; payload: string }>;
}

/** A file Meta fetches from its URL and shows as a download in the conversation (Messenger). */
export interface MessagingAttachment {
  attachment: { type: 'file'; payload: { url: string; is_reusable: false } };
}

export const MESSAGING_TEXT_LIMIT = 2000;
const MAX_QUICK_REPLIES = 13;
const QUICK_REPLY_TITLE_LIMIT = 20;
const DEFAULT_PROMPT = 'Choose an option:';

/**
 * A reply for Messenger and Instagram: plain text (neither shows Markdown) split at 2,000
 * characters, choices as quick replies on the last piece (a numbered menu beyond 13). Files
 * (a calendar invite) are a file attachment by URL on Messenger, its caption as the text before
 * it; Instagram's Send API takes only images, video and audio, so there a file is a link.
 */
export function renderForMessaging(
  parts: readonly MessagePart[],
  channel: 'messenger' | 'instagram',
): MessagingContent[] {
  // Files go in their own messages, before any quick replies (which must come last).
  const files = outboundFiles(parts).flatMap((file): MessagingContent[] => {
    const label = file.caption ?? file.filename ?? 'Download';
    if (channel === 'instagram') {
      return [{ text: truncate(`${label}: ${file.url}`, MESSAGING_TEXT_LIMIT) }];
    }
    return [
      ...(file.caption ? [{ text: truncate(`${file.caption}:`, MESSAGING_TEXT_LIMIT) }] : []),
      { attachment: { type: 'file', payload: { url: file.url, is_reusable: false } } },
    ];
  });
  const contents = renderTextAndChoices(parts);
  const last = contents.at(-1);
  return last?.quick_replies ? [...contents.slice(0, -1), ...files, last] : [...contents, ...files];
}

function renderTextAndChoices(parts: readonly MessagePart[]): MessagingText[] {
  const { text: markdown, choices } = outboundContent(parts);
  const text = markdownToPlainText(markdown);
  if (choices.length === 0 || choices.length > MAX_QUICK_REPLIES) {
    const full = choices.length > 0 ? `${text}\n\n${numberedChoices(choices)}`.trim() : text;
    return splitText(full, MESSAGING_TEXT_LIMIT).map((piece) => ({ text: piece }));
  }
  const pieces = splitText(text, MESSAGING_TEXT_LIMIT);
  if (pieces.length === 0) pieces.push(DEFAULT_PROMPT);
  const contents: MessagingText[] = pieces.map((piece) => ({ text: piece }));
  contents[contents.length - 1]!.quick_replies = choices.map((choice) => ({
    content_type: 'text',
    title: truncate(choice.title, QUICK_REPLY_TITLE_LIMIT),
    payload: choice.id,
  }));
  return contents;
}
