import { nearest, pauser, trainCentroids } from './centroids.ts';
import { decodeSnapshot, encodeSnapshot } from './partition-snapshot.ts';
import { PARTITION_DEFAULTS, type PartitionOptions, type Partitions, type Placement } from './partitions.ts';
import { TopK } from './top-k.ts';
import { VectorArena } from './vector-arena.ts';

/** A scored neighbour; score is the dot product (cosine for unit vectors). */
export interface Neighbour {
  id: string;
  score: number;
}

/**
 * Partitions scanned per search: 6.5% of them, at least 64. With bfloat16 vectors, on the 2.7M-paper corpus
 * (3,287 partitions, 164 probed) 5% found about 0.96 of the exact float32 top 10, 128 probes 0.95, 48 only 0.90.
 * Int8 vectors lose a little of it, which a third more probes win back at about the same cost: on the 80k shared
 * papers with the default clustered model, bfloat16 at 48 probes 0.927, int8 at 48 0.915, at 64 0.929
 * (bench:search, docs/benchmarks.md).
 */
const MIN_PROBES = 64;
const PROBED_SHARE = 0.065;
export interface SearchOptions {
  /** An id left out of the answer. */
  exclude?: string;
  /** Partitions scanned (default: 5% of them, at least 48). */
  probes?: number;
  /** Every vector scanned, partitions or not. */
  exact?: boolean;
  /** Only vectors of this label (see the index's `labelOf`). */
  label?: number;
}

export type { PartitionOptions } from './partitions.ts';

/** A position whose label has not been worked out yet. */
const UNKNOWN_LABEL = -1;

/**
 * Nearest-neighbour search over unit vectors, stored as int8 in WebAssembly memory and scored with SIMD.
 * Exact by default; after `buildPartitions()` (an inverted file: k-means centroids, each partition's vectors laid
 * out together) a search scans only the partitions nearest the query. The partitioning can be saved
 * (`partitionSnapshot`) and loaded (`VectorIndex.withPartitions`) so that a restart does not rebuild it; vectors
 * added later are scanned exactly until `assignPending()` puts them in their nearest partitions. Adding an id again
 * replaces its vector.
 */
export class VectorIndex {
  private readonly arena: VectorArena;
  private ids: Array<string | null> = [];
  /** The store's write sequence number of each position's vector (0 when not given). */
  private seqs = new Float64Array(1024);
  /** Each position's label (`labelOf` of its vector, worked out as it is added; UNKNOWN_LABEL without `labelOf`). */
  private labels = new Int32Array(1024).fill(UNKNOWN_LABEL);
  private readonly positions = new Map<string, number>();
  private partitions: Partitions | null = null;
  private placement: Placement | null = null;
  /** A build or an assignment is running. */
  private busy = false;

  /**
   * `labelOf` gives a vector's label (a clustered model's group), so that a search can keep to one label's vectors
   * (SearchOptions.label).
   */
  constructor(
    readonly dimensions: number,
    private readonly labelOf: ((vector: Float32Array) => number) | null = null,
  ) {
    this.arena = new VectorArena(dimensions, 'int8');
  }

  get size(): number {
    return this.positions.size;
  }

  get partitioned(): boolean {
    return this.partitions !== null;
  }

  /** Partitions and the vectors they were built from, or null when exact. */
  get partitionInfo(): { lists: number; basis: number; pending: number } | null {
    const partitions = this.partitions;
    if (!partitions) return null;
    const pending = this.arena.length - partitions.assignedEnd;
    return { lists: partitions.centroids.length, basis: partitions.basis, pending };
  }

  /** Bytes of vector memory held (vectors and centroids). */
  get memoryBytes(): number {
    return this.arena.bytes + (this.partitions?.centroids.bytes ?? 0);
  }

