/** `/papers/month?month=` and `/papers/month/:month`: a month's papers by upvotes. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { monthOf, parseMonth } from '../../../domain/dates.ts';
import { formatMonth } from '../../../text/format.ts';
import { feedLinksFor } from '../../feeds/feed-links.ts';
import { HTML, notFound } from '../responses.ts';
import type { Site } from '../site.ts';
import { latestDay, renderPaperList, windowLoader } from './list-page.ts';

export async function monthFromQuery(
  request: FastifyRequest<{ Querystring: { month?: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  const asked = request.query.month;
  if (asked && parseMonth(asked)) return reply.redirect(`/papers/month/${asked}`);
  return reply.redirect(`/papers/month/${monthOf(await latestDay(site.store))}`);
}

export async function month(
  request: FastifyRequest<{ Params: { month: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  const { month } = request.params;
  const window = parseMonth(month);
  if (!window)
    return notFound(reply, request, site.config, `“${month}” is not a month: use YYYY-MM, e.g. 2026-11.`);
  const [before, after] = await Promise.all([
    site.store.papers.adjacentDays(window.fromDay),
    site.store.papers.adjacentDays(window.toDay),
  ]);
  const previous = before.previous && monthOf(before.previous);
  const next = after.next && monthOf(after.next);
  const html = await renderPaperList(
    site,
    request,
    {
      period: 'month',
      heading: 'Monthly Papers',
      subtitle: `${formatMonth(month)}, by upvotes`,
      value: month,
      previous: previous ? { href: `/papers/month/${previous}`, label: formatMonth(previous) } : null,
      next: next ? { href: `/papers/month/${next}`, label: formatMonth(next) } : null,
      feeds: feedLinksFor('month', month, 'Monthly papers'),
      empty: 'No papers were listed this month.',
    },
    windowLoader(site.store, window.fromDay, window.toDay),
  );
  return reply.type(HTML).send(html);
}
