import { LRUCache } from 'lru-cache';
import { fetchImage, type ImageFetchLimits } from '../images/fetch-image.ts';
import { type ImageFiles, imageKey } from '../images/image-files.ts';

export interface ImageMirrorOptions extends Partial<ImageFetchLimits> {
  /** Off: no image is ever downloaded (pages show generated avatars and no thumbnails). */
  fetch: boolean;
  concurrency?: number;
  /** A failed download (offline, gone) is tried again after this long. */
  retryAfterMs?: number;
}

const DEFAULTS = { timeoutMs: 5_000, maxBytes: 2 * 1024 * 1024, concurrency: 4, retryAfterMs: 60 * 60_000 };
/** Downloads waiting at most; more are asked for again by the next page that shows them. */
const MAX_WAITING = 5_000;
/** Image URLs whose keys are remembered: a page shows dozens, each hashed once rather than at every render. */
const REMEMBERED_KEYS = 4_096;

/**
 * Serves copies of the remote images our papers name (organization avatars, thumbnails), so that no page makes a
 * visitor's browser contact another site. A page asks for an image's local URL; until a copy exists the answer is
 * null and the image is downloaded in the background, once (pages never wait for a download).
 */
export class ImageMirror {
  private readonly waiting = new Map<string, string>();
  private readonly downloading = new Set<string>();
  private readonly failedAt = new Map<string, number>();
  private readonly keys = new LRUCache<string, string>({ max: REMEMBERED_KEYS });
  private readonly settings: typeof DEFAULTS & { fetch: boolean };
  private idleWaiters: Array<() => void> = [];
  /** Copies this process stored. */
  copies = 0;

  constructor(
    private readonly files: ImageFiles,
    options: ImageMirrorOptions,
  ) {
    this.settings = { ...DEFAULTS, ...options };
  }

  /** Our URL of the image's copy, or null while there is none (a download is then started in the background). */
  localUrl(remote: string | null | undefined): string | null {
    if (!remote) return null;
    let key = this.keys.get(remote);
    if (key === undefined) {
      key = imageKey(remote);
      this.keys.set(remote, key);
    }
    if (this.files.has(key)) return `/images/${key}`;
    this.request(key, remote);
    return null;
  }

  /** Resolves once no download is waiting or running (for tests and benchmarks). */
  idle(): Promise<void> {
    if (this.waiting.size === 0 && this.downloading.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private request(key: string, url: string): void {
    if (!this.settings.fetch || !/^https?:\/\//i.test(url)) return;
    if (this.waiting.has(key) || this.downloading.has(key) || this.waiting.size >= MAX_WAITING) return;
    const failed = this.failedAt.get(key);
    if (failed !== undefined && Date.now() - failed < this.settings.retryAfterMs) return;
    this.waiting.set(key, url);
    this.pump();
  }

  private pump(): void {
    while (this.downloading.size < this.settings.concurrency) {
      const next = this.waiting.entries().next();
      if (next.done) break;
      const [key, url] = next.value;
      this.waiting.delete(key);
      this.downloading.add(key);
      void fetchImage(url, this.settings)
        .then((image) => this.files.write(key, image))
        .then(
          () => {
            this.copies++;
            this.failedAt.delete(key);
          },
          () => this.failedAt.set(key, Date.now()),
        )
        .finally(() => {
          this.downloading.delete(key);
          this.pump();
        });
    }
    if (this.waiting.size === 0 && this.downloading.size === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}
