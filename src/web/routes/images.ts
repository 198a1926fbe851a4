import type { FastifyInstance } from 'fastify';
import { IMAGE_KEY, type ImageFiles } from '../../images/image-files.ts';
import type { ImageLinks } from '../views/images.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Our copies of remote images, for pageContext; null when the site keeps none. */
    imageLinks: ImageLinks | null;
  }
}

const YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Serves the copies of remote images at /images/KEY; a key names a URL's copy, so a copy never changes. */
export function registerImageRoutes(app: FastifyInstance, files: ImageFiles, links: ImageLinks): void {
  app.decorate('imageLinks', links);
  app.get<{ Params: { key: string } }>('/images/:key', async (request, reply) => {
    const image = IMAGE_KEY.test(request.params.key) ? files.read(request.params.key) : null;
    if (!image) return reply.code(404).type('text/plain').send('no such image');
    return reply
      .header('cache-control', `public, max-age=${YEAR_SECONDS}, immutable`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .type(image.contentType)
      .send(image.data);
  });
}
