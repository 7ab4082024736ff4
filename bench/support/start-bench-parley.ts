import pino from 'pino';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { readServerSettings } from '../../src/config/server-settings.js';
import type { ModelBinding } from '../../src/core/model.js';
import { startParley, type RunningParley } from '../../src/server/start-parley.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createScratchFolder } from './bench-database.js';

/**
 * Production's poll interval. Turns and deliveries are woken by live events, so the poll is only a
 * safety net; a shorter one adds idle claim queries without making a turn start sooner.
 */
export const WORKER_POLL_MS = 1_000;

/** The whole composition root (demo business, turn worker, outbox) in this process, no HTTP. */
export async function startBenchParley(
  database: DatabaseHandle,
  model: ModelBinding,
): Promise<RunningParley> {
  const dataDir = await createScratchFolder('parley-bench-data-');
  return startParley({
    settings: readServerSettings({ PORT: '0', PARLEY_DATA_DIR: dataDir }),
    config: await loadBusinessConfig(DEMO_CONFIG_PATH, {}),
    demo: true,
    // Failed turns must be seen: a benchmark of failing turns measures the wrong thing.
    logger: pino({ level: 'warn' }, pino.destination(2)),
    database,
    model,
    listen: false,
    workerPollMs: WORKER_POLL_MS,
  });
}
