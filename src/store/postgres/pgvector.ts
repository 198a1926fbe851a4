import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { vectorFromBytes } from '../vector-bytes.ts';
import type { VectorHit, VectorSearchBackend } from '../vectors.ts';
import { VECTOR_WRITE_LOCK } from './sql.ts';
import { inTransaction } from './transaction.ts';
import { ByteaVectorStorage } from './vectors.ts';

const CATCH_UP_BATCH = 2_000;
/** Vectors per COPY when filling the table before building its index. */
const FILL_BATCH = 5_000;
const INDEX_PREFIX = 'paper_embeddings_cosine_';
/** pgvector's limits: an HNSW index holds vectors of up to 2,000 dimensions, ef_search is at most 1,000. */
const MAX_INDEXED_DIMENSIONS = 2_000;
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

const isDimension = (value: number) =>
  Number.isInteger(value) && value >= 1 && value <= MAX_INDEXED_DIMENSIONS;

function checkDimension(dimensions: number): void {
  if (!isDimension(dimensions)) {
    throw new RangeError(
      `pgvector indexes vectors of 1 to ${MAX_INDEXED_DIMENSIONS} dimensions, not ${dimensions}`,
    );
  }
}

/**
 * Memory an HNSW graph of `rows` vectors takes while pgvector builds it (the vector and about 700 bytes of
 * neighbour lists and bookkeeping per element at the default m = 16), with a margin. A graph that outgrows
 * maintenance_work_mem is finished on disk, many times slower.
 */
const hnswBuildBytes = (rows: number, dimensions: number) =>
  Math.ceil(rows * (4 * dimensions + 8 + 700) * 1.15) + 64 * 2 ** 20;

/** The two steps of filling the table before its index: copying the vectors, then building the index. */
export type VectorFillStep = 'copying vectors' | 'building the HNSW index';

export interface VectorFillOptions {
  /** Rows done of the step's total, now and then. */
  onProgress?: (step: VectorFillStep, done: number, total: number) => void;
  /** What the step is about to do (the index's memory), and what PostgreSQL says meanwhile (its notices). */
  onNote?: (line: string) => void;
}

/** PostgreSQL's binary COPY: signature, flags, header extension length; a trailer of -1 fields. */
const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const COPY_TRAILER = Buffer.from([0xff, 0xff]);

/**
 * Rows of (doc_id, embedding) in binary COPY format: pgvector's binary form is the dimension and a reserved zero
 * (int16 each), then big-endian float4s; the stored bytea is little-endian float32s, so only the bytes swap.
 */
function binaryCopyRows(rows: ReadonlyArray<{ doc_id: number; vector: Buffer }>): Buffer {
  const parts: Buffer[] = [COPY_HEADER];
  for (const { doc_id, vector } of rows) {
    const head = Buffer.alloc(18);
    head.writeInt16BE(2, 0);
    head.writeInt32BE(4, 2);
    head.writeInt32BE(doc_id, 6);
    head.writeInt32BE(4 + vector.length, 10);
    head.writeInt16BE(vector.length / 4, 14);
    parts.push(head, Buffer.from(vector).swap32());
  }
  parts.push(COPY_TRAILER);
  return Buffer.concat(parts);
}

/**
 * Vectors searched by PostgreSQL with the pgvector extension: every vector is also kept as a `vector` in
 * `paper_embeddings` (beside migration 005's bytea, which `readVectors` and `db copy` keep using), with an HNSW
 * cosine index on the dimension of the site's model. Web processes then hold no vector index of their own.
 *
 * The table is made here rather than in a migration because the extension may or may not be installed on the
 * server; its rows follow `paper_vectors` (foreign key, ON DELETE CASCADE), so a stale vector or a model change
 * removes them too. A new model of another dimension gets an index of its own, the old one is dropped.
 */
