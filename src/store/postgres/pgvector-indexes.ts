import type pg from 'pg';
import type { VectorIndexProgress } from '../vectors.ts';
import { transactionOn } from './transaction.ts';

const INDEX_PREFIX = 'paper_embeddings_cosine_';
const INDEX_NAME = /^paper_embeddings_cosine_(\d+)(?:_g(\d+))?$/;
/** pgvector's limit: an HNSW index holds vectors of up to 2,000 dimensions. */
export const MAX_INDEXED_DIMENSIONS = 2_000;
/** Groups a model may have: `grp` is a smallint, and each group is an index of its own. */
export const MAX_GROUPS = 1_000;

/**
 * The HNSW indexes of `paper_embeddings`: one over every vector of the site's model, or, for a model whose vectors
 * compare only within groups (a clustered model's clusters), one partial index per group (`WHERE grp = g`): a
 * query looked for in its group walks a graph of that group's papers only, and finds no paper of another.
 */
export interface IndexLayout {
  dimensions: number;
  /** The number of groups, or null for one index over every vector. */
  groups: number | null;
}

/** The indexes `paper_embeddings` has: a layout, and which of its groups have their index (a build may be halfway). */
export interface PresentLayout extends IndexLayout {
  indexed: ReadonlySet<number>;
}

/** The layout for vectors of `dimensions` of a model with these groups (none: one index). */
export const layoutOf = (dimensions: number, groups: { count: number } | null): IndexLayout => ({
  dimensions,
  groups: groups?.count ?? null,
});

export const isDimension = (value: number) =>
  Number.isInteger(value) && value >= 1 && value <= MAX_INDEXED_DIMENSIONS;

export function checkDimension(dimensions: number): void {
  if (!isDimension(dimensions)) {
    throw new RangeError(
      `pgvector indexes vectors of 1 to ${MAX_INDEXED_DIMENSIONS} dimensions, not ${dimensions}`,
    );
  }
}

const indexName = (dimensions: number, group: number | null) =>
  `${INDEX_PREFIX}${dimensions}${group === null ? '' : `_g${group}`}`;

/** The groups of a layout, one index each, or [null] for its single index. */
export const layoutGroups = (layout: IndexLayout) =>
  layout.groups === null ? [null] : Array.from({ length: layout.groups }, (_, group) => group);

/** The index layout `paper_embeddings` has, from its indexes' names, or null when it has none. */
export async function currentLayout(client: pg.ClientBase | pg.Pool): Promise<PresentLayout | null> {
  const names = await indexNames(client);
  const parsed = names.map((name) => INDEX_NAME.exec(name)).filter((match) => match !== null);
  const first = parsed[0];
  if (!first) return null;
  const indexed = new Set(parsed.flatMap((match) => (match[2] === undefined ? [] : [Number(match[2])])));
  return { dimensions: Number(first[1]), groups: indexed.size > 0 ? indexed.size : null, indexed };
}

