import type { FastifyRequest } from 'fastify';
import type { Store } from '../store/store.ts';
import { withCsrfPlaceholder } from './request-context.ts';

const MAX_ENTRIES = 500;
/** Pages also change with the clock (trending, "today"): no entry outlives this. */
const TTL_MS = 60_000;
/** Rendered where the visitor's CSRF token goes (same alphabet and length, so escaping leaves it alone). */
const TOKEN_SLOT = 'CSRFSLOTCSRFSLOTCSRFSLOTCSRFSLOT';

/**
 * Rendered pages for anonymous visitors, until the data changes: they all see the same HTML but for their
 * CSRF token (in the subscribe form), which is put in when the page is sent.
 */
export class RenderedPageCache {
  private readonly entries = new Map<string, { version: string; parts: Buffer[]; at: number }>();

  /** `version` adds what else pages show that the database does not hold (our image copies). */
  constructor(
    private readonly store: Store,
    private readonly version: () => string | number = () => '',
  ) {}

  private async currentVersion(): Promise<string> {
    return `${await this.store.dataVersion()}/${this.version()}`;
  }

  async page(request: FastifyRequest, render: () => Promise<string>): Promise<string | Buffer> {
    if (request.member) return render();
    const version = await this.currentVersion();
    const key = request.url;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.version === version && now - hit.at < TTL_MS) return withToken(hit.parts, request);
    const body = await withCsrfPlaceholder(request, TOKEN_SLOT, render);
    const parts = body.split(TOKEN_SLOT).map((part) => Buffer.from(part));
    if ((await this.currentVersion()) === version) {
      this.entries.delete(key);
      if (this.entries.size >= MAX_ENTRIES) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(key, { version, parts, at: now });
    }
    return withToken(parts, request);
  }
}

/** The page as UTF-8 bytes with the token in each slot (encoded once when cached, copied per request). */
function withToken(parts: Buffer[], request: FastifyRequest): Buffer {
  if (parts.length === 1) return parts[0] as Buffer;
  const slot = Buffer.from(request.csrfToken);
  return Buffer.concat(parts.flatMap((part, index) => (index === 0 ? [part] : [slot, part])));
}
