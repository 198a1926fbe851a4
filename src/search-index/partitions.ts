import type { VectorArena } from './vector-arena.ts';

/** How the vector index's inverted file is built and laid out (see VectorIndex). */
export interface PartitionOptions {
  /** Number of partitions (k-means clusters); default about 2·√n. */
  lists?: number;
  /** Vectors used to find the centroids. */
  sample?: number;
  iterations?: number;
  /** A vector is assigned among the partitions of this many nearest coarse clusters. */
  assignAmong?: number;
}

export const PARTITION_DEFAULTS: Required<Omit<PartitionOptions, 'lists'>> = {
  /** Enough for stable centroids, few enough to train in a minute. */
  sample: 200_000,
  iterations: 8,
  /** As good as comparing all centroids, 6× faster. */
  assignAmong: 6,
};

export interface Partitions {
  centroids: VectorArena;
  /** Positions start[l] … start[l + 1] - 1 are partition l's (laid out at build or load). */
  start: Int32Array;
  /** Positions added since, by partition. */
  extra: number[][];
  /** Positions from here on are not in a partition yet and are scanned by every search. */
  assignedEnd: number;
  /** Vectors when built: the number a snapshot records. */
  basis: number;
}

/** Where the vectors of a snapshot go while they are loaded (in seq order). */
export interface Placement {
  seqs: Uint32Array;
  positions: Int32Array;
  next: number;
}
