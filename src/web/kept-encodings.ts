import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyRequest } from 'fastify';

/** The encodings responses are compressed with (http-protocol.ts registers @fastify/compress with them), best first. */
export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Bodies shorter than this go as they are, as @fastify/compress sends them. */
const MIN_BYTES = 1024;
/** @fastify/compress's own brotli setting: quality 11 costs far more for a little less. */
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };

/** The encoding @fastify/compress would choose for the request's body of `bytes`, or null to send it as it is. */
export function acceptedEncoding(request: FastifyRequest, bytes: number): Encoding | null {
  const header = request.headers['accept-encoding'];
  if (header === undefined || bytes < MIN_BYTES) return null;
  // As @fastify/compress reads it: `*` and `x-gzip` mean gzip.
  return negotiate(header.toLowerCase().replace(/\*|x-gzip/g, 'gzip'), [...ENCODINGS]);
}

export function encode(body: Buffer, encoding: Encoding): Buffer {
  return encoding === 'br' ? brotliCompressSync(body, BROTLI) : gzipSync(body);
}

/** The headers that go with a body sent in `encoding`. */
export const encodingHeaders = (encoding: Encoding) => ({
  'content-encoding': encoding,
  vary: 'accept-encoding',
});
