import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessagePart, WireMessage } from '../../../src/web/shared/wire-types.js';

/** One POST /messages as the server received it. */
export interface ReceivedPost {
  clientMessageId: string;
  text?: string;
  choiceId?: string;
}

/** One GET /stream request: the cursor the widget asked to resume from. */
export interface StreamRequest {
  after: string | null;
  lastEventId: string | null;
}

interface Visitor {
  visitorId: string;
  token: string;
  conversationId: string;
  byClientId: Map<string, WireMessage>;
}

/**
 * An in-memory stand-in for Parley's public widget endpoints (see the HTTP contract), served with
 * CORS like the real server must be, so the widget can be tested in a real browser in isolation.
 * It also serves widget.js from `widgetDir`. Parley's own behaviour is tested elsewhere.
 */
export class WidgetStandInServer {
  readonly businessId = 'biz-7f3a';
  readonly visitors: Visitor[] = [];
  readonly messages: WireMessage[] = [];
  readonly posts: ReceivedPost[] = [];
  readonly streamRequests: StreamRequest[] = [];
  config = {
    businessName: 'Crumb & Co. Bakery',
    greeting: 'Hello! Ask us anything.' as string | null,
  };

  private seq = 100;
  private readonly streams = new Set<{ visitor: Visitor; response: ServerResponse }>();
  private failPostsAfterStoring = 0;
  private refuseStreams = 0;
  private heldStreams: Array<() => void> | null = null;
  private server: Server | null = null;

