import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { VectorGroups } from '../../embeddings/vector-groups.ts';
import { vectorFromBytes } from '../vector-bytes.ts';
import type { VectorHit, VectorIndexProgress, VectorSearchBackend } from '../vectors.ts';
import { binaryCopyRows } from './pgvector-copy-rows.ts';
import {
  buildMissingIndexes,
  checkDimension,
  currentLayout,
  dropEveryIndex,
  dropIndexes,
  ensureIndexes,
  holdsPartOf,
  isDimension,
  layoutOf,
  MAX_GROUPS,
  type PresentLayout,
} from './pgvector-indexes.ts';
import { VECTOR_WRITE_LOCK } from './sql.ts';
import { inTransaction, transactionOn, withSessionLock } from './transaction.ts';
import { ByteaVectorStorage } from './vectors.ts';

const CATCH_UP_BATCH = 2_000;
/** Vectors per COPY when filling the table before building its index. */
const FILL_BATCH = 5_000;
/** pgvector's limit: ef_search is at most 1,000. */
const MAX_EF_SEARCH = 1_000;
/** Candidates the HNSW scan keeps: at least twice the hits asked for, so recall holds at the page's end. */
const efSearch = (limit: number) => Math.min(MAX_EF_SEARCH, Math.max(64, 2 * limit));

/** pgvector's text form, `[x,y,…]`; each float32 printed as the double it is, so it parses back exactly. */
const vectorText = (vector: Float32Array) => `[${Array.from(vector).join(',')}]`;

/** pgvector's error for a vector of the wrong dimension (SQLSTATE 22000, "expected N dimensions, not M"). */
const isDimensionMismatch = (error: unknown) =>
  (error as { code?: string }).code === '22000' && /dimensions/.test((error as Error).message);

/**
 * How `CREATE EXTENSION vector` fails where the site then keeps vectors in process: not installed on the server
 * (58P01), no right to create it (42501), not allowed by a managed service (0A000).
 */
const UNAVAILABLE = new Set(['58P01', '42501', '0A000']);

/**
 * Vectors searched by PostgreSQL with the pgvector extension: every vector is also kept as a `vector` in
 * `paper_embeddings` (beside migration 005's bytea, which `readVectors` and `db copy` keep using), with HNSW
 * cosine indexes on the dimension of the site's model (see IndexLayout: one, or one per group of a clustered model).
 * Web processes then hold no vector index of their own.
 *
 * The table is made here rather than in a migration because the extension may or may not be installed on the
 * server; its rows follow `paper_vectors` (foreign key, ON DELETE CASCADE), so a stale vector or a model change
 * removes them too. A new model of another dimension or other groups gets indexes of its own, the old ones are
 * dropped.
 */
export class PgvectorStorage extends ByteaVectorStorage {
  override readonly vectorSearch: VectorSearchBackend = 'pgvector';
  /** The indexes as last looked up, for a model; looked up again for another model or a query that does not fit. */
  private layout: { model: string; indexes: PresentLayout | null } | null = null;
  /** The groups of the model last asked about, read from its stored form. */
  private modelGroups: { model: string; groups: VectorGroups | null } | null = null;
  /**
   * Whether this process saved vectors without an index since it last indexed them; another process's are
   * indexed by that process, or, were it stopped first, by the next to open the database.
   */
  private savedUnindexed = false;

