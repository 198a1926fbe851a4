/** A paper as the recommender sees it: text, people and the site's vector, nothing of storage. */
export interface RecommendPaper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  organization: string | null;
  /** Listing day, else the arXiv date: YYYY-MM-DD, or null when neither is known. */
  day: string | null;
  upvotes: number;
  /** The paper's vector from the site's embedding model, when it has one. */
  vector: Float32Array | null;
}

export type SignalKind = 'upvote' | 'save' | 'not-interested';

/** Something a member did to a paper: upvotes and saves count for it, "not interested" against it. */
export interface PaperSignal {
  paper: RecommendPaper;
  kind: SignalKind;
  /** The library tags a save carries. */
  tags?: string[];
  /** ISO time of the signal. */
  at: string;
}

/** A followed search ("topic"), with the candidates its query matches. */
export interface FollowedTopic {
  id: string;
  label: string;
  matches: ReadonlySet<string>;
}

export interface MemberProfile {
  signals: PaperSignal[];
  followedAuthors: string[];
  followedOrganizations: string[];
  topics: FollowedTopic[];
}

/** Why a paper is on a member's list, shown on its card. */
export type RecommendationReason =
  | { kind: 'similar'; paperId: string; title: string; signal: 'upvote' | 'save' }
  | { kind: 'author'; name: string }
  | { kind: 'organization'; name: string }
  | { kind: 'topic'; label: string }
  | { kind: 'popular' };

export interface Recommendation {
  id: string;
  score: number;
  reasons: RecommendationReason[];
}

export interface RecommendRequest {
  profile: MemberProfile;
  /** The papers to rank (e.g. the recent days); those the member already signalled are left out of the result. */
  candidates: RecommendPaper[];
  /** Papers sampled from the site apart from the member's signals, used as negatives. */
  background: RecommendPaper[];
  limit: number;
}

/**
 * Ranks candidates for one member, best first, each with its reasons. With no positive signal and no follow (cold
 * start) it falls back to the most upvoted. "More like this tag" is the same call with the signals of one tag.
 */
export type Recommender = (request: RecommendRequest) => Recommendation[];
