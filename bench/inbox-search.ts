// The team inbox's search (trigram-indexed ILIKE over message text, plus contact fields) and what
// its index costs: search latency with the index, without it (sequential scan) and a plain list
// without a search as the baseline; message inserts with and without the index. PGlite.
// Run: npx tsx bench/inbox-search.ts [conversations] [messagesPerConversation] (defaults 2,000, 10).
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/store/database.js';
import { createDrizzleStore } from '../src/store/drizzle-store.js';
import { contacts, conversations, messages } from '../src/store/schema/index.js';
import { createScratchFolder } from './support/bench-database.js';
import { cleanUpEverything } from './support/cleanup.js';
import { formatNumber, summarizeLatencies } from './support/latency-stats.js';

const WORDS = [
  'helmet',
  'gravel',
  'tyre',
  'puncture',
  'refund',
  'delivery',
  'invoice',
  'saddle',
  'brake',
  'chain',
  'service',
  'booking',
  'warranty',
  'pedals',
  'lights',
  'jacket',
  'gloves',
  'frame',
  'wheel',
  'order',
  'tracking',
  'exchange',
  'size',
  'colour',
  'discount',
  'voucher',
  'repair',
];
const NAMES = ['Priya', 'Tom', 'Ana', 'Sam', 'Noor', 'Kim', 'Alex', 'Lena', 'Omar', 'Yuki'];

const conversationCount = Number(process.argv[2] ?? 2_000);
const perConversation = Number(process.argv[3] ?? 10);
const QUERIES = 100;
const INSERTS = 1_000;

const pick = <T>(items: readonly T[], index: number) => items[index % items.length]!;
const sentence = (seed: number) =>
  Array.from({ length: 8 }, (_, word) => pick(WORDS, seed * 7 + word * 13 + (seed % 5))).join(' ');

async function main() {
  const database = await openDatabase({
    kind: 'pglite',
    dataDir: await createScratchFolder('parley-inbox-bench-'),
  });
  const store = createDrizzleStore(database.db);
  const business = await store.businesses.upsert({
    slug: 'inbox-bench',
    name: 'Inbox Bench',
    instructions: '',
    profile: {
      description: '',
      timezone: 'Europe/London',
      languages: ['en'],
      currency: 'GBP',
      openingHours: {},
      tone: 'friendly',
    },
  });
  const now = Date.now();
  for (let start = 0; start < conversationCount; start += 500) {
    const batch = Array.from({ length: Math.min(500, conversationCount - start) }, (_, offset) => {
      const index = start + offset;
      return { index, contactId: randomUUID(), conversationId: randomUUID() };
    });
    await database.db.insert(contacts).values(
      batch.map(({ index, contactId }) => ({
        id: contactId,
        businessId: business.id,
        displayName: `${pick(NAMES, index)} ${index}`,
        phone: `+4477009${String(index).padStart(5, '0')}`,
        email: `customer${index}@example.test`,
      })),
    );
    await database.db.insert(conversations).values(
      batch.map(({ index, contactId, conversationId }) => ({
        id: conversationId,
        businessId: business.id,
        contactId,
        channel: 'web',
        state: index % 4 === 0 ? ('waiting_for_person' as const) : ('agent' as const),
        unreadCount: index % 3,
        lastMessageAt: new Date(now - index * 60_000),
      })),
    );
    await database.db.insert(messages).values(
      batch.flatMap(({ index, conversationId }) =>
        Array.from({ length: perConversation }, (_, position) => {
          const text = sentence(index * perConversation + position);
          return {
            id: randomUUID(),
            businessId: business.id,
            conversationId,
            channel: 'web',
            direction: position % 2 === 0 ? ('inbound' as const) : ('outbound' as const),
            author: position % 2 === 0 ? ('customer' as const) : ('agent' as const),
            parts: [{ type: 'text' as const, text }],
            text,
            status: 'received' as const,
          };
        }),
      ),
    );
  }

  const queries = Array.from({ length: QUERIES }, (_, index) =>
    index % 4 === 3
      ? `customer${(index * 37) % conversationCount}@`
      : `${pick(WORDS, index * 5)} ${pick(WORDS, index * 5 + 3)}`.slice(0, 12),
  );
  const time = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    return performance.now() - started;
  };
  const listing = async (search?: string) =>
    Promise.all([
      store.inbox.search(business.id, null, { search, limit: 100 }),
      store.inbox.countViews(business.id, null, { search }),
    ]);
  const measure = async (search: (index: number) => string | undefined) => {
    const samples: number[] = [];
    for (let index = 0; index < QUERIES; index++) {
      samples.push(await time(() => listing(search(index))));
    }
    return summarizeLatencies(samples);
  };
  const insertRate = async () => {
    const conversationId = (await store.inbox.search(business.id, null, { limit: 1 }))[0]!.id;
    const started = performance.now();
    for (let index = 0; index < INSERTS; index++) {
      await store.messages.insert({
        businessId: business.id,
        conversationId,
        channel: 'web',
        direction: 'inbound',
        author: 'customer',
        parts: [{ type: 'text', text: sentence(index + 99) }],
        status: 'received',
      });
    }
    return (INSERTS / (performance.now() - started)) * 1000;
  };

  await measure(() => undefined); // warm-up
  const plain = await measure(() => undefined);
  const indexed = await measure((index) => queries[index]);
  const insertsIndexed = await insertRate();
  await database.db.execute(sql`DROP INDEX messages_text_trigram`);
  const scanned = await measure((index) => queries[index]);
  const insertsPlain = await insertRate();

  const total = conversationCount * perConversation;
  const row = (label: string, stats: ReturnType<typeof summarizeLatencies>) =>
    `| ${label} | ${formatNumber(stats.p50)} | ${formatNumber(stats.p99)} | ${formatNumber(stats.p50 / plain.p50)}× |`;
  console.log(
    `Inbox search, PGlite, ${formatNumber(total)} messages in ${formatNumber(conversationCount)} conversations (list of 100 + every view's counts)\n`,
  );
  console.log('| request | p50 ms | p99 ms | p50 vs no search |');
  console.log('| --- | --- | --- | --- |');
  console.log(row('no search (baseline)', plain));
  console.log(row('search, trigram index', indexed));
  console.log(row('search, no index', scanned));
  console.log(
    `\nMessage inserts: ${formatNumber(insertsIndexed)}/s with the trigram index, ${formatNumber(insertsPlain)}/s without (${formatNumber(insertsIndexed / insertsPlain)}×).`,
  );
  await database.close();
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanUpEverything());
