import type Database from 'better-sqlite3';
import type { Comment, Member } from '../../domain/member.ts';
import type { Paper, PaperRecord } from '../../domain/paper.ts';
import type { SearchQuery } from '../../domain/search-query.ts';
import type { DigestFrequency, Subscription } from '../../domain/subscription.ts';
import { exactNearest } from '../exact-nearest.ts';
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
  type WriteResult,
} from '../store.ts';
import { StoreBusyError } from '../store-busy-error.ts';
import { AccountQueries } from './accounts.ts';
import { retryWhileBusy } from './busy-retry.ts';
import { EngagementQueries } from './engagement.ts';
import { compactKeywordIndex } from './keyword-index-compaction.ts';
import { KeywordSearch } from './keyword-search.ts';
import type { KeywordSearchThreads } from './keyword-search-thread.ts';
import { MemberQueries } from './members.ts';
import { PaperReader } from './paper-reader.ts';
import { PaperWriter } from './paper-writer.ts';
import { SqliteSearchMatches } from './search-matches.ts';
import { SubscriptionQueries } from './subscriptions.ts';
import { VectorQueries } from './vectors.ts';

const ORDER_BY = {
  upvotes: '(p.imported_upvotes + p.member_upvotes) DESC, d.day DESC, d.position ASC, p.published_at DESC',
  newest: 'd.day DESC, d.position ASC, p.published_at DESC, p.id DESC',
} as const;

/** How long a write waits for another connection's transaction (an import) before StoreUnavailableError. */
export const DEFAULT_WRITE_WAIT_MS = 5_000;

/** The Store contract on one SQLite file (better-sqlite3 is synchronous; the contract is async for PostgreSQL). */
export class SqliteStore implements Store {
  private readonly writer: PaperWriter;
  private readonly reader: PaperReader;
  private readonly members: MemberQueries;
  private readonly accounts: AccountQueries;
  private readonly engagement: EngagementQueries;
  private readonly keyword: KeywordSearch;
  readonly searchMatches: SqliteSearchMatches;
  private readonly vectors: VectorQueries;
  private readonly subscriptions: SubscriptionQueries;
  private importOpen = false;
  private readonly statements;
  /** Statements built from a filter, by SQL text (a handful of shapes): preparing costs more than running. */
  private readonly filterStatements = new Map<string, Database.Statement>();