  add(id: string, vector: Float32Array, seq = 0): void {
    if (vector.length !== this.dimensions) {
      throw new Error(`vector of ${vector.length} dimensions, index has ${this.dimensions}`);
    }
    this.remove(id);
    const position = this.placed(seq) ?? this.arena.length;
    this.arena.write(position, vector);
    if (position >= this.seqs.length) {
      const grown = new Float64Array(Math.max(position + 1, this.seqs.length * 2));
      grown.set(this.seqs);
      this.seqs = grown;
    }
    this.seqs[position] = seq;
    this.growLabels(position + 1);
    // Worked out now, while the vector is at hand as float32: a search that waits for it pays for every vector it passes.
    this.labels[position] = this.labelOf ? this.labelOf(vector) : UNKNOWN_LABEL;
    this.ids[position] = id;
    this.positions.set(id, position);
  }

  private growLabels(length: number): void {
    if (length <= this.labels.length) return;
    const grown = new Int32Array(Math.max(length, this.labels.length * 2)).fill(UNKNOWN_LABEL);
    grown.set(this.labels);
    this.labels = grown;
  }

  /** The position a snapshot reserved for the vector of this seq, if any. */
  private placed(seq: number): number | undefined {
    const placement = this.placement;
    if (!placement) return undefined;
    while (placement.next < placement.seqs.length && (placement.seqs[placement.next] as number) < seq) {
      placement.next++;
    }
    if (placement.next === placement.seqs.length) this.placement = null;
    if (placement.seqs[placement.next] !== seq) return undefined;
    return placement.positions[placement.next++];
  }

  remove(id: string): void {
    const position = this.positions.get(id);
    if (position === undefined) return;
    this.positions.delete(id);
    this.ids[position] = null;
  }

  vectorOf(id: string): Float32Array | null {
    const position = this.positions.get(id);
    return position === undefined ? null : this.arena.read(position);
  }

  /**
   * The `k` best matches, best first; `exclude` is left out (a paper is not similar to itself). With partitions,
   * only the `probes` partitions nearest the query are scanned (and vectors not in one yet); `exact` scans all.
   */
  search(query: Float32Array, k: number, options: SearchOptions = {}): Neighbour[] {
    if (k <= 0) return [];
    const top = new TopK(k);
    const ids = this.ids;
    const skip = options.exclude === undefined ? -1 : (this.positions.get(options.exclude) ?? -1);
    const { label } = options;
    const visit = (position: number, score: number) => {
      if (score > top.floor && position !== skip && ids[position] != null)
        if (label === undefined || this.labels[position] === label) top.offer(position, score);
    };
    const partitions = options.exact ? null : this.partitions;
    const prepared = this.arena.prepare(query);
    if (!partitions) {
      this.arena.scan(prepared, 0, this.arena.length, visit);
    } else {
      const count = partitions.centroids.length;
      const probes = options.probes ?? Math.max(MIN_PROBES, Math.round(count * PROBED_SHARE));
      const lists = new TopK(Math.min(probes, count));
      partitions.centroids.scan(query, 0, partitions.centroids.length, (list, score) => {
        if (score > lists.floor) lists.offer(list, score);
      });
      for (const list of lists.positions) {
        const from = partitions.start[list] as number;
        this.arena.scan(prepared, from, (partitions.start[list + 1] as number) - from, visit);
        this.arena.scanPositions(prepared, partitions.extra[list] as number[], visit);
      }
      this.arena.scan(prepared, partitions.assignedEnd, this.arena.length - partitions.assignedEnd, visit);
    }
    return top.positions.map((position, i) => ({
      id: ids[position] as string,
      score: top.scores[i] as number,
    }));
  }

