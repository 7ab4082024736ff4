import type { Browser } from 'playwright-core';
import { startConsoleInBrowser } from '../web/support/console-in-browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestParley } from '../support/test-parley.js';
import { waitFor } from '../agent/wait-for.js';

describe('the Knowledge page in a real browser', () => {
  let parley: TestParley;
  let browser: Browser;

  beforeAll(async () => {
    ({ parley, browser } = await startConsoleInBrowser());
  });
  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });

  it('the owner uploads a document, sees its passages, deletes it; a bad file is explained', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${parley.baseUrl}/`);
    await page.getByTestId('login-email').fill('owner@demo.parley');
    await page.getByTestId('login-password').fill('demo-password-123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-knowledge').click();
    await page.getByTestId('knowledge-page').waitFor();
    // The demo FAQ is listed.
    expect(await page.locator('.knowledge-faq dt').count()).toBeGreaterThan(0);

    await page.getByLabel('Upload documents').setInputFiles({
      name: 'returns-policy.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(
        '# Returns policy\n\n## Refunds\n\nRefunds take 5 working days.\n\n## Exchanges\n\nFree within 30 days.\n',
      ),
    });
    const row = page.getByTestId('knowledge-document');
    await row.first().waitFor();
    expect(await row.first().innerText()).toMatch(/Returns policy\s+returns-policy\.md\s+2/);
    const stored = await parley.store.knowledgeDocuments.list(parley.business.id);
    expect(stored.map((document) => document.passageCount)).toEqual([2]);

    await page.getByLabel('Upload documents').setInputFiles({
      name: 'scan.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('not a pdf at all'),
    });
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('scan.pdf');
    expect(await page.getByRole('alert').innerText()).toContain('not a PDF file');

    await row.first().getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No documents yet.').waitFor();
    await waitFor('the document to be gone from the store', async () =>
      (await parley.store.knowledgeDocuments.list(parley.business.id)).length === 0 ? true : null,
    );
  });
});
