import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { startTestParley, type TestParley } from '../../support/test-parley.js';
import { launchChromium } from './chromium.js';

const CONSOLE_BUILD = fileURLToPath(
  new URL('../../../dist/web/console/index.html', import.meta.url),
);

/**
 * A whole Parley and a Chromium to drive its console: what every console browser test starts
 * with. Fails at once, saying how to fix it, when the console has not been built.
 */
export async function startConsoleInBrowser(
  options: Parameters<typeof startTestParley>[0] = {},
): Promise<{ parley: TestParley; browser: Browser }> {
  if (!existsSync(CONSOLE_BUILD)) {
    throw new Error('The console is not built: run `npm run build:web` first (npm test does).');
  }
  const parley = await startTestParley(options);
  try {
    return { parley, browser: await launchChromium() };
  } catch (error) {
    await parley.stop();
    throw error;
  }
}
