import type { Store } from '../store/store.ts';
import type { VectorSearchBackend } from '../store/vectors.ts';
import type { DatabaseVectorSearch } from './database-vector-search.ts';
import { openSemanticSearch } from './open-semantic-search.ts';
import { SemanticIndex, type SemanticIndexOptions } from './semantic-index.ts';
import type { SemanticSearch } from './semantic-search.ts';

/** A new model takes over once at most this share of the papers still lacks its vector (the embedding job adds them). */
const MAX_MISSING_SHARE = 0.01;

/**
 * Semantic search that follows the site's model, so that a running server picks up a model trained after it
 * started (`index --embed`, `--retrain`, the first start's background training) without a restart. The current
 * model's index serves until a new model has (nearly) every paper's vector; before any model is ready, `ready` is
 * false and search goes by words alone.
 */
export class LiveSemanticIndex implements SemanticSearch {
  private current: SemanticIndex | DatabaseVectorSearch | null = null;
  /** A model whose vectors are still being written. */
  private awaited: string | null = null;
  private training = false;
  private checking: Promise<void> | null = null;

  private constructor(
    private readonly store: Store,
    private readonly options: SemanticIndexOptions,
  ) {}

  static async open(store: Store, options: SemanticIndexOptions = {}): Promise<LiveSemanticIndex> {
    const live = new LiveSemanticIndex(store, options);
    await live.refresh();
    return live;
  }

  /** The search in use (an index in this process, or the database's), or null while no model is ready. */
  get index(): SemanticIndex | DatabaseVectorSearch | null {
    return this.current;
  }

  get backend(): VectorSearchBackend {
    return this.store.vectors.vectorSearch;
  }

  get quality(): number | undefined {
    return this.current?.embedder.quality;
  }

  get model(): string | undefined {
    return this.current?.embedder.model;
  }

  get ready(): boolean {
    return this.current !== null;
  }

  /** No model is ready yet but one is being trained or its vectors written. */
  get preparing(): boolean {
    return this.current === null && (this.training || this.awaited !== null);
  }

  /** Set by the process that trains a model in the background, so that pages can say it is on its way. */
  setTraining(training: boolean): void {
    this.training = training;
  }

  /** Loads new vectors, or switches to a new model once its vectors are written; concurrent calls share one pass. */
  refresh(): Promise<void> {
    this.checking ??= this.check().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async check(): Promise<void> {
    const model = await this.store.vectors.embeddingModelName();
    if (model === null || model === this.current?.embedder.model) {
      this.awaited = null;
      if (this.current instanceof SemanticIndex) await this.current.refresh();
      return;
    }
    const [missing, papers] = await Promise.all([
      this.store.vectors.countPapersToEmbed(model),
      this.store.papers.countPapers(),
    ]);
    if (missing > papers * MAX_MISSING_SHARE) {
      this.awaited = model;
      return;
    }
    this.current = (await openSemanticSearch(this.store, this.options)) ?? this.current;
    this.awaited = null;
  }

  async search(text: string, limit: number): Promise<Array<{ id: string; score: number }>> {
    return this.current ? this.current.search(text, limit) : [];
  }

  async similar(id: string, limit: number): Promise<Array<{ id: string; score: number }>> {
    return this.current ? this.current.similar(id, limit) : [];
  }
}
