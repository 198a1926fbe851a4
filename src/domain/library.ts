/** A member's library: papers saved under private tags, and tags published as collections. */

import { collapseSpaces } from './paper-text.ts';

export const MAX_TAG_LENGTH = 40;
export const MAX_TAGS_PER_SAVE = 10;
export const MAX_SLUG_LENGTH = 60;
export const MAX_COLLECTION_TITLE = 120;
export const MAX_COLLECTION_DESCRIPTION = 2000;
/** The tag of a save made without naming one. */
export const DEFAULT_TAG = 'saved';

export type CollectionVisibility = 'public' | 'private';

/** A tag published (or once published, now private) as a collection. */
export interface Collection {
  memberId: number;
  /** The owner's username, for links. */
  owner: string;
  tag: string;
  slug: string;
  title: string;
  description: string;
  visibility: CollectionVisibility;
  createdAt: string;
  updatedAt: string;
}

/** A saved paper and the tags it carries. */
export interface SavedPaper {
  paperId: string;
  tags: string[];
  /** When it was first saved (ISO). */
  savedAt: string;
}

/** Where a collection's public page is. */
export const collectionPath = (collection: Pick<Collection, 'owner' | 'slug'>) =>
  `/collections/${encodeURIComponent(collection.owner)}/${collection.slug}`;

export interface TagSummary {
  tag: string;
  papers: number;
  collection: Collection | null;
}

const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _.+#-]*$/u;

/** A tag as stored: trimmed, inner spaces collapsed, lower-cased so "RL" and "rl" are one tag. */
export function normalizeTag(raw: string): string {
  return collapseSpaces(raw.trim()).toLowerCase();
}

/** Why a (normalized) tag is refused, or null. */
export function tagProblem(tag: string): string | null {
  if (!tag) return 'name the tag';
  if (tag.length > MAX_TAG_LENGTH) return `a tag has at most ${MAX_TAG_LENGTH} characters`;
  if (!TAG.test(tag))
    return 'a tag starts with a letter or digit and holds letters, digits, spaces and _ . + # -';
  return null;
}

/** Tags typed separated by commas (or sent as a list): normalized, blanks and repeats dropped. */
export function parseTags(input: string | string[]): string[] {
  const parts = (Array.isArray(input) ? input : [input]).flatMap((value) => value.split(','));
  return [...new Set(parts.map(normalizeTag).filter((tag) => tag.length > 0))];
}

/** A URL slug made from a tag: lower-case ASCII letters, digits and dashes. */
export function slugFor(tag: string): string {
  const slug = tag
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug || 'collection';
}

export function slugProblem(slug: string): string | null {
  if (!slug) return 'give the collection an address';
  if (slug.length > MAX_SLUG_LENGTH) return `at most ${MAX_SLUG_LENGTH} characters`;
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) return 'lower-case letters, digits and single dashes only';
  return null;
}
