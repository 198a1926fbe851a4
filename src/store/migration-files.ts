import { readdirSync } from 'node:fs';

export interface Migration {
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{3}-[a-z0-9-]+)\.(?:ts|js)$/;

/**
 * The migrations of an engine: the files `NNN-name.ts` of its `migrations/` folder, in order, each exporting its
 * SQL as its one export. Adding a migration is adding its file; the name kept in `schema_migrations` is the
 * file's name without extension.
 */
export async function loadMigrations(folder: URL): Promise<Migration[]> {
  const files = readdirSync(folder)
    .filter((file) => MIGRATION_FILE.test(file))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const exports = Object.values(await import(new URL(file, folder).href));
      const [sql] = exports;
      if (exports.length !== 1 || typeof sql !== 'string')
        throw new Error(`migration ${file} must export its SQL and nothing else`);
      return { name: (MIGRATION_FILE.exec(file) as RegExpExecArray)[1] as string, sql };
    }),
  );
}
