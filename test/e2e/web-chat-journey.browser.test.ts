import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MockLanguageModelV3 } from 'ai/test';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../web/support/chromium.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';

const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/web/console/index.html', import.meta.url));
const AGENT_REPLY = 'Hello! Our Saturday hours are 10:00 to 16:00.';

/** A model that answers every turn with the same text, instantly. */
function cannedModel() {
  return new MockLanguageModelV3({
    doGenerate: () =>
      Promise.resolve({
        content: [{ type: 'text', text: AGENT_REPLY }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: 20, noCache: 20, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 10, text: 10, reasoning: 0 },
        },
        warnings: [],
      }),
  });
}

describe('the whole web chat journey in a real browser', () => {
  let parley: TestParley;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) {
      throw new Error('The console is not built: run `npm run build:web` first (npm test does).');
    }
    parley = await startTestParley({
      model: { model: cannedModel(), name: 'canned', timeoutMs: 5_000 },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });

  it('visitor chats on /demo, the agent answers, the owner takes over and the visitor sees the reply', async () => {
    const visitor = await browser.newPage();
    await visitor.goto(`${parley.baseUrl}/demo`);
    await visitor.getByTestId('parley-launcher').click();
    await visitor.getByTestId('parley-input').fill('When are you open on Saturday?');
    await visitor.getByTestId('parley-send').click();

    const visitorMessages = visitor.getByTestId('parley-message');
    await expect
      .poll(() => visitorMessages.allInnerTexts(), { timeout: 15_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining(AGENT_REPLY)]));

    const owner = await browser.newPage();
    await owner.goto(`${parley.baseUrl}/`);
    await owner.getByTestId('login-email').fill('owner@demo.parley');
    await owner.getByTestId('login-password').fill('demo-password-123');
    await owner.getByTestId('login-submit').click();

    const item = owner.getByTestId('conversation-item').first();
    await expect.poll(() => item.isVisible(), { timeout: 15_000 }).toBe(true);
    await item.click();
    await expect
      .poll(() => owner.getByTestId('thread-message').allInnerTexts(), { timeout: 10_000 })
      .toEqual(
        expect.arrayContaining([
          expect.stringContaining('When are you open on Saturday?'),
          expect.stringContaining(AGENT_REPLY),
        ]),
      );

    await owner.getByTestId('take-over').click();
    await owner
      .getByTestId('reply-input')
      .fill('Hi, this is the owner. We also open late on Fridays.');
    await owner.getByTestId('reply-send').click();

    await expect
      .poll(() => visitorMessages.allInnerTexts(), { timeout: 15_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining('We also open late on Fridays.')]));

    // While the owner holds the conversation the agent stays silent.
    await visitor.getByTestId('parley-input').fill('Great, thanks!');
    await visitor.getByTestId('parley-send').click();
    await expect
      .poll(
        () =>
          owner
            .getByTestId('thread-message')
            .allInnerTexts()
            .then((texts) => texts.some((text) => text.includes('Great, thanks!'))),
        { timeout: 10_000 },
      )
      .toBe(true);
    const conversations = await parley.store.conversations.list(parley.business.id);
    expect(conversations).toHaveLength(1);
    const messages = await parley.store.messages.listForConversation(
      parley.business.id,
      conversations[0]!.id,
    );
    expect(messages.filter((message) => message.author === 'agent')).toHaveLength(1);
    expect(conversations[0]!.state).toBe('person');
  });
});
