import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/store.ts';
import { acceptedEncoding, type Encoding, encode, encodingHeaders } from './kept-encodings.ts';
import { withCsrfPlaceholder } from './request-context.ts';

const MAX_ENTRIES = 500;
/** Bytes of rendered bodies one cache holds at most unless told (the oldest go first). */
const DEFAULT_MAX_BYTES = 8 * 2 ** 20;
/** Pages also change with the clock (trending, "today"): no entry outlives this. */
const TTL_MS = 60_000;
/** Rendered where the visitor's CSRF token goes (same alphabet and length, so escaping leaves it alone). */
const TOKEN_SLOT = 'CSRFSLOTCSRFSLOTCSRFSLOTCSRFSLOT';

/** A response that is the same for every visitor: a JSON body or a feed, with the headers that go with it. */
export interface SharedResponse {
  body: Buffer;
  headers: Record<string, string>;
}

interface Entry {
  version: string;
  at: number;
  bytes: number;
  /** A page: its bytes around the CSRF token slots. */
  parts?: Buffer[];
  /** The page's ETag when it has no token slot (the same bytes for every visitor). */
  etag?: string;
  response?: SharedResponse;
  /** The body compressed, for each encoding asked for since it was kept (a page: when it has no token slot). */
  encoded?: Partial<Record<Encoding, Buffer>>;
}

/**
 * Rendered pages for anonymous visitors, and responses that are the same for everyone (API lists, feeds), until
 * the data changes (`Store.dataVersion`, so writes of other processes count too). Page visitors all see the same
 * HTML but for their CSRF token (in the subscribe form), which is put in when the page is sent.
 */
export class RenderedPageCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  /**
   * `version` adds what else pages show that the database does not hold (our image copies); `maxBytes` is the
   * cache's share of the memory budget (memory-budget.ts).
   */
  constructor(
    private readonly store: Store,
    private readonly version: () => string | number = () => '',
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  private async currentVersion(): Promise<string> {
    return `${await this.store.dataVersion()}/${this.version()}`;
  }

  private fresh(key: string, version: string): Entry | null {
    const hit = this.entries.get(key);
    return hit && hit.version === version && Date.now() - hit.at < TTL_MS ? hit : null;
  }

  /** Keeps what was rendered unless the data changed meanwhile (it may show either version). */
  private async remember(key: string, version: string, entry: Omit<Entry, 'version' | 'at'>): Promise<void> {
    if ((await this.currentVersion()) !== version || entry.bytes > this.maxBytes) return;
    this.forget(key);
    while (this.entries.size >= MAX_ENTRIES || this.bytes + entry.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
    this.entries.set(key, { ...entry, version, at: Date.now() });
    this.bytes += entry.bytes;
  }

  /** The entry's body as the request accepts it (see encodedBody), counted in the cache's bytes. */
  private encoded(entry: Omit<Entry, 'version' | 'at'>, body: Buffer, request: FastifyRequest) {
    const encoded = encodedBody(entry, body, request, this.maxBytes - this.bytes);
    if (encoded) this.bytes += encoded.added;
    return encoded;
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(key);
  }

  /**
   * The page for the request, rendered or kept; a page alike for every visitor gets its ETag here, hashed once
   * when it is rendered rather than by @fastify/etag on every request (it keeps an ETag that is already set).
   */
  async page(
    request: FastifyRequest,
    reply: FastifyReply,
    render: () => Promise<string>,
  ): Promise<string | Buffer> {
    if (request.member) return render();
    const version = await this.currentVersion();
    let entry: Omit<Entry, 'version' | 'at'> | null = this.fresh(request.url, version);
    const alike = entry?.parts?.length === 1 ? (entry.parts[0] as Buffer) : null;
    if (entry && alike) {
      const encoded = this.encoded(entry, alike, request);
      if (encoded) {
        reply.headers({ etag: entry.etag, ...encodingHeaders(encoded.encoding) });
        return encoded.body;
      }
    }
    if (!entry?.parts) {
      const body = await withCsrfPlaceholder(request, TOKEN_SLOT, render);
      const parts = body.split(TOKEN_SLOT).map((part) => Buffer.from(part));
      entry = {
        parts,
        bytes: parts.reduce((sum, part) => sum + part.length, 0),
        ...(parts.length === 1 && { etag: weakEtag(parts[0] as Buffer) }),
      };
      await this.remember(request.url, version, entry);
    }
    if (entry.etag) reply.header('etag', entry.etag);
    return withToken(entry.parts as Buffer[], request);
  }

  /**
   * A response every visitor gets alike (members too), by `key` (the request's URL). `render` answers null for
   * what is not to be kept (a 404), and so does this then.
   */
  async response<R extends SharedResponse | null>(
    request: FastifyRequest,
    render: () => Promise<R>,
  ): Promise<R> {
    const key = request.url;
    const version = await this.currentVersion();
    const hit = this.fresh(key, version);
    if (hit?.response) {
      const encoded = this.encoded(hit, hit.response.body, request);
      if (!encoded) return hit.response as R;
      const answer: SharedResponse = {
        body: encoded.body,
        headers: { ...hit.response.headers, ...encodingHeaders(encoded.encoding) },
      };
      return answer as R;
    }
    const response = await render();
    if (!response) return response;
    // Hashed once here rather than by @fastify/etag on every request (it keeps an ETag that is already set).
    response.headers.etag ??= `"${sha1(response.body)}"`;
    await this.remember(key, version, { response, bytes: response.body.length });
    return response;
  }
}

/**
 * A kept body in the encoding the request accepts, compressed once and kept beside it while the cache has room:
 * else @fastify/compress would compress it again for every request. Null when the request takes it as it is.
 */
function encodedBody(
  entry: Omit<Entry, 'version' | 'at'>,
  body: Buffer,
  request: FastifyRequest,
  room: number,
): { encoding: Encoding; body: Buffer; added: number } | null {
  const encoding = acceptedEncoding(request, body.length);
  if (!encoding) return null;
  const kept = entry.encoded?.[encoding];
  if (kept) return { encoding, body: kept, added: 0 };
  const encoded = encode(body, encoding);
  if (encoded.length > room) return { encoding, body: encoded, added: 0 };
  entry.encoded = { ...entry.encoded, [encoding]: encoded };
  entry.bytes += encoded.length;
  return { encoding, body: encoded, added: encoded.length };
}

const sha1 = (body: Buffer) => createHash('sha1').update(body).digest('base64');
/** The ETag @fastify/etag would give the body (registered weak in http-protocol.ts). */
const weakEtag = (body: Buffer) => `W/"${sha1(body)}"`;

/** The page as UTF-8 bytes with the token in each slot (encoded once when cached, copied per request). */
function withToken(parts: Buffer[], request: FastifyRequest): Buffer {
  if (parts.length === 1) return parts[0] as Buffer;
  const slot = Buffer.from(request.csrfToken);
  return Buffer.concat(parts.flatMap((part, index) => (index === 0 ? [part] : [slot, part])));
}
