import type { VisitorMessage } from '../shared/wire-types.js';
import { h } from './dom.js';
import type { PendingMessage } from './message-log.js';

/** A confirmed message; its choices are tappable only while they are the open question. */
export function messageView(
  message: VisitorMessage,
  choicesOpen: boolean,
  onChoose: (choiceId: string, title: string) => void,
): HTMLLIElement {
  const mine = message.author === 'customer';
  const item = h('li', {
    class: `message ${mine ? 'mine' : 'theirs'} author-${message.author}`,
    'data-testid': 'parley-message',
    'data-author': message.author,
    'data-message-id': message.id,
    'data-seq': String(message.seq),
  });
  for (const part of message.parts.length > 0
    ? message.parts
    : [{ type: 'text' as const, text: message.text }]) {
    if (part.type === 'text' && part.text) item.append(h('p', { class: 'bubble' }, part.text));
    if (part.type === 'choice-reply') item.append(h('p', { class: 'bubble' }, part.title));
    // A file Parley sends (an appointment's calendar invite) is a download link.
    if (
      part.type === 'media' &&
      !mine &&
      part.providerUrl &&
      /^https?:\/\//.test(part.providerUrl)
    ) {
      item.append(
        h(
          'p',
          { class: 'bubble attachment' },
          h(
            'a',
            {
              href: part.providerUrl,
              download: part.filename ?? '',
              target: '_blank',
              rel: 'noopener noreferrer',
              'data-testid': 'parley-attachment',
            },
            part.caption ?? part.filename ?? 'Download',
          ),
        ),
      );
    }
    if (part.type === 'choices') {
      const group = h('div', { class: 'choices', role: 'group', 'aria-label': 'Choose an option' });
      for (const choice of part.choices) {
        const button = h(
          'button',
          {
            type: 'button',
            class: 'choice',
            'data-testid': 'parley-choice',
            disabled: !choicesOpen,
          },
          choice.title,
        );
        button.addEventListener('click', () => onChoose(choice.id, choice.title));
        group.append(button);
      }
      item.append(group);
    }
  }
  return item;
}

/** The visitor's message before the server confirmed it: sending, or failed with a retry. */
export function pendingView(
  pending: PendingMessage,
  onRetry: (clientMessageId: string) => void,
): HTMLLIElement {
  const item = h(
    'li',
    {
      class: `message mine ${pending.status}`,
      'data-testid': 'parley-message',
      'data-author': 'customer',
      'data-client-message-id': pending.clientMessageId,
      'data-status': pending.status,
    },
    h('p', { class: 'bubble' }, pending.text),
  );
  if (pending.status === 'failed') {
    const retry = h(
      'button',
      { type: 'button', class: 'retry', 'data-testid': 'parley-retry' },
      'Not sent. Tap to retry',
    );
    retry.addEventListener('click', () => onRetry(pending.clientMessageId));
    item.append(retry);
  }
  return item;
}
