import type { Follow, FollowKind } from '../domain/follows.ts';
import type { Collection, CollectionVisibility, TagSummary } from '../domain/library.ts';

/** Rows of the personal tables as both engines return them (same column names). */
export interface FollowRow {
  id: number;
  kind: string;
  target: string;
  label: string;
  created_at: string;
}

export const toFollow = (row: FollowRow): Follow => ({
  id: Number(row.id),
  kind: row.kind as FollowKind,
  target: row.target,
  label: row.label,
  createdAt: row.created_at,
});

export interface CollectionRow {
  member_id: number;
  owner: string;
  tag: string;
  slug: string;
  title: string;
  description: string;
  visibility: string;
  created_at: string;
  updated_at: string;
}

export const toCollection = (row: CollectionRow): Collection => ({
  memberId: Number(row.member_id),
  owner: row.owner,
  tag: row.tag,
  slug: row.slug,
  title: row.title,
  description: row.description,
  visibility: row.visibility as CollectionVisibility,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export interface SaveRow {
  paper_id: string;
  tags: string;
  saved_at: string;
}

/** Tags travel joined by a character no tag may hold (see domain/library.ts). */
export const TAG_SEPARATOR = '\u001f';

export const toSavedPaper = (row: SaveRow) => ({
  paperId: row.paper_id,
  tags: row.tags.split(TAG_SEPARATOR).sort(),
  savedAt: row.saved_at,
});

export const COLLECTION_COLUMNS =
  'c.member_id, u.username AS owner, c.tag, c.slug, c.title, c.description, c.visibility, c.created_at, c.updated_at';

/** Tag rows (paper, tag) as each paper's tags. */
export function groupTags(rows: Array<{ paper_id: string; tag: string }>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const row of rows) found.set(row.paper_id, [...(found.get(row.paper_id) ?? []), row.tag]);
  return found;
}

/** Tag counts joined with the member's collections. */
export function tagSummaries(
  counts: Array<{ tag: string; papers: number | string }>,
  collections: Collection[],
): TagSummary[] {
  const byTag = new Map(collections.map((collection) => [collection.tag, collection]));
  return counts.map(({ tag, papers }) => ({
    tag,
    papers: Number(papers),
    collection: byTag.get(tag) ?? null,
  }));
}

/** The library's tables, each with a member_id: what forgetting a member deletes. */
export const LIBRARY_TABLES = [
  'library_tags',
  'collections',
  'not_interested',
  'personal_feed_tokens',
] as const;
