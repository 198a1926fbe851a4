import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { isArxivId, normalizeArxivId } from '../domain/arxiv-id.ts';
import { isValidDay, listingDayOf } from '../domain/dates.ts';
import type { Store } from '../store/store.ts';
import { renderDayPage, renderNotFoundPage, renderPaperPage } from './pages.ts';

export interface ServerDeps {
  store: Store;
  config: Config;
}

const HTML = 'text/html; charset=utf-8';

export async function buildServer({ store, config }: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, trustProxy: true, routerOptions: { ignoreTrailingSlash: true } });
  await app.register(fastifyFormbody);

  const dayPage = async (day: string) => {
    const [papers, adjacent] = await Promise.all([
      store.listPapers({ days: { fromDay: day, toDay: day } }, { sort: 'upvotes', limit: 100 }),
      store.adjacentDays(day),
    ]);
    return renderDayPage({
      day,
      papers,
      previous: adjacent.previous,
      next: adjacent.next,
      baseUrl: config.baseUrl,
    });
  };

  app.get('/', async (_request, reply) => {
    const day = (await store.latestDay()) ?? listingDayOf(new Date());
    return reply.type(HTML).send(await dayPage(day));
  });

  app.get<{ Querystring: { date?: string } }>('/papers/date', async (request, reply) => {
    const date = request.query.date ?? '';
    if (!isValidDay(date)) return reply.redirect('/');
    return reply.redirect(`/papers/date/${date}`);
  });

  app.get<{ Params: { day: string } }>('/papers/date/:day', async (request, reply) => {
    const { day } = request.params;
    if (!isValidDay(day)) {
      return reply
        .code(404)
        .type(HTML)
        .send(renderNotFoundPage(`“${day}” is not a date; use YYYY-MM-DD, e.g. 2026-11-24.`));
    }
    return reply.type(HTML).send(await dayPage(day));
  });

  app.get<{ Params: { '*': string } }>('/papers/*', async (request, reply) => {
    const raw = request.params['*'];
    if (!isArxivId(raw))
      return reply
        .code(404)
        .type(HTML)
        .send(renderNotFoundPage(`No paper “${raw}”.`));
    const id = normalizeArxivId(raw);
    if (id !== raw) return reply.redirect(`/papers/${id}`, 301);
    const paper = await store.getPaper(id);
    if (!paper || paper.hidden) {
      return reply
        .code(404)
        .type(HTML)
        .send(renderNotFoundPage(`No paper with id ${id} on this site yet.`));
    }
    return reply.type(HTML).send(renderPaperPage({ paper, baseUrl: config.baseUrl }));
  });

  app.get('/healthz', async () => ({ ok: true, papers: await store.countPapers() }));

  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).type(HTML).send(renderNotFoundPage('There is no page at this address.'));
  });
  return app;
}
