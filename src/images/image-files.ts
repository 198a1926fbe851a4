import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { FetchedImage } from './fetch-image.ts';

/** The key of a remote image's copy: its URL's SHA-256, so that a key names no path a visitor could choose. */
export const imageKey = (url: string): string => createHash('sha256').update(url).digest('hex');
export const IMAGE_KEY = /^[0-9a-f]{64}$/;

const ABSENT_RECHECK_MS = 10_000;
const MAX_ABSENT = 50_000;
/** How often the folder's modification time is read, to know whether its listing still holds. */
const FOLDER_LOOK_MS = 1_000;
/** A folder that changed this recently may change again within its clock's tick, unseen: its listing is not trusted. */
const SETTLED_MS = 2_000;
/** The folder is listed again at most this often (while it changes often, keys are looked up one by one). */
const RELIST_MS = 10_000;
const TYPE_SUFFIX = '.type';

/**
 * Copies of remote images (organization avatars, paper thumbnails) in a folder of the site's data: `KEY` holds the
 * bytes and `KEY.type` the content type. Files are written whole (temp file, then rename), so several processes can
 * share the folder.
 */
export class ImageFiles {
  /** Keys known to be on disk. */
  private readonly present = new Set<string>();
  /**
   * Keys found absent while the folder's listing does not hold, and when: looked up again after a while, since
   * another process may have fetched them, but not for every card of every page (a file-system call each).
   */
  private readonly absentAt = new Map<string, number>();
  /**
   * The folder's modification time when it was last listed (its complete copies then went into `present`), undefined
   * before: while that time stays the same no file was added (a rename into the folder changes it), so a key not
   * present is absent without a file-system call each, as on a site whose copies are missing (not fetched, or not yet).
   */
  private listedModifiedAt: number | null | undefined;
  /** Whether the listing holds, as of `lookedAt`. */
  private listingHolds = false;
  private lookedAt = Number.NEGATIVE_INFINITY;
  private listedAt = Number.NEGATIVE_INFINITY;

  /** `now` is the clock (tests move it on). */
  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  has(key: string): boolean {
    if (this.present.has(key)) return true;
    // Listing the folder adds its keys to `present`.
    if (this.currentListing()) return this.present.has(key);
    const checked = this.absentAt.get(key);
    if (checked !== undefined && this.now() - checked < ABSENT_RECHECK_MS) return false;
    if (!existsSync(join(this.dir, `${key}${TYPE_SUFFIX}`))) {
      if (this.absentAt.size >= MAX_ABSENT) this.absentAt.clear();
      this.absentAt.set(key, this.now());
      return false;
    }
    this.absentAt.delete(key);
    this.present.add(key);
    return true;
  }

  /**
   * Whether the folder's listing is current (its keys are then all in `present`): the folder's time is read at most
   * every FOLDER_LOOK_MS, and the folder listed again when it changed, at most every RELIST_MS and once it settled.
   */
  private currentListing(): boolean {
    const now = this.now();
    if (now - this.lookedAt < FOLDER_LOOK_MS) return this.listingHolds;
    this.lookedAt = now;
    const modifiedAt = folderModifiedAt(this.dir);
    const settled = modifiedAt === null || now - modifiedAt >= SETTLED_MS;
    if (settled && this.listedModifiedAt !== modifiedAt && now - this.listedAt >= RELIST_MS) {
      this.listedAt = now;
      for (const key of listedKeys(this.dir)) this.present.add(key);
      this.listedModifiedAt = modifiedAt;
    }
    this.listingHolds = settled && this.listedModifiedAt === modifiedAt;
    return this.listingHolds;
  }

  read(key: string): FetchedImage | null {
    if (!IMAGE_KEY.test(key) || !this.has(key)) return null;
    return {
      contentType: readFileSync(join(this.dir, `${key}.type`), 'utf8'),
      data: readFileSync(join(this.dir, key)),
    };
  }

  write(key: string, image: FetchedImage): void {
    mkdirSync(this.dir, { recursive: true });
    const temp = join(this.dir, `.${key}.${process.pid}.tmp`);
    writeFileSync(temp, image.data);
    renameSync(temp, join(this.dir, key));
    // The type file last: its presence says the image is complete.
    writeFileSync(temp, image.contentType);
    renameSync(temp, join(this.dir, `${key}.type`));
    this.present.add(key);
  }
}

/** The folder's modification time, or null when there is no folder. */
function folderModifiedAt(dir: string): number | null {
  return statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? null;
}

/** The keys of the folder's complete copies (those with their `.type` file). */
function listedKeys(dir: string): Set<string> {
  const keys = new Set<string>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return keys;
  }
  for (const name of names) {
    if (!name.endsWith(TYPE_SUFFIX)) continue;
    const key = name.slice(0, -TYPE_SUFFIX.length);
    if (IMAGE_KEY.test(key)) keys.add(key);
  }
  return keys;
}
