/** `/` (the latest day), `/papers/date?date=` and `/papers/date/:day`: a day's papers by upvotes. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isValidDay } from '../../../domain/dates.ts';
import { formatDay, plural } from '../../../text/format.ts';
import { feedLinksFor } from '../../feeds/feed-links.ts';
import { HTML, notFound } from '../responses.ts';
import type { Site } from '../site.ts';
import { latestDay, renderPaperList, windowLoader } from './list-page.ts';

async function renderDay(site: Site, request: FastifyRequest, day: string): Promise<string> {
  const adjacent = await site.store.papers.adjacentDays(day);
  return renderPaperList(
    site,
    request,
    {
      period: 'day',
      heading: 'Daily Papers',
      subtitle: (total) => `${formatDay(day)} · ${plural(total, 'paper')}, by upvotes`,
      value: day,
      previous: adjacent.previous
        ? { href: `/papers/date/${adjacent.previous}`, label: formatDay(adjacent.previous) }
        : null,
      next: adjacent.next ? { href: `/papers/date/${adjacent.next}`, label: formatDay(adjacent.next) } : null,
      feeds: feedLinksFor('daily', day, 'Daily papers'),
      empty: 'No papers were listed on this day.',
    },
    windowLoader(site.store, day, day),
  );
}

export async function home(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const html = await site.pageCache.page(request, reply, async () =>
    renderDay(site, request, await latestDay(site.store)),
  );
  return reply.type(HTML).send(html);
}

export async function dayFromQuery(
  request: FastifyRequest<{ Querystring: { date?: string } }>,
  reply: FastifyReply,
) {
  const date = request.query.date ?? '';
  return reply.redirect(isValidDay(date) ? `/papers/date/${date}` : '/');
}

export async function day(
  request: FastifyRequest<{ Params: { day: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  const { day } = request.params;
  if (!isValidDay(day))
    return notFound(reply, request, site.config, `“${day}” is not a date: use YYYY-MM-DD, e.g. 2026-11-24.`);
  return reply
    .type(HTML)
    .send(await site.pageCache.page(request, reply, () => renderDay(site, request, day)));
}
