import type { Command } from 'commander';
import { readServerSettings } from '../../config/server-settings.js';
import { openStore } from '../open-store.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations, then exit (start also does this)')
    .action(async () => {
      const settings = readServerSettings(process.env);
      const { database } = await openStore(settings);
      await database.close();
      process.stdout.write(
        `Database is up to date (${settings.databaseUrl ? 'PostgreSQL' : `embedded, in ${settings.dataDir}`}).\n`,
      );
    });
}
