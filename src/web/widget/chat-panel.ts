import type { ChatController } from './chat-controller.js';
import { h } from './dom.js';
import { messageView, pendingView } from './message-view.js';
import type { WidgetConfig } from './widget-api.js';
import { WIDGET_STYLES } from './widget-styles.js';

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path fill="currentColor" d="M12 3C6.5 3 2 6.9 2 11.7c0 2.4 1.1 4.6 3 6.2-.2 1.3-.8 2.6-1.9 3.6 2 0 3.8-.7 5.1-1.8 1.2.4 2.5.6 3.8.6 5.5 0 10-3.9 10-8.7S17.5 3 12 3Z"/></svg>';
const SEND_ICON =
  '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"/></svg>';

/**
 * The launcher button and the chat panel, in a Shadow DOM so the shop's CSS cannot reach them
 * (and ours cannot leak into the shop). Open, so tests and assistive tools can see inside.
 */
export class ChatPanel {
  private readonly launcher: HTMLButtonElement;
  private readonly badge: HTMLSpanElement;
  private readonly panel: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly typing: HTMLDivElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;

  constructor(
    private readonly controller: ChatController,
    private readonly config: WidgetConfig,
  ) {
    const host = h('div', { id: 'parley-chat', 'data-testid': 'parley-widget' });
    const root = host.attachShadow({ mode: 'open' });
    const title = `Chat with ${config.businessName}`;

    this.badge = h('span', { class: 'badge', 'data-testid': 'parley-unread', hidden: true });
    this.launcher = h('button', {
      type: 'button',
      class: 'launcher',
      'aria-label': title,
      'aria-expanded': 'false',
      'aria-controls': 'parley-panel',
      'data-testid': 'parley-launcher',
    });
    this.launcher.innerHTML = CHAT_ICON;
    this.launcher.append(this.badge);

    const close = h(
      'button',
      { type: 'button', class: 'close', 'aria-label': 'Close chat', 'data-testid': 'parley-close' },
      '×',
    );
    this.list = h('ol', {
      class: 'messages',
      'aria-live': 'polite',
      'aria-label': 'Messages',
      'data-testid': 'parley-messages',
    });
    this.typing = h(
      'div',
      {
        class: 'typing',
        'data-testid': 'parley-typing',
        hidden: true,
        'aria-label': `${config.businessName} is replying`,
      },
      h('span'),
      h('span'),
      h('span'),
    );
    this.input = h('textarea', {
      id: 'parley-input',
      rows: '1',
      placeholder: 'Write a message…',
      autocomplete: 'off',
      'data-testid': 'parley-input',
    });
    this.sendButton = h('button', {
      type: 'submit',
      class: 'send',
      'aria-label': 'Send',
      'data-testid': 'parley-send',
    });
    this.sendButton.innerHTML = SEND_ICON;
    const form = h(
      'form',
      { class: 'composer' },
      h('label', { for: 'parley-input', class: 'sr-only' }, 'Your message'),
      this.input,
      this.sendButton,
    );
    this.panel = h(
      'section',
      {
        id: 'parley-panel',
        class: 'panel',
        role: 'dialog',
        'aria-label': title,
        hidden: true,
        'data-testid': 'parley-panel',
      },
      h('header', {}, h('div', { class: 'title' }, config.businessName), close),
      h('div', { class: 'scroll' }, this.list, this.typing),
      form,
    );
    root.append(h('style', {}, WIDGET_STYLES), this.launcher, this.panel);

    this.launcher.addEventListener('click', () => this.setOpen(this.panel.hidden));
    close.addEventListener('click', () => this.setOpen(false));
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.setOpen(false);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    document.body.append(host);
  }

  private submit(): void {
    const text = this.input.value;
    if (!text.trim()) return;
    this.input.value = '';
    this.controller.send(text);
    this.input.focus();
  }

  private setOpen(open: boolean): void {
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    this.launcher.classList.toggle('open', open);
    this.controller.setPanelOpen(open);
    if (open) {
      this.scrollToEnd();
      this.input.focus();
    } else {
      this.launcher.focus();
    }
  }

  /** Redraws the messages from the controller's state; cheap at chat sizes. */
  render(): void {
    const { log } = this.controller;
    const scroller = this.list.parentElement!;
    const atEnd = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
    const confirmed = log.confirmed;
    const lastCustomer = confirmed.findLastIndex((message) => message.author === 'customer');
    const lastChoices = confirmed.findLastIndex((message) =>
      message.parts.some((part) => part.type === 'choices'),
    );
    const choicesOpen = lastChoices > lastCustomer && log.pending.length === 0;

    const items: HTMLElement[] = [];
    if (this.config.greeting) {
      items.push(
        h(
          'li',
          { class: 'message theirs greeting' },
          h('p', { class: 'bubble' }, this.config.greeting),
        ),
      );
    }
    confirmed.forEach((message, index) => {
      items.push(
        messageView(message, choicesOpen && index === lastChoices, (choiceId, title) => {
          this.controller.send(title, choiceId);
          this.input.focus();
        }),
      );
    });
    for (const pending of log.pending)
      items.push(pendingView(pending, (id) => this.controller.retry(id)));
    this.list.replaceChildren(...items);

    this.typing.hidden = !this.controller.awaitingReply;
    this.badge.hidden = this.controller.unread === 0;
    this.badge.textContent = String(this.controller.unread);
    if (atEnd || log.pending.length > 0) this.scrollToEnd();
  }

  private scrollToEnd(): void {
    const scroller = this.list.parentElement!;
    scroller.scrollTop = scroller.scrollHeight;
  }
}
