/** An organization a paper is attributed to (Hugging Face "organization"). */
export interface Organization {
  /** Short handle, unique: e.g. "google". */
  name: string;
  fullName: string | null;
  avatarUrl: string | null;
}

/** One author of a paper, in order. `hfId` is the author's `_id` on Hugging Face when imported from there. */
export interface Author {
  name: string;
  hfId: string | null;
  hidden: boolean;
}

/** Who put a paper on a day's list. */
export interface Submitter {
  /** Username (Hugging Face `user` or our member's username). */
  user: string;
  fullname: string | null;
  avatarUrl: string | null;
}

/** A paper's entry on a day's list: a paper is on at most one day. */
export interface DailyEntry {
  /** Listing day, YYYY-MM-DD (America/New_York). */
  day: string;
  submittedBy: Submitter | null;
  /** ISO timestamp. */
  submittedAt: string | null;
}

/**
 * A paper as an importer produces it. Fields left `undefined` are unknown to that source and keep
 * whatever the store already has; `null` means the source says "none".
 */
export interface PaperRecord {
  /** Normalized arXiv id without version: "2405.15738" or "hep-th/9901001". */
  id: string;
  /**
   * Where the record comes from. arXiv is the authority for a paper's metadata (title, abstract, authors,
   * categories): at the same version, metadata from Hugging Face never replaces metadata from arXiv.
   */
  source: PaperSource;
  /** arXiv version number the metadata is from, when the source says. */
  version?: number | null;
  title: string;
  abstract: string;
  authors: Author[];
  categories?: string[];
  /** First arXiv version's date, ISO. */
  publishedAt?: string | null;
  /** Latest version's date, ISO. */
  updatedAt?: string | null;
  comment?: string | null;
  journalRef?: string | null;
  doi?: string | null;
  license?: string | null;
  pdfUrl?: string | null;
  githubRepo?: string | null;
  githubStars?: number | null;
  projectPage?: string | null;
  thumbnail?: string | null;
  organization?: Organization | null;
  aiSummary?: string | null;
  aiKeywords?: string[] | null;
  /** Upvotes counted elsewhere (Hugging Face) at import time. */
  importedUpvotes?: number | null;
  /** Comments counted elsewhere at import time. */
  importedComments?: number | null;
  daily?: DailyEntry | null;
  /** The Hugging Face entry as imported, for what only Hugging Face serves (see HfExtra). */
  hfExtra?: HfExtra | null;
}

/**
 * A Hugging Face `/api/daily_papers` entry as imported, less what is stored in its own fields and changes here
 * (upvotes, comment counts, ids, AI summary and keywords, stars, thumbnail): served back as Hugging Face served it.
 */
export type HfExtra = Record<string, unknown>;

export type PaperSource = 'arxiv' | 'huggingface';

/** A paper as the store returns it. */
export interface Paper {
  id: string;
  version: number | null;
  title: string;
  abstract: string;
  authors: Author[];
  categories: string[];
  publishedAt: string | null;
  updatedAt: string | null;
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  license: string | null;
  absUrl: string;
  pdfUrl: string;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  thumbnail: string | null;
  organization: Organization | null;
  aiSummary: string | null;
  aiKeywords: string[];
  /** Imported upvotes plus our members' votes. */
  upvotes: number;
  /** Comments on this site (visible ones): the one count shown as "comments" on cards, pages, API and feeds. */
  numComments: number;
  /** The comment count Hugging Face had at import time, shown apart ("12 on Hugging Face"). */
  importedComments: number;
  daily: DailyEntry | null;
  hidden: boolean;
}