export class PgvectorStorage extends ByteaVectorStorage {
  override readonly vectorSearch: VectorSearchBackend = 'pgvector';
  /** The index's dimension when last looked up; looked up again when a query has another. */
  private dimensions: number | null = null;

  /**
   * Installs the extension and the table when the server has pgvector, and fills in vectors written without it
   * (by `db copy`, or before the extension was installed); null when the extension cannot be created.
   */
  static async open(pool: pg.Pool, fill: VectorFillOptions = {}): Promise<PgvectorStorage | null> {
    try {
      await inTransaction(pool, async (client) => {
        // Several processes start at once: one creates, the others find it made.
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...VECTOR_WRITE_LOCK]);
        await client.query('CREATE EXTENSION IF NOT EXISTS vector');
        await client.query(`CREATE TABLE IF NOT EXISTS paper_embeddings (
          doc_id integer PRIMARY KEY REFERENCES paper_vectors(doc_id) ON DELETE CASCADE,
          embedding vector NOT NULL
        )`);
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
   * Copies into `paper_embeddings` the vectors of the site's model that are not there yet: a batch at a time into
   * the index when they are few, else (after `db copy`, or pgvector installed on a grown site) all of them into
   * the table and the index built after, which is many times faster than growing an HNSW graph row by row.
   */
  private async catchUp(fill: VectorFillOptions): Promise<void> {
    for (let first = true; ; first = false) {
      const copied = await inTransaction(this.pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...VECTOR_WRITE_LOCK]);
        const missing = await client.query<{ doc_id: number; vector: Buffer }>(
          `SELECT v.doc_id, v.vector FROM paper_vectors v
           JOIN embedding_models m ON m.id = 1 AND m.model = v.model
           WHERE NOT EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.doc_id = v.doc_id)
           ORDER BY v.doc_id LIMIT $1`,
          [CATCH_UP_BATCH],
        );
        if (missing.rows.length === 0) return 0;
        if (first && (await this.fillBeforeIndexing(client, fill))) return 0;
        const vectors = missing.rows.map((row) => vectorFromBytes(row.vector));
        await this.ensureIndex(client, vectors[0]?.length ?? 0);
        await client.query(
          `INSERT INTO paper_embeddings (doc_id, embedding)
           SELECT v.doc_id, v.embedding::vector FROM unnest($1::int[], $2::text[]) AS v(doc_id, embedding)
           ON CONFLICT (doc_id) DO NOTHING`,
          [missing.rows.map((row) => row.doc_id), vectors.map(vectorText)],
        );
        return missing.rows.length;
      });
      if (copied < CATCH_UP_BATCH) return;
    }
  }

  /**
   * Fills the table with every missing vector of the site's model and then builds its index, when they are more
   * than the table holds (else false: added through the index, a batch at a time). Holds the vector write lock
   * and, the index being dropped first, keeps searches waiting until it is built: as for a model change, the site
   * is not expected to search meanwhile.
   */
  private async fillBeforeIndexing(client: pg.ClientBase, fill: VectorFillOptions): Promise<boolean> {
    const counts = await client.query<{ missing: string; present: string; dimensions: number | null }>(
      `SELECT count(*) FILTER (WHERE e.doc_id IS NULL) AS missing, count(e.doc_id) AS present,
         max(length(v.vector)) / 4 AS dimensions
       FROM paper_vectors v
       JOIN embedding_models m ON m.id = 1 AND m.model = v.model
       LEFT JOIN paper_embeddings e ON e.doc_id = v.doc_id`,
    );
    const missing = Number(counts.rows[0]?.missing ?? 0);
    const dimensions = counts.rows[0]?.dimensions ?? 0;
    if (missing <= Number(counts.rows[0]?.present ?? 0)) return false;
    checkDimension(dimensions);
    await this.dropIndexes(client, dimensions);
    let copied = 0;
    for (let after = 0; ; ) {
      const batch = await client.query<{ doc_id: number; vector: Buffer }>(
        `SELECT v.doc_id, v.vector FROM paper_vectors v
         JOIN embedding_models m ON m.id = 1 AND m.model = v.model
         WHERE v.doc_id > $1 AND NOT EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.doc_id = v.doc_id)
         ORDER BY v.doc_id LIMIT $2`,
        [after, FILL_BATCH],
      );
      if (batch.rows.length === 0) break;
      after = batch.rows[batch.rows.length - 1]?.doc_id ?? after;
      const stream = client.query(
        copyFrom('COPY paper_embeddings (doc_id, embedding) FROM STDIN (FORMAT binary)'),
      );
      await pipeline(Readable.from([binaryCopyRows(batch.rows)]), stream);
      copied += batch.rows.length;
      fill.onProgress?.('copying vectors', copied, missing);
    }
    await this.buildIndex(client, dimensions, fill);
    return true;
  }

  /**
   * Builds the index on a full table with room for its whole graph (maintenance_work_mem raised for this
   * transaction only, never lowered) and the server's parallel maintenance workers, reporting its progress.
   */
  private async buildIndex(
    client: pg.ClientBase,
    dimensions: number,
    fill: VectorFillOptions,
  ): Promise<void> {
    const sizes = await client.query<{ rows: string; memory: string; workers: string }>(
      `SELECT (SELECT count(*) FROM paper_embeddings) AS rows,
         pg_size_bytes(current_setting('maintenance_work_mem')) AS memory,
         current_setting('max_parallel_maintenance_workers') AS workers`,
    );
    const rows = Number(sizes.rows[0]?.rows ?? 0);
    const memoryMb = Math.ceil(
      Math.max(Number(sizes.rows[0]?.memory ?? 0), hnswBuildBytes(rows, dimensions)) / 2 ** 20,
    );
    await client.query(`SELECT set_config('maintenance_work_mem', $1, true)`, [`${memoryMb}MB`]);
    fill.onProgress?.('building the HNSW index', 0, rows);
    fill.onNote?.(
      `building the HNSW index of ${rows.toLocaleString('en-US')} vectors: maintenance_work_mem ${memoryMb.toLocaleString('en-US')} MB, up to ${sizes.rows[0]?.workers ?? '?'} parallel maintenance workers`,
    );
    const onNotice = (notice: { message?: string; detail?: string }) =>
      fill.onNote?.([notice.message, notice.detail].filter(Boolean).join(' '));
    client.on('notice', onNotice);
    const watching = fill.onProgress && this.watchIndexBuild(rows, fill.onProgress);
    try {
      await this.createIndex(client, dimensions);
    } finally {
      client.off('notice', onNotice);
      await watching?.stop();
    }
    fill.onProgress?.('building the HNSW index', rows, rows);
  }

  /** Polls pg_stat_progress_create_index from another connection while the index is built. */
  private watchIndexBuild(
    rows: number,
    onProgress: NonNullable<VectorFillOptions['onProgress']>,
  ): { stop(): Promise<void> } {
    let polling: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      polling = polling.then(async () => {
        const progress = await this.pool
          .query<{ tuples_done: string }>(
            `SELECT tuples_done FROM pg_stat_progress_create_index WHERE relid = 'paper_embeddings'::regclass`,
          )
          .catch(() => null);
        const done = Number(progress?.rows[0]?.tuples_done ?? 0);
        if (done > 0) onProgress('building the HNSW index', Math.min(done, rows), rows);
      });
    }, 2_000);
    return {
      async stop() {
        clearInterval(timer);
        await polling;
      },
    };
  }

  /** Drops the index of another dimension than `dimensions` (of an older model) and that model's vectors. */
  private async dropIndexes(client: pg.ClientBase, dimensions: number, keep?: string): Promise<boolean> {
    const existing = await client.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'paper_embeddings' AND indexname LIKE $1`,
      [`${INDEX_PREFIX}%`],
    );
    if (keep && existing.rows.some((row) => row.indexname === keep)) return true;
    for (const { indexname } of existing.rows) await client.query(`DROP INDEX ${indexname}`);
    await client.query(`DELETE FROM paper_embeddings WHERE vector_dims(embedding) <> ${dimensions}`);
    return false;
  }

  private async createIndex(client: pg.ClientBase, dimensions: number): Promise<void> {
    await client.query(
      `CREATE INDEX ${INDEX_PREFIX}${dimensions} ON paper_embeddings
       USING hnsw ((embedding::vector(${dimensions})) vector_cosine_ops)`,
    );
  }

  /**
   * Makes the HNSW index fit vectors of `dimensions`: when the site's model changes to another dimension, the
   * old index and the vectors of other dimensions (of an older model) go, and a new index is built.
   */
  private async ensureIndex(client: pg.ClientBase, dimensions: number): Promise<void> {
    checkDimension(dimensions);
    if (await this.dropIndexes(client, dimensions, `${INDEX_PREFIX}${dimensions}`)) return;
    await this.createIndex(client, dimensions);
  }

  protected override async writeVectors(
    client: pg.ClientBase,
    model: string,
    last: Map<string, Float32Array>,
  ): Promise<void> {
    await super.writeVectors(client, model, last);
    const vectors = [...last.values()];
    await this.ensureIndex(client, vectors[0]?.length ?? 0);
    await client.query(
      `INSERT INTO paper_embeddings (doc_id, embedding)
       SELECT p.doc_id, v.embedding::vector FROM unnest($1::text[], $2::text[]) AS v(id, embedding)
       JOIN papers p ON p.id = v.id
       ON CONFLICT (doc_id) DO UPDATE SET embedding = excluded.embedding`,
      [[...last.keys()], vectors.map(vectorText)],
    );
  }

  /** The dimension the HNSW index is built for, or null when there is none yet. */
  private async indexedDimensions(): Promise<number | null> {
    const result = await this.pool.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'paper_embeddings' AND indexname LIKE $1`,
      [`${INDEX_PREFIX}%`],
    );
    const name = result.rows[0]?.indexname;
    return name ? Number(name.slice(INDEX_PREFIX.length)) : null;
  }

  /**
   * An HNSW index scan ordered by cosine distance; `model` and `exclude` are checked on the rows it yields. Every
   * row has the index's dimension (`ensureIndex`), so a query of another one finds nothing.
   */
  override async nearestVectors(
    model: string,
    vector: Float32Array,
    limit: number,
    exclude?: string,
  ): Promise<VectorHit[]> {
    const dimensions = vector.length;
    if (limit < 1 || !isDimension(dimensions)) return [];
    if (dimensions !== this.dimensions) {
      this.dimensions = await this.indexedDimensions();
      if (dimensions !== this.dimensions) return [];
    }
    const distance = `e.embedding::vector(${dimensions}) <=> $1::vector(${dimensions})`;
    const client = await this.pool.connect();
    try {
      await client.query(`SELECT set_config('hnsw.ef_search', $1, false)`, [String(efSearch(limit))]);
      const result = await client.query<{ id: string; score: number }>(
        `SELECT p.id, 1 - (${distance}) AS score
         FROM paper_embeddings e
         JOIN paper_vectors v ON v.doc_id = e.doc_id
         JOIN papers p ON p.doc_id = e.doc_id
         WHERE v.model = $2 AND p.id IS DISTINCT FROM $3
         ORDER BY ${distance} LIMIT $4`,
        [vectorText(vector), model, exclude ?? null, limit],
      );
      return result.rows.map((row) => ({ id: row.id, score: Number(row.score) }));
    } catch (error) {
      // Another process switched to a model of another dimension since this one looked: nothing to find.
      if (isDimensionMismatch(error)) {
        this.dimensions = null;
        return [];
      }
      throw error;
    } finally {
      client.release();
    }
  }
}
