import { Command } from 'commander';
import { isParleyError } from '../core/errors.js';
import { registerCatalogCommand } from './commands/catalog-command.js';
import { registerDoctorCommand } from './commands/doctor-command.js';
import { registerMigrateCommand } from './commands/migrate-command.js';
import { registerModelCommand } from './commands/model-command.js';
import { registerStartCommand } from './commands/start-command.js';
import { registerUserCommand } from './commands/user-command.js';

const program = new Command()
  .name('parley')
  .description(
    'Parley: a self-hosted AI business agent for WhatsApp, Messenger, Instagram and web chat',
  );
registerStartCommand(program);
registerMigrateCommand(program);
registerUserCommand(program);
registerDoctorCommand(program);
registerModelCommand(program);
registerCatalogCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Expected problems (bad config, unreachable database) print their message and fix, no trace.
  if (isParleyError(error)) {
    // The message already lists every issue (one per line), with its fix.
    process.stderr.write(`parley: ${error.message}\n`);
  } else {
    process.stderr.write(`parley: unexpected error\n${(error as Error).stack ?? String(error)}\n`);
  }
  process.exitCode = 1;
}
