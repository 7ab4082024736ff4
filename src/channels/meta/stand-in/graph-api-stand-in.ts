import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stand-in received, as Meta would have. */
export interface GraphRequest {
  method: string;
  /** The path after the version, e.g. `106540352242922/messages` or `me/messages`. */
  path: string;
  token: string | null;
  body: Record<string, unknown> | null;
  /** The provider id the stand-in answered with (a send), if any. */
  providerMessageId: string | null;
  at: Date;
}

/** What the next matching call answers instead of success. */
export type ScriptedAnswer =
  | {
      kind: 'error';
      status?: number;
      code: number;
      subcode?: number;
      message?: string;
      details?: string;
    }
  /** Waits before answering normally; `release` ends the wait early (crash tests hold a send). */
  | { kind: 'delay'; milliseconds: number }
  | { kind: 'hang' };

export interface MediaFile {
  bytes: Uint8Array;
  mimeType: string;
}

export interface GraphApiStandIn {
  /** Base URL to set as META_GRAPH_URL (and META_INSTAGRAM_GRAPH_URL). */
  url: string;
  requests: GraphRequest[];
  /** Sends only (not read receipts, typing or media lookups), oldest first. */
  sends(): GraphRequest[];
  /** The next `times` sends matching `match` answer `answer` (in order of scripting). */
  script(
    answer: ScriptedAnswer,
    options?: {
      times?: number;
      match?: (request: GraphRequest) => boolean;
      /** Answer thread-control calls (take/pass_thread_control) instead of sends. */
      handover?: boolean;
    },
  ): void;
  /** Ends every `hang` or `delay` in progress: their requests are answered now. */
  releaseHeld(): void;
  /** Serves a media id for WhatsApp's lookup + download, or a plain URL for Messenger's CDN. */
  addMedia(id: string, file: MediaFile): { downloadUrl: string };
  /** Tokens answered with error 190 (expired or invalid). */
  rejectToken(token: string): void;
  /** Calls `listener` with every request from now on; returns the unsubscribe function. */
  onRequest(listener: (request: GraphRequest) => void): () => void;
  /** Resolves when a request matching `predicate` has arrived. */
  waitFor(predicate: (request: GraphRequest) => boolean, timeoutMs?: number): Promise<GraphRequest>;
  close(): Promise<void>;
}

/**
 * A local stand-in for Meta's Graph API, built from the documented request and response formats:
 * WhatsApp Cloud API sends, read receipts and media; Messenger and Instagram Send API. The test
 * suite and the console's channel simulator point Parley at it with META_GRAPH_URL. It checks what
 * Meta checks first (a bearer token, the addressing fields) and can be scripted to fail, delay or
 * hang, to exercise every error path.
 */
