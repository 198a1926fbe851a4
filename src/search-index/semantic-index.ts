import { LRUCache } from 'lru-cache';
import type { Embedder } from '../embeddings/embedder.ts';
import { embedderFromStored, type StoredEmbedderOptions } from '../embeddings/stored-embedder.ts';
import type { Store } from '../store/store.ts';
import { nearestByMeaning } from './nearest-by-meaning.ts';
import type { SemanticSearch } from './semantic-search.ts';
import { type PartitionOptions, type SearchOptions, VectorIndex } from './vector-index.ts';

const READ_BATCH = 5_000;
/** From this many vectors on, search scans the nearest partitions instead of every vector. */
const PARTITION_FROM = 20_000;
/** Papers whose neighbours are kept (see `similar`). */
const SIMILAR_CACHE_ENTRIES = 20_000;

/** `probes`: partitions scanned per search (default: the vector index's). */
export interface SemanticIndexOptions extends Pick<SearchOptions, 'probes'>, StoredEmbedderOptions {
  /** Partition from this many vectors on (default 20,000). */
  partitionFrom?: number;
  /** Build new partitions even when the store has a snapshot. */
  rebuild?: boolean;
  partitions?: PartitionOptions;
  /** Similar-papers lists kept (default 20,000; the process's share of its memory budget). */
  similarLists?: number;
}

/** A clustered model's group of each vector, which its searches keep to; null for a model of one group. */
function groupOf(embedder: Embedder): ((vector: Float32Array) => number) | null {
  const { grouped } = embedder;
  return grouped ? (vector) => grouped.groupOf(vector) : null;
}

function loadSnapshot(embedder: Embedder, snapshot: Buffer | null): VectorIndex | null {
  if (!snapshot) return null;
  try {
    return VectorIndex.withPartitions(embedder.dimensions, snapshot, groupOf(embedder));
  } catch {
    return null; // unreadable: built again
  }
}

/**
 * Semantic search in process: the store's vectors loaded into a vector index, kept up to date by reading what
 * was written since the last refresh (so several web processes sharing one database all see new papers).
 * The index's partitions come from the store's snapshot when it has a fitting one; otherwise (or once the
 * collection has doubled since) they are built in the background and the snapshot saved.
 */
export class SemanticIndex implements SemanticSearch {
  readonly backend = 'in-process';

  get quality(): number | undefined {
    return this.embedder.quality;
  }

  get model(): string {
    return this.embedder.model;
  }
  private lastSeq = 0;
  /** Resolves when the approximate index is ready (immediately for small collections, which stay exact). */
  partitioning: Promise<void> = Promise.resolve();
  /** How long making the approximate index ready took (loading a snapshot, or building one), once it is. */
  partitionSeconds = 0;
  /** Whether the last partitioning built new partitions (and saved them) rather than loading the snapshot. */
  builtPartitions = false;
  /** Why the last partitioning failed, if it did (search goes on exactly, or with the partitions it had). */
  partitionError: unknown = null;
  private refreshing: Promise<void> | null = null;
  private maintaining = false;
  private opened = false;
  /**
   * Each paper page asks for its paper's neighbours, the same until vectors are added or changed: kept, by paper
   * and count, for as many papers as a busy site shows (a few MB of ids and scores).
   */
  private readonly similarCache: LRUCache<string, Array<{ id: string; score: number }>>;

  private constructor(
    private readonly store: Store,
    readonly embedder: Embedder,
    private readonly index: VectorIndex,
    private readonly options: SemanticIndexOptions,
  ) {
    this.similarCache = new LRUCache({ max: options.similarLists ?? SIMILAR_CACHE_ENTRIES });
  }

  /** The index of the store's embedding model, or null when none has been trained yet. */
  static async open(store: Store, options: SemanticIndexOptions = {}): Promise<SemanticIndex | null> {
    const stored = await store.vectors.getEmbeddingModel();
    if (!stored) return null;
    const embedder = embedderFromStored(stored, options);
    const started = performance.now();
    const snapshot = options.rebuild ? null : await store.vectors.getVectorPartitions(embedder.model);
    const index = loadSnapshot(embedder, snapshot) ?? new VectorIndex(embedder.dimensions, groupOf(embedder));
    const semantic = new SemanticIndex(store, embedder, index, options);
    await semantic.refresh();
    semantic.opened = true;
    if (index.partitioned) semantic.partitionSeconds = (performance.now() - started) / 1000;
    semantic.maintain(started);
    return semantic;
  }

