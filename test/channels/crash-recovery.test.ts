import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGraphApiStandIn,
  type GraphApiStandIn,
} from '../../src/channels/meta/stand-in/graph-api-stand-in.js';
import { signWebhookBody } from '../../src/channels/meta/webhook-signature.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { contactEntry, inbound, whatsappWebhook } from './fixtures/whatsapp-webhooks.js';
import { consoleApi, type ConsoleMessage } from './support/console-api.js';
import { eventually } from '../support/eventually.js';
import { META } from './support/meta-accounts.js';

const CHILD = fileURLToPath(new URL('./support/parley-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Child {
  process: ChildProcess;
  url: string;
}

/**
 * A process killed mid-dispatch loses nothing: Parley runs as a child process against the Graph
 * API stand-in, which holds the reply's send open; the child is killed with SIGKILL while Meta
 * (the stand-in) has accepted the message but Parley has not recorded it, then restarted.
 */
describe('a Parley process killed while sending', () => {
  let graph: GraphApiStandIn;
  let database: TestDatabase | null = null;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    graph = await startGraphApiStandIn();
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-crash-'));
    // PostgreSQL when the run has one (several processes may share it); otherwise PGlite on disk.
    database = process.env.DATABASE_URL ? await openTestDatabase('postgres') : null;
    if (database) await database.close();
    env = {
      ...(process.env as Record<string, string>),
      PORT: '0',
      PARLEY_DATA_DIR: dataDir,
      PARLEY_DEMO_PASSWORD: 'demo-password-123',
      META_GRAPH_URL: graph.url,
      META_INSTAGRAM_GRAPH_URL: graph.url,
      PARLEY_TEST_OUTBOX_LEASE_MS: '1500',
      LOG_LEVEL: 'silent',
    };
    if (database?.url) env.DATABASE_URL = database.url;
    else delete env.DATABASE_URL;
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await graph.close();
    if (database) await database.destroy().catch(() => {});
  });

  async function startChild(): Promise<Child> {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const ready = /READY (\S+)/.exec(output);
        if (ready) resolve(ready[1]!);
      });
      child.once('exit', (code) =>
        reject(new Error(`Parley exited (${code}) before it was ready:\n${errors}`)),
      );
    });
    return { process: child, url };
  }

  async function kill(child: Child): Promise<void> {
    const exited = new Promise((resolve) => child.process.once('exit', resolve));
    child.process.kill('SIGKILL');
    await exited;
  }

  const post = (url: string, payload: unknown) => {
    const raw = JSON.stringify(payload);
    return fetch(`${url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signWebhookBody(raw, META.appSecret),
      },
      body: raw,
    });
  };

  it('sends the reply after a restart; the duplicate window is the accepted-but-unrecorded send', async () => {
    const customer = {
      waId: '447700920001',
      userId: 'US.44770092000100000000',
      name: 'Crash Test',
    };
    const isOurs = (request: { body: Record<string, unknown> | null }) =>
      request.body?.to === `+${customer.waId}` && request.body.type !== undefined;
    graph.script({ kind: 'hang' }, { match: isOurs });
    const message = inbound(
      'text',
      { text: { body: 'hello, anyone there?' } },
      { from: customer.waId, from_user_id: customer.userId },
    );
    const webhook = whatsappWebhook({ contacts: [contactEntry(customer)], messages: [message] });

    const first = await startChild();
    expect((await post(first.url, webhook)).status).toBe(200);
    // Meta has the send (and will deliver it); Parley is waiting for the answer when it dies.
    await graph.waitFor(isOurs, 20_000);
    await kill(first);
    graph.releaseHeld();

    const second = await startChild();
    const api = await consoleApi(second.url);
    const reply = await eventually(
      'the reply to be sent after the restart',
      async () => {
        const { conversations } = await api.get<{
          conversations: Array<{ id: string; channel: string; contact: { phone: string | null } }>;
        }>('/api/conversations');
        const conversation = conversations.find(
          (candidate) => candidate.contact.phone === `+${customer.waId}`,
        );
        if (!conversation) return undefined;
        const { messages } = await api.get<{ messages: ConsoleMessage[] }>(
          `/api/conversations/${conversation.id}`,
        );
        const sent = messages.find(
          (candidate) => candidate.author === 'agent' && candidate.status === 'sent',
        );
        return sent ? { conversationId: conversation.id, messages, sent } : undefined;
      },
      30_000,
    );
    // One reply in Parley; two accepted sends at Meta: the documented duplicate window (a crash
    // between the provider's accept and Parley's record of it). Nothing was lost.
    expect(reply.messages.filter((candidate) => candidate.author === 'agent')).toHaveLength(1);
    expect(graph.sends().filter(isOurs)).toHaveLength(2);

    // Meta redelivers the customer's message (our 200 may have been lost): no second turn.
    expect((await post(second.url, webhook)).status).toBe(200);
    await kill(second);

    // A third process finds everything settled: nothing is resent, nothing is answered twice.
    const third = await startChild();
    expect((await post(third.url, webhook)).status).toBe(200);
    const thirdApi = await consoleApi(third.url);
    await eventually('the redelivery to be processed', async () => {
      const { messages } = await thirdApi.get<{ messages: ConsoleMessage[] }>(
        `/api/conversations/${reply.conversationId}`,
      );
      return messages.length > 0 ? messages : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const { messages } = await thirdApi.get<{ messages: ConsoleMessage[] }>(
      `/api/conversations/${reply.conversationId}`,
    );
    expect(messages.map((candidate) => `${candidate.author}:${candidate.status}`)).toEqual([
      'customer:received',
      'agent:sent',
    ]);
    expect(graph.sends().filter(isOurs)).toHaveLength(2);
    await kill(third);
    // Three Parley processes start in this test; the deadline only bounds a broken run.
  }, 180_000);
});
