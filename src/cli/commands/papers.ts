import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { openStore } from '../../store/open-store.ts';
import { NotFoundError } from '../../store/store.ts';

export function registerPapersCommands(program: Command): void {
  const papers = program
    .command('papers')
    .description('manage papers (to hide one from the site, use the admin page)');
  papers
    .command('delete')
    .description(
      'delete papers for good, with their votes, comments and search entries (a takedown; hiding keeps them)',
    )
    .argument('<ids...>', 'arXiv ids, e.g. 2501.00001')
    .action(async (ids: string[], _options: unknown, command: Command) => {
      const store = await openStore(loadConfig().database);
      const missing: string[] = [];
      try {
        for (const id of ids) {
          const paper = await store.papers.getPaper(id);
          try {
            await store.papers.deletePaper(id);
            process.stdout.write(`deleted ${id}${paper ? `: ${paper.title}` : ''}\n`);
          } catch (error) {
            if (!(error instanceof NotFoundError)) throw error;
            missing.push(id);
          }
        }
      } finally {
        await store.close();
      }
      if (missing.length > 0) command.error(`error: no paper ${missing.join(', ')}`, { exitCode: 1 });
    });
}
