import type { Command } from 'commander';
import { ParleyError } from '../../core/errors.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { randomToken } from '../../server/auth/tokens.js';
import { loadStartup } from '../load-startup.js';
import { openStore } from '../open-store.js';

export function registerUserCommand(program: Command): void {
  const user = program.command('user').description('Manage console users');
  user
    .command('create')
    .description('Create a console user, or reset the password of an existing one')
    .requiredOption('-e, --email <email>', 'e-mail address, used to sign in')
    .option('-n, --name <name>', 'display name (default: the part of the e-mail before @)')
    .option('-r, --role <role>', 'owner or staff', 'staff')
    .option('-b, --business <slug>', 'business slug (default: the configured business)')
    .option(
      '-c, --config <file>',
      'business YAML file (default: PARLEY_CONFIG, else the demo shop)',
    )
    .option(
      '--password-env <name>',
      'read the password from this environment variable instead of generating one',
    )
    .action(
      async (options: {
        email: string;
        name?: string;
        role: string;
        business?: string;
        config?: string;
        passwordEnv?: string;
      }) => {
        if (options.role !== 'owner' && options.role !== 'staff') {
          throw new ParleyError(
            'validation_failed',
            `--role must be owner or staff, not "${options.role}".`,
          );
        }
        if (!/^[^@\s]+@[^@\s]+$/.test(options.email)) {
          throw new ParleyError(
            'validation_failed',
            `--email "${options.email}" is not an e-mail address.`,
          );
        }
        const startup = await loadStartup(options);
        const slug = options.business ?? startup.config.business.slug;
        let password: string;
        if (options.passwordEnv) {
          const fromEnv = process.env[options.passwordEnv];
          if (!fromEnv)
            throw new ParleyError(
              'validation_failed',
              `The environment variable ${options.passwordEnv} is not set.`,
            );
          password = fromEnv;
        } else {
          password = randomToken(12);
        }
        const { store, database } = await openStore(startup.settings);
        try {
          const business = await store.businesses.getBySlug(slug);
          if (!business) {
            throw new ParleyError(
              'not_found',
              `No business "${slug}" exists yet. Start Parley once with its config, or pass --business with an existing slug.`,
            );
          }
          const passwordHash = await hashPassword(password);
          const existing = await store.users.findByEmail(options.email);
          if (existing && existing.businessId !== business.id) {
            throw new ParleyError(
              'conflict',
              `${options.email} already belongs to another business.`,
            );
          }
          if (existing) {
            await store.users.setPassword(business.id, existing.id, passwordHash);
            process.stdout.write(`Password reset for ${existing.email}.\n`);
          } else {
            const name = options.name ?? options.email.split('@')[0]!;
            await store.users.create({
              businessId: business.id,
              email: options.email,
              name,
              role: options.role,
              passwordHash,
            });
            process.stdout.write(
              `Created ${options.role} ${options.email} for ${business.name}.\n`,
            );
          }
          if (!options.passwordEnv)
            process.stdout.write(
              `Password: ${password}\n(shown once; it is stored only as an argon2id hash)\n`,
            );
        } finally {
          await database.close();
        }
      },
    );
}
