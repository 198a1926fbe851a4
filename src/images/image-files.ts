import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FetchedImage } from './fetch-image.ts';

/** The key of a remote image's copy: its URL's SHA-256, so that a key names no path a visitor could choose. */
export const imageKey = (url: string): string => createHash('sha256').update(url).digest('hex');
export const IMAGE_KEY = /^[0-9a-f]{64}$/;

const ABSENT_RECHECK_MS = 10_000;
const MAX_ABSENT = 50_000;

/**
 * Copies of remote images (organization avatars, paper thumbnails) in a folder of the site's data: `KEY` holds the
 * bytes and `KEY.type` the content type. Files are written whole (temp file, then rename), so several processes can
 * share the folder.
 */
export class ImageFiles {
  /** Keys known to be on disk. */
  private readonly present = new Set<string>();
  /**
   * Keys found absent, and when: looked up again after a while, since another process may have fetched them, but
   * not for every card of every page (a file-system call each).
   */
  private readonly absentAt = new Map<string, number>();

  constructor(private readonly dir: string) {}

  has(key: string): boolean {
    if (this.present.has(key)) return true;
    const checked = this.absentAt.get(key);
    if (checked !== undefined && Date.now() - checked < ABSENT_RECHECK_MS) return false;
    if (!existsSync(join(this.dir, `${key}.type`))) {
      if (this.absentAt.size >= MAX_ABSENT) this.absentAt.clear();
      this.absentAt.set(key, Date.now());
      return false;
    }
    this.absentAt.delete(key);
    this.present.add(key);
    return true;
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
