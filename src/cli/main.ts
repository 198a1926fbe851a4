import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { commanderExitCode, reportFailure } from './failure.ts';

type Register = (program: Command) => void;

/**
 * The commands, each loaded only when it runs: loading them all (the web server, the embedding models, …) took a
 * second or more of every command's start.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  serve: async () => (await import('./commands/serve.ts')).registerServeCommand,
  import: async () => (await import('./commands/import.ts')).registerImportCommands,
  index: async () => (await import('./commands/index.ts')).registerIndexCommand,
  papers: async () => (await import('./commands/papers.ts')).registerPapersCommands,
  users: async () => (await import('./commands/users.ts')).registerUsersCommands,
  digest: async () => (await import('./commands/digest.ts')).registerDigestCommands,
  db: async () => (await import('./commands/db.ts')).registerDbCommands,
};

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

try {
  // Only the command named; all of them for the overall help, a misspelt command's suggestions and the like.
  const named = process.argv[2];
  const loaded = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of loaded) (await (COMMANDS[name] as () => Promise<Register>)())(program);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(commanderExitCode(error));
  process.exit(reportFailure(error));
}
