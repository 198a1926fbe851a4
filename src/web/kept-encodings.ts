import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyRequest } from 'fastify';

/** The encodings responses are compressed with (http-protocol.ts registers @fastify/compress with them), best first. */
export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Bodies shorter than this go as they are, as @fastify/compress sends them. */
const MIN_BYTES = 1024;
/**
 * Every response is compressed with the fastest setting of each encoding, here and by @fastify/compress: on this
 * site's pages and API lists brotli quality 1 takes a quarter to a half of quality 4's time (a 50 KB day page: 263 against
 * 1,141 µs, about what rendering it costs) for 9–18 % more bytes, and gzip level 1 half of level 6's for 8–16 %
 * more (docs/benchmarks.md, "Compression").
 */
export const BROTLI_OPTIONS = { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } };
export const GZIP_OPTIONS = { level: 1 };

/** The encoding @fastify/compress would choose for the request's body of `bytes`, or null to send it as it is. */
export function acceptedEncoding(request: FastifyRequest, bytes: number): Encoding | null {
  const header = request.headers['accept-encoding'];
  if (header === undefined || bytes < MIN_BYTES) return null;
  // As @fastify/compress reads it: `*` and `x-gzip` mean gzip.
  return negotiate(header.toLowerCase().replace(/\*|x-gzip/g, 'gzip'), [...ENCODINGS]);
}

export function encode(body: Buffer, encoding: Encoding): Buffer {
  return encoding === 'br' ? brotliCompressSync(body, BROTLI_OPTIONS) : gzipSync(body, GZIP_OPTIONS);
}

/** The headers that go with a body sent in `encoding`. */
export const encodingHeaders = (encoding: Encoding) => ({
  'content-encoding': encoding,
  vary: 'accept-encoding',
});
