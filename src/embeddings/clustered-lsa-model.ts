import type { Embedder, GroupedVectors, QueryVector } from './embedder.ts';
import { LsaModel, type LsaTraining, trainLsa } from './lsa-model.ts';
import { embedInSlices, readHeader, storedFormDigest, withHeader } from './model-format.ts';
import { nearestCentroids, sphericalKMeans } from './spherical-k-means.ts';
import type { TermTableFile } from './term-table-file.ts';
import { VectorGroups } from './vector-groups.ts';

/** Texts embedded between two turns of the event loop. */
const EMBED_SLICE = 50;
/** A query is looked for in this many of its likeliest clusters (a short text's nearest is often not its paper's). */
const QUERY_CLUSTERS = 3;

export interface ClusteredTraining extends LsaTraining {
  /** Dimensions of the model of the whole collection that picks a paper's cluster. */
  globalDimensions: number;
  /** About this many papers a cluster: a collection up to 1.5 times as large gets one model only. */
  papersPerCluster: number;
  /** How much the cluster's own model counts beside the whole collection's (0 to 1). */
  localWeight: number;
}

export const DEFAULT_CLUSTERED: Omit<ClusteredTraining, keyof LsaTraining> = {
  globalDimensions: 128,
  papersPerCluster: 5_000,
  localWeight: 0.8,
};

/**
 * LSA for a collection of many fields: a model of the whole collection places a text in its cluster (spherical
 * k-means over that model's vectors), and a model trained on that cluster's papers alone describes it in detail.
 * A text's vector is both, weighted: papers of one field compare by their field's own model, papers of different
 * fields by the whole collection's. A single model of a mixed collection spends its dimensions on the largest
 * fields, and papers of a small one all look alike.
 */
export class ClusteredLsaModel implements Embedder, GroupedVectors {
  readonly model: string;
  readonly grouped: GroupedVectors = this;
  readonly dimensions: number;
  private readonly localDimensions: number;
  private readonly groups: VectorGroups;

  constructor(
    readonly global: LsaModel,
    /** clusters × global.dimensions, unit rows. */
    readonly centroids: Float32Array,
    readonly locals: LsaModel[],
    readonly localWeight: number,
    model?: string,
    readonly quality?: number,
  ) {
    this.groups = new VectorGroups(centroids, global.dimensions);
    this.localDimensions = Math.max(...locals.map((local) => local.dimensions));
    this.dimensions = global.dimensions + this.localDimensions;
    this.model = model ?? `clsa-${this.dimensions}-${storedFormDigest(this.storedForm())}`;
  }

  embedOne(text: string): Float32Array {
    const global = this.global.embedOne(text);
    return this.inCluster(global, this.groups.groupOf(global), text);
  }

  /**
   * The query as each of its likeliest clusters' model sees it: two clusters' models describe papers in unrelated
   * coordinates, so a query placed in the wrong cluster would score its own paper by noise.
   */
  queryVectors(text: string): QueryVector[] {
    const global = this.global.embedOne(text);
    return nearestCentroids(this.centroids, this.global.dimensions, global, QUERY_CLUSTERS).map(
      (cluster) => ({
        vector: this.inCluster(global, cluster, text),
        group: cluster,
      }),
    );
  }

  groupOf(paper: Float32Array): number {
    return this.groups.groupOf(paper);
  }

  /** The vector of a text placed in `cluster`: the global vector and the cluster model's, weighted. */
  private inCluster(global: Float32Array, cluster: number, text: string): Float32Array {
    const local = this.locals[cluster]?.embedOne(text) ?? new Float32Array(0);
    const hasLocal = local.some((x) => x !== 0);
    const [globalScale, localScale] = hasLocal
      ? [Math.sqrt(1 - this.localWeight), Math.sqrt(this.localWeight)]
      : [1, 0];
    const vector = new Float32Array(this.dimensions);
    for (let d = 0; d < global.length; d++) vector[d] = (global[d] as number) * globalScale;
    for (let d = 0; d < local.length; d++) vector[global.length + d] = (local[d] as number) * localScale;
    return vector;
  }

  /** The same model (and id) with its measured quality, which is stored with it. */
  withQuality(quality: number): ClusteredLsaModel {
    return new ClusteredLsaModel(
      this.global,
      this.centroids,
      this.locals,
      this.localWeight,
      this.model,
      quality,
    );
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    return embedInSlices(texts, EMBED_SLICE, (text) => this.embedOne(text));
  }

