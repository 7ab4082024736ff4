// A whole Parley in its own process, for crash tests: started with `node --import tsx`, it prints
// `READY <url>` once it listens. The environment is read as `parley start` reads it, plus:
// PARLEY_TEST_OUTBOX_LEASE_MS (how soon a crashed send is retried).
import pino from 'pino';
import { DEMO_CONFIG_PATH } from '../../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../../src/config/load-business-config.js';
import { readServerSettings } from '../../../src/config/server-settings.js';
import { startParley } from '../../../src/server/start-parley.js';
import { demoConfigWithMeta } from './meta-accounts.js';

const settings = readServerSettings(process.env);
const config = demoConfigWithMeta(await loadBusinessConfig(DEMO_CONFIG_PATH, {}));
const parley = await startParley({
  settings,
  config,
  demo: true,
  logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
  model: null,
  workerPollMs: 50,
  outboxLeaseMs: Number(process.env.PARLEY_TEST_OUTBOX_LEASE_MS ?? 60_000),
  metaChannels: { pacer: { recipientIntervalMs: 10, recipientBurst: 100 } },
});
process.stdout.write(`READY ${parley.url}\n`);
