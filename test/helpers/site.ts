// Runs the real site in-process on a free loopback port with a throwaway database: SQLite, or PostgreSQL.
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/free-port.ts';
import type { SiteClient } from '../../scripts/lib/http-client.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { PaperRecord } from '../../src/domain/paper.ts';
import { openSemanticSearch } from '../../src/search-index/open-semantic-search.ts';
import type { SemanticSearch } from '../../src/search-index/semantic-search.ts';
import { startSession } from '../../src/services/accounts.ts';
import { embedMissingPapers, trainEmbeddingModel } from '../../src/services/embed-papers.ts';
import { loadSampleIfEmpty } from '../../src/services/load-sample.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { buildServer } from '../../src/web/server.ts';
import { addMember, signUpVerified } from './accounts.ts';
import { type Mailbox, outboxMailbox } from './mailbox.ts';
import { freshDatabase, type StoreDatabase, type StoreKind } from './stores.ts';
import { tempDir } from './temp.ts';

export interface RunningSite {
  url: string;
  store: Store;
  config: Config;
  /** Where the site's mail arrives (its outbox, unless the test passed its SMTP sink's mailbox). */
  mailbox: Mailbox;
  /** Signs `client` up through the form, confirms the email from the mail and logs in. */
  signUp(client: SiteClient, username: string, password?: string): Promise<void>;
  /**
   * Creates a verified member (an admin with `admin`) through the store, like the CLI, and gives `client` a session
   * of it directly (not through /login, so tests of the log-in rate limit do not run into each other).
   */
  member(client: SiteClient, username: string, options?: { admin?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export async function startSite(
  options: {
    /** The database the site runs on (default SQLite); ignored when env sets DATABASE_URL. */
    store?: StoreKind;
    env?: Record<string, string>;
    records?: PaperRecord[];
    sample?: boolean;
    /** Load papers, then train an embedding model on them for semantic search. */
    prepare?: (store: Store) => Promise<void>;
    semantic?: boolean;
    /** Where mail arrives when env sets SMTP_URL (an SMTP sink); default: the outbox folder. */
    mailbox?: Mailbox;
  } = {},
): Promise<RunningSite> {
  const port = await freePort();
  // A fresh PostgreSQL database of its own (dropped on close), reached like production: through DATABASE_URL.
  const database: StoreDatabase | null =
    options.store && options.store !== 'sqlite' && !options.env?.DATABASE_URL
      ? await freshDatabase(options.store)
      : null;
  const config = loadConfig({
    PORT: String(port),
    DATABASE_URL: join(tempDir(), 'site.db'),
    ...database?.env,
    BASE_URL: `http://127.0.0.1:${port}`,
    LOAD_SAMPLE: 'never',
    // Its own outbox: a PostgreSQL site would otherwise share ./data/outbox with every other test run.
    MAIL_OUTBOX: join(tempDir(), 'outbox'),
    // Tests never reach the internet: the sample's images stay on Hugging Face's servers.
    FETCH_IMAGES: 'off',
    ...options.env,
  });
  // Opened from DATABASE_URL like `dailypapers serve` does.
  const store = await openStore(config.database);
  if (options.sample) await loadSampleIfEmpty(store);
  if (options.records) await store.papers.writeBatch(options.records);
  await options.prepare?.(store);
  let semantic: SemanticSearch | null = null;
  if (options.semantic) {
    const model = await trainEmbeddingModel(store, { dimensions: 32 });
    await embedMissingPapers(store, model);
    semantic = await openSemanticSearch(store);
  }
  const app = await buildServer({ store, config, semantic });
  await app.listen({ port, host: '127.0.0.1' });
  const mailbox = options.mailbox ?? outboxMailbox(config.mail.outboxDir);
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    config,
    mailbox,
    signUp: (client, username, password) => signUpVerified(client, mailbox, username, password),
    async member(client, username, memberOptions = {}) {
      const member = await addMember(store, username, memberOptions);
      client.setCookie('dp_session', await startSession(store, member));
    },
    async close() {
      await app.close();
      await store.close();
      await database?.release();
    },
  };
}