  /**
   * Installs the extension and the table when the server has pgvector, and fills in vectors written without it
   * (by `db copy`, or before the extension was installed); null when the extension cannot be created.
   */
  static async open(pool: pg.Pool, fill: VectorIndexProgress = {}): Promise<PgvectorStorage | null> {
    try {
      await inTransaction(pool, async (client) => {
        // Several processes start at once: one creates, the others find it made.
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...VECTOR_WRITE_LOCK]);
        await client.query('CREATE EXTENSION IF NOT EXISTS vector');
        await client.query(`CREATE TABLE IF NOT EXISTS paper_embeddings (
          doc_id integer PRIMARY KEY REFERENCES paper_vectors(doc_id) ON DELETE CASCADE,
          embedding vector NOT NULL
        )`);
        await client.query('ALTER TABLE paper_embeddings ADD COLUMN IF NOT EXISTS grp smallint');
        // A vector replaced without going through this class (a process with PGVECTOR=off, `db copy` run again)
        // leaves no stale copy behind; the next start copies it anew.
        await client.query(`CREATE OR REPLACE FUNCTION paper_embeddings_stale() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            DELETE FROM paper_embeddings WHERE doc_id = NEW.doc_id;
            RETURN NULL;
          END $$`);
        await client.query(`CREATE OR REPLACE TRIGGER paper_embeddings_stale AFTER UPDATE OF vector ON paper_vectors
          FOR EACH ROW WHEN (OLD.vector IS DISTINCT FROM NEW.vector) EXECUTE FUNCTION paper_embeddings_stale()`);
      });
    } catch (error) {
      if (UNAVAILABLE.has((error as { code?: string }).code ?? '')) return null;
      throw error;
    }
    const storage = new PgvectorStorage(pool);
    await storage.catchUp(fill);
    return storage;
  }

  /**
   * The groups of `model`'s vectors when it is a clustered model, read once per model from the head of its stored
   * form (the centroids, some KB), not the whole of it.
   */
  private async groupsOf(client: pg.ClientBase | pg.Pool, model: string): Promise<VectorGroups | null> {
    if (this.modelGroups?.model === model) return this.modelGroups.groups;
    const groups = await VectorGroups.ofStoredModel(async (start, length) => {
      const result = await client.query<{ part: Buffer }>(
        'SELECT substring(data from $1 for $2) AS part FROM embedding_models WHERE id = 1 AND model = $3',
        [start + 1, length, model],
      );
      return result.rows[0]?.part ?? null;
    });
    const usable = groups && groups.count <= MAX_GROUPS ? groups : null;
    this.modelGroups = { model, groups: usable };
    return usable;
  }

  /** Indexes the vectors this process saved without an index (see writeVectors); nothing when it saved none. */
  override async indexVectors(fill: VectorIndexProgress = {}): Promise<void> {
    if (!this.savedUnindexed) return;
    this.savedUnindexed = false;
    await this.catchUp(fill);
  }

  /**
   * Copies into `paper_embeddings` the vectors of the site's model that are not there yet: a batch at a time into
   * the index when they are few, else (a new model's vectors, saved while it had no index; after `db copy`; or
   * pgvector installed on a grown site) all of them into the table and the indexes built after, which is many
   * times faster than growing an HNSW graph row by row. Indexes a build stopped halfway did not make are made
   * first. One process at a time: the vector write lock is held throughout, over several transactions.
   */
  private async catchUp(fill: VectorIndexProgress): Promise<void> {
    await withSessionLock(this.pool, VECTOR_WRITE_LOCK, async (client) => {
      const model = (await client.query<{ model: string }>('SELECT model FROM embedding_models WHERE id = 1'))
        .rows[0]?.model;
      if (!model) return;
      const groups = await this.groupsOf(client, model);
      await this.replaceOtherLayout(client, groups);
      if (await this.fillBeforeIndexing(client, model, groups, fill)) return;
      const dimensions = await client.query<{ dimensions: number }>(
        'SELECT vector_dims(embedding) AS dimensions FROM paper_embeddings LIMIT 1',
      );
      const present = dimensions.rows[0]?.dimensions;
      if (present !== undefined)
        await buildMissingIndexes(this.pool, client, layoutOf(present, groups), fill);
      while ((await transactionOn(client, () => this.copyBatch(client, model, groups))) === CATCH_UP_BATCH);
    });
  }

  /** Copies up to CATCH_UP_BATCH missing vectors of `model` through the indexes; how many it copied. */
  private async copyBatch(
    client: pg.ClientBase,
    model: string,
    groups: VectorGroups | null,
  ): Promise<number> {
    const missing = await client.query<{ doc_id: number; vector: Buffer }>(
      `SELECT v.doc_id, v.vector FROM paper_vectors v
       WHERE v.model = $1 AND NOT EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.doc_id = v.doc_id)
       ORDER BY v.doc_id LIMIT $2`,
      [model, CATCH_UP_BATCH],
    );
    if (missing.rows.length === 0) return 0;
    const vectors = missing.rows.map((row) => vectorFromBytes(row.vector));
    await ensureIndexes(client, layoutOf(vectors[0]?.length ?? 0, groups));
    await client.query(
      `INSERT INTO paper_embeddings (doc_id, embedding, grp)
       SELECT v.doc_id, v.embedding::vector, v.grp
       FROM unnest($1::int[], $2::text[], $3::smallint[]) AS v(doc_id, embedding, grp)
       ON CONFLICT (doc_id) DO NOTHING`,
      [
        missing.rows.map((row) => row.doc_id),
        vectors.map(vectorText),
        vectors.map((vector) => groups?.groupOf(vector) ?? null),
      ],
    );
    return missing.rows.length;
  }

  /**
   * Indexes made for other groups than the model's (a site whose vectors were indexed before groups were, or by
   * another model's groups) go, with the rows that do not fit, to be copied in again with their group; those that
   * are some of the model's (a build stopped halfway) stay.
   */
  private async replaceOtherLayout(client: pg.ClientBase, groups: VectorGroups | null): Promise<void> {
    const present = await currentLayout(client);
    if (!present) return;
    const wanted = layoutOf(present.dimensions, groups);
    if (!(await holdsPartOf(client, wanted))) await transactionOn(client, () => dropIndexes(client, wanted));
  }

  /**
   * Fills the table with every missing vector of the site's model and then builds its indexes, when they are more
   * than the table holds (else false: added through the indexes, a batch at a time). The fill is one transaction;
   * the indexes, dropped first, are built after it, so searches meanwhile scan the table (slowly): as for a model
   * change, the site is not expected to search meanwhile.
   */
  private async fillBeforeIndexing(
    client: pg.ClientBase,
    model: string,
    groups: VectorGroups | null,
    fill: VectorIndexProgress,
  ): Promise<boolean> {
    const counts = await client.query<{ missing: string; present: string; dimensions: number | null }>(
      `SELECT count(*) FILTER (WHERE e.doc_id IS NULL) AS missing, count(e.doc_id) AS present,
         max(length(v.vector)) / 4 AS dimensions
       FROM paper_vectors v LEFT JOIN paper_embeddings e ON e.doc_id = v.doc_id
       WHERE v.model = $1`,
      [model],
    );
    const missing = Number(counts.rows[0]?.missing ?? 0);
    if (missing <= Number(counts.rows[0]?.present ?? 0)) return false;
    const layout = layoutOf(counts.rows[0]?.dimensions ?? 0, groups);
    checkDimension(layout.dimensions);
    await transactionOn(client, async () => {
      await dropIndexes(client, layout);
      let copied = 0;
      for (let after = 0; ; ) {
        const batch = await client.query<{ doc_id: number; vector: Buffer }>(
          `SELECT v.doc_id, v.vector FROM paper_vectors v
           WHERE v.model = $1 AND v.doc_id > $2
             AND NOT EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.doc_id = v.doc_id)
           ORDER BY v.doc_id LIMIT $3`,
          [model, after, FILL_BATCH],
        );
        if (batch.rows.length === 0) break;
        after = batch.rows[batch.rows.length - 1]?.doc_id ?? after;
        const stream = client.query(
          copyFrom('COPY paper_embeddings (doc_id, embedding, grp) FROM STDIN (FORMAT binary)'),
        );
        await pipeline(Readable.from([binaryCopyRows(batch.rows, groups)]), stream);
        copied += batch.rows.length;
        fill.onProgress?.('copying vectors', copied, missing);
      }
    });
    await buildMissingIndexes(this.pool, client, layout, fill);
    return true;
  }

  /**
   * A new model starts without indexes: its vectors are saved without them and indexed all at once by
   * `indexVectors` (the old model's rows went with its vectors).
   */
  protected override async modelInstalled(client: pg.ClientBase): Promise<void> {
    const kept = await client.query('SELECT 1 FROM paper_embeddings LIMIT 1');
    if (kept.rows.length === 0) await dropEveryIndex(client);
    this.layout = null;
  }

  /**
   * Vectors go into `paper_embeddings` through its indexes when it has them; without (a new model's first
   * vectors) they wait in `paper_vectors` for `indexVectors`.
   */
  protected override async writeVectors(
    client: pg.ClientBase,
    model: string,
    last: Map<string, Float32Array>,
  ): Promise<void> {
    await super.writeVectors(client, model, last);
    if (!(await currentLayout(client))) {
      this.savedUnindexed = true;
      return;
    }
    const vectors = [...last.values()];
    const groups = await this.groupsOf(client, model);
    await ensureIndexes(client, layoutOf(vectors[0]?.length ?? 0, groups));
    await client.query(
      `INSERT INTO paper_embeddings (doc_id, embedding, grp)
       SELECT p.doc_id, v.embedding::vector, v.grp
       FROM unnest($1::text[], $2::text[], $3::smallint[]) AS v(id, embedding, grp)
       JOIN papers p ON p.id = v.id
       ON CONFLICT (doc_id) DO UPDATE SET embedding = excluded.embedding, grp = excluded.grp`,
      [[...last.keys()], vectors.map(vectorText), vectors.map((vector) => groups?.groupOf(vector) ?? null)],
    );
  }

  /**
   * The indexes' layout, looked up again when the model is another or the query does not fit what was seen (another
   * dimension, a group whose index was not there).
   */
  private async layoutFor(model: string, dimensions: number, group?: number): Promise<PresentLayout | null> {
    const seen = this.layout?.model === model ? this.layout.indexes : undefined;
    if (
      seen &&
      seen.dimensions === dimensions &&
      (group === undefined || seen.groups === null || seen.indexed.has(group))
    )
      return seen;
    const indexes = await currentLayout(this.pool);
    this.layout = { model, indexes };
    return indexes;
  }

  /**
   * An HNSW index scan ordered by cosine distance; `model` and `exclude` are checked on the rows it yields. Every
   * row has the indexes' dimension (`ensureIndexes`), so a query of another one finds nothing. With a model of
   * groups, the scan is of `group`'s index (by default the group of `vector` itself, as for a paper's similar
   * papers), and its hits say their group.
   */
  override async nearestVectors(
    model: string,
    vector: Float32Array,
    limit: number,
    exclude?: string,
    group?: number,
  ): Promise<VectorHit[]> {
    const dimensions = vector.length;
    if (limit < 1 || !isDimension(dimensions)) return [];
    const layout = await this.layoutFor(model, dimensions, group);
    if (dimensions !== layout?.dimensions) return [];
    const inGroup =
      layout.groups === null
        ? undefined
        : (group ?? (await this.groupsOf(this.pool, model))?.groupOf(vector));
    if (inGroup !== undefined && !(Number.isInteger(inGroup) && inGroup >= 0 && inGroup < MAX_GROUPS))
      return [];
    // A group whose index a build has not made yet (stopped halfway, or still running) finds nothing rather than
    // scanning the whole table: at millions of rows that takes seconds and holds the server.
    if (inGroup !== undefined && !(await this.layoutFor(model, dimensions, inGroup))?.indexed.has(inGroup))
      return [];
    if (!vector.every(Number.isFinite)) return [];
    const distance = `e.embedding::vector(${dimensions}) <=> '${vectorText(vector)}'::vector(${dimensions})`;
    const client = await this.pool.connect();
    try {
      // One round trip. The index is the plan: a cluster's rows are few beside the table's, and the planner may
      // price a scan of the whole table below the graph's walk, which at millions of rows takes seconds.
      const [, , , result] = (await client.query(
        `BEGIN;
         SET LOCAL hnsw.ef_search = ${efSearch(Math.floor(limit))};
         SET LOCAL enable_seqscan = off;
         SELECT p.id, 1 - (${distance}) AS score
         FROM paper_embeddings e
         JOIN paper_vectors v ON v.doc_id = e.doc_id
         JOIN papers p ON p.doc_id = e.doc_id
         WHERE v.model = ${client.escapeLiteral(model)}
           AND p.id IS DISTINCT FROM ${exclude === undefined ? 'NULL' : client.escapeLiteral(exclude)}
           ${inGroup === undefined ? '' : `AND e.grp = ${inGroup}`}
         ORDER BY ${distance} LIMIT ${Math.floor(limit)};
         COMMIT`,
      )) as unknown as Array<pg.QueryResult<{ id: string; score: number }>>;
      if (!result) return [];
      return result.rows.map((row) => ({
        id: row.id,
        score: Number(row.score),
        ...(inGroup !== undefined && { group: inGroup }),
      }));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      // Another process switched to a model of another dimension since this one looked: nothing to find.
      if (isDimensionMismatch(error)) {
        this.layout = null;
        return [];
      }
      throw error;
    } finally {
      client.release();
    }
  }
}
