import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInTicket {
  id: number;
  subject: string;
  comment: { body: string; public?: boolean };
  requester: { name: string; email?: string };
  tags: string[];
  external_id: string;
}

export interface StandInComment {
  ticketId: number;
  body: string;
  public: boolean;
}

/**
 * A stand-in for Zendesk's Support API (`POST /api/v2/tickets.json`, `PUT /api/v2/tickets/{id}.json`)
 * as documented: API-token Basic auth (`{email}/token:{token}`), JSON bodies under `ticket`,
 * `201 {ticket: {id}}` on create, 401 for wrong credentials, 429 with Retry-After when told to.
 */
export async function startZendeskStandIn(credentials: { email: string; apiToken: string }) {
  const tickets: StandInTicket[] = [];
  const comments: StandInComment[] = [];
  const refused: string[] = [];
  /** Queued failures for the next requests: a status and an optional Retry-After. */
  const failures: Array<{ status: number; retryAfter?: string }> = [];
  const expected = `Basic ${Buffer.from(`${credentials.email}/token:${credentials.apiToken}`).toString('base64')}`;
  let nextId = 1001;

  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify(payload));
      };
      if (request.headers.authorization !== expected) {
        refused.push(`${request.method} ${request.url}`);
        return send(401, { error: "Couldn't authenticate you" });
      }
      const failure = failures.shift();
      if (failure) {
        return send(
          failure.status,
          { error: 'failing on purpose' },
          failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
        );
      }
      const parsed = JSON.parse(body || '{}') as { ticket?: Record<string, unknown> };
      if (request.method === 'POST' && request.url === '/api/v2/tickets.json') {
        const ticket = { id: nextId++, ...(parsed.ticket as Omit<StandInTicket, 'id'>) };
        if (!ticket.subject || !ticket.comment?.body) {
          return send(422, { error: 'RecordInvalid', description: 'subject and comment required' });
        }
        tickets.push(ticket);
        return send(201, { ticket: { id: ticket.id, subject: ticket.subject } });
      }
      const match = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(request.url ?? '');
      if (request.method === 'PUT' && match) {
        const id = Number(match[1]);
        if (!tickets.some((ticket) => ticket.id === id))
          return send(404, { error: 'RecordNotFound' });
        const comment = parsed.ticket?.comment as { body: string; public?: boolean };
        comments.push({ ticketId: id, body: comment.body, public: comment.public ?? true });
        return send(200, { ticket: { id } });
      }
      send(404, { error: 'InvalidEndpoint' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    tickets,
    comments,
    refused,
    failures,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
