import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { launchChromium } from './support/chromium.js';

const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/web/console/index.html', import.meta.url));

describe('the channel simulator page in a real browser', () => {
  let parley: TestParley;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) {
      throw new Error('The console is not built: run `npm run build:web` first (npm test does).');
    }
    // Menu mode (no model): the reply is the menu, as WhatsApp reply buttons.
    parley = await startTestParley({ env: { PARLEY_SIMULATOR: 'true' } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });

  async function signIn(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${parley.baseUrl}/`);
    await page.getByTestId('login-email').fill('owner@demo.parley');
    await page.getByTestId('login-password').fill('demo-password-123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-simulator').waitFor();
    return page;
  }

  it('the owner writes as a WhatsApp customer, sees the reply on a phone, then the conversation in the inbox', async () => {
    const page = await signIn();
    await page.getByTestId('nav-simulator').click();
    await page.getByTestId('simulator').waitFor();
    expect(new URL(page.url()).pathname).toBe('/simulator');

    await page.getByLabel('Write as the WhatsApp customer').fill('Hello, are you open today?');
    await page.getByRole('button', { name: 'Send' }).click();

    const business = page.locator('[data-testid="simulator-entry"][data-from="business"]');
    await business.first().waitFor({ timeout: 15_000 });
    const customer = page.locator('[data-testid="simulator-entry"][data-from="customer"]');
    expect(await customer.first().innerText()).toContain('Hello, are you open today?');
    // The menu's reply buttons, tappable in the simulated chat.
    const choices = business.first().getByTestId('simulator-choice');
    expect(await choices.allInnerTexts()).toEqual(['Ask a question', 'Talk to a person']);

    // Styled like a phone chat: the customer's bubbles on the right in WhatsApp's green, the
    // business's on the left in white, inside a framed phone.
    const phone = await page.locator('.simulator-phone').evaluate((element) => {
      const style = getComputedStyle(element);
      return { display: style.display, radius: parseFloat(style.borderTopLeftRadius) };
    });
    expect(phone).toEqual({ display: 'flex', radius: expect.any(Number) as number });
    expect(phone.radius).toBeGreaterThan(10);
    const mine = await customer.first().boundingBox();
    const theirs = await business.first().boundingBox();
    expect(mine!.x + mine!.width).toBeGreaterThan(theirs!.x + theirs!.width);
    expect(
      await customer.first().evaluate((element) => getComputedStyle(element).backgroundColor),
    ).toBe('rgb(217, 253, 211)');
    expect(
      await business.first().evaluate((element) => getComputedStyle(element).backgroundColor),
    ).toBe('rgb(255, 255, 255)');

    // Tapping "Talk to a person" is a button reply; Parley answers it.
    await choices.filter({ hasText: 'Talk to a person' }).click();
    await expect.poll(() => business.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);

    await page.getByTestId('nav-inbox').click();
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Sam Simulated' });
    await item.waitFor({ timeout: 15_000 });
    await item.click();
    await expect
      .poll(() => page.getByTestId('thread-message').allInnerTexts(), { timeout: 10_000 })
      .toEqual(
        expect.arrayContaining([
          expect.stringContaining('Hello, are you open today?'),
          expect.stringContaining('Talk to a person'),
        ]),
      );
    await page.close();
  }, 120_000); // a browser, a whole Parley and a loaded machine: a generous bound, not a speed check
});