  constructor(private readonly widgetDir: string) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const stream of this.streams) stream.response.destroy();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The next `count` POSTs store the message, then answer 503, as if the answer got lost. */
  failNextPostsAfterStoring(count: number): void {
    this.failPostsAfterStoring = count;
  }

  /** The next `count` stream requests get 503, which makes EventSource give up (CLOSED). */
  refuseNextStreams(count: number): void {
    this.refuseStreams = count;
  }

  /** Ends every open stream; with `hold`, new stream requests wait until `releaseStreams()`. */
  dropStreams(options: { hold: boolean }): void {
    if (options.hold) this.heldStreams = [];
    for (const stream of this.streams) stream.response.end();
    this.streams.clear();
  }

  releaseStreams(): void {
    const held = this.heldStreams ?? [];
    this.heldStreams = null;
    for (const resume of held) resume();
  }

  /** How many stream requests are waiting on `releaseStreams()`. */
  get heldStreamCount(): number {
    return this.heldStreams?.length ?? 0;
  }

  get openStreamCount(): number {
    return this.streams.size;
  }

  /** The business answers the (only) visitor: the agent, or a person with `author: 'person'`. */
  reply(parts: MessagePart[], author: WireMessage['author'] = 'agent'): WireMessage {
    const visitor = this.visitors.at(-1);
    if (!visitor) throw new Error('No visitor has written yet.');
    return this.store(visitor, 'outbound', author, parts);
  }

  private store(
    visitor: Visitor,
    direction: WireMessage['direction'],
    author: WireMessage['author'],
    parts: MessagePart[],
  ): WireMessage {
    const text = parts
      .map((part) =>
        part.type === 'text'
          ? part.text
          : part.type === 'choice-reply'
            ? part.title
            : part.type === 'choices'
              ? part.choices.map((choice) => `- ${choice.title}`).join('\n')
              : '',
      )
      .join('\n');
    const message: WireMessage = {
      id: randomUUID(),
      seq: (this.seq += 1),
      conversationId: visitor.conversationId,
      channel: 'web',
      direction,
      author,
      authorUserId: null,
      parts,
      text,
      status: direction === 'inbound' ? 'received' : 'sent',
      statusError: null,
      createdAt: new Date().toISOString(),
    };
    this.messages.push(message);
    for (const stream of this.streams) {
      if (stream.visitor === visitor) writeEvent(stream.response, message);
    }
    return message;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    response.setHeader('access-control-allow-origin', '*');
    if (request.method === 'OPTIONS') {
      response.writeHead(204, {
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'authorization, content-type',
      });
      response.end();
      return;
    }
    if (url.pathname === '/widget.js') {
      const script = await readFile(`${this.widgetDir}/widget.js`);
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      return;
    }
    const prefix = `/api/widget/${this.businessId}`;
    const route = `${request.method} ${url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname}`;
    if (route === 'GET /config') return sendJson(response, 200, this.config);
    if (route === 'POST /visitors') return sendJson(response, 201, this.createVisitor());
    const visitor = this.visitorOf(request, url);
    if (!visitor) {
      return sendJson(response, 401, {
        error: { code: 'unauthorized', message: 'Unknown visitor.' },
      });
    }
    if (route === 'GET /messages') {
      const after = Number(url.searchParams.get('after') ?? 0);
      return sendJson(response, 200, { messages: this.messagesOf(visitor, after) });
    }
    if (route === 'POST /messages')
      return this.receivePost(visitor, await readJson(request), response);
    if (route === 'GET /stream') return this.openStream(visitor, request, url, response);
    sendJson(response, 404, { error: { code: 'not_found', message: 'No such route.' } });
  }

  private createVisitor(): { visitorId: string; token: string } {
    const visitor: Visitor = {
      visitorId: randomUUID(),
      token: randomUUID(),
      conversationId: randomUUID(),
      byClientId: new Map(),
    };
    this.visitors.push(visitor);
    return { visitorId: visitor.visitorId, token: visitor.token };
  }

  private visitorOf(request: IncomingMessage, url: URL): Visitor | undefined {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer ?? url.searchParams.get('token');
    return this.visitors.find((visitor) => visitor.token === token);
  }

  private messagesOf(visitor: Visitor, after: number): WireMessage[] {
    return this.messages.filter(
      (m) => m.conversationId === visitor.conversationId && m.seq > after,
    );
  }

  private receivePost(visitor: Visitor, body: ReceivedPost, response: ServerResponse): void {
    this.posts.push(body);
    let message = visitor.byClientId.get(body.clientMessageId);
    if (!message) {
      const title = body.text ?? '';
      const part: MessagePart = body.choiceId
        ? { type: 'choice-reply', choiceId: body.choiceId, title }
        : { type: 'text', text: title };
      message = this.store(visitor, 'inbound', 'customer', [part]);
      visitor.byClientId.set(body.clientMessageId, message);
    }
    if (this.failPostsAfterStoring > 0) {
      this.failPostsAfterStoring -= 1;
      return sendJson(response, 503, { error: { code: 'internal', message: 'Try again.' } });
    }
    sendJson(response, 202, { message });
  }

  private openStream(
    visitor: Visitor,
    request: IncomingMessage,
    url: URL,
    response: ServerResponse,
  ): void {
    const lastEventId = request.headers['last-event-id'];
    this.streamRequests.push({
      after: url.searchParams.get('after'),
      lastEventId: typeof lastEventId === 'string' ? lastEventId : null,
    });
    if (this.refuseStreams > 0) {
      this.refuseStreams -= 1;
      return sendJson(response, 503, { error: { code: 'internal', message: 'Restarting.' } });
    }
    const begin = () => {
      // EventSource's automatic reconnect resends the original URL plus Last-Event-ID, which wins.
      const cursor = typeof lastEventId === 'string' ? lastEventId : url.searchParams.get('after');
      const after = Number(cursor ?? 0);
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      response.write(': connected\n\n');
      for (const message of this.messagesOf(visitor, after)) writeEvent(response, message);
      const stream = { visitor, response };
      this.streams.add(stream);
      request.on('close', () => this.streams.delete(stream));
    };
    if (this.heldStreams) this.heldStreams.push(begin);
    else begin();
  }
}

function writeEvent(response: ServerResponse, message: WireMessage): void {
  response.write(`event: message\nid: ${message.seq}\ndata: ${JSON.stringify(message)}\n\n`);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<ReceivedPost> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedPost;
}
