import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(here, 'bm25_df.c');
const LIBRARY = join(here, '..', '..', '..', '..', 'build', 'bm25_df.so');

/** better-sqlite3's own copy of the SQLite headers, so the extension matches the SQLite it is loaded into. */
function sqliteHeaders(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('better-sqlite3/package.json')), 'deps', 'sqlite3');
}

const isCurrent = () => existsSync(LIBRARY) && statSync(LIBRARY).mtimeMs >= statSync(SOURCE).mtimeMs;

/**
 * Compiles the extension with the system C compiler unless a current build exists (`npm ci` builds it). Several
 * processes may build at once: each writes its own file and renames it into place.
 */
export function buildBm25Extension(): string {
  if (isCurrent()) return LIBRARY;
  mkdirSync(dirname(LIBRARY), { recursive: true });
  const partial = `${LIBRARY}.${process.pid}.tmp`;
  const compiler = process.env.CC ?? 'cc';
  try {
    execFileSync(compiler, ['-O2', '-fPIC', '-shared', '-I', sqliteHeaders(), '-o', partial, SOURCE, '-lm'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
    throw new Error(
      `Could not compile the search ranking extension (${SOURCE}) with "${compiler}": ${detail}\n` +
        'Install a C compiler (Debian: apt-get install gcc) and run npm ci again.',
    );
  }
  renameSync(partial, LIBRARY);
  return LIBRARY;
}

/** Adds bm25_df() (see bm25_df.c) to the connection. */
export function loadBm25Extension(db: Database.Database): void {
  db.loadExtension(buildBm25Extension());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`SQLite search ranking extension: ${buildBm25Extension()}`);
}
