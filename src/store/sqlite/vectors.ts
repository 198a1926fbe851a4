import { exactNearest } from '../exact-nearest.ts';
import { type PackedVectors, unpackVectors, vectorFromBytes, vectorToBytes } from '../vector-bytes.ts';
import type { PaperText, StoredVector, VectorHit, VectorStore } from '../vectors.ts';
import { SqliteRepository } from './repository.ts';

/** The embedding model and paper vectors (see migration 005) on SQLite, searched in process. */
export class SqliteVectors extends SqliteRepository implements VectorStore {
  readonly vectorSearch = 'in-process';

  private readonly statements = {
    getModel: this.db.prepare<[], { model: string; data: Buffer }>(
      'SELECT model, data FROM embedding_models WHERE id = 1',
    ),
    modelName: this.db.prepare<[], string>('SELECT model FROM embedding_models WHERE id = 1').pluck(),
    setModel: this.db.prepare(
      `INSERT INTO embedding_models (id, model, data) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET model = excluded.model, data = excluded.data,
           created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    ),
    dropOtherVectors: this.db.prepare('DELETE FROM paper_vectors WHERE model <> ?'),
    dropOtherPartitions: this.db.prepare('DELETE FROM vector_partitions WHERE model <> ?'),
    getPartitions: this.db
      .prepare<[string], Buffer>('SELECT data FROM vector_partitions WHERE model = ?')
      .pluck(),
    savePartitions: this.db.prepare(
      `INSERT INTO vector_partitions (model, data) VALUES (?, ?)
         ON CONFLICT (model) DO UPDATE SET data = excluded.data`,
    ),
    toEmbed: this.db.prepare<[number, string, number], PaperText>(
      `SELECT p.id, p.doc_id AS position, p.title, p.abstract FROM papers p
         WHERE p.doc_id > ?
           AND NOT EXISTS (SELECT 1 FROM paper_vectors v WHERE v.doc_id = p.doc_id AND v.model = ?)
         ORDER BY p.doc_id LIMIT ?`,
    ),
    texts: this.db.prepare<[number, number], PaperText>(
      'SELECT id, doc_id AS position, title, abstract FROM papers WHERE doc_id > ? ORDER BY doc_id LIMIT ?',
    ),
    countToEmbed: this.db
      .prepare<[string], number>(
        `SELECT count(*) FROM papers p
           WHERE NOT EXISTS (SELECT 1 FROM paper_vectors v WHERE v.doc_id = p.doc_id AND v.model = ?)`,
      )
      .pluck(),
    nextSeq: this.db.prepare<[], number>('SELECT last + 1 FROM vector_seq WHERE id = 1').pluck(),
    setLastSeq: this.db.prepare<[number]>('UPDATE vector_seq SET last = ? WHERE id = 1'),
    save: this.db.prepare(
      `INSERT OR REPLACE INTO paper_vectors (doc_id, seq, model, vector)
         SELECT doc_id, ?, ?, ? FROM papers WHERE id = ?`,
    ),
    // One row for the whole page: a blob per vector would be one small allocation each, and 80k of them leave
    // the process's malloc heap fragmented long after they are freed (docs/benchmarks.md, "Memory").
    read: this.db.prepare<[string, number, number], PackedVectors>(
      `SELECT group_concat(id, ' ' ORDER BY seq) AS ids, group_concat(seq, ' ' ORDER BY seq) AS seqs,
              group_concat(length(vector), ' ' ORDER BY seq) AS lengths,
              CAST(group_concat(vector, '' ORDER BY seq) AS BLOB) AS vectors
         FROM (SELECT v.seq, p.id, v.vector FROM paper_vectors v
                 JOIN papers p INDEXED BY papers_search_hits ON p.doc_id = v.doc_id
                WHERE v.model = ? AND v.seq > ? ORDER BY v.seq LIMIT ?)`,
    ),
    trainingParts: this.db.prepare<[string], { part: number; data: Buffer }>(
      'SELECT part, data FROM model_training_parts WHERE training = ?',
    ),
    dropOtherTrainings: this.db.prepare<[string]>('DELETE FROM model_training_parts WHERE training <> ?'),
    saveTrainingPart: this.db.prepare<[string, number, Buffer]>(
      'INSERT OR REPLACE INTO model_training_parts (training, part, data) VALUES (?, ?, ?)',
    ),
    dropTrainingParts: this.db.prepare('DELETE FROM model_training_parts'),
    vectorOf: this.db
      .prepare<[string, string], Buffer>(
        `SELECT v.vector FROM paper_vectors v JOIN papers p ON p.doc_id = v.doc_id
           WHERE p.id = ? AND v.model = ?`,
      )
      .pluck(),
    vectorsOf: this.db.prepare<[string, string], { id: string; vector: Buffer }>(
      `SELECT p.id, v.vector FROM papers p JOIN paper_vectors v ON v.doc_id = p.doc_id
       WHERE p.id IN (SELECT value FROM json_each(?)) AND v.model = ?`,
    ),
  };

  async getEmbeddingModel(): Promise<{ model: string; data: Buffer } | null> {
    return this.statements.getModel.get() ?? null;
  }

  async embeddingModelName(): Promise<string | null> {
    return this.statements.modelName.get() ?? null;
  }

  /** Makes `model` the site's model; vectors of any other model are dropped in the same transaction. */
  async setEmbeddingModel(model: string, data: Buffer): Promise<void> {
    return this.write(() => {
      this.db
        .transaction(() => {
          this.statements.setModel.run(model, data);
          this.statements.dropOtherVectors.run(model);
          this.statements.dropOtherPartitions.run(model);
        })
        .immediate();
    });
  }

  async listPaperTexts(after: number, limit: number): Promise<PaperText[]> {
    return this.statements.texts.all(after, limit);
  }

  async papersToEmbed(model: string, after: number, limit: number): Promise<PaperText[]> {
    return this.statements.toEmbed.all(after, model, limit);
  }

  async countPapersToEmbed(model: string): Promise<number> {
    return this.statements.countToEmbed.get(model) ?? 0;
  }

  async saveVectors(model: string, vectors: Array<{ id: string; vector: Float32Array }>): Promise<void> {
    return this.write(() => {
      this.db
        .transaction(() => {
          let seq = this.statements.nextSeq.get() ?? 1;
          for (const { id, vector } of vectors)
            this.statements.save.run(seq++, model, vectorToBytes(vector), id);
          this.statements.setLastSeq.run(seq - 1);
        })
        .immediate();
    });
  }

  async getVectorPartitions(model: string): Promise<Buffer | null> {
    return this.statements.getPartitions.get(model) ?? null;
  }

  async saveVectorPartitions(model: string, data: Buffer): Promise<void> {
    return this.write(() => {
      this.statements.savePartitions.run(model, data);
    });
  }

  async readVectors(model: string, afterSeq: number, limit: number): Promise<StoredVector[]> {
    const packed = this.statements.read.get(model, afterSeq, limit);
    return packed ? unpackVectors(packed) : [];
  }

  async trainingParts(training: string): Promise<Map<number, Buffer>> {
    return new Map(this.statements.trainingParts.all(training).map((row) => [row.part, row.data]));
  }

  async saveTrainingPart(training: string, part: number, data: Buffer): Promise<void> {
    return this.write(() => {
      this.db
        .transaction(() => {
          this.statements.dropOtherTrainings.run(training);
          this.statements.saveTrainingPart.run(training, part, data);
        })
        .immediate();
    });
  }

  async dropTrainingParts(): Promise<void> {
    return this.write(() => {
      this.statements.dropTrainingParts.run();
    });
  }

  async getVector(model: string, id: string): Promise<Float32Array | null> {
    const bytes = this.statements.vectorOf.get(id, model);
    return bytes ? vectorFromBytes(bytes) : null;
  }

  async indexVectors(): Promise<void> {}

  async getVectors(model: string, ids: string[]): Promise<Map<string, Float32Array>> {
    if (ids.length === 0) return new Map();
    const rows = this.statements.vectorsOf.all(JSON.stringify(ids), model);
    return new Map(rows.map((row) => [row.id, vectorFromBytes(row.vector)]));
  }

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
}
