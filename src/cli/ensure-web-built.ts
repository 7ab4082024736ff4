import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { fileURLToPath } from 'node:url';
import { DEFAULT_WEB_ROOT } from '../server/start-parley.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A fresh clone has no built console: build it once before the first start, so that
 * `npm install && npm start` is all a newcomer runs.
 */
export async function ensureWebBuilt(logger: Logger): Promise<void> {
  if (
    existsSync(join(DEFAULT_WEB_ROOT, 'console', 'index.html')) &&
    existsSync(join(DEFAULT_WEB_ROOT, 'widget.js'))
  ) {
    return;
  }
  logger.info('building the console and the chat widget (first start only)');
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build:web'], {
      stdio: 'inherit',
      cwd: PACKAGE_ROOT,
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`npm run build:web failed (exit ${code}); run it yourself to see why`)),
    );
  });
}
