import { nearestCentroid } from './spherical-k-means.ts';

/** Bytes of a stored model's header a reader accepts: a header is some hundred bytes of JSON. */
const MAX_HEADER_BYTES = 1 << 20;

/**
 * How a clustered model's vectors fall into groups that compare only among themselves: a vector belongs to the
 * centroid nearest its first `dimensions` values (the whole collection's model's part of it).
 */
export class VectorGroups {
  constructor(
    /** count × dimensions, unit rows. */
    readonly centroids: Float32Array,
    readonly dimensions: number,
  ) {}

  get count(): number {
    return this.centroids.length / this.dimensions;
  }

  groupOf(vector: Float32Array): number {
    return nearestCentroid(this.centroids, this.dimensions, vector);
  }

  /**
   * The groups of a stored model (ClusteredLsaModel's stored form: header length, header, then the centroids),
   * read a slice at a time so that a model of hundreds of MB is not fetched whole; null for a model of one group
   * or a stored form that is none of ours.
   */
  static async ofStoredModel(
    read: (start: number, length: number) => Promise<Buffer | null>,
  ): Promise<VectorGroups | null> {
    const length = await read(0, 4);
    if (!length || length.length < 4) return null;
    const headerLength = length.readUInt32LE(0);
    if (headerLength > MAX_HEADER_BYTES) return null;
    const header = parseHeader(await read(4, headerLength));
    if (!header) return null;
    const bytes = header.clusters * header.globalDimensions * 4;
    const body = await read(4 + headerLength, bytes);
    if (!body || body.length !== bytes) return null;
    const centroids = new Float32Array(bytes / 4);
    Buffer.from(centroids.buffer).set(body);
    return new VectorGroups(centroids, header.globalDimensions);
  }
}

function parseHeader(bytes: Buffer | null): { clusters: number; globalDimensions: number } | null {
  try {
    const header = bytes && (JSON.parse(bytes.toString()) as Record<string, unknown>);
    const { kind, clusters, globalDimensions } = header ?? {};
    const counted = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;
    return kind === 'clustered-lsa' && counted(clusters) && counted(globalDimensions)
      ? { clusters, globalDimensions }
      : null;
  } catch {
    return null;
  }
}