  private prepared(sql: string): Database.Statement {
    let statement = this.filterStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).pluck();
      this.filterStatements.set(sql, statement);
    }
    return statement;
  }

  /**
   * `keywordThread` (a file database) ranks keyword searches on another thread; without it (":memory:", which
   * another connection cannot open) they run on this connection.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly keywordThread: KeywordSearchThreads | null = null,
    private readonly writeWaitMs = DEFAULT_WRITE_WAIT_MS,
  ) {
    this.writer = new PaperWriter(db);
    this.reader = new PaperReader(db);
    this.members = new MemberQueries(db);
    this.accounts = new AccountQueries(db, this.members);
    this.engagement = new EngagementQueries(db);
    this.keyword = new KeywordSearch(db);
    this.searchMatches = new SqliteSearchMatches(db, this.keyword, keywordThread);
    this.vectors = new VectorQueries(db);
    this.subscriptions = new SubscriptionQueries(db);
    this.statements = {
      getCursor: db.prepare<[string], string>('SELECT value FROM import_cursors WHERE key = ?').pluck(),
      setCursor: db.prepare(
        `INSERT INTO import_cursors (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
      ),
      clearCursor: db.prepare('DELETE FROM import_cursors WHERE key = ?'),
      latestDay: db.prepare<[], string | null>('SELECT MAX(day) FROM daily_entries').pluck(),
      latestDayBefore: db
        .prepare<[string], string | null>('SELECT MAX(day) FROM daily_entries WHERE day <= ?')
        .pluck(),
      previousDay: db
        .prepare<[string], string | null>('SELECT MAX(day) FROM daily_entries WHERE day < ?')
        .pluck(),
      nextDay: db
        .prepare<[string], string | null>('SELECT MIN(day) FROM daily_entries WHERE day > ?')
        .pluck(),
      setHidden: db.prepare('UPDATE papers SET hidden = ? WHERE id = ?'),
      deletePaper: db.prepare('DELETE FROM papers WHERE id = ?'),
      indexPending: db.prepare(
        `INSERT INTO papers_fts (rowid, title, abstract, authors_text)
         SELECT p.doc_id, p.title, p.abstract, p.authors_text FROM fts_pending f JOIN papers p ON p.doc_id = f.doc_id`,
      ),
      clearPending: db.prepare('DELETE FROM fts_pending'),
      // COUNT(*) without WHERE is a b-tree count; hidden papers are few and indexed (migration 006).
      countVisible: db
        .prepare('SELECT (SELECT COUNT(*) FROM papers) - (SELECT COUNT(*) FROM papers WHERE hidden = 1)')
        .pluck(),
      countListedVisible: db
        .prepare(
          `SELECT (SELECT COUNT(*) FROM daily_entries)
                - (SELECT COUNT(*) FROM papers p JOIN daily_entries d ON d.paper_id = p.id WHERE p.hidden = 1)`,
        )
        .pluck(),
      newestListed: db
        .prepare<[number, number], string>(
          `SELECT p.id FROM daily_entries d CROSS JOIN papers p ON p.id = d.paper_id WHERE p.hidden = 0
           ORDER BY ${ORDER_BY.newest} LIMIT ? OFFSET ?`,
        )
        .pluck(),
      newestUnlisted: db
        .prepare<[number, number], string>(
          `SELECT p.id FROM papers p
           WHERE p.hidden = 0 AND NOT EXISTS (SELECT 1 FROM daily_entries d WHERE d.paper_id = p.id)
           ORDER BY p.published_at DESC, p.id DESC LIMIT ? OFFSET ?`,
        )
        .pluck(),
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      totalChanges: db.prepare<[], number>('SELECT total_changes()').pluck(),
    };
  }

  /** Every write goes through here: see retryWhileBusy. `work` is one transaction or a single statement. */
  private write<T>(work: () => T): Promise<T> {
    return retryWhileBusy(work, this.writeWaitMs);
  }

  private writeAtomically(
    records: PaperRecord[],
    cursor: ImportCursor | undefined,
    indexNow: boolean,
  ): WriteResult {
    const result = this.writer.write(records);
    if (cursor) this.statements.setCursor.run(cursor.key, cursor.value);
    if (indexNow) this.indexPendingPapers();
    return result;
  }

  /** Adds papers inserted in this transaction to the keyword index (see migration 002). */
  private indexPendingPapers(): void {
    this.statements.indexPending.run();
    this.statements.clearPending.run();
  }

  async writeBatch(records: PaperRecord[], cursor?: ImportCursor): Promise<WriteResult> {
    if (this.importOpen) throw new StoreBusyError('an import is in progress on this store; write through it');
    try {
      return await this.write(() =>
        this.db.transaction(() => this.writeAtomically(records, cursor, true)).immediate(),
      );
    } catch (error) {
      this.writer.forgetCachedIds();
      throw error;
    }
  }

  async beginImport(): Promise<ImportTransaction> {
    if (this.importOpen) throw new StoreBusyError('another import is already in progress on this store');
    this.importOpen = true;
    try {
      await this.write(() => this.db.exec('BEGIN IMMEDIATE'));
    } catch (error) {
      this.importOpen = false;
      throw error;
    }
    let finished = false;
    const end = (sql: string) => {
      if (finished) return;
      finished = true;
      this.importOpen = false;
      if (this.db.inTransaction) this.db.exec(sql);
    };
    return {
      writeBatch: async (records, cursor) => {
        if (finished) throw new StoreBusyError('this import has already ended');
        // A nested better-sqlite3 transaction is a savepoint: the batch is atomic within the import.
        try {
          return this.db.transaction(() => this.writeAtomically(records, cursor, false))();
        } catch (error) {
          this.writer.forgetCachedIds();
          throw error;
        }
      },
      commit: async () => {
        if (!finished) this.indexPendingPapers();
        end('COMMIT');
      },
      rollback: async () => {
        this.writer.forgetCachedIds();
        end('ROLLBACK');
      },
    };
  }

  async getImportCursor(key: string): Promise<string | null> {
    return this.statements.getCursor.get(key) ?? null;
  }

  async clearImportCursor(key: string): Promise<void> {
    await this.write(() => this.statements.clearCursor.run(key));
  }

  async getPaper(id: string): Promise<Paper | null> {
    return this.reader.read([id])[0] ?? null;
  }

  async getPapers(ids: string[]): Promise<Paper[]> {
    return this.reader.read(ids);
  }

  /**
   * All visible papers, newest first: listed ones by day, then the others by date, each read in order from
   * its index (the CROSS JOIN keeps SQLite from scanning every paper and sorting them all).
   */
  private newestVisible(limit: number, offset: number): string[] {
    const listed = this.statements.countListedVisible.get() as number;
    const ids = offset < listed ? (this.statements.newestListed.all(limit, offset) as string[]) : [];
    if (ids.length < limit)
      ids.push(
        ...(this.statements.newestUnlisted.all(limit - ids.length, Math.max(0, offset - listed)) as string[]),
      );
    return ids;
  }

  async listPapers(filter: PaperFilter, options: ListOptions = {}): Promise<Paper[]> {
    if (isUnfiltered(filter) && options.sort === 'newest' && !options.includeHidden)
      return this.reader.read(this.newestVisible(options.limit ?? 50, options.offset ?? 0));
    const { join, where, params } = paperFilterSql(filter, options.includeHidden ?? false, () => '?');
    const ids = this.prepared(
      `SELECT p.id FROM papers p ${join} ${where} ORDER BY ${ORDER_BY[options.sort ?? 'upvotes']} LIMIT ? OFFSET ?`,
    ).all(...params, options.limit ?? 50, options.offset ?? 0) as string[];
    return this.reader.read(ids);
  }

  async countPapers(filter: PaperFilter = {}): Promise<number> {
    if (isUnfiltered(filter)) return this.statements.countVisible.get() as number;
    const { join, where, params } = paperFilterSql(filter, false, () => '?');
    return this.prepared(`SELECT COUNT(*) FROM papers p ${join} ${where}`).get(...params) as number;
  }

  async dataVersion(): Promise<string> {
    return `${this.statements.dataVersion.get()}.${this.statements.totalChanges.get()}`;
  }

  async deletePaper(id: string): Promise<void> {
    if ((await this.write(() => this.statements.deletePaper.run(id))).changes === 0)
      throw new NotFoundError(`paper ${id}`);
  }

  async setPaperHidden(id: string, hidden: boolean): Promise<void> {
    if ((await this.write(() => this.statements.setHidden.run(hidden ? 1 : 0, id))).changes === 0)
      throw new NotFoundError(`paper ${id}`);
  }

  async keywordSearch(query: SearchQuery, limit: number): Promise<KeywordHit[]> {
    if (this.keywordThread) return this.keywordThread.search(query, limit);
    return this.keyword.search(query, limit);
  }

  async filterSearchHits(ids: string[], query: SearchQuery): Promise<Set<string>> {
    return this.keyword.filter(ids, query);
  }

  async compactKeywordIndex(onProgress?: (done: number, total: number) => void): Promise<void> {
    await compactKeywordIndex(this.db, (step) => this.write(step), onProgress);
  }

  async getEmbeddingModel(): Promise<{ model: string; data: Buffer } | null> {
    return this.vectors.getModel();
  }

  async embeddingModelName(): Promise<string | null> {
    return this.vectors.modelName();
  }

  async setEmbeddingModel(model: string, data: Buffer): Promise<void> {
    await this.write(() => this.vectors.setModel(model, data));
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
    await this.write(() => this.vectors.saveVectors(model, vectors));
  }

  async readVectors(model: string, afterSeq: number, limit: number): Promise<StoredVector[]> {
    return this.vectors.readVectors(model, afterSeq, limit);
  }

  async getVectorPartitions(model: string): Promise<Buffer | null> {
    return this.vectors.getPartitions(model);
  }

  async saveVectorPartitions(model: string, data: Buffer): Promise<void> {
    await this.write(() => this.vectors.savePartitions(model, data));
  }

  readonly vectorSearch = 'in-process';

  async nearestVectors(
    model: string,
    vector: Float32Array,
    limit: number,
    exclude?: string,
  ): Promise<VectorHit[]> {
    return exactNearest(
      (afterSeq, batch) => this.readVectors(model, afterSeq, batch),
      vector,
      limit,
      exclude,
    );
  }

  async getVector(model: string, id: string): Promise<Float32Array | null> {
    return this.vectors.getVector(model, id);
  }

  async searchSignals(ids: string[]): Promise<Map<string, SearchSignals>> {
    return this.keyword.signals(ids);
  }

  async trendingCandidates(since: string, starsSince: string): Promise<TrendingCandidate[]> {
    return this.engagement.trendingCandidates(since, starsSince);
  }

  async createMember(member: NewMember): Promise<Member> {
    return this.write(() => this.members.create(member));
  }

  async getMember(id: number): Promise<Member | null> {
    return this.members.get(id);
  }

  async findMemberForLogin(login: string): Promise<(Member & { passwordHash: string }) | null> {
    return this.members.findForLogin(login);
  }

  async setPasswordHash(memberId: number, passwordHash: string): Promise<void> {
    await this.write(() => this.members.setPasswordHash(memberId, passwordHash));
  }

  async countMembers(): Promise<number> {
    return this.members.count();
  }

  async verifyMemberEmail(memberId: number, email: string, now: string): Promise<boolean> {
    return this.write(() => this.accounts.verifyEmail(memberId, email, now));
  }

  async hasAdmin(): Promise<boolean> {
    return this.accounts.hasAdmin();
  }

  async openAdminSetup(tokenHash: string): Promise<boolean> {
    return this.write(() => this.accounts.openAdminSetup(tokenHash));
  }

  async claimAdminSetup(tokenHash: string, member: Omit<NewMember, 'role'>): Promise<Member | null> {
    return this.write(() => this.accounts.claimAdminSetup(tokenHash, member));
  }

  async deleteMember(memberId: number, anonymousName: string): Promise<void> {
    return this.write(() => this.accounts.deleteMember(memberId, anonymousName));
  }

  async exportMember(memberId: number): Promise<MemberExport | null> {
    return this.accounts.exportMember(memberId);
  }

  async purgeRateLimits(before: Date): Promise<number> {
    return this.write(() => this.members.purgeRateLimits(before));
  }

  async createSession(tokenHash: string, memberId: number, expiresAt: string): Promise<void> {
    await this.write(() => this.members.createSession(tokenHash, memberId, expiresAt));
  }

  async getSessionMember(tokenHash: string, now: string): Promise<Member | null> {
    return this.members.sessionMember(tokenHash, now);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.write(() => this.members.deleteSession(tokenHash));
  }

  async deleteOtherSessions(memberId: number, keepTokenHash: string): Promise<void> {
    await this.write(() => this.members.deleteOtherSessions(memberId, keepTokenHash));
  }

  async hitRateLimit(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateLimitResult> {
    return this.write(() => this.members.hitRateLimit(key, limit, windowSeconds, now));
  }

  async setUpvote(memberId: number, paperId: string, upvoted: boolean) {
    return this.write(() => this.engagement.setUpvote(memberId, paperId, upvoted));
  }

  async upvotedBy(memberId: number, paperIds: string[]): Promise<Set<string>> {
    return this.engagement.upvotedBy(memberId, paperIds);
  }

  async addComment(comment: NewComment): Promise<Comment> {
    return this.write(() => this.engagement.addComment(comment));
  }

  async listComments(paperId: string, options: { includeHidden?: boolean } = {}): Promise<Comment[]> {
    return this.engagement.listComments(paperId, options.includeHidden ?? false);
  }

  async setCommentHidden(id: number, hidden: boolean): Promise<void> {
    await this.write(() => this.engagement.setCommentHidden(id, hidden));
  }

  async countSubmissionsSince(memberId: number, since: string): Promise<number> {
    return this.engagement.countSubmissionsSince(memberId, since);
  }

  async listSubmission(paperId: string, day: string, member: Member, at: string): Promise<boolean> {
    return this.write(() => this.engagement.listSubmission(paperId, day, member, at));
  }

  async latestDay(atOrBefore?: string): Promise<string | null> {
    return (
      (atOrBefore ? this.statements.latestDayBefore.get(atOrBefore) : this.statements.latestDay.get()) ?? null
    );
  }

  async listPaperLocations(after: number, limit: number): Promise<PaperLocation[]> {
    return this.db
      .prepare(
        'SELECT doc_id AS position, id, COALESCE(updated_at, published_at) AS "updatedAt" FROM papers WHERE hidden = 0 AND doc_id > ? ORDER BY doc_id LIMIT ?',
      )
      .all(after, limit) as PaperLocation[];
  }

  async paperPageEnds(pageSize: number): Promise<number[]> {
    return this.prepared(
      'SELECT position FROM (SELECT doc_id AS position, row_number() OVER (ORDER BY doc_id) AS n FROM papers WHERE hidden = 0) AS numbered WHERE n % ? = 0 ORDER BY position',
    ).all(pageSize) as number[];
  }

  async adjacentDays(day: string): Promise<{ previous: string | null; next: string | null }> {
    return {
      previous: this.statements.previousDay.get(day) ?? null,
      next: this.statements.nextDay.get(day) ?? null,
    };
  }

  // ---- Subscriptions and digests: see subscriptions.ts ----

  async createSubscription(subscription: NewSubscription, now: string): Promise<Subscription> {
    return this.write(() => this.subscriptions.create(subscription, now));
  }

  async getSubscription(id: number): Promise<Subscription | null> {
    return this.subscriptions.get(id);
  }

  async findSubscriptionByEmail(email: string): Promise<Subscription | null> {
    return this.subscriptions.findByEmail(email);
  }

  async updateSubscription(id: number, change: SubscriptionChange, now: string): Promise<Subscription> {
    return this.write(() => this.subscriptions.update(id, change, now));
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
    await this.write(() => this.subscriptions.claim(claims, now));
  }

  async recordDigestOutcome(
    subscriptionId: number,
    period: string,
    outcome: DigestOutcome,
    now: string,
  ): Promise<void> {
    await this.write(() => this.subscriptions.recordOutcome(subscriptionId, period, outcome, now));
  }

  async getDigestSend(subscriptionId: number, period: string): Promise<DigestSend | null> {
    return this.subscriptions.getSend(subscriptionId, period);
  }

  async startDigestRun(period: string, now: string): Promise<number> {
    return this.write(() => this.subscriptions.startRun(period, now));
  }

  async finishDigestRun(
    id: number,
    result: DigestRunCounts & { status: 'finished' | 'failed'; note: string | null },
    now: string,
  ): Promise<void> {
    await this.write(() => this.subscriptions.finishRun(id, result, now));
  }

  async listDigestRuns(limit: number): Promise<DigestRun[]> {
    return this.subscriptions.runs(limit);
  }

  async tryLock(name: string, owner: string, expiresAt: string, now: string, replacing?: string) {
    return this.write(() => this.subscriptions.tryLock(name, owner, expiresAt, now, replacing));
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await this.write(() => this.subscriptions.releaseLock(name, owner));
  }

  async ensureSetting(key: string, value: string): Promise<string> {
    return this.write(() => this.subscriptions.ensureSetting(key, value));
  }

  async close(): Promise<void> {
    await this.keywordThread?.close();
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
  }
}
