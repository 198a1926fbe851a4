import type pg from 'pg';
import { exactNearest } from '../exact-nearest.ts';
import { vectorFromBytes, vectorToBytes } from '../vector-bytes.ts';
import type { PaperText, StoredVector, VectorHit, VectorSearchBackend, VectorStore } from '../vectors.ts';
import { toNumber, VECTOR_WRITE_LOCK } from './sql.ts';
import { inTransaction } from './transaction.ts';

/** Vectors as bytea rows (see migration 005), read back by each process into its in-memory vector index. */
export class ByteaVectorStorage implements VectorStore {
  readonly vectorSearch: VectorSearchBackend = 'in-process';

  constructor(protected readonly pool: pg.Pool) {}

  async getEmbeddingModel(): Promise<{ model: string; data: Buffer } | null> {
    const result = await this.pool.query<{ model: string; data: Buffer }>(
      'SELECT model, data FROM embedding_models WHERE id = 1',
    );
    return result.rows[0] ?? null;
  }

  async embeddingModelName(): Promise<string | null> {
    const result = await this.pool.query<{ model: string }>(
      'SELECT model FROM embedding_models WHERE id = 1',
    );
    return result.rows[0]?.model ?? null;
  }

  async setEmbeddingModel(model: string, data: Buffer): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // Waits for vector writers in flight, so none of them saves an old model's vectors after the switch.
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...VECTOR_WRITE_LOCK]);
      await client.query(
        `INSERT INTO embedding_models (id, model, data) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET model = excluded.model, data = excluded.data, created_at = iso_now()`,
        [model, data],
      );
      await client.query('DELETE FROM paper_vectors WHERE model <> $1', [model]);
      await client.query('DELETE FROM vector_partitions WHERE model <> $1', [model]);
      await this.modelInstalled(client);
    });
  }

  /** What else changes with the model, inside its transaction. */
  protected async modelInstalled(_client: pg.ClientBase): Promise<void> {}

  async listPaperTexts(after: number, limit: number): Promise<PaperText[]> {
    const result = await this.pool.query<PaperText>(
      `SELECT id, doc_id AS position, title, abstract FROM papers WHERE doc_id > $1
       ORDER BY doc_id LIMIT $2`,
      [after, limit],
    );
    return result.rows;
  }

  async papersToEmbed(model: string, after: number, limit: number): Promise<PaperText[]> {
    const result = await this.pool.query<PaperText>(
      `SELECT p.id, p.doc_id AS position, p.title, p.abstract FROM papers p
       WHERE p.doc_id > $1
         AND NOT EXISTS (SELECT 1 FROM paper_vectors v WHERE v.doc_id = p.doc_id AND v.model = $2)
       ORDER BY p.doc_id LIMIT $3`,
      [after, model, limit],
    );
    return result.rows;
  }

  async countPapersToEmbed(model: string): Promise<number> {
    const result = await this.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM papers p
       WHERE NOT EXISTS (SELECT 1 FROM paper_vectors v WHERE v.doc_id = p.doc_id AND v.model = $1)`,
      [model],
    );
    return result.rows[0]?.count ?? 0;
  }

  /**
   * One transaction holding the vector-writer lock until it commits: seqs drawn inside it are above every seq
   * already committed, and no other writer can commit a lower one later (see migration 005). A paper given twice
   * keeps its last vector; unknown papers are skipped.
   */
  async saveVectors(model: string, vectors: Array<{ id: string; vector: Float32Array }>): Promise<void> {
    if (vectors.length === 0) return;
    const last = new Map(vectors.map(({ id, vector }) => [id, vector]));
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...VECTOR_WRITE_LOCK]);
      await this.writeVectors(client, model, last);
    });
  }

  async indexVectors(): Promise<void> {}

  /** Writes the vectors inside the writer's transaction, holding the vector-writer lock. */
  protected async writeVectors(
    client: pg.ClientBase,
    model: string,
    last: Map<string, Float32Array>,
  ): Promise<void> {
    await client.query(
      `INSERT INTO paper_vectors (doc_id, seq, model, vector)
         SELECT p.doc_id, nextval('paper_vectors_seq'), $3, v.vector
         FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS v(id, vector, ord)
         JOIN papers p ON p.id = v.id
         ORDER BY v.ord
         ON CONFLICT (doc_id) DO UPDATE SET seq = excluded.seq, model = excluded.model, vector = excluded.vector`,
      [[...last.keys()], [...last.values()].map(vectorToBytes), model],
    );
  }

  async readVectors(model: string, afterSeq: number, limit: number): Promise<StoredVector[]> {
    const result = await this.pool.query<{ seq: string; id: string; vector: Buffer }>(
      `SELECT v.seq, p.id, v.vector FROM paper_vectors v JOIN papers p ON p.doc_id = v.doc_id
       WHERE v.model = $1 AND v.seq > $2 ORDER BY v.seq LIMIT $3`,
      [model, afterSeq, limit],
    );
    return result.rows.map((row) => ({
      seq: toNumber(row.seq),
      id: row.id,
      vector: vectorFromBytes(row.vector),
    }));
  }

  async trainingParts(training: string): Promise<Map<number, Buffer>> {
    const result = await this.pool.query<{ part: number; data: Buffer }>(
      'SELECT part, data FROM model_training_parts WHERE training = $1',
      [training],
    );
    return new Map(result.rows.map((row) => [row.part, row.data]));
  }

  async saveTrainingPart(training: string, part: number, data: Buffer): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM model_training_parts WHERE training <> $1', [training]);
      await client.query(
        `INSERT INTO model_training_parts (training, part, data) VALUES ($1, $2, $3)
         ON CONFLICT (training, part) DO UPDATE SET data = excluded.data`,
        [training, part, data],
      );
    });
  }

  async dropTrainingParts(): Promise<void> {
    await this.pool.query('DELETE FROM model_training_parts');
  }

  async getVectorPartitions(model: string): Promise<Buffer | null> {
    const result = await this.pool.query<{ data: Buffer }>(
      'SELECT data FROM vector_partitions WHERE model = $1',
      [model],
    );
    return result.rows[0]?.data ?? null;
  }

  async saveVectorPartitions(model: string, data: Buffer): Promise<void> {
    await this.pool.query(
      `INSERT INTO vector_partitions (model, data) VALUES ($1, $2)
       ON CONFLICT (model) DO UPDATE SET data = excluded.data`,
      [model, data],
    );
  }

  nearestVectors(model: string, vector: Float32Array, limit: number, exclude?: string): Promise<VectorHit[]> {
    return exactNearest(
      (afterSeq, batch) => this.readVectors(model, afterSeq, batch),
      vector,
      limit,
      exclude,
    );
  }

  async getVector(model: string, id: string): Promise<Float32Array | null> {
    const result = await this.pool.query<{ vector: Buffer }>(
      `SELECT v.vector FROM paper_vectors v JOIN papers p ON p.doc_id = v.doc_id WHERE p.id = $1 AND v.model = $2`,
      [id, model],
    );
    const bytes = result.rows[0]?.vector;
    return bytes ? vectorFromBytes(bytes) : null;
  }

  async getVectors(model: string, ids: string[]): Promise<Map<string, Float32Array>> {
    if (ids.length === 0) return new Map();
    const result = await this.pool.query<{ id: string; vector: Buffer }>(
      `SELECT p.id, v.vector FROM papers p JOIN paper_vectors v ON v.doc_id = p.doc_id
       WHERE p.id = ANY($1::text[]) AND v.model = $2`,
      [ids, model],
    );
    return new Map(result.rows.map((row) => [row.id, vectorFromBytes(row.vector)]));
  }
}