  get size(): number {
    return this.index.size;
  }

  /** Partitions in use, the vectors they were built from and those not in one yet; null while exact. */
  get partitionInfo() {
    return this.index.partitionInfo;
  }

  /** Bytes of vector memory held. */
  get memoryBytes(): number {
    return this.index.memoryBytes;
  }

  /** Loads vectors written since the last refresh; concurrent calls share one pass. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        for (;;) {
          const batch = await this.store.vectors.readVectors(this.embedder.model, this.lastSeq, READ_BATCH);
          for (const { id, vector, seq } of batch) {
            this.index.add(id, vector, seq);
            this.lastSeq = seq;
          }
          if (batch.length > 0) {
            this.similarCache.clear();
          }
          if (batch.length < READ_BATCH) break;
        }
      } finally {
        this.refreshing = null;
      }
      if (this.opened) this.maintain(performance.now());
    })();
    return this.refreshing;
  }

  /**
   * Keeps the partitions fit, in the background: builds them when there are none (from `partitionFrom` vectors)
   * or the collection has more than doubled since they were made, and saves the snapshot; otherwise puts new
   * vectors in their partitions.
   */
  private maintain(started: number): void {
    if (this.maintaining) return;
    const info = this.index.partitionInfo;
    const build = info
      ? this.index.size > 2 * info.basis
      : this.index.size >= (this.options.partitionFrom ?? PARTITION_FROM);
    if (!build && !info?.pending) return;
    this.maintaining = true;
    this.partitioning = (async () => {
      try {
        if (build) {
          await this.index.buildPartitions(this.options.partitions);
          await this.savePartitions();
          this.builtPartitions = true;
        } else {
          await this.index.assignPending();
        }
        this.partitionSeconds = (performance.now() - started) / 1000;
      } catch (error) {
        this.partitionError = error;
      } finally {
        this.maintaining = false;
      }
    })();
  }

  /** Saves the partitioning to the store (after assigning any new vectors); false while there is none. */
  async savePartitions(): Promise<boolean> {
    await this.index.assignPending();
    const snapshot = this.index.partitionSnapshot();
    if (!snapshot) return false;
    await this.store.vectors.saveVectorPartitions(this.embedder.model, snapshot);
    return true;
  }

  private nearest(text: string, limit: number, options: Pick<SearchOptions, 'exact' | 'probes'>) {
    const probes = options.probes ?? this.options.probes;
    return nearestByMeaning(this.embedder, text, limit, {
      // A group's search keeps to the group's papers, which the index knows (`labelOf`): its hits carry the group.
      nearest: (vector, k, group) =>
        this.index
          .search(vector, k, {
            exact: options.exact ?? false,
            ...(probes && { probes }),
            ...(group !== undefined && { label: group }),
          })
          .map((hit) => (group === undefined ? hit : { ...hit, group })),
      vectorsOf: (ids) =>
        new Map(
          ids.flatMap((id) => {
            const vector = this.index.vectorOf(id);
            return vector ? [[id, vector] as const] : [];
          }),
        ),
    });
  }

  /** Papers nearest the text; `probes` (for benchmarks) overrides the partitions scanned. */
  search(text: string, limit: number, probes?: number) {
    return this.nearest(text, limit, { ...(probes && { probes }) });
  }

  /** For benchmarks: the same search, scanning every vector. */
  searchExact(text: string, limit: number) {
    return this.nearest(text, limit, { exact: true });
  }

  async similar(id: string, limit: number) {
    const key = `${limit} ${id}`;
    const known = this.similarCache.get(key);
    if (known) return known;
    const vector = this.index.vectorOf(id);
    if (!vector) return [];
    const nearest = this.index.search(vector, limit, {
      exclude: id,
      ...(this.options.probes && { probes: this.options.probes }),
    });
    this.similarCache.set(key, nearest);
    return nearest;
  }
}
