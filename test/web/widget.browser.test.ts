import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { widgetBuildConfig } from '../../src/web/widget-build-config.js';
import { launchChromium } from './support/chromium.js';
import { startShopPage } from './support/shop-page-server.js';
import { WidgetStandInServer } from './support/widget-stand-in-server.js';

// The widget is built from source for this run, so the test never runs a stale dist/web/widget.js.
let widgetDir: string;
let browser: Browser;

beforeAll(async () => {
  widgetDir = await mkdtemp(join(tmpdir(), 'parley-widget-'));
  await build(widgetBuildConfig(widgetDir));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await rm(widgetDir, { recursive: true, force: true });
});

describe('chat widget (real Chromium, stand-in widget API)', () => {
  let server: WidgetStandInServer;
  let shop: { url: string; close: () => Promise<void> };
  let context: BrowserContext;
  let page: Page;

  beforeEach(async () => {
    server = new WidgetStandInServer(widgetDir);
    shop = await startShopPage(await server.start(), server.businessId);
    context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    page = await context.newPage();
  });

  afterEach(async () => {
    await context.close();
    await shop.close();
    await server.stop();
  });

  const messages = () => page.getByTestId('parley-message');
  const messageWithText = (text: string) => messages().filter({ hasText: text });

  async function openChat(): Promise<void> {
    await page.goto(shop.url);
    await page.getByTestId('parley-launcher').click();
    await page.getByTestId('parley-panel').waitFor();
  }

  /** Types and sends with Enter, then waits until the server confirmed it (it has an id). */
  async function sendMessage(text: string): Promise<void> {
    await page.getByTestId('parley-input').fill(text);
    await page.getByTestId('parley-input').press('Enter');
    await messageWithText(text).and(page.locator('[data-message-id]')).waitFor();
  }

  it('loads on a shop page, unharmed by its CSS, and opens a labelled, focused chat', async () => {
    await openChat();
    const panel = page.getByTestId('parley-panel');
    expect(await panel.getAttribute('aria-label')).toBe('Chat with Crumb & Co. Bakery');
    expect(await panel.textContent()).toContain('Hello! Ask us anything.');
    // The shop hides every <button> with !important; the widget's buttons live in its shadow root.
    expect(await page.getByTestId('parley-send').isVisible()).toBe(true);
    const focusedTestId = await page.evaluate(
      () =>
        document
          .getElementById('parley-chat')
          ?.shadowRoot?.activeElement?.getAttribute('data-testid') ?? null,
    );
    expect(focusedTestId).toBe('parley-input');
    expect(await page.getByLabel('Your message').count()).toBe(1);
    // No visitor is created for a page view alone; the first message creates it.
    expect(server.visitors).toHaveLength(0);
  });

  it('shows a sent message once and a reply pushed over the stream, with a typing indicator between', async () => {
    await openChat();
    await sendMessage('Do you have rye bread today?');
    await page.getByTestId('parley-typing').waitFor();

    server.reply([{ type: 'text', text: 'Yes, we baked twelve loaves of rye this morning.' }]);
    await messageWithText('twelve loaves').waitFor();
    await page.getByTestId('parley-typing').waitFor({ state: 'hidden' });

    // The reply came after the stream echoed the visitor's own message: both deliveries are in.
    expect(await messageWithText('Do you have rye bread today?').count()).toBe(1);
    expect(await messages().count()).toBe(2);
    expect(server.posts).toHaveLength(1);
    expect(server.visitors).toHaveLength(1);
  });

  it('keeps the identity and the history across a reload', async () => {
    await openChat();
    await sendMessage('Can I order a birthday cake?');
    server.reply([{ type: 'text', text: 'Of course! For which day?' }]);
    await messageWithText('For which day?').waitFor();
    const stored = await page.evaluate(
      (key) => localStorage.getItem(key),
      `parley:${server.businessId}`,
    );

    await page.reload();
    await page.getByTestId('parley-launcher').click();
    await messageWithText('For which day?').waitFor();
    expect(await messageWithText('Can I order a birthday cake?').count()).toBe(1);
    expect(await messages().count()).toBe(2);

    await sendMessage('Saturday, please.');
    expect(server.visitors).toHaveLength(1);
    expect(JSON.parse(stored ?? 'null')).toEqual({
      visitorId: server.visitors[0]!.visitorId,
      token: server.visitors[0]!.token,
    });
  });

  it('resumes a dropped stream without losing or repeating messages', async () => {
    await openChat();
    await sendMessage('Are you open on Sunday?');
    const first = server.reply([{ type: 'text', text: 'We open at nine on Sundays.' }]);
    await messageWithText('nine on Sundays').waitFor();

    // The server drops the stream and answers while the widget is disconnected.
    server.dropStreams({ hold: true });
    await waitUntil(() => server.heldStreamCount === 1);
    expect(server.openStreamCount).toBe(0);
    server.reply([{ type: 'text', text: 'And we close at two.' }]);
    server.releaseStreams();

    await messageWithText('close at two').waitFor();
    // A later live message proves the replay was processed before it.
    server.reply([{ type: 'text', text: 'Anything else?' }]);
    await messageWithText('Anything else?').waitFor();
    for (const text of [
      'Are you open on Sunday?',
      'nine on Sundays',
      'close at two',
      'Anything else?',
    ]) {
      expect(await messageWithText(text).count()).toBe(1);
    }
    expect(server.streamRequests.at(-1)?.lastEventId).toBe(String(first.seq));
  });

  it('reopens a stream the server refused, from the last seq it saw', async () => {
    await openChat();
    await sendMessage('Do you deliver?');
    const reply = server.reply([{ type: 'text', text: 'Within five kilometres, yes.' }]);
    await messageWithText('five kilometres').waitFor();

    // A refused reconnect (503) makes EventSource give up; the widget must open a new one itself.
    server.refuseNextStreams(1);
    server.dropStreams({ hold: false });
    await waitUntil(() => server.streamRequests.length >= 3 && server.openStreamCount === 1);
    server.reply([{ type: 'text', text: 'Delivery is free over 30 euros.' }]);
    await messageWithText('free over 30 euros').waitFor();

    const reopened = server.streamRequests.at(-1)!;
    expect(reopened.lastEventId).toBeNull();
    expect(reopened.after).toBe(String(reply.seq));
    expect(await messageWithText('five kilometres').count()).toBe(1);
  });

  it('retries a failed POST with the same clientMessageId and shows the message once', async () => {
    await openChat();
    server.failNextPostsAfterStoring(1);
    await sendMessage('I would like two croissants.');
    // The stream already showed the stored message; the widget still retries the lost answer.
    await waitUntil(() => server.posts.length === 2);
    server.reply([{ type: 'text', text: 'Two croissants, noted.' }]);
    await messageWithText('croissants, noted').waitFor();

    expect(server.posts).toHaveLength(2);
    expect(server.posts[1]!.clientMessageId).toBe(server.posts[0]!.clientMessageId);
    expect(server.posts[0]!.clientMessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.messages.filter((m) => m.author === 'customer')).toHaveLength(1);
    expect(await messageWithText('I would like two croissants.').count()).toBe(1);
  });

  it('renders choices as buttons and sends a tapped one as choiceId and title', async () => {
    await openChat();
    await sendMessage('Menu');
    server.reply([
      { type: 'text', text: 'What can I help with?' },
      {
        type: 'choices',
        choices: [
          { id: 'browse', title: 'See our cakes' },
          { id: 'person', title: 'Talk to a person' },
        ],
      },
    ]);
    const choice = page.getByTestId('parley-choice').filter({ hasText: 'Talk to a person' });
    await choice.click();
    await messageWithText('Talk to a person')
      .and(page.locator('[data-author="customer"][data-message-id]'))
      .waitFor();

    expect(server.posts.at(-1)).toMatchObject({ choiceId: 'person', text: 'Talk to a person' });
    // The question is answered: its buttons no longer send anything.
    expect(await choice.isDisabled()).toBe(true);
  });
});

/** Polls a condition of the stand-in server (no browser involved) until it holds. */
async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error('The stand-in server never reached the expected state.');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
