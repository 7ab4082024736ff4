import pino from 'pino';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { readServerSettings } from '../../src/config/server-settings.js';
import type { ModelBinding } from '../../src/core/model.js';
import {
  startParley,
  type RunningParley,
  type StartParleyOptions,
} from '../../src/server/start-parley.js';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { openTestDatabase, type Backend, type TestDatabase } from './test-database.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestParley extends RunningParley {
  database: TestDatabase;
  /** The data folder (blobs, demo owner file); kept when the caller passed its own. */
  dataDir: string;
  /** Base URL of the listening server, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * A whole Parley (demo business, workers, HTTP on a free port) over a fresh test database. Pass a
 * scripted model to drive the agent; `model: null` (the default) means menu mode.
 */
export async function startTestParley(
  options: {
    backend?: Backend;
    model?: ModelBinding | null;
    demoPassword?: string;
    overrides?: Partial<StartParleyOptions>;
    /** Extra environment for the server settings, such as META_GRAPH_URL. */
    env?: Record<string, string>;
    /**
     * An open test database to start over (a restart); it is left open by `stop()`, so a second
     * Parley can start on it. Without one, a fresh database is made and destroyed by `stop()`.
     */
    database?: TestDatabase;
    dataDir?: string;
  } = {},
): Promise<TestParley> {
  const database = options.database ?? (await openTestDatabase(options.backend ?? 'pglite'));
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'parley-test-')));
  const settings = readServerSettings({
    PORT: '0',
    PARLEY_DATA_DIR: dataDir,
    PARLEY_DEMO_PASSWORD: options.demoPassword ?? 'demo-password-123',
    ...options.env,
  });
  const config = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
  const parley = await startParley({
    settings,
    config,
    demo: true,
    logger: pino({ level: 'silent' }),
    database,
    model: options.model ?? null,
    workerPollMs: 50,
    ...options.overrides,
  });
  return {
    ...parley,
    database,
    dataDir,
    baseUrl: parley.url!,
    async stop() {
      await parley.close();
      if (!options.database) await database.destroy();
    },
  };
}
