import type { VisitorMessage } from '../shared/wire-types.js';

interface MessageStreamOptions {
  /** The stream URL replaying messages after `afterSeq`. */
  urlAfter: (afterSeq: number) => string;
  /** The cursor to resume from when the stream must be reopened by hand. */
  lastSeq: () => number;
  onMessage: (message: VisitorMessage) => void;
  /** The stream is (re)connected; messages may have been missed before this, none after. */
  onOpen?: () => void;
}

/**
 * The visitor's live messages. EventSource resumes by itself after a dropped connection, sending
 * Last-Event-ID (each event's id is its seq). When the browser gives up instead (an error status,
 * the server unreachable), the stream is reopened from the last seq seen, backing off up to 30 s.
 */
export class MessageStream {
  private source: EventSource | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;

  constructor(private readonly options: MessageStreamOptions) {}

  open(): void {
    this.close();
    const source = new EventSource(this.options.urlAfter(this.options.lastSeq()));
    this.source = source;
    source.addEventListener('open', () => {
      this.failures = 0;
      this.options.onOpen?.();
    });
    source.addEventListener('message', (event: MessageEvent<string>) => {
      try {
        this.options.onMessage(JSON.parse(event.data) as VisitorMessage);
      } catch {
        // Not a message; nothing to show.
      }
    });
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED || this.source !== source) return;
      this.failures += 1;
      const delay = Math.min(30_000, 1_000 * 2 ** Math.min(this.failures - 1, 5));
      this.retryTimer = setTimeout(() => this.open(), delay);
    });
  }

  close(): void {
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
  }
}