async function indexNames(client: pg.ClientBase | pg.Pool): Promise<string[]> {
  const result = await client.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE tablename = 'paper_embeddings' AND indexname LIKE $1`,
    [`${INDEX_PREFIX}%`],
  );
  return result.rows.map((row) => row.indexname);
}

/**
 * Drops every index and the rows that do not fit `layout`: vectors of another dimension (an older model's), and,
 * for a layout of groups, vectors written without their group (they are copied in again at the next start).
 */
export async function dropIndexes(client: pg.ClientBase, layout: IndexLayout): Promise<void> {
  await dropEveryIndex(client);
  await client.query(
    `DELETE FROM paper_embeddings WHERE vector_dims(embedding) <> ${layout.dimensions}
     ${layout.groups === null ? '' : `OR grp IS NULL OR grp >= ${layout.groups}`}`,
  );
}

export async function dropEveryIndex(client: pg.ClientBase): Promise<void> {
  for (const name of await indexNames(client)) await client.query(`DROP INDEX ${name}`);
}

/**
 * Makes the indexes `layout`'s: the missing ones when those there are some of them (a build stopped halfway),
 * else all of them anew.
 */
export async function ensureIndexes(client: pg.ClientBase, layout: IndexLayout): Promise<void> {
  checkDimension(layout.dimensions);
  let existing = await indexNames(client);
  if (!isPartOf(existing, layout)) {
    await dropIndexes(client, layout);
    existing = [];
  }
  for (const group of missingFrom(existing, layout)) await createIndex(client, layout.dimensions, group);
}

/** Whether there are indexes, all of them `layout`'s (some may be missing). */
const isPartOf = (existing: string[], layout: IndexLayout) => {
  const wanted = new Set(layoutGroups(layout).map((group) => indexName(layout.dimensions, group)));
  return existing.length > 0 && existing.every((name) => wanted.has(name));
};

/** The groups of `layout` (or [null], its one index) without an index among `existing`. */
const missingFrom = (existing: string[], layout: IndexLayout) =>
  layoutGroups(layout).filter((group) => !existing.includes(indexName(layout.dimensions, group)));

/** Whether `paper_embeddings` has indexes, all of them `layout`'s (some may be missing). */
export async function holdsPartOf(client: pg.ClientBase, layout: IndexLayout): Promise<boolean> {
  return isPartOf(await indexNames(client), layout);
}

export function createIndex(
  client: pg.ClientBase,
  dimensions: number,
  group: number | null,
): Promise<unknown> {
  return client.query(
    `CREATE INDEX ${indexName(dimensions, group)} ON paper_embeddings
     USING hnsw ((embedding::vector(${dimensions})) vector_cosine_ops)
     ${group === null ? '' : `WHERE grp = ${group}`}`,
  );
}

/**
 * Memory an HNSW graph of `rows` vectors takes while pgvector builds it (the vector and about 700 bytes of
 * neighbour lists and bookkeeping per element at the default m = 16), with a margin. A graph that outgrows
 * maintenance_work_mem is finished on disk, many times slower.
 */
export const hnswBuildBytes = (rows: number, dimensions: number) =>
  Math.ceil(rows * (4 * dimensions + 8 + 700) * 1.15) + 64 * 2 ** 20;

/** Rows of each group of the layout (one entry for a layout without groups), in group order. */
export async function rowsByGroup(client: pg.ClientBase, layout: IndexLayout): Promise<number[]> {
  if (layout.groups === null) {
    const all = await client.query<{ rows: string }>('SELECT count(*) AS rows FROM paper_embeddings');
    return [Number(all.rows[0]?.rows ?? 0)];
  }
  const counts = await client.query<{ grp: number; rows: string }>(
    'SELECT grp, count(*) AS rows FROM paper_embeddings WHERE grp IS NOT NULL GROUP BY grp',
  );
  const rows = new Array<number>(layout.groups).fill(0);
  for (const row of counts.rows) if (row.grp < layout.groups) rows[row.grp] = Number(row.rows);
  return rows;
}

/** Polls pg_stat_progress_create_index from another connection while the indexes are built. */
export function watchIndexBuild(
  pool: pg.Pool,
  built: () => number,
  total: number,
  onProgress: NonNullable<VectorIndexProgress['onProgress']>,
): { stop(): Promise<void> } {
  let polling: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    polling = polling.then(async () => {
      const progress = await pool
        .query<{ tuples_done: string }>(
          `SELECT tuples_done FROM pg_stat_progress_create_index WHERE relid = 'paper_embeddings'::regclass`,
        )
        .catch(() => null);
      const done = built() + Number(progress?.rows[0]?.tuples_done ?? 0);
      if (done > 0) onProgress('building the HNSW index', Math.min(done, total), total);
    });
  }, 2_000);
  return {
    async stop() {
      clearInterval(timer);
      await polling;
    },
  };
}

/**
 * Builds `layout`'s missing indexes on a filled table, each in a transaction of its own so that a build stopped
 * halfway keeps the ones it finished (the next start builds the rest), with room for the largest graph
 * (maintenance_work_mem raised for each transaction only, never lowered) and the server's parallel maintenance
 * workers, reporting progress. `client` holds the vector write lock; `pool` watches the build.
 */
export async function buildMissingIndexes(
  pool: pg.Pool,
  client: pg.ClientBase,
  layout: IndexLayout,
  fill: VectorIndexProgress,
): Promise<void> {
  const missing = missingFrom(await indexNames(client), layout);
  if (missing.length === 0) return;
  const byGroup = await rowsByGroup(client, layout);
  const rows = (group: number | null) => byGroup[group ?? 0] ?? 0;
  const total = missing.reduce<number>((sum, group) => sum + rows(group), 0);
  const settings = await client.query<{ memory: string; workers: string }>(
    `SELECT pg_size_bytes(current_setting('maintenance_work_mem')) AS memory,
       current_setting('max_parallel_maintenance_workers') AS workers`,
  );
  const largest = Math.max(0, ...missing.map(rows));
  const memoryMb = Math.ceil(
    Math.max(Number(settings.rows[0]?.memory ?? 0), hnswBuildBytes(largest, layout.dimensions)) / 2 ** 20,
  );
  const all = layoutGroups(layout).length;
  fill.onProgress?.('building the HNSW index', 0, total);
  fill.onNote?.(
    `building the HNSW index of ${total.toLocaleString('en-US')} vectors: maintenance_work_mem ${memoryMb.toLocaleString('en-US')} MB, up to ${settings.rows[0]?.workers ?? '?'} parallel maintenance workers${layout.groups === null ? '' : `, one index for each of ${layout.groups} groups`}${missing.length < all ? ` (${all - missing.length} built before, ${missing.length} left)` : ''}`,
  );
  const onNotice = (notice: { message?: string; detail?: string }) =>
    fill.onNote?.([notice.message, notice.detail].filter(Boolean).join(' '));
  client.on('notice', onNotice);
  let built = 0;
  const watching = fill.onProgress && watchIndexBuild(pool, () => built, total, fill.onProgress);
  try {
    for (const group of missing) {
      await transactionOn(client, async () => {
        await client.query(`SELECT set_config('maintenance_work_mem', $1, true)`, [`${memoryMb}MB`]);
        await createIndex(client, layout.dimensions, group);
      });
      built += rows(group);
      fill.onProgress?.('building the HNSW index', built, total);
    }
  } finally {
    client.off('notice', onNotice);
    await watching?.stop();
  }
}