export async function startGraphApiStandIn(
  options: { port?: number; host?: string } = {},
): Promise<GraphApiStandIn> {
  const requests: GraphRequest[] = [];
  const scripts: Array<{
    answer: ScriptedAnswer;
    remaining: number;
    match: (request: GraphRequest) => boolean;
    handover: boolean;
  }> = [];
  const media = new Map<string, MediaFile>();
  const rejected = new Set<string>();
  const held = new Set<() => void>();
  const waiters = new Set<{
    predicate: (request: GraphRequest) => boolean;
    resolve: (request: GraphRequest) => void;
  }>();
  let base = '';

  const listeners = new Set<(request: GraphRequest) => void>();
  const record = (request: GraphRequest) => {
    requests.push(request);
    for (const listener of listeners) listener(request);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(request)) {
        waiters.delete(waiter);
        waiter.resolve(request);
      }
    }
  };

  const server = createServer((incoming, outgoing) => {
    void handle(incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent)
        send(outgoing, 500, { error: { message: String(error), code: 1 } });
    });
  });

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse) {
    const url = new URL(incoming.url ?? '/', 'http://stand-in');
    const raw = await readBody(incoming);
    const authorization = incoming.headers.authorization;
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : null;

    const download = /^\/media-files\/(.+)$/.exec(url.pathname);
    if (download && incoming.method === 'GET') {
      const file = media.get(decodeURIComponent(download[1]!));
      record({
        method: 'GET',
        path: url.pathname.slice(1),
        token,
        body: null,
        providerMessageId: null,
        at: new Date(),
      });
      if (!file) return send(outgoing, 404, { error: { message: 'Not found', code: 100 } });
      outgoing.writeHead(200, {
        'content-type': file.mimeType,
        'content-length': file.bytes.byteLength,
      });
      outgoing.end(Buffer.from(file.bytes));
      return;
    }

    const versioned = /^\/(v\d+\.\d+)\/(.+)$/.exec(url.pathname);
    if (!versioned) return send(outgoing, 404, { error: { message: 'Unknown path', code: 803 } });
    const path = versioned[2]!;
    let body: Record<string, unknown> | null = null;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return send(outgoing, 400, graphError(100, 'Invalid JSON'));
      }
    }
    const request: GraphRequest = {
      method: incoming.method ?? 'GET',
      path,
      token,
      body,
      providerMessageId: null,
      at: new Date(),
    };

    if (!token || rejected.has(token)) {
      record(request);
      return send(
        outgoing,
        401,
        graphError(190, 'Error validating access token: Session has expired', 'OAuthException'),
      );
    }

    if (incoming.method === 'GET') {
      record(request);
      const file = media.get(path);
      if (!file)
        return send(
          outgoing,
          400,
          graphError(100, 'Unsupported get request. Object does not exist'),
        );
      return send(outgoing, 200, {
        messaging_product: 'whatsapp',
        url: `${base}/media-files/${encodeURIComponent(path)}`,
        mime_type: file.mimeType,
        sha256: 'stand-in',
        file_size: file.bytes.byteLength,
        id: path,
      });
    }

    // Handover Protocol / Conversation Routing: `POST /<page id>/take_thread_control` and
    // `/pass_thread_control` (with `target_app_id`), `recipient: {id}` the customer's PSID/IGSID.
    const handover = /^\d+\/(take|pass|request)_thread_control$/.exec(path);
    if (handover && incoming.method === 'POST') {
      record(request);
      const script = scripts.find(
        (entry) => entry.remaining > 0 && entry.match(request) && entry.handover,
      );
      if (script) script.remaining -= 1;
      if (script?.answer.kind === 'error') {
        const { answer } = script;
        return send(
          outgoing,
          answer.status ?? 400,
          graphError(answer.code, answer.message ?? `Scripted error ${answer.code}`),
        );
      }
      const recipient = (body?.recipient as { id?: unknown } | undefined)?.id;
      if (typeof recipient !== 'string' || recipient === '') {
        return send(outgoing, 400, graphError(100, '(#100) The parameter recipient is required'));
      }
      const target = body?.target_app_id;
      if (handover[1] === 'pass' && typeof target !== 'string' && typeof target !== 'number') {
        return send(
          outgoing,
          400,
          graphError(100, '(#100) The parameter target_app_id is required'),
        );
      }
      return send(outgoing, 200, { success: true });
    }

    if (!path.endsWith('/messages')) {
      record(request);
      return send(outgoing, 400, graphError(100, `Unsupported post request to ${path}`));
    }
    const isWhatsApp = body?.messaging_product === 'whatsapp';
    const isSend = isWhatsApp ? body?.status !== 'read' : body?.sender_action === undefined;
    const invalid = isWhatsApp ? invalidWhatsAppSend(body) : invalidMessagingSend(body);
    if (invalid) {
      record(request);
      return send(outgoing, 400, graphError(100, invalid));
    }

    const script = isSend
      ? scripts.find((entry) => entry.remaining > 0 && !entry.handover && entry.match(request))
      : undefined;
    if (script) script.remaining -= 1;
    const answer = script?.answer;
    if (answer?.kind === 'error') {
      record(request);
      return send(
        outgoing,
        answer.status ?? 400,
        graphError(
          answer.code,
          answer.message ?? `Scripted error ${answer.code}`,
          'OAuthException',
          answer.details,
          answer.subcode,
        ),
      );
    }
    const providerMessageId = isSend
      ? isWhatsApp
        ? `wamid.${randomBytes(12).toString('base64url')}`
        : `m_${randomBytes(12).toString('base64url')}`
      : null;
    // A held send is recorded as received at once: Meta may accept a message whose answer never
    // reaches Parley (the crash tests depend on this).
    record({ ...request, providerMessageId });
    if (answer?.kind === 'delay' || answer?.kind === 'hang') {
      await new Promise<void>((resolve) => {
        const release = () => {
          held.delete(release);
          resolve();
        };
        held.add(release);
        if (answer.kind === 'delay') setTimeout(release, answer.milliseconds);
      });
    }
    if (outgoing.destroyed) return;
    if (!isSend)
      return send(
        outgoing,
        200,
        isWhatsApp ? { success: true } : { recipient_id: recipientOf(body) },
      );
    if (isWhatsApp) {
      const to = typeof body?.to === 'string' ? body.to : null;
      return send(outgoing, 200, {
        messaging_product: 'whatsapp',
        contacts: [
          to
            ? { input: to, wa_id: to.replace(/^\+/, '') }
            : { input: body?.recipient, user_id: body?.recipient },
        ],
        messages: [{ id: providerMessageId }],
      });
    }
    return send(outgoing, 200, { recipient_id: recipientOf(body), message_id: providerMessageId });
  }

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as AddressInfo;
  base = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  return {
    url: base,
    requests,
    sends: () =>
      requests.filter((request) => request.method === 'POST' && request.providerMessageId !== null),
    script(answer, scriptOptions = {}) {
      scripts.push({
        answer,
        remaining: scriptOptions.times ?? 1,
        match: scriptOptions.match ?? (() => true),
        handover: scriptOptions.handover ?? false,
      });
    },
    releaseHeld() {
      for (const release of [...held]) release();
    },
    addMedia(id, file) {
      media.set(id, file);
      return { downloadUrl: `${base}/media-files/${encodeURIComponent(id)}` };
    },
    rejectToken(token) {
      rejected.add(token);
    },
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitFor(predicate, timeoutMs = 10_000) {
      const existing = requests.find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (request: GraphRequest) => {
            clearTimeout(timer);
            resolve(request);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(`the Graph API stand-in received no matching request within ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async close() {
      for (const release of [...held]) release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function invalidWhatsAppSend(body: Record<string, unknown> | null): string | null {
  if (!body) return 'The request body is empty.';
  if (body.status === 'read')
    return typeof body.message_id === 'string'
      ? null
      : '(#100) The parameter message_id is required.';
  if (typeof body.to !== 'string' && typeof body.recipient !== 'string')
    return '(#100) The parameter to is required.';
  if (typeof body.to === 'string' && !/^\+?\d{6,15}$/.test(body.to))
    return '(#100) Invalid parameter: to';
  const type = body.type;
  if (typeof type !== 'string' || body[type] === undefined)
    return '(#100) The parameter type and its object are required.';
  if (type === 'text') {
    const text = body.text as { body?: unknown };
    if (typeof text.body !== 'string' || text.body.length === 0 || text.body.length > 4096) {
      return "(#100) Param text['body'] must be 1 to 4096 characters.";
    }
  }
  if (type === 'document') {
    const document = body.document as { link?: unknown; id?: unknown };
    if (typeof document.link !== 'string' && typeof document.id !== 'string')
      return '(#100) Param document must have a link or an id.';
    if (typeof document.link === 'string' && !/^https?:\/\//.test(document.link))
      return "(#100) Param document['link'] must be an http(s) URL.";
  }
  if (type === 'interactive') {
    const interactive = body.interactive as {
      type?: string;
      body?: { text?: string };
      action?: {
        buttons?: Array<{ reply?: { title?: string } }>;
        sections?: Array<{ rows?: unknown[] }>;
      };
    };
    if (!interactive.body?.text || interactive.body.text.length > 1024)
      return '(#100) interactive.body.text must be 1 to 1024 characters.';
    if (interactive.type === 'button') {
      const buttons = interactive.action?.buttons ?? [];
      if (buttons.length < 1 || buttons.length > 3)
        return '(#131009) Buttons count must be 1 to 3.';
      if (buttons.some((button) => (button.reply?.title ?? '').length > 20))
        return '(#131009) Button title length invalid.';
    }
    if (interactive.type === 'list') {
      const rows = (interactive.action?.sections ?? []).flatMap((section) => section.rows ?? []);
      if (rows.length < 1 || rows.length > 10) return '(#131009) Total row count exceeded.';
    }
  }
  return null;
}

function invalidMessagingSend(body: Record<string, unknown> | null): string | null {
  if (!body) return 'The request body is empty.';
  const recipient = body.recipient as { id?: unknown } | undefined;
  if (typeof recipient?.id !== 'string') return '(#100) The parameter recipient is required.';
  if (body.sender_action !== undefined) return null;
  if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(String(body.messaging_type)))
    return '(#100) messaging_type is required.';
  if (body.messaging_type === 'MESSAGE_TAG' && typeof body.tag !== 'string')
    return '(#100) tag is required with MESSAGE_TAG.';
  const message = body.message as
    | {
        text?: unknown;
        quick_replies?: unknown[];
        attachment?: { type?: unknown; payload?: { url?: unknown } };
      }
    | undefined;
  if (message?.attachment !== undefined) {
    // Send API attachments by URL: Meta fetches the file itself.
    const { type, payload } = message.attachment;
    if (!['image', 'video', 'audio', 'file'].includes(String(type)))
      return '(#100) message.attachment.type must be image, video, audio or file.';
    if (typeof payload?.url !== 'string' || !/^https?:\/\//.test(payload.url))
      return '(#100) message.attachment.payload.url must be a URL.';
    if (message.text !== undefined) return '(#100) Send text or an attachment, not both.';
    return null;
  }
  if (typeof message?.text !== 'string' || message.text.length > 2000)
    return '(#100) message.text must be at most 2000 characters.';
  if ((message.quick_replies?.length ?? 0) > 13) return '(#100) At most 13 quick replies.';
  return null;
}

function recipientOf(body: Record<string, unknown> | null): unknown {
  return (body?.recipient as { id?: unknown } | undefined)?.id;
}

function graphError(
  code: number,
  message: string,
  type = 'OAuthException',
  details?: string,
  subcode?: number,
) {
  return {
    error: {
      message,
      type,
      code,
      ...(subcode === undefined ? {} : { error_subcode: subcode }),
      ...(details === undefined ? {} : { error_data: { messaging_product: 'whatsapp', details } }),
      fbtrace_id: randomBytes(8).toString('base64url'),
    },
  };
}

function send(outgoing: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  outgoing.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  outgoing.end(text);
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
