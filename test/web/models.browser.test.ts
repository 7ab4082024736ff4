import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { modelsSection, toModelsSettings } from '../../src/config/models-config.js';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import type { ModelCallRecord } from '../../src/core/model-calls.js';
import { buildTinyGguf } from '../support/gguf-writer.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { startModelFileServer, type ModelFileServer } from '../models/support/model-file-server.js';
import { launchChromium } from './support/chromium.js';

const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/web/console/index.html', import.meta.url));
const DAY_MS = 24 * 3600_000;

/** An Ollama-like server: answers `GET /v1/models` like the real one. */
async function startModelServerStandIn(): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/v1/models') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [{ id: 'qwen2.5:7b-instruct' }] }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

describe('the Models and Costs pages in a real browser', () => {
  let parley: TestParley;
  let browser: Browser;
  let hub: ModelFileServer;
  let modelServer: { server: Server; baseUrl: string };
  let conversationId: string;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) {
      throw new Error('The console is not built: run `npm run build:web` first (npm test does).');
    }
    hub = await startModelFileServer(buildTinyGguf(21));
    modelServer = await startModelServerStandIn();
    const config = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    // A hosted model for the owner's workspace only: customers still get menus (first run).
    config.models = toModelsSettings(
      modelsSection.parse({
        catalog: {
          hosted: {
            provider: 'openai',
            model: 'gpt-4.1-mini',
            baseUrl: 'http://127.0.0.1:9/v1',
            apiKey: 'sk-unused',
          },
          scout: {
            provider: 'openai-compatible',
            model: 'llama4-scout',
            baseUrl: 'http://127.0.0.1:9/v1',
          },
        },
        tasks: { 'owner-workspace': { primary: 'hosted', fallbacks: ['scout'] } },
        budgets: { perBusinessPerDay: 1, perContactPerDay: 0.001, alertAt: 0.8 },
        // Written before the size moved to the business profile: still read, with a warning.
        licensing: { monthlyActiveUsers: 2000 },
      }),
    );
    parley = await startTestParley({
      overrides: { config },
      env: { PARLEY_MODEL_HUB_URL: hub.url, PARLEY_MODEL_SERVERS: modelServer.baseUrl },
    });
    const businessId = parley.business.id;
    const contact = await parley.store.contacts.findOrCreateByIdentity(
      businessId,
      { channel: 'web', externalId: 'visitor-costs' },
      { displayName: 'Ana Costa' },
    );
    conversationId = (await parley.store.conversations.findOrOpen(businessId, contact.id, 'web'))
      .id;
    // Traffic on three days: 2 calls two days ago, 1 yesterday, 3 today (900 µ$ for Ana today).
    const record = (daysAgo: number, costMicros: number): ModelCallRecord => ({
      businessId,
      contactId: contact.id,
      conversationId,
      source: 'agent',
      task: 'customer-replies',
      modelId: 'hosted',
      provider: 'openai',
      location: 'external',
      dataClasses: [],
      redactions: {},
      inputTokens: 1000,
      outputTokens: 200,
      cachedInputTokens: 0,
      costMicros,
      latencyMs: 300,
      outcome: 'ok',
      errorCode: null,
      fallbackFrom: null,
      at: new Date(Date.now() - daysAgo * DAY_MS),
    });
    await parley.store.modelCalls.insertMany([
      record(2, 720),
      record(2, 720),
      record(1, 720),
      record(0, 300),
      record(0, 300),
      record(0, 300),
    ]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
    await hub?.close();
    await new Promise((resolve) => modelServer?.server.close(resolve));
  });

  async function signIn(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${parley.baseUrl}/`);
    await page.getByTestId('login-email').fill('owner@demo.parley');
    await page.getByTestId('login-password').fill('demo-password-123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-models').waitFor();
    return page;
  }

  it(
    'first run: the inbox points to Models, which shows licences, a server found here and downloads the recommended model, resuming after a cut',
    { timeout: 120_000 },
    async () => {
      const page = await signIn();
      const banner = page.getByTestId('model-setup-banner');
      await banner.waitFor();
      expect(await banner.innerText()).toContain('customers get menus');
      await banner.getByRole('link', { name: 'Set up a model' }).click();
      await page.getByTestId('models').waitFor();
      expect(new URL(page.url()).pathname).toBe('/models');
      await page.getByTestId('models-menu-mode').waitFor();
      expect(await page.getByTestId('models-config-warning').innerText()).toMatch(
        /models\.licensing is deprecated.*Move monthlyActiveUsers: 2000 under business:/,
      );
      expect(await page.getByTestId('models-licensing').innerText()).toContain('2,000');

      // Routes and licence facts; Llama 4 warns that the business has not said where it is.
      expect(await page.getByTestId('models-routes').innerText()).toMatch(
        /owner-workspace\s+hosted\s+scout/,
      );
      const hosted = page.locator('[data-testid="model-entry"][data-model="hosted"]');
      expect(await hosted.innerText()).toContain('OpenAI Services Agreement');
      const scout = page.locator('[data-testid="model-entry"][data-model="scout"]');
      expect(await scout.getByTestId('licence-reasons').innerText()).toMatch(
        /excludes some countries.*domicile/,
      );
      expect(await scout.innerText()).toContain('Built with Llama');

      // The server found on this machine, with the lines to paste.
      const server = page.getByTestId('model-server');
      await server.waitFor();
      const serverText = await server.innerText();
      expect(serverText).toContain(modelServer.baseUrl);
      expect(serverText).toContain('qwen2.5:7b-instruct');
      expect(serverText).toContain('provider: openai-compatible');
      expect(serverText).toContain(`baseUrl: ${modelServer.baseUrl}`);

      // The first attempt is cut mid-file; the page offers to resume, which continues by Range.
      hub.cutAfter = 100_000;
      await page.getByTestId('model-download-start').click();
      await page.getByTestId('model-download-failed').waitFor({ timeout: 30_000 });
      const resume = page.getByTestId('model-download-start');
      expect(await resume.innerText()).toBe('Resume download');
      await resume.click();
      const done = page.getByTestId('model-download-done');
      await done.waitFor({ timeout: 30_000 });
      expect(hub.ranges[0]).toBeNull();
      expect(hub.ranges.at(-1)).toMatch(/^bytes=[1-9]\d*-$/);
      const doneText = await done.innerText();
      expect(doneText).toContain('qwen2.5-0.5b-instruct is downloaded and recorded');
      expect(doneText).toContain('provider: embedded');
      expect(doneText).toContain('customer-replies: local');
      const pulled = await parley.modelGateway.puller!.library.list();
      expect(pulled).toEqual([
        expect.objectContaining({ name: 'qwen2.5-0.5b-instruct', sha256: hub.sha256 }),
      ]);
      await page.close();
    },
  );

  it(
    'Costs: spend per day, per model and per conversation, budgets, and the what-if calculator',
    { timeout: 120_000 },
    async () => {
      const page = await signIn();
      await page.getByTestId('nav-costs').click();
      await page.getByTestId('costs').waitFor();

      const bars = page.getByTestId('chart-cost').getByTestId('chart-bar');
      await expect.poll(() => bars.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(30);
      const spent = await bars.evaluateAll((elements) =>
        elements
          .filter((element) => Number(element.getAttribute('data-value')) > 0)
          .map((element) => [element.getAttribute('data-day'), element.getAttribute('data-value')]),
      );
      // Days in the demo business's time zone, as the page counts them.
      const day = (daysAgo: number) =>
        new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
          new Date(Date.now() - daysAgo * DAY_MS),
        );
      expect(spent).toEqual([
        [day(2), '1440'],
        [day(1), '720'],
        [day(0), '900'],
      ]);
      // Heights follow the values: the tallest bar is two days ago.
      const heights = await page
        .locator(`[data-testid="chart-bar"][data-day="${day(2)}"] rect`)
        .evaluate((element) => Number(element.getAttribute('height')));
      expect(heights).toBeGreaterThan(100);

      await page.getByRole('button', { name: 'Tokens' }).click();
      const tokenBar = page.locator(
        `[data-testid="chart-tokens"] [data-testid="chart-bar"][data-day="${day(0)}"]`,
      );
      await tokenBar.waitFor({ state: 'attached' });
      expect(await tokenBar.getAttribute('data-value')).toBe('3600');

      expect(await page.getByTestId('cost-per-model').innerText()).toMatch(
        /hosted\s+6\s+7\.2k\s+\$0\.0031/,
      );

      const budget = page.getByTestId('budget');
      const ana = budget.getByTestId('budget-contact').filter({ hasText: 'Ana Costa' });
      expect(await ana.innerText()).toMatch(/\$0\.00090 of \$0\.0010 a day\s+90%/);
      expect(await ana.getByTestId('budget-meter').getAttribute('data-level')).toBe('near');

      // 15,000 queries a day at the measured 1,000 tokens in and 200 out; a GPU at $2.50/h
      // writing 10 tokens/s needs 4 of them.
      const whatIf = page.getByTestId('what-if');
      await whatIf.getByLabel('Queries a day').fill('15000');
      await whatIf.getByLabel('GPU price per hour ($)').fill('2.50');
      await whatIf.getByLabel('GPU throughput (output tokens/s)').fill('10');
      await whatIf.getByRole('button', { name: 'Compare' }).click();
      await expect
        .poll(() => whatIf.getByTestId('what-if-volume').innerText(), { timeout: 20_000 })
        .toContain('450,000 queries a month');
      const hostedRow = whatIf.getByTestId('what-if-row').filter({ hasText: 'hosted' });
      expect(await hostedRow.innerText()).toMatch(/Parley's price table\s+\$0\.00072\s+\$324\.00/);
      expect(await whatIf.getByTestId('what-if-gpu').innerText()).toMatch(
        /Rented GPU × 4.*347% of one GPU busy[\s\S]*\$7,200/,
      );

      const link = page.getByTestId('cost-conversation-link').first();
      expect(await link.innerText()).toBe('Ana Costa');
      await link.click();
      await expect
        .poll(() => new URL(page.url()).pathname, { timeout: 20_000 })
        .toBe(`/conversations/${conversationId}`);
      await page.close();
    },
  );
});
