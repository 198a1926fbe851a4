/** `/images/:key`: our copies of remote images; a key names a URL's copy, so a copy never changes. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IMAGE_KEY } from '../../images/image-files.ts';
import type { Site } from './site.ts';

const YEAR_SECONDS = 365 * 24 * 60 * 60;

export async function image(
  request: FastifyRequest<{ Params: { key: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  const image = IMAGE_KEY.test(request.params.key) ? site.imageFiles.read(request.params.key) : null;
  if (!image) return reply.code(404).type('text/plain').send('no such image');
  return reply
    .header('cache-control', `public, max-age=${YEAR_SECONDS}, immutable`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .type(image.contentType)
    .send(image.data);
}
