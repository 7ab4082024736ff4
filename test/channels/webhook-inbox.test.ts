import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { Store } from '../../src/core/store.js';
import { createDrizzleStore } from '../../src/store/drizzle-store.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/test-database.js';

describe.each(backends)('the webhook inbox (%s)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = createDrizzleStore(database.db, { clock });
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('keeps bodies byte for byte, hands each to one claimer, and retries what failed', async () => {
    const body = '{"text":"caf\\u00e9 \\ud83d\\udc4d","raw":"café 👍"}';
    const [first, second] = await store.webhookInbox.append([
      { channel: 'whatsapp', body, receivedAt: clock.now() },
      { channel: 'messenger', body: '{}', receivedAt: clock.now() },
    ]);
    const lease = new Date(clock.now().getTime() + 60_000);
    const [claimedA, claimedB] = await Promise.all([
      store.webhookInbox.claimDue(clock.now(), lease, 1),
      store.webhookInbox.claimDue(clock.now(), lease, 1),
    ]);
    const ids = [...claimedA, ...claimedB].map((webhook) => webhook.id).sort();
    expect(ids).toEqual([first, second].sort());
    expect([...claimedA, ...claimedB].find((webhook) => webhook.id === first)?.body).toBe(body);
    expect(await store.webhookInbox.claimDue(clock.now(), lease, 10)).toEqual([]);

    await store.webhookInbox.markProcessed([first!], clock.now());
    await store.webhookInbox.reschedule(second!, new Date(clock.now().getTime() + 5_000), 'boom');
    expect(await store.webhookInbox.pendingCount()).toBe(1);
    expect(await store.webhookInbox.claimDue(clock.now(), lease, 10)).toEqual([]);
    clock.advance(5_000);
    const [retried] = await store.webhookInbox.claimDue(clock.now(), lease, 10);
    expect(retried).toMatchObject({ id: second, attempts: 2 });
    await store.webhookInbox.markFailed(second!, 'unreadable');
    expect(await store.webhookInbox.getById(second!)).toMatchObject({
      status: 'failed',
      lastError: 'unreadable',
    });
  });

  it('prunes processed webhooks after Meta can no longer redeliver them, keeping failed ones', async () => {
    const [old, oldFailed] = await store.webhookInbox.append([
      { channel: 'whatsapp', body: '{}', receivedAt: clock.now() },
      { channel: 'whatsapp', body: 'not json', receivedAt: clock.now() },
    ]);
    await store.webhookInbox.markProcessed([old!], clock.now());
    await store.webhookInbox.markFailed(oldFailed!, 'not JSON');
    clock.advance(9 * 24 * 60 * 60_000);
    const [recent] = await store.webhookInbox.append([
      { channel: 'whatsapp', body: '{}', receivedAt: clock.now() },
    ]);
    await store.webhookInbox.markProcessed([recent!], clock.now());
    const pruned = await store.webhookInbox.pruneProcessed(
      new Date(clock.now().getTime() - 8 * 24 * 60 * 60_000),
    );
    expect(pruned).toBeGreaterThanOrEqual(1);
    expect(await store.webhookInbox.getById(old!)).toBeNull();
    expect(await store.webhookInbox.getById(recent!)).not.toBeNull();
    expect(await store.webhookInbox.getById(oldFailed!)).toMatchObject({ status: 'failed' });
  });
});
