/** `/sitemap.xml` (an index), `/sitemaps/pages.xml` and `/sitemaps/papers.xml?after=`. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  paperSitemapStarts,
  paperUrls,
  renderSitemapIndex,
  renderUrlSet,
  SITE_PAGES,
} from '../scholarly/sitemap.ts';
import type { Site } from './site.ts';

const XML = 'application/xml; charset=utf-8';

export async function sitemapIndex(_request: FastifyRequest, reply: FastifyReply, { store, config }: Site) {
  const pageSize = config.sitemapPageSize;
  const [ends, total] = await Promise.all([store.papers.paperPageEnds(pageSize), store.papers.countPapers()]);
  const starts = paperSitemapStarts(ends, total, pageSize);
  return reply.type(XML).send(renderSitemapIndex(config.baseUrl, starts));
}

export async function pagesSitemap(_request: FastifyRequest, reply: FastifyReply, { config }: Site) {
  return reply.type(XML).send(
    renderUrlSet(
      config.baseUrl,
      SITE_PAGES.map((path) => ({ path })),
    ),
  );
}

export async function papersSitemap(request: FastifyRequest, reply: FastifyReply, { store, config }: Site) {
  const { after = '0' } = request.query as { after?: unknown };
  if (typeof after !== 'string' || !/^\d{1,15}$/.test(after))
    return reply
      .code(400)
      .type('text/plain; charset=utf-8')
      .send('after: expected a position from the sitemap index');
  const locations = await store.papers.listPaperLocations(Number(after), config.sitemapPageSize);
  return reply.type(XML).send(renderUrlSet(config.baseUrl, paperUrls(locations)));
}