  /**
   * Builds the partitions: two-level spherical k-means on a sample, every vector to its nearest centroid, then the
   * vectors reordered so that each partition's lie together. Yields to the event loop while it works, so a server
   * keeps answering (exactly, or with the old partitions); the reordering at the end is synchronous.
   */
  async buildPartitions(options: PartitionOptions = {}): Promise<void> {
    if (this.busy) throw new Error('the vector index is already being partitioned');
    this.busy = true;
    try {
      const pause = pauser();
      const end = this.arena.length;
      const live: number[] = [];
      for (let position = 0; position < end; position++) if (this.ids[position] != null) live.push(position);
      if (live.length === 0) return;
      const lists = Math.max(
        1,
        Math.min(options.lists ?? Math.round(2 * Math.sqrt(live.length)), live.length),
      );
      const sampleSize = Math.min(live.length, options.sample ?? PARTITION_DEFAULTS.sample);
      const step = live.length / sampleSize;
      const vector = new Float32Array(this.dimensions);
      const centroids = await trainCentroids(
        (index) => this.arena.read(live[Math.floor(index * step)] as number, vector),
        sampleSize,
        lists,
        options.iterations ?? PARTITION_DEFAULTS.iterations,
        pause,
        options.assignAmong ?? PARTITION_DEFAULTS.assignAmong,
      );
      const listOf = new Int32Array(end).fill(-1);
      for (const position of live) {
        if (this.ids[position] != null)
          listOf[position] = centroids.assign(this.arena.read(position, vector));
        await pause();
      }
      this.lay(centroids.fine, listOf);
    } finally {
      this.busy = false;
    }
  }

  /** Reorders the vectors by partition (those added since `listOf` was made are assigned first). */
  private lay(centroids: VectorArena, given: Int32Array): void {
    const end = this.arena.length;
    const listOf = new Int32Array(end).fill(-1);
    listOf.set(given.subarray(0, end));
    const start = new Int32Array(centroids.length + 1);
    for (let position = 0; position < end; position++) {
      if (this.ids[position] == null) continue;
      if ((listOf[position] as number) < 0) {
        listOf[position] = nearest(centroids, this.arena.read(position)).position;
      }
      const list = listOf[position] as number;
      start[list + 1] = (start[list + 1] as number) + 1;
    }
    for (let list = 0; list < centroids.length; list++) {
      start[list + 1] = (start[list + 1] as number) + (start[list] as number);
    }
    const live = start[centroids.length] as number;
    const fill = start.slice(0, centroids.length);
    const destination = new Int32Array(end);
    let hole = live;
    for (let position = 0; position < end; position++) {
      const list = listOf[position] as number;
      destination[position] = this.ids[position] == null ? hole++ : (fill[list] as number)++;
    }
    if (this.seqs.length < end) this.seqs = Float64Array.from({ length: end }, (_, i) => this.seqs[i] ?? 0);
    this.growLabels(end);
    this.permute(destination);
    this.arena.length = live;
    this.ids.length = live;
    this.positions.clear();
    for (let position = 0; position < live; position++)
      this.positions.set(this.ids[position] as string, position);
    this.placement = null;
    this.partitions = {
      centroids,
      start,
      extra: Array.from({ length: centroids.length }, () => []),
      assignedEnd: live,
      basis: live,
    };
  }

  /** Moves what is at each position p to destination[p], in place (following the permutation's cycles). */
  private permute(destination: Int32Array): void {
    let carried = new Uint8Array(this.arena.recordBytes);
    let displaced = new Uint8Array(this.arena.recordBytes);
    const done = new Uint8Array(destination.length);
    for (let first = 0; first < destination.length; first++) {
      if (done[first] || destination[first] === first) continue;
      carried.set(this.arena.record(first));
      let carriedId = this.ids[first] ?? null;
      let carriedSeq = this.seqs[first] as number;
      let carriedLabel = this.labels[first] as number;
      let position = first;
      do {
        const target = destination[position] as number;
        const record = this.arena.record(target);
        displaced.set(record);
        record.set(carried);
        [carried, displaced] = [displaced, carried];
        const id = this.ids[target] ?? null;
        this.ids[target] = carriedId;
        carriedId = id;
        const seq = this.seqs[target] as number;
        this.seqs[target] = carriedSeq;
        carriedSeq = seq;
        const label = this.labels[target] as number;
        this.labels[target] = carriedLabel;
        carriedLabel = label;
        done[position] = 1;
        position = target;
      } while (position !== first);
    }
  }

