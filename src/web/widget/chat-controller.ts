import type { VisitorMessage } from '../shared/wire-types.js';
import { forgetIdentity, loadIdentity, saveIdentity } from './identity.js';
import { MessageLog } from './message-log.js';
import { MessageStream } from './message-stream.js';
import { newClientId } from './new-client-id.js';
import { WidgetRequestError, type VisitorIdentity, type WidgetApi } from './widget-api.js';

/** Automatic retries of a failed POST before the visitor is offered a retry button. */
const MAX_SEND_ATTEMPTS = 5;
/** The typing indicator gives up after this long: a person may answer much later. */
const REPLY_WAIT_MS = 45_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The widget's behaviour without its looks: identity, history, the live stream, sending with
 * retries under one idempotency key, and the "waiting for a reply" state. Calls `onChange` after
 * every change; the panel redraws from `log`, `awaitingReply` and `unread`.
 */
export class ChatController {
  readonly log = new MessageLog();
  unread = 0;
  panelOpen = false;

  private identity: VisitorIdentity | null;
  private identityRequest: Promise<VisitorIdentity> | null = null;
  private stream: MessageStream | null = null;
  private sendQueue: Promise<void> = Promise.resolve();
  private awaiting = false;
  private replyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: WidgetApi,
    private readonly businessId: string,
    private readonly onChange: () => void,
  ) {
    this.identity = loadIdentity(businessId);
  }

  /** Show "typing…": the visitor wrote and nobody has answered since (for a while at most). */
  get awaitingReply(): boolean {
    if (!this.awaiting) return false;
    const sending = this.log.pending.some((pending) => pending.status === 'sending');
    return sending || this.log.confirmed.at(-1)?.author === 'customer';
  }

  /** A returning visitor gets their history and the live stream at once; a new one on first send. */
  async start(): Promise<void> {
    if (this.identity) await this.connect(this.identity);
  }

  setPanelOpen(open: boolean): void {
    this.panelOpen = open;
    if (open) this.unread = 0;
    this.onChange();
  }

  /** Sends text (or a tapped choice, whose text is its title); shown at once, confirmed later. */
  send(text: string, choiceId?: string): void {
    const body = text.trim();
    if (!body) return;
    const clientMessageId = newClientId();
    this.log.addPending(
      choiceId ? { clientMessageId, text: body, choiceId } : { clientMessageId, text: body },
    );
    this.setAwaiting(true);
    this.enqueue(clientMessageId);
  }

  /** Sends a message that failed for good again, with its original idempotency key. */
  retry(clientMessageId: string): void {
    this.log.markPending(clientMessageId, 'sending');
    this.onChange();
    this.enqueue(clientMessageId);
  }

  private enqueue(clientMessageId: string): void {
    this.onChange();
    // One message at a time, so the conversation keeps the order the visitor wrote in.
    this.sendQueue = this.sendQueue.then(() => this.deliver(clientMessageId));
  }

  private async deliver(clientMessageId: string): Promise<void> {
    const pending = this.log.pending.find((p) => p.clientMessageId === clientMessageId);
    if (!pending) return;
    const outgoing = {
      clientMessageId,
      text: pending.text,
      ...(pending.choiceId ? { choiceId: pending.choiceId } : {}),
    };
    for (let attempt = 1; ; attempt += 1) {
      try {
        const identity = await this.ensureIdentity();
        const message = await this.api.send(identity.token, outgoing);
        this.log.confirm(clientMessageId, message);
        this.onChange();
        return;
      } catch (error) {
        const failure =
          error instanceof WidgetRequestError ? error : new WidgetRequestError(0, String(error));
        if (failure.status === 401) this.dropIdentity();
        const retryable = failure.retryable || failure.status === 401;
        if (!retryable || attempt >= MAX_SEND_ATTEMPTS) {
          this.log.markPending(clientMessageId, 'failed', failure.message);
          this.setAwaiting(false);
          return;
        }
        await pause(500 * 2 ** (attempt - 1));
      }
    }
  }

  private ensureIdentity(): Promise<VisitorIdentity> {
    if (this.identity) return Promise.resolve(this.identity);
    this.identityRequest ??= this.api.createVisitor().then(
      (identity) => {
        this.identity = identity;
        this.identityRequest = null;
        saveIdentity(this.businessId, identity);
        void this.connect(identity);
        return identity;
      },
      (error: unknown) => {
        this.identityRequest = null;
        throw error;
      },
    );
    return this.identityRequest;
  }

  /** Loads the history, then streams what comes after it (the stream replays any gap). */
  private async connect(identity: VisitorIdentity): Promise<void> {
    try {
      this.receive(await this.api.history(identity.token, null), false);
    } catch (error) {
      if (error instanceof WidgetRequestError && error.status === 401) {
        this.dropIdentity();
        return;
      }
      // History failed for now: the stream below replays everything after seq 0 instead.
    }
    this.stream?.close();
    this.stream = new MessageStream({
      urlAfter: (afterSeq) => this.api.streamUrl(identity.token, afterSeq),
      lastSeq: () => this.log.lastSeq,
      onMessage: (message) => this.receive([message], true),
    });
    this.stream.open();
  }

  private receive(messages: VisitorMessage[], live: boolean): void {
    const added = this.log.add(messages);
    if (added.length === 0) return;
    const replies = added.filter((message) => message.author !== 'customer');
    if (live && !this.panelOpen) this.unread += replies.length;
    this.onChange();
  }

  private setAwaiting(awaiting: boolean): void {
    this.awaiting = awaiting;
    clearTimeout(this.replyTimer);
    if (awaiting) this.replyTimer = setTimeout(() => this.setAwaiting(false), REPLY_WAIT_MS);
    this.onChange();
  }

  /** The server no longer knows this token (e.g. its data was reset): start as a new visitor. */
  private dropIdentity(): void {
    forgetIdentity(this.businessId);
    this.identity = null;
    this.stream?.close();
    this.stream = null;
  }
}
