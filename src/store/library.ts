import type { Collection, CollectionVisibility, SavedPaper, TagSummary } from '../domain/library.ts';
import type { DigestFrequency } from '../domain/subscription.ts';

export interface CollectionText {
  slug: string;
  title: string;
  description: string;
}

/** What a member sets of the collection of one of their tags. */
export interface CollectionSetting extends CollectionText {
  tag: string;
  visibility: CollectionVisibility;
}

/** A page of saves, all or those with `tag`. */
export interface SaveListOptions {
  tag?: string;
  limit: number;
  offset: number;
}

/** Thrown when a member already has a collection at that slug (for another tag). */
export class DuplicateSlugError extends Error {
  constructor(readonly slug: string) {
    super(`you already have a collection at “${slug}”`);
    this.name = 'DuplicateSlugError';
  }
}

/** A member's library: saves under tags, collections made of tags, and "not interested" marks. */
export interface LibraryRepository {
  /** Adds tags to a paper's save (saving it when new); NotFoundError for an unknown paper. */
  save(memberId: number, paperId: string, tags: string[], now: string): Promise<SavedPaper>;
  /** Takes a tag off; the save goes when its last tag does. False when the paper had no such tag. */
  untag(memberId: number, paperId: string, tag: string): Promise<boolean>;
  /** Removes a save and all its tags; false when the paper was not saved. */
  remove(memberId: number, paperId: string): Promise<boolean>;
  /** The tags of those of `paperIds` the member saved. */
  tagsOf(memberId: number, paperIds: string[]): Promise<Map<string, string[]>>;
  /** Saves, newest first, all or those with `tag`. */
  list(memberId: number, options: SaveListOptions): Promise<SavedPaper[]>;
  countSaves(memberId: number, tag?: string): Promise<number>;
  /** Every tag with its count of papers and its collection, by name. */
  tags(memberId: number): Promise<TagSummary[]>;

  /**
   * Makes (or updates) the collection of a tag the member uses; DuplicateSlugError when another of their tags
   * has the slug, NotFoundError when no saved paper carries the tag.
   */
  setCollection(memberId: number, collection: CollectionSetting, now: string): Promise<Collection>;
  /** By owner's username (case-insensitive) and slug, whatever its visibility. */
  findCollection(owner: string, slug: string): Promise<Collection | null>;
  /** A member's collections, public and private, by title. */
  collections(memberId: number): Promise<Collection[]>;

  /** Marks a paper "not interested" (again: keeps the first time); NotFoundError for an unknown paper. */
  markNotInterested(memberId: number, paperId: string, now: string): Promise<void>;
  unmarkNotInterested(memberId: number, paperId: string): Promise<boolean>;
  /** Newest first. */
  notInterested(memberId: number, limit: number): Promise<Array<{ paperId: string; at: string }>>;

  /** The random part the member's private feed token is signed from, or null when they have none. */
  feedTokenNonce(memberId: number): Promise<string | null>;
  /** Replaces it, so the old token stops working; null revokes the token. */
  setFeedTokenNonce(memberId: number, nonce: string | null, now: string): Promise<void>;
  /** Of these subscriptions, those that get the personal ("For you") digest. */
  personalDigests(subscriptionIds: number[]): Promise<Set<number>>;
  /**
   * Marks or unmarks the subscription's digest as personal. `replaced`: the frequency of the digest the address
   * got before (null: none), kept from the first mark only.
   */
  setPersonalDigest(
    subscriptionId: number,
    personal: boolean,
    now: string,
    replaced?: DigestFrequency | null,
  ): Promise<void>;
  /** The frequency of the digest the subscription sent before it became personal, or null (none, or not personal). */
  replacedDigest(subscriptionId: number): Promise<DigestFrequency | null>;
  /** Removes a member's saves, collections, marks and feed token in one transaction (account deletion). */
  forget(memberId: number): Promise<void>;
}
