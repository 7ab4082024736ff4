import type { MessagePart } from '../../core/message.js';
import { markdownToWhatsApp } from './markdown-formatting.js';
import {
  numberedChoices,
  outboundContent,
  outboundFiles,
  truncate,
  type OutboundFile,
} from './outbound-content.js';
import { splitText } from './split-text.js';

/** One WhatsApp message body without its addressing (`to`/`recipient` is added when sent). */
export type WhatsAppContent =
  | { type: 'text'; text: { body: string; preview_url: boolean } }
  | { type: 'interactive'; interactive: Record<string, unknown> }
  | { type: 'document'; document: { link: string; filename?: string; caption?: string } }
  | {
      type: 'template';
      template: { name: string; language: { code: string }; components?: unknown[] };
    };

// Limits from Meta's interactive message pages (titles and rows partly secondary sources).
export const WHATSAPP_TEXT_LIMIT = 4096;
const INTERACTIVE_BODY_LIMIT = 1024;
const BUTTON_TITLE_LIMIT = 20;
const MAX_BUTTONS = 3;
const MAX_LIST_ROWS = 10;
const ROW_TITLE_LIMIT = 24;
const ROW_DESCRIPTION_LIMIT = 72;
const DEFAULT_PROMPT = 'Choose an option:';

/**
 * A reply as WhatsApp shows it natively: up to 3 choices as reply buttons, up to 10 as a list,
 * more as a numbered menu; long text split at WhatsApp's limit; Markdown as WhatsApp formatting.
 */
export function renderForWhatsApp(parts: readonly MessagePart[]): WhatsAppContent[] {
  return [...renderTextAndChoices(parts), ...outboundFiles(parts).map(documentContent)];
}

/** A file Parley links to (an appointment's invite) as a document message WhatsApp fetches. */
function documentContent(file: OutboundFile): WhatsAppContent {
  return {
    type: 'document',
    document: {
      link: file.url,
      ...(file.filename ? { filename: file.filename } : {}),
      ...(file.caption ? { caption: truncate(file.caption, INTERACTIVE_BODY_LIMIT) } : {}),
    },
  };
}

function renderTextAndChoices(parts: readonly MessagePart[]): WhatsAppContent[] {
  const { text: markdown, choices } = outboundContent(parts);
  const text = markdownToWhatsApp(markdown);
  if (choices.length === 0 || choices.length > MAX_LIST_ROWS) {
    const full = choices.length > 0 ? `${text}\n\n${numberedChoices(choices)}`.trim() : text;
    return splitText(full, WHATSAPP_TEXT_LIMIT).map(textContent);
  }

  const chunks = splitText(text, WHATSAPP_TEXT_LIMIT);
  const last = chunks.at(-1);
  const body = last !== undefined && last.length <= INTERACTIVE_BODY_LIMIT ? last : undefined;
  const leading = (body === undefined ? chunks : chunks.slice(0, -1)).map(textContent);
  const prompt = body ?? DEFAULT_PROMPT;

  const fitsButtons =
    choices.length <= MAX_BUTTONS &&
    choices.every((choice) => choice.title.trim().length <= BUTTON_TITLE_LIMIT);
  const interactive = fitsButtons
    ? {
        type: 'button',
        body: { text: prompt },
        action: {
          buttons: choices.map((choice) => ({
            type: 'reply',
            reply: { id: choice.id, title: choice.title.trim() },
          })),
        },
      }
    : {
        type: 'list',
        body: { text: prompt },
        action: {
          button: 'Choose',
          sections: [
            {
              title: 'Options',
              rows: choices.map((choice) => {
                const title = choice.title.trim();
                return title.length <= ROW_TITLE_LIMIT
                  ? { id: choice.id, title }
                  : {
                      id: choice.id,
                      title: truncate(title, ROW_TITLE_LIMIT),
                      description: truncate(title, ROW_DESCRIPTION_LIMIT),
                    };
              }),
            },
          ],
        },
      };
  return [...leading, { type: 'interactive', interactive }];
}

function textContent(body: string): WhatsAppContent {
  return { type: 'text', text: { body, preview_url: /https?:\/\//.test(body) } };
}
