import type pg from 'pg';
import type { Comment, Member } from '../../domain/member.ts';
import type { Paper, PaperRecord } from '../../domain/paper.ts';
import type { SearchQuery } from '../../domain/search-query.ts';
import type { DigestFrequency, Subscription } from '../../domain/subscription.ts';
import { CostlySearchGate, isCostlySearch } from '../costly-search.ts';
import { isUnfiltered, paperFilterSql } from '../paper-filter-sql.ts';
import {
  type DigestClaim,
  type DigestOutcome,
  type DigestRun,
  type DigestRunCounts,
  type DigestSend,
  type DueSubscription,
  type ImportCursor,
  type ImportTransaction,
  type KeywordHit,
  type ListOptions,
  type MemberExport,
  type NewComment,
  type NewMember,
  type NewSubscription,
  NotFoundError,
  type PaperFilter,
  type PaperLocation,
  type PaperText,
  type RateLimitResult,
  type SearchSignals,
  type Store,
  type StoredVector,
  type SubscriptionChange,
  type SubscriptionCount,
  type TrendingCandidate,
  type VectorHit,
  type VectorSearchBackend,
  type WriteResult,
} from '../store.ts';
import { StoreBusyError } from '../store-busy-error.ts';
import { AccountQueries } from './accounts.ts';
import { EngagementQueries } from './engagement.ts';
import { KeywordSearch } from './keyword-search.ts';
import { MemberQueries } from './members.ts';
import { PaperReader } from './paper-reader.ts';
import { PaperWriter, WriteSession } from './paper-writer.ts';
import { PostgresSearchMatches } from './search-matches.ts';
import { SubscriptionQueries } from './subscriptions.ts';
import { inTransaction } from './transaction.ts';
import { ByteaVectorStorage, type VectorStorage } from './vectors.ts';

/**
 * As SQLite sorts: NULL lowest (so last when descending), text bytewise. The newest order matches the indexes
 * of migration 006.
 */
const ORDER_BY = {
  upvotes:
    '(p.imported_upvotes + p.member_upvotes) DESC, d.day DESC NULLS LAST, d.position ASC NULLS FIRST, p.published_at COLLATE "C" DESC NULLS LAST',
  newest:
    'd.day DESC NULLS LAST, d.position ASC NULLS FIRST, p.published_at COLLATE "C" DESC NULLS LAST, p.id COLLATE "C" DESC',
} as const;
const UNLISTED_ORDER = 'p.published_at COLLATE "C" DESC NULLS LAST, p.id COLLATE "C" DESC';

const postgresPlaceholder = (position: number) => `$${position}`;

/**
 * The Store contract on PostgreSQL, through a connection pool: catalog, search and vectors here; members,
 * engagement and subscriptions in their own query classes. Several processes may share the database.
 */
export class PostgresStore implements Store {
  private readonly writer = new PaperWriter();
  private readonly reader: PaperReader;
  private readonly members: MemberQueries;
  private readonly accounts: AccountQueries;
  private readonly engagement: EngagementQueries;
  private readonly keyword: KeywordSearch;
  readonly searchMatches: PostgresSearchMatches;
  private readonly vectors: VectorStorage;
  private readonly subscriptions: SubscriptionQueries;
  /** The connection of the open import, if any: one at a time per store, as on SQLite. */
  private importClient: pg.PoolClient | null = null;
  private readonly counts = new Map<string, { version: string; count: number }>();
  /** Costly searches take at most 2 of the pool's connections; plain searches keep the others. */
  private readonly costlySearches = new CostlySearchGate({ running: 2, waiting: 8 });

  constructor(
    private readonly pool: pg.Pool,
    vectors?: VectorStorage,
  ) {
    this.reader = new PaperReader(pool);
    this.members = new MemberQueries(pool);
    this.accounts = new AccountQueries(pool, this.members);
    this.engagement = new EngagementQueries(pool);
    this.keyword = new KeywordSearch(pool);
    this.searchMatches = new PostgresSearchMatches(pool, this.keyword, (query, run) =>
      isCostlySearch(query) ? this.costlySearches.run(run) : run(),
    );
    this.vectors = vectors ?? new ByteaVectorStorage(pool);
    this.subscriptions = new SubscriptionQueries(pool);
  }

