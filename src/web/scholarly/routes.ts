import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { isArxivId, normalizeArxivId } from '../../domain/arxiv-id.ts';
import type { Store } from '../../store/store.ts';
import type { WebDeps } from '../routes/deps.ts';
import { notFound } from '../routes/responses.ts';
import { renderPaperBibtex } from './paper-bibtex.ts';
import { renderPaperMarkdown } from './paper-markdown.ts';
import { paperSitemapStarts, paperUrls, renderSitemapIndex, renderUrlSet, SITE_PAGES } from './sitemap.ts';

const FAVICON = readFileSync(new URL('../assets/favicon.svg', import.meta.url));

const DOCUMENTS = {
  md: { type: 'text/markdown; charset=utf-8', render: renderPaperMarkdown },
  bib: { type: 'application/x-bibtex; charset=utf-8', render: renderPaperBibtex },
} as const;

/**
 * `/papers/{id}.md` and `/papers/{id}.bib`, or null when `path` (what follows `/papers/`) names neither, so
 * the paper page route can serve it.
 */
export async function sendPaperDocument(
  store: Store,
  config: Config,
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
): Promise<FastifyReply | null> {
  const match = /^(.+)\.(md|bib)$/.exec(path);
  if (!match?.[1] || !isArxivId(match[1])) return null;
  const document = DOCUMENTS[match[2] as keyof typeof DOCUMENTS];
  const paper = await store.papers.getPaper(normalizeArxivId(match[1]));
  if (!paper || paper.hidden)
    return notFound(reply, request, config, `No paper with id ${normalizeArxivId(match[1])} on this site.`);
  return reply.type(document.type).send(document.render(paper, config.baseUrl));
}

function robotsTxt(baseUrl: string): string {
  return [
    'User-agent: *',
    'Disallow: /account',
    'Disallow: /admin',
    'Disallow: /login',
    'Disallow: /signup',
    'Disallow: /search',
    'Disallow: /api/',
    '',
    `Sitemap: ${baseUrl}/sitemap.xml`,
    '',
  ].join('\n');
}

export function registerScholarlyRoutes(app: FastifyInstance, { store, config }: WebDeps): void {
  // Hugging Face's linked repositories of a paper; we know its code and project page, never models,
  // datasets or Spaces.
  app.get<{ Params: { '*': string } }>('/api/arxiv/*', async (request, reply) => {
    const match = /^(.+)\/repos$/.exec(request.params['*']);
    if (!match?.[1]) return reply.code(404).send({ error: 'no such endpoint' });
    if (!isArxivId(match[1])) return reply.code(404).send({ error: `“${match[1]}” is not an arXiv id` });
    const paper = await store.papers.getPaper(normalizeArxivId(match[1]));
    if (!paper || paper.hidden)
      return reply.code(404).send({ error: `paper ${normalizeArxivId(match[1])} not found` });
    return {
      models: [],
      datasets: [],
      spaces: [],
      ...(paper.githubRepo && { githubRepo: paper.githubRepo }),
      ...(paper.projectPage && { projectPage: paper.projectPage }),
    };
  });
  app.get('/robots.txt', async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send(robotsTxt(config.baseUrl)),
  );
  const XML = 'application/xml; charset=utf-8';
  app.get('/sitemap.xml', async (_request, reply) => {
    const pageSize = config.sitemapPageSize;
    const [ends, total] = await Promise.all([
      store.papers.paperPageEnds(pageSize),
      store.papers.countPapers(),
    ]);
    const starts = paperSitemapStarts(ends, total, pageSize);
    return reply.type(XML).send(renderSitemapIndex(config.baseUrl, starts));
  });
  app.get('/sitemaps/pages.xml', async (_request, reply) =>
    reply.type(XML).send(
      renderUrlSet(
        config.baseUrl,
        SITE_PAGES.map((path) => ({ path })),
      ),
    ),
  );
  app.get('/sitemaps/papers.xml', async (request, reply) => {
    const { after = '0' } = request.query as { after?: unknown };
    if (typeof after !== 'string' || !/^\d{1,15}$/.test(after))
      return reply
        .code(400)
        .type('text/plain; charset=utf-8')
        .send('after: expected a position from the sitemap index');
    const locations = await store.papers.listPaperLocations(Number(after), config.sitemapPageSize);
    return reply.type(XML).send(renderUrlSet(config.baseUrl, paperUrls(locations)));
  });
  app.get('/favicon.ico', async (_request, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=604800').send(FAVICON),
  );
}
