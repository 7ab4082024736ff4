import type { Command } from 'commander';
import { startParley } from '../../server/start-parley.js';
import { createLogger, loadStartup } from '../load-startup.js';
import { ensureWebBuilt } from '../ensure-web-built.js';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Start Parley: HTTP server, agent and delivery workers')
    .option(
      '-c, --config <file>',
      'business YAML file (default: PARLEY_CONFIG, else the demo shop)',
    )
    .action(async (options: { config?: string }) => {
      const startedAt = performance.now();
      const startup = await loadStartup(options);
      const logger = createLogger(startup.settings.logLevel);
      await ensureWebBuilt(logger);
      const parley = await startParley({ ...startup, logger });
      const publicUrl = startup.settings.publicUrl;
      const lines = [
        '',
        `  Parley is running for ${parley.business.name} (ready in ${Math.round(performance.now() - startedAt)} ms)`,
        '',
        `  Console:    ${publicUrl}/`,
        `  Demo chat:  ${publicUrl}/demo`,
        `  API docs:   ${publicUrl}/api/openapi.json`,
      ];
      if (parley.demoOwner) {
        lines.push(
          `  Login:      ${parley.demoOwner.email} / ${parley.demoOwner.password ?? '(set PARLEY_DEMO_PASSWORD to reset it)'}`,
        );
      }
      lines.push(
        `  Storage:    ${startup.settings.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded, in ${startup.settings.dataDir}`}`,
        `  Model:      ${describeModel(startup)}`,
        '',
      );
      process.stdout.write(`${lines.join('\n')}\n`);
      const stop = (signal: string) => {
        logger.info({ signal }, 'stopping');
        parley.close().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'error while stopping');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}

function describeModel(startup: Awaited<ReturnType<typeof loadStartup>>): string {
  const overrides = startup.settings.modelOverrides;
  const name = overrides.name ?? startup.config.model?.name;
  const baseUrl = overrides.baseUrl ?? startup.config.model?.baseUrl;
  return name && baseUrl
    ? `${name} at ${baseUrl}`
    : 'none: customers get menus (FAQ search, talk to a person). Set PARLEY_MODEL_BASE_URL and PARLEY_MODEL to use one.';
}
