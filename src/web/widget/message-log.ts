import type { VisitorMessage } from '../shared/wire-types.js';

/** A message the visitor wrote that the server has not confirmed yet. */
export interface PendingMessage {
  clientMessageId: string;
  text: string;
  choiceId?: string;
  status: 'sending' | 'failed';
  error?: string;
  /** The last seq when it was written: only a later message can be its confirmation. */
  afterSeq: number;
}

/**
 * The conversation as the widget shows it: confirmed messages by seq, each exactly once however
 * often history, POST answers and the stream deliver it, then the visitor's unconfirmed messages.
 */
export class MessageLog {
  private readonly byId = new Map<string, VisitorMessage>();
  private pendingMessages: PendingMessage[] = [];

  /** The highest seq seen: the stream's `after` cursor. */
  get lastSeq(): number {
    let last = 0;
    for (const message of this.byId.values()) last = Math.max(last, message.seq);
    return last;
  }

  get confirmed(): VisitorMessage[] {
    return [...this.byId.values()].sort((a, b) => a.seq - b.seq);
  }

  get pending(): readonly PendingMessage[] {
    return this.pendingMessages;
  }

  /** Adds server messages; returns the ones not seen before. */
  add(messages: readonly VisitorMessage[]): VisitorMessage[] {
    const added: VisitorMessage[] = [];
    for (const message of messages) {
      if (this.byId.has(message.id)) continue;
      this.byId.set(message.id, message);
      added.push(message);
      if (message.author === 'customer') this.settleByText(message);
    }
    return added;
  }

  addPending(message: Omit<PendingMessage, 'status' | 'afterSeq'>): void {
    this.pendingMessages.push({ ...message, status: 'sending', afterSeq: this.lastSeq });
  }

  /** The POST answered: the local copy gives way to the server's message. */
  confirm(clientMessageId: string, message: VisitorMessage): void {
    this.pendingMessages = this.pendingMessages.filter(
      (p) => p.clientMessageId !== clientMessageId,
    );
    this.add([message]);
  }

  markPending(clientMessageId: string, status: PendingMessage['status'], error?: string): void {
    this.pendingMessages = this.pendingMessages.map((pending) =>
      pending.clientMessageId === clientMessageId ? { ...pending, status, error } : pending,
    );
  }

  /**
   * The stream can deliver the visitor's own message before the POST that created it answers, and
   * messages do not carry their clientMessageId. The oldest pending message with the same text is
   * that message: each POST yields exactly one message, so the count stays right either way.
   */
  private settleByText(message: VisitorMessage): void {
    const index = this.pendingMessages.findIndex(
      (pending) => pending.text === message.text && message.seq > pending.afterSeq,
    );
    if (index >= 0) this.pendingMessages.splice(index, 1);
  }
}
