/** A member's library: saving papers under tags, collections, and "not interested". */
import {
  type Collection,
  type CollectionVisibility,
  DEFAULT_TAG,
  MAX_COLLECTION_DESCRIPTION,
  MAX_COLLECTION_TITLE,
  MAX_TAG_LENGTH,
  MAX_TAGS_PER_SAVE,
  normalizeTag,
  parseTags,
  type SavedPaper,
  slugFor,
  slugProblem,
  tagProblem,
} from '../domain/library.ts';
import type { Member } from '../domain/member.ts';
import { collapseSpaces } from '../domain/paper-text.ts';
import { DuplicateSlugError } from '../store/library.ts';
import { NotFoundError, type Store } from '../store/store.ts';
import { FormError } from './accounts.ts';
import { HiddenPaperError } from './engagement.ts';
import { cleanText } from './personal-input.ts';

/** Longest tag list accepted as typed, before it is split. */
const MAX_TAGS_INPUT = MAX_TAGS_PER_SAVE * (MAX_TAG_LENGTH + 2);

async function visiblePaper(store: Store, paperId: string): Promise<void> {
  const paper = await store.papers.getPaper(paperId);
  if (!paper) throw new NotFoundError(`paper ${paperId}`);
  if (paper.hidden) throw new HiddenPaperError(paperId);
}

/** Tags as typed ("rl, to read") or as a list; FormError (field `tags`) for a bad one. */
export function readTags(input: unknown): string[] {
  const parts = Array.isArray(input) ? input : [input ?? ''];
  if (!parts.every((part) => typeof part === 'string')) throw new FormError({ tags: 'send tags as text' });
  const raw = cleanText('tags', (parts as string[]).join(','), MAX_TAGS_INPUT);
  const tags = parseTags(raw);
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem) throw new FormError({ tags: `“${tag.slice(0, MAX_TAG_LENGTH)}”: ${problem}` });
  }
  if (tags.length > MAX_TAGS_PER_SAVE)
    throw new FormError({ tags: `at most ${MAX_TAGS_PER_SAVE} tags a paper` });
  return tags;
}

/** One tag, e.g. from a URL or a form: FormError when it could never exist. */
export function readTag(input: unknown): string {
  const tag = normalizeTag(cleanText('tag', input, MAX_TAG_LENGTH, { required: true }));
  const problem = tagProblem(tag);
  if (problem) throw new FormError({ tag: problem });
  return tag;
}

/** Saves a visible paper with these tags added (the default tag when none is given). */
export async function savePaper(
  store: Store,
  member: Member,
  paperId: string,
  tagsInput: unknown,
  now = new Date(),
): Promise<SavedPaper> {
  const tags = readTags(tagsInput);
  await visiblePaper(store, paperId);
  return store.library.save(member.id, paperId, tags.length > 0 ? tags : [DEFAULT_TAG], now.toISOString());
}

export async function untagPaper(store: Store, member: Member, paperId: string, tag: unknown): Promise<void> {
  if (!(await store.library.untag(member.id, paperId, readTag(tag))))
    throw new NotFoundError('that tag on that paper');
}

export async function unsavePaper(store: Store, member: Member, paperId: string): Promise<void> {
  if (!(await store.library.remove(member.id, paperId))) throw new NotFoundError('saved paper');
}

export interface CollectionInput {
  tag: unknown;
  slug?: unknown;
  title?: unknown;
  description?: unknown;
  visibility: CollectionVisibility;
}

/** Publishes (or makes private, or edits) the collection of one of the member's tags. */
export async function setCollection(
  store: Store,
  member: Member,
  input: CollectionInput,
  now = new Date(),
): Promise<Collection> {
  const tag = readTag(input.tag);
  const title = cleanText('title', input.title, MAX_COLLECTION_TITLE) || tag;
  const description = typeof input.description === 'string' ? input.description.trim() : '';
  if (input.description !== undefined && typeof input.description !== 'string')
    throw new FormError({ description: 'send text' });
  if (description.length > MAX_COLLECTION_DESCRIPTION)
    throw new FormError({ description: `at most ${MAX_COLLECTION_DESCRIPTION} characters` });
  const slug = cleanText('slug', input.slug, 200) || slugFor(tag);
  const problem = slugProblem(slug);
  if (problem) throw new FormError({ slug: problem });
  try {
    const text = {
      slug,
      title,
      description: cleanText('description', collapseSpaces(description), MAX_COLLECTION_DESCRIPTION),
    };
    return await store.library.setCollection(
      member.id,
      { tag, ...text, visibility: input.visibility },
      now.toISOString(),
    );
  } catch (error) {
    if (error instanceof DuplicateSlugError) throw new FormError({ slug: error.message });
    throw error;
  }
}

/** A collection as a visitor may see it: public ones, and the owner's own private ones. */
export async function viewCollection(
  store: Store,
  viewer: Member | null,
  owner: string,
  slug: string,
): Promise<Collection> {
  const collection = await store.library.findCollection(owner, slug);
  if (!collection || (collection.visibility !== 'public' && collection.memberId !== viewer?.id))
    throw new NotFoundError('collection');
  return collection;
}

export async function setNotInterested(
  store: Store,
  member: Member,
  paperId: string,
  notInterested: boolean,
  now = new Date(),
): Promise<void> {
  if (notInterested) await store.library.markNotInterested(member.id, paperId, now.toISOString());
  else await store.library.unmarkNotInterested(member.id, paperId);
}

/** A member's personal layer for their data download: follows, saves with tags, collections, marks. */
export async function exportPersonalData(store: Store, memberId: number) {
  const [follows, saves, collections, notInterested] = await Promise.all([
    store.follows.list(memberId),
    store.library.list(memberId, { limit: 1_000_000, offset: 0 }),
    store.library.collections(memberId),
    store.library.notInterested(memberId, 1_000_000),
  ]);
  return { follows, saves, collections, notInterested };
}
