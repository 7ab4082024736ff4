export interface ServerSentEvent {
  event: string;
  id: string | null;
  data: string;
}

/**
 * A `text/event-stream` client over plain fetch, parsing the wire format itself (as the HTML spec
 * defines it) so tests see exactly what the server wrote: every event in order, ids included.
 */
export class EventStreamClient {
  readonly events: ServerSentEvent[] = [];
  readonly status: number;
  readonly headers: Headers;
  #waiters = new Set<() => void>();
  #ended = false;
  #failure: unknown = null;

  private constructor(
    response: Response,
    private readonly abort: AbortController,
  ) {
    this.status = response.status;
    this.headers = response.headers;
    if (response.body) void this.#read(response.body);
    else this.#ended = true;
  }

  /** Opens the stream; resolves once the response headers have arrived. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
    const abort = new AbortController();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: abort.signal,
    });
    return new EventStreamClient(response, abort);
  }

  /** Events of one type with their data parsed as JSON. */
  dataOf<T = Record<string, unknown>>(event: string): T[] {
    return this.events
      .filter((item) => item.event === event)
      .map((item) => JSON.parse(item.data) as T);
  }

  /** Resolves with the first event (from the start of the stream) that `matches`. */
  async waitFor(
    matches: (event: ServerSentEvent) => boolean,
    what: string,
    timeoutMs = 10_000,
  ): Promise<ServerSentEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(matches);
      if (found) return found;
      if (this.#ended) {
        throw new Error(`the stream ended before ${what}`, { cause: this.#failure });
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remaining);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#waiters.add(done);
      });
    }
  }

  close(): void {
    this.abort.abort();
  }

  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          this.#dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      this.#failure = error;
    } finally {
      this.#ended = true;
      this.#wake();
    }
  }

  #dispatch(block: string): void {
    let event = 'message';
    let id: string | null = null;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    // A block with no data (a comment, or `retry:` alone) dispatches nothing.
    if (data.length === 0) return;
    this.events.push({ event, id, data: data.join('\n') });
    this.#wake();
  }

  #wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }
}
