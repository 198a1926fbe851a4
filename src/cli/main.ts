import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerDbCommands } from './commands/db.ts';
import { registerDigestCommands } from './commands/digest.ts';
import { registerImportCommands } from './commands/import.ts';
import { registerIndexCommand } from './commands/index.ts';
import { registerPapersCommands } from './commands/papers.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerUsersCommands } from './commands/users.ts';
import { commanderExitCode, reportFailure } from './failure.ts';

function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

const program = new Command()
  .name('dailypapers')
  .description('Self-hostable research-paper discovery: daily papers ranked by upvotes, search and digests.')
  .version(packageVersion(), '-V, --version', 'print the version')
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

registerServeCommand(program);
registerImportCommands(program);
registerIndexCommand(program);
registerPapersCommands(program);
registerUsersCommands(program);
registerDigestCommands(program);
registerDbCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(commanderExitCode(error));
  process.exit(reportFailure(error));
}