  private async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(sql, params)).rows;
  }

  private async saveCursor(client: pg.ClientBase, cursor: ImportCursor): Promise<void> {
    await client.query(
      `INSERT INTO import_cursors (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = iso_now()`,
      [cursor.key, cursor.value],
    );
  }

  async writeBatch(records: PaperRecord[], cursor?: ImportCursor): Promise<WriteResult> {
    if (this.importClient)
      throw new StoreBusyError('an import is in progress on this store; write through it');
    const session = new WriteSession();
    const result = await inTransaction(this.pool, async (client) => {
      const written = await this.writer.write(client, records, session);
      if (cursor) await this.saveCursor(client, cursor);
      return written;
    });
    this.writer.adopt(session);
    return result;
  }

  /**
   * One transaction on a connection of its own until commit or rollback; each batch in a savepoint, so a batch
   * that fails rolls back alone. One import at a time per store, as on SQLite.
   */
  async beginImport(): Promise<ImportTransaction> {
    if (this.importClient) throw new StoreBusyError('another import is already in progress on this store');
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    this.importClient = client;
    // A connection lost mid-import fails its next statement; unheard, its error event would end the process.
    const onError = () => {};
    client.on('error', onError);
    const session = new WriteSession();
    let finished = false;
    let queue: Promise<unknown> = Promise.resolve();
    /** One statement sequence at a time on the import's connection, in call order. */
    const serial = <T>(work: () => Promise<T>): Promise<T> => {
      const next = queue.then(work, work);
      queue = next.catch(() => {});
      return next;
    };
    const end = async (sql: 'COMMIT' | 'ROLLBACK') => {
      if (finished) return;
      finished = true;
      let broken: Error | undefined;
      try {
        await client.query(sql);
      } catch (error) {
        broken = error as Error;
        if (sql === 'COMMIT') throw error;
      } finally {
        this.importClient = null;
        client.off('error', onError);
        client.release(broken);
      }
    };
    return {
      writeBatch: (records, cursor) =>
        serial(async () => {
          if (finished) throw new StoreBusyError('this import has already ended');
          await client.query('SAVEPOINT import_batch');
          try {
            const result = await this.writer.write(client, records, session);
            if (cursor) await this.saveCursor(client, cursor);
            await client.query('RELEASE SAVEPOINT import_batch');
            return result;
          } catch (error) {
            await client
              .query('ROLLBACK TO SAVEPOINT import_batch; RELEASE SAVEPOINT import_batch')
              .catch(() => {});
            throw error;
          }
        }),
      commit: () =>
        serial(async () => {
          if (finished) return;
          await end('COMMIT');
          this.writer.adopt(session);
        }),
      rollback: () => serial(() => end('ROLLBACK')),
    };
  }

  async getImportCursor(key: string): Promise<string | null> {
    const rows = await this.query<{ value: string }>('SELECT value FROM import_cursors WHERE key = $1', [
      key,
    ]);
    return rows[0]?.value ?? null;
  }

  async clearImportCursor(key: string): Promise<void> {
    await this.pool.query('DELETE FROM import_cursors WHERE key = $1', [key]);
  }

  async getPaper(id: string): Promise<Paper | null> {
    return (await this.reader.read([id]))[0] ?? null;
  }

  async getPapers(ids: string[]): Promise<Paper[]> {
    return this.reader.read(ids);
  }

  /**
   * A whole-table count, recomputed only after a write: COUNT(*) in PostgreSQL reads every row, and the
   * unfiltered counts are asked on every list page. The version is read first, so a count is never filed
   * under a version newer than the data it saw.
   */
  private async countOnce(key: string, sql: string): Promise<number> {
    const version = await this.dataVersion();
    const cached = this.counts.get(key);
    if (cached?.version === version) return cached.count;
    const [row] = await this.query<{ count: number }>(sql);
    const count = row?.count ?? 0;
    this.counts.set(key, { version, count });
    return count;
  }

  /**
   * All visible papers, newest first: listed ones by day, then the others by date, each read in order from
   * its index (one sort over every paper would be needed otherwise).
   */
  private async newestVisible(limit: number, offset: number): Promise<string[]> {
    const ids = (
      await this.query<{ id: string }>(
        `SELECT p.id FROM daily_entries d JOIN papers p ON p.id = d.paper_id WHERE p.hidden = 0
         ORDER BY ${ORDER_BY.newest} LIMIT $1 OFFSET $2`,
        [limit, offset],
      )
    ).map((row) => row.id);
    if (ids.length === limit) return ids;
    // Past the listed papers: where the unlisted ones start depends on how many listed ones there are.
    const listed =
      ids.length > 0
        ? offset + ids.length
        : await this.countOnce(
            'listed',
            `SELECT ((SELECT count(*) FROM daily_entries)
                   - (SELECT count(*) FROM papers p JOIN daily_entries d ON d.paper_id = p.id WHERE p.hidden = 1))::int AS count`,
          );
    const unlisted = await this.query<{ id: string }>(
      `SELECT p.id FROM papers p
       WHERE p.hidden = 0 AND NOT EXISTS (SELECT 1 FROM daily_entries d WHERE d.paper_id = p.id)
       ORDER BY ${UNLISTED_ORDER} LIMIT $1 OFFSET $2`,
      [limit - ids.length, Math.max(0, offset - listed)],
    );
    ids.push(...unlisted.map((row) => row.id));
    return ids;
  }

  async listPapers(filter: PaperFilter, options: ListOptions = {}): Promise<Paper[]> {
    if (isUnfiltered(filter) && options.sort === 'newest' && !options.includeHidden)
      return this.reader.read(await this.newestVisible(options.limit ?? 50, options.offset ?? 0));
    const { join, where, params } = paperFilterSql(
      filter,
      options.includeHidden ?? false,
      postgresPlaceholder,
    );
    const rows = await this.query<{ id: string }>(
      `SELECT p.id FROM papers p ${join} ${where} ORDER BY ${ORDER_BY[options.sort ?? 'upvotes']}
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, options.limit ?? 50, options.offset ?? 0],
    );
    return this.reader.read(rows.map((row) => row.id));
  }

  async countPapers(filter: PaperFilter = {}): Promise<number> {
    if (isUnfiltered(filter))
      return this.countOnce('visible', 'SELECT count(*)::int AS count FROM papers WHERE hidden = 0');
    const { join, where, params } = paperFilterSql(filter, false, postgresPlaceholder);
    const rows = await this.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM papers p ${join} ${where}`,
      params,
    );
    return rows[0]?.count ?? 0;
  }

  /** Changes when any process commits a write to what pages show (see migration 008). */
  async dataVersion(): Promise<string> {
    const rows = await this.query<{ version: string }>('SELECT sum(n)::text AS version FROM data_version');
    return rows[0]?.version ?? '0';
  }

  async deletePaper(id: string): Promise<void> {
    const result = await this.pool.query('DELETE FROM papers WHERE id = $1', [id]);
    if (result.rowCount === 0) throw new NotFoundError(`paper ${id}`);
  }

  async setPaperHidden(id: string, hidden: boolean): Promise<void> {
    const result = await this.pool.query('UPDATE papers SET hidden = $1 WHERE id = $2', [hidden ? 1 : 0, id]);
    if (result.rowCount === 0) throw new NotFoundError(`paper ${id}`);
  }

  async compactKeywordIndex(onProgress?: (done: number, total: number) => void): Promise<void> {
    onProgress?.(0, 1);
    // Flushes the GIN index's pending list and refreshes the planner's statistics after a bulk load.
    await this.pool.query('VACUUM (ANALYZE) papers');
    onProgress?.(1, 1);
  }

  async keywordSearch(query: SearchQuery, limit: number): Promise<KeywordHit[]> {
    if (isCostlySearch(query)) return this.costlySearches.run(() => this.keyword.search(query, limit));
    return this.keyword.search(query, limit);
  }

  async filterSearchHits(ids: string[], query: SearchQuery): Promise<Set<string>> {
    return this.keyword.filter(ids, query);
  }

  async getEmbeddingModel(): Promise<{ model: string; data: Buffer } | null> {
    return this.vectors.getModel();
  }

  async embeddingModelName(): Promise<string | null> {
    return this.vectors.modelName();
  }

  async setEmbeddingModel(model: string, data: Buffer): Promise<void> {
    await this.vectors.setModel(model, data);
  }

  async listPaperTexts(after: number, limit: number): Promise<PaperText[]> {
    return this.vectors.listPaperTexts(after, limit);
  }

  async papersToEmbed(model: string, after: number, limit: number): Promise<PaperText[]> {
    return this.vectors.papersToEmbed(model, after, limit);
  }

  async countPapersToEmbed(model: string): Promise<number> {
    return this.vectors.countPapersToEmbed(model);
  }

  async saveVectors(model: string, vectors: Array<{ id: string; vector: Float32Array }>): Promise<void> {
    await this.vectors.saveVectors(model, vectors);
  }

  async readVectors(model: string, afterSeq: number, limit: number): Promise<StoredVector[]> {
    return this.vectors.readVectors(model, afterSeq, limit);
  }

  async getVectorPartitions(model: string): Promise<Buffer | null> {
    return this.vectors.getPartitions(model);
  }

  async saveVectorPartitions(model: string, data: Buffer): Promise<void> {
    await this.vectors.savePartitions(model, data);
  }

  get vectorSearch(): VectorSearchBackend {
    return this.vectors.backend;
  }

  async nearestVectors(
    model: string,
    vector: Float32Array,
    limit: number,
    exclude?: string,
  ): Promise<VectorHit[]> {
    return this.vectors.nearest(model, vector, limit, exclude);
  }

  async getVector(model: string, id: string): Promise<Float32Array | null> {
    return this.vectors.getVector(model, id);
  }

  async searchSignals(ids: string[]): Promise<Map<string, SearchSignals>> {
    return this.keyword.signals(ids);
  }

  async latestDay(atOrBefore?: string): Promise<string | null> {
    const rows = atOrBefore
      ? await this.query<{ day: string | null }>(
          'SELECT MAX(day) AS day FROM daily_entries WHERE day <= $1',
          [atOrBefore],
        )
      : await this.query<{ day: string | null }>('SELECT MAX(day) AS day FROM daily_entries');
    return rows[0]?.day ?? null;
  }

  async listPaperLocations(after: number, limit: number): Promise<PaperLocation[]> {
    return this.query<PaperLocation>(
      'SELECT doc_id AS position, id, COALESCE(updated_at, published_at) AS "updatedAt" FROM papers WHERE hidden = 0 AND doc_id > $1 ORDER BY doc_id LIMIT $2',
      [after, limit],
    );
  }

  async paperPageEnds(pageSize: number): Promise<number[]> {
    const rows = await this.query<{ position: number }>(
      'SELECT position FROM (SELECT doc_id AS position, row_number() OVER (ORDER BY doc_id) AS n FROM papers WHERE hidden = 0) AS numbered WHERE n % $1 = 0 ORDER BY position',
      [pageSize],
    );
    return rows.map((row) => row.position);
  }

  async adjacentDays(day: string): Promise<{ previous: string | null; next: string | null }> {
    const rows = await this.query<{ previous: string | null; next: string | null }>(
      `SELECT (SELECT MAX(day) FROM daily_entries WHERE day < $1) AS previous,
              (SELECT MIN(day) FROM daily_entries WHERE day > $1) AS next`,
      [day],
    );
    return { previous: rows[0]?.previous ?? null, next: rows[0]?.next ?? null };
  }

  async trendingCandidates(since: string, starsSince: string): Promise<TrendingCandidate[]> {
    return this.engagement.trendingCandidates(since, starsSince);
  }

  async createMember(member: NewMember): Promise<Member> {
    return this.members.create(member);
  }

  async getMember(id: number): Promise<Member | null> {
    return this.members.get(id);
  }

  async findMemberForLogin(login: string): Promise<(Member & { passwordHash: string }) | null> {
    return this.members.findForLogin(login);
  }

  async setPasswordHash(memberId: number, passwordHash: string): Promise<void> {
    await this.members.setPasswordHash(memberId, passwordHash);
  }

  async countMembers(): Promise<number> {
    return this.members.count();
  }

  async verifyMemberEmail(memberId: number, email: string, now: string): Promise<boolean> {
    return this.accounts.verifyEmail(memberId, email, now);
  }

  async hasAdmin(): Promise<boolean> {
    return this.accounts.hasAdmin();
  }

  async openAdminSetup(tokenHash: string): Promise<boolean> {
    return this.accounts.openAdminSetup(tokenHash);
  }

  async claimAdminSetup(tokenHash: string, member: Omit<NewMember, 'role'>): Promise<Member | null> {
    return this.accounts.claimAdminSetup(tokenHash, member);
  }

  async deleteMember(memberId: number, anonymousName: string): Promise<void> {
    return this.accounts.deleteMember(memberId, anonymousName);
  }

  async exportMember(memberId: number): Promise<MemberExport | null> {
    return this.accounts.exportMember(memberId);
  }

  async purgeRateLimits(before: Date): Promise<number> {
    return this.members.purgeRateLimits(before);
  }

  async createSession(tokenHash: string, memberId: number, expiresAt: string): Promise<void> {
    await this.members.createSession(tokenHash, memberId, expiresAt);
  }

  async getSessionMember(tokenHash: string, now: string): Promise<Member | null> {
    return this.members.sessionMember(tokenHash, now);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.members.deleteSession(tokenHash);
  }

  async deleteOtherSessions(memberId: number, keepTokenHash: string): Promise<void> {
    await this.members.deleteOtherSessions(memberId, keepTokenHash);
  }

  async hitRateLimit(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateLimitResult> {
    return this.members.hitRateLimit(key, limit, windowSeconds, now);
  }

  async setUpvote(memberId: number, paperId: string, upvoted: boolean) {
    return this.engagement.setUpvote(memberId, paperId, upvoted);
  }

  async upvotedBy(memberId: number, paperIds: string[]): Promise<Set<string>> {
    return this.engagement.upvotedBy(memberId, paperIds);
  }

  async addComment(comment: NewComment): Promise<Comment> {
    return this.engagement.addComment(comment);
  }

  async listComments(paperId: string, options: { includeHidden?: boolean } = {}): Promise<Comment[]> {
    return this.engagement.listComments(paperId, options.includeHidden ?? false);
  }

  async setCommentHidden(id: number, hidden: boolean): Promise<void> {
    await this.engagement.setCommentHidden(id, hidden);
  }

  async countSubmissionsSince(memberId: number, since: string): Promise<number> {
    return this.engagement.countSubmissionsSince(memberId, since);
  }

  async listSubmission(paperId: string, day: string, member: Member, at: string): Promise<boolean> {
    return this.engagement.listSubmission(paperId, day, member, at);
  }

  // ---- Subscriptions and digests: see subscriptions.ts ----

  async createSubscription(subscription: NewSubscription, now: string): Promise<Subscription> {
    return this.subscriptions.create(subscription, now);
  }

  async getSubscription(id: number): Promise<Subscription | null> {
    return this.subscriptions.get(id);
  }

  async findSubscriptionByEmail(email: string): Promise<Subscription | null> {
    return this.subscriptions.findByEmail(email);
  }

  async updateSubscription(id: number, change: SubscriptionChange, now: string): Promise<Subscription> {
    return this.subscriptions.update(id, change, now);
  }

  async countSubscriptions(): Promise<SubscriptionCount[]> {
    return this.subscriptions.counts();
  }

  async dueSubscriptions(
    frequency: DigestFrequency,
    period: string,
    afterId: number,
    limit: number,
  ): Promise<DueSubscription[]> {
    return this.subscriptions.due(frequency, period, afterId, limit);
  }

  async sentPaperIds(subscriptionIds: number[], since: string): Promise<Map<number, Set<string>>> {
    return this.subscriptions.sentPaperIds(subscriptionIds, since);
  }

  async claimDigests(claims: DigestClaim[], now: string): Promise<void> {
    await this.subscriptions.claim(claims, now);
  }

  async recordDigestOutcome(
    subscriptionId: number,
    period: string,
    outcome: DigestOutcome,
    now: string,
  ): Promise<void> {
    await this.subscriptions.recordOutcome(subscriptionId, period, outcome, now);
  }

  async getDigestSend(subscriptionId: number, period: string): Promise<DigestSend | null> {
    return this.subscriptions.getSend(subscriptionId, period);
  }

  async startDigestRun(period: string, now: string): Promise<number> {
    return this.subscriptions.startRun(period, now);
  }

  async finishDigestRun(
    id: number,
    result: DigestRunCounts & { status: 'finished' | 'failed'; note: string | null },
    now: string,
  ): Promise<void> {
    await this.subscriptions.finishRun(id, result, now);
  }

  async listDigestRuns(limit: number): Promise<DigestRun[]> {
    return this.subscriptions.runs(limit);
  }

  async tryLock(name: string, owner: string, expiresAt: string, now: string, replacing?: string) {
    return this.subscriptions.tryLock(name, owner, expiresAt, now, replacing);
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await this.subscriptions.releaseLock(name, owner);
  }

  async ensureSetting(key: string, value: string): Promise<string> {
    return this.subscriptions.ensureSetting(key, value);
  }

  /** Rolls back an import still open, then closes every connection. */
  async close(): Promise<void> {
    const client = this.importClient;
    if (client) {
      this.importClient = null;
      await client.query('ROLLBACK').catch(() => {});
      client.release();
    }
    await this.pool.end();
  }
}