  /** The stored form in one buffer (see `storedForm`). */
  serialize(): Buffer {
    return Buffer.concat(this.storedForm());
  }

  /** [header length: uint32][header JSON][centroids float32][global model][each cluster's model], in pieces. */
  storedForm(): Buffer[] {
    const parts = [this.global, ...this.locals].map((part) => part.storedForm());
    const centroids = Buffer.from(
      this.centroids.buffer,
      this.centroids.byteOffset,
      this.centroids.byteLength,
    );
    return withHeader(
      {
        kind: 'clustered-lsa',
        localWeight: this.localWeight,
        clusters: this.locals.length,
        globalDimensions: this.global.dimensions,
        parts: parts.map((pieces) => pieces.reduce((sum, piece) => sum + piece.length, 0)),
        ...(this.quality !== undefined && { quality: this.quality }),
      },
      centroids,
      ...parts.flat(),
    );
  }

  /** The stored model; its parts' 4-bit term tables moved to `file` one by one if given (see FileInt4TermTable). */
  static deserialize(data: Buffer, model?: string, file?: TermTableFile): ClusteredLsaModel {
    const { header, bodyStart } = readHeader<{
      kind: string;
      localWeight: number;
      clusters: number;
      globalDimensions: number;
      parts: number[];
      quality?: number;
    }>(data);
    if (header.kind !== 'clustered-lsa') throw new Error(`not a clustered LSA model: ${header.kind}`);
    let offset = bodyStart;
    const next = (length: number) => data.subarray(offset, (offset += length));
    const centroids = new Float32Array(header.clusters * header.globalDimensions);
    Buffer.from(centroids.buffer).set(next(centroids.byteLength));
    const [global, ...locals] = header.parts.map((length) =>
      LsaModel.deserialize(next(length), undefined, file),
    );
    if (!global || locals.length !== header.clusters)
      throw new Error('a clustered LSA model without its parts');
    return new ClusteredLsaModel(global, centroids, locals, header.localWeight, model, header.quality);
  }
}

/**
 * Where a training run keeps its finished parts (the whole collection's model and each cluster's), so that a run
 * stopped halfway resumes where it was: a clustered model of a large site takes many minutes to train.
 */
export interface TrainingParts {
  /** Parts an earlier, interrupted run of the same training saved, by part number. */
  saved: Map<number, Buffer>;
  save(part: number, data: Buffer): Promise<void>;
}

/** The part number of the whole collection's model; a cluster's model is its cluster's number. */
const GLOBAL_PART = -1;

/**
 * Trains a clustered model when the collection is large enough for two clusters or more, else one LSA model of
 * `dimensions` (deterministic, like trainLsa, so that saved `parts` of an interrupted run fit a new one).
 */
export async function trainClusteredLsa(
  texts: string[],
  options: ClusteredTraining,
  parts?: TrainingParts,
): Promise<LsaModel | ClusteredLsaModel> {
  const clusters = Math.round(texts.length / options.papersPerCluster);
  if (clusters < 2) return trainLsa(texts, options);
  const progress = options.onProgress ?? (() => {});
  if (parts && parts.saved.size > 0) progress(`resuming: ${parts.saved.size} parts saved by an earlier run`);
  const trained = async (part: number, train: () => LsaModel): Promise<LsaModel> => {
    const saved = parts?.saved.get(part);
    if (saved) return LsaModel.deserialize(saved);
    const model = train();
    await parts?.save(part, model.serialize());
    return model;
  };
  const global = await trained(GLOBAL_PART, () =>
    trainLsa(texts, { ...options, dimensions: options.globalDimensions }),
  );
  const k = global.dimensions;
  const vectors = new Float32Array(texts.length * k);
  texts.forEach((text, i) => vectors.set(global.embedOne(text), i * k));
  const { centroids, assignment } = sphericalKMeans(vectors, k, clusters);
  progress(`${clusters} clusters`);
  const locals: LsaModel[] = [];
  for (let cluster = 0; cluster < clusters; cluster++) {
    const local = await trained(cluster, () =>
      trainLsa(
        texts.filter((_, i) => assignment[i] === cluster),
        { ...options, onProgress: () => {} },
      ),
    );
    progress(`cluster ${cluster + 1} of ${clusters}: ${local.trainedOn} papers`);
    locals.push(local);
  }
  return new ClusteredLsaModel(global, centroids, locals, options.localWeight);
}
