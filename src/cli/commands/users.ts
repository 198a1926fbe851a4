import { randomBytes } from 'node:crypto';
import { text } from 'node:stream/consumers';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { createAccount } from '../../services/accounts.ts';
import { openStore } from '../../store/open-store.ts';

async function readPassword(fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) return { password: randomBytes(15).toString('base64url'), generated: true };
  const password = (await text(process.stdin)).replace(/\r?\n$/, '');
  return { password, generated: false };
}

export function registerUsersCommands(program: Command): void {
  const users = program.command('users').description('manage member accounts');
  users
    .command('create')
    .description(
      'create a member account (an admin with --admin); prints a generated password unless one is piped in',
    )
    .argument('<username>', 'letters, digits, - and _ (2 to 30 characters)')
    .requiredOption('--email <email>', 'the member’s email address')
    .option('--admin', 'make the member an admin (can hide papers and comments)', false)
    .option('--password-stdin', 'read the password from standard input instead of generating one', false)
    .addHelpText('after', '\nExample:\n  dailypapers users create alice --email alice@example.org --admin\n')
    .action(async (username: string, options: { email: string; admin: boolean; passwordStdin: boolean }) => {
      const config = loadConfig();
      const { password, generated } = await readPassword(options.passwordStdin);
      const store = await openStore(config.database);
      try {
        const member = await createAccount(
          store,
          { username, email: options.email, password },
          { admin: options.admin },
        );
        process.stdout.write(`created ${member.role} ${member.username} <${member.email}>\n`);
        if (generated)
          process.stdout.write(`password: ${password}\n(change it after logging in, under Account)\n`);
      } finally {
        await store.close();
      }
    });
}
