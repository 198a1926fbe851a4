/** `/papers/week?week=` and `/papers/week/:week`: an ISO week's papers by upvotes. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isoWeekOf, parseIsoWeek } from '../../../domain/dates.ts';
import { formatDay } from '../../../text/format.ts';
import { feedLinksFor } from '../../feeds/feed-links.ts';
import { HTML, notFound } from '../responses.ts';
import type { Site } from '../site.ts';
import { latestDay, renderPaperList, windowLoader } from './list-page.ts';

export async function weekFromQuery(
  request: FastifyRequest<{ Querystring: { week?: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  const asked = request.query.week;
  if (asked && parseIsoWeek(asked)) return reply.redirect(`/papers/week/${asked}`);
  return reply.redirect(`/papers/week/${isoWeekOf(await latestDay(site.store)).label}`);
}

export async function week(
  request: FastifyRequest<{ Params: { week: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  const { week } = request.params;
  const window = parseIsoWeek(week);
  if (!window)
    return notFound(reply, request, site.config, `“${week}” is not a week: use YYYY-Www, e.g. 2026-W48.`);
  const [before, after] = await Promise.all([
    site.store.papers.adjacentDays(window.fromDay),
    site.store.papers.adjacentDays(window.toDay),
  ]);
  // Like the day navigation, the nearest weeks with listings (empty weeks are skipped).
  const previous = before.previous && isoWeekOf(before.previous).label;
  const next = after.next && isoWeekOf(after.next).label;
  const html = await renderPaperList(
    site,
    request,
    {
      period: 'week',
      heading: 'Weekly Papers',
      subtitle: `Week ${week.slice(6)} of ${week.slice(0, 4)} · ${formatDay(window.fromDay)} to ${formatDay(window.toDay)}`,
      value: week,
      previous: previous ? { href: `/papers/week/${previous}`, label: previous } : null,
      next: next ? { href: `/papers/week/${next}`, label: next } : null,
      feeds: feedLinksFor('week', week, 'Weekly papers'),
      empty: 'No papers were listed this week.',
    },
    windowLoader(site.store, window.fromDay, window.toDay),
  );
  return reply.type(HTML).send(html);
}
