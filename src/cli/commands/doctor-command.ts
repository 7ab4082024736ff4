import type { Command } from 'commander';
import { applyModelOverrides } from '../../config/server-settings.js';
import { listServedModels } from '../../models/openai-compatible-model.js';
import { loadStartup } from '../load-startup.js';
import { modelGatewayChecks } from './model-doctor-checks.js';
import { openStore } from '../open-store.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/** Runs every check and prints each with its fix; exits non-zero when one fails. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('Check configuration, database and model, and say how to fix each problem')
    .option(
      '-c, --config <file>',
      'business YAML file (default: PARLEY_CONFIG, else the demo shop)',
    )
    .action(async (options: { config?: string }) => {
      const checks: Check[] = [];
      let startup;
      try {
        startup = await loadStartup(options);
        checks.push({
          name: 'configuration',
          ok: true,
          detail: `${startup.configPath} is valid (${startup.config.business.name})`,
        });
      } catch (error) {
        checks.push({
          name: 'configuration',
          ok: false,
          detail: (error as Error).message,
          fix: 'Correct the keys named above; examples/demo-shop.yaml shows every section.',
        });
      }
      if (startup) {
        try {
          const { store, database } = await openStore(startup.settings);
          await store.ping();
          await database.close();
          checks.push({
            name: 'database',
            ok: true,
            detail: startup.settings.databaseUrl
              ? 'PostgreSQL answers and is migrated'
              : `embedded database in ${startup.settings.dataDir} opens and is migrated`,
          });
        } catch (error) {
          checks.push({
            name: 'database',
            ok: false,
            detail: (error as Error).message,
            fix: startup.settings.databaseUrl
              ? 'Check DATABASE_URL and that the PostgreSQL server runs.'
              : 'Stop other Parley processes using this data folder, or set PARLEY_DATA_DIR to another folder.',
          });
        }
        let modelUrl: string | null = null;
        try {
          const model = applyModelOverrides(startup.config, startup.settings);
          modelUrl = model?.baseUrl ?? null;
          if (!model) {
            checks.push({
              name: 'model',
              ok: true,
              detail: 'none configured: customers get menus (FAQ search, talk to a person)',
              fix: 'To use a model, set PARLEY_MODEL_BASE_URL (e.g. http://localhost:11434/v1 for Ollama) and PARLEY_MODEL.',
            });
          } else {
            const served = await listServedModels({
              baseUrl: model.baseUrl,
              apiKey: model.apiKey ?? undefined,
            });
            const known = served.length === 0 || served.includes(model.name);
            checks.push({
              name: 'model',
              ok: known,
              detail: known
                ? `${model.baseUrl} answers and serves ${model.name}`
                : `${model.baseUrl} answers but does not list ${model.name} (it serves: ${served.slice(0, 10).join(', ')})`,
              ...(known
                ? {}
                : {
                    fix: `Set PARLEY_MODEL to one of the served models, or pull ${model.name} on that server (for Ollama: ollama pull ${model.name}).`,
                  }),
            });
          }
        } catch (error) {
          checks.push({
            name: 'model',
            ok: false,
            detail: describeModelFailure(error, modelUrl),
            fix: 'Start the model server, or correct PARLEY_MODEL_BASE_URL. Until then customers get menus.',
          });
        }
      }
      if (startup) checks.push(...(await modelGatewayChecks(startup)));
      for (const check of checks) {
        process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}\n`);
        if (check.fix) process.stdout.write(`     ${check.ok ? 'note' : 'fix'}: ${check.fix}\n`);
      }
      process.exitCode = checks.every((check) => check.ok) ? 0 : 1;
    });
}

/** fetch reports an unreachable server as just "fetch failed": say which server, and why. */
function describeModelFailure(error: unknown, baseUrl: string | null): string {
  const message = (error as Error).message;
  if (baseUrl === null || message.includes(baseUrl)) return message;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const reason = typeof cause?.code === 'string' ? cause.code : cause?.message;
  return `${baseUrl} does not answer (${typeof reason === 'string' ? reason : message})`;
}