  /** Puts vectors added since the partitions were made into their nearest partitions, yielding as it goes. */
  async assignPending(): Promise<void> {
    const partitions = this.partitions;
    if (!partitions || this.busy) return;
    this.busy = true;
    try {
      const pause = pauser();
      while (partitions.assignedEnd < this.arena.length && this.partitions === partitions) {
        const position = partitions.assignedEnd;
        if (this.ids[position] != null) {
          partitions.extra[nearest(partitions.centroids, this.arena.read(position)).position]?.push(position);
        }
        partitions.assignedEnd = position + 1;
        await pause();
      }
    } finally {
      this.busy = false;
    }
  }

  /**
   * The partitioning, compact, for `withPartitions`: centroids and each vector's partition by seq (the vectors
   * themselves stay in the store). Null without partitions or while some vectors are not assigned.
   */
  partitionSnapshot(): Buffer | null {
    const partitions = this.partitions;
    if (!partitions || partitions.assignedEnd < this.arena.length) return null;
    const lists = partitions.centroids.length;
    // seq · 2²¹ + partition sorts by seq as a plain float64 array (exact while seq < 2³²).
    const keys: number[] = [];
    const add = (position: number, list: number) => {
      if (this.ids[position] != null) keys.push((this.seqs[position] as number) * 2 ** 21 + list);
    };
    for (let list = 0; list < lists; list++) {
      for (let p = partitions.start[list] as number; p < (partitions.start[list + 1] as number); p++)
        add(p, list);
      for (const position of partitions.extra[list] as number[]) add(position, list);
    }
    const sorted = Float64Array.from(keys).sort();
    const seqs = Uint32Array.from(sorted, (key) => Math.floor(key / 2 ** 21));
    const partitionOf = lists > 65_536 ? new Uint32Array(sorted.length) : new Uint16Array(sorted.length);
    sorted.forEach((key, i) => {
      partitionOf[i] = key % 2 ** 21;
    });
    const centroids = new Float32Array(lists * this.dimensions);
    for (let list = 0; list < lists; list++) {
      centroids.set(partitions.centroids.read(list), list * this.dimensions);
    }
    return encodeSnapshot({ dimensions: this.dimensions, lists, centroids, seqs, partitionOf });
  }

  /**
   * An empty index laid out by a snapshot: add the vectors in seq order and each lands in its partition; vectors
   * the snapshot does not know are scanned exactly until `assignPending()`. Null if the snapshot does not fit.
   */
  static withPartitions(
    dimensions: number,
    snapshot: Buffer,
    labelOf: ((vector: Float32Array) => number) | null = null,
  ): VectorIndex | null {
    const decoded = decodeSnapshot(dimensions, snapshot);
    if (!decoded) return null;
    const { lists, vectors, centroids: centroidFloats, seqs, partitionOf } = decoded;

    const index = new VectorIndex(dimensions, labelOf);
    const centroids = new VectorArena(dimensions, 'float32');
    for (let list = 0; list < lists; list++) {
      centroids.push(centroidFloats.subarray(list * dimensions, (list + 1) * dimensions));
    }
    const start = new Int32Array(lists + 1);
    for (const list of partitionOf) start[list + 1] = (start[list + 1] as number) + 1;
    for (let list = 0; list < lists; list++)
      start[list + 1] = (start[list + 1] as number) + (start[list] as number);
    const fill = start.slice(0, lists);
    const positions = Int32Array.from(partitionOf, (list) => (fill[list] as number)++);
    index.arena.reserve(vectors);
    index.arena.length = vectors;
    index.ids = new Array(vectors).fill(null);
    index.seqs = new Float64Array(Math.max(1024, vectors));
    index.labels = new Int32Array(Math.max(1024, vectors)).fill(UNKNOWN_LABEL);
    index.placement = vectors > 0 ? { seqs, positions, next: 0 } : null;
    index.partitions = {
      centroids,
      start,
      extra: Array.from({ length: lists }, () => []),
      assignedEnd: vectors,
      basis: vectors,
    };
    return index;
  }
}
