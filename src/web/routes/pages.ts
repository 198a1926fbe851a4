import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isArxivId, normalizeArxivId } from '../../domain/arxiv-id.ts';
import {
  isoWeekOf,
  isValidDay,
  listingDayOf,
  monthOf,
  parseIsoWeek,
  parseMonth,
} from '../../domain/dates.ts';
import type { Paper } from '../../domain/paper.ts';
import { similarPapers } from '../../services/search-papers.ts';
import { listTrending } from '../../services/trending.ts';
import type { Store } from '../../store/store.ts';
import { formatDay, formatMonth, plural } from '../../text/format.ts';
import { feedLinksFor } from '../feeds/feed-links.ts';
import { RenderedPageCache } from '../rendered-page-cache.ts';
import { pageContext } from '../request-context.ts';
import { sendPaperDocument } from '../scholarly/routes.ts';
import { type ListPageData, renderListPage } from '../views/list-page.ts';
import { renderPaperPage } from '../views/paper-page.ts';
import { renderProfilePage } from '../views/profile-page.ts';
import type { WebDeps } from './deps.ts';
import { HTML, notFound } from './responses.ts';

export const PAGE_SIZE = 50;
const SIMILAR_PAPERS = 6;

export function pageNumber(request: FastifyRequest): number {
  const raw = (request.query as Record<string, unknown>).p;
  const page = Number(raw);
  return typeof raw === 'string' && Number.isInteger(page) && page >= 0 && page < 10_000 ? page : 0;
}

export async function upvotedSet(
  store: Store,
  request: FastifyRequest,
  papers: Paper[],
): Promise<Set<string>> {
  if (!request.member) return new Set();
  return store.engagement.upvotedBy(
    request.member.id,
    papers.map((paper) => paper.id),
  );
}

export function registerPageRoutes(app: FastifyInstance, { store, config, semantic }: WebDeps): void {
  const cache = new RenderedPageCache(store, () => app.imageLinks?.copies ?? 0);
  const listPage = async (
    request: FastifyRequest,
    data: Omit<ListPageData, 'papers' | 'upvoted' | 'page' | 'totalPages' | 'subtitle'> & {
      /** Text, or text made from the number of papers in the whole list. */
      subtitle: string | ((total: number) => string);
    },
    load: (limit: number, offset: number) => Promise<{ papers: Paper[]; total: number }>,
  ) => {
    const page = pageNumber(request);
    const { papers, total } = await load(PAGE_SIZE, page * PAGE_SIZE);
    return renderListPage(pageContext(request, config.baseUrl), {
      ...data,
      subtitle: typeof data.subtitle === 'string' ? data.subtitle : data.subtitle(total),
      papers,
      upvoted: await upvotedSet(store, request, papers),
      page,
      totalPages: Math.ceil(total / PAGE_SIZE),
    });
  };

  const windowLoader = (fromDay: string, toDay: string) => async (limit: number, offset: number) => {
    const filter = { days: { fromDay, toDay } };
    const [papers, total] = await Promise.all([
      store.papers.listPapers(filter, { sort: 'upvotes', limit, offset }),
      store.papers.countPapers(filter),
    ]);
    return { papers, total };
  };

  const dayPage = async (request: FastifyRequest, day: string) => {
    const adjacent = await store.papers.adjacentDays(day);
    return listPage(
      request,
      {
        period: 'day',
        heading: 'Daily Papers',
        subtitle: (total) => `${formatDay(day)} · ${plural(total, 'paper')}, by upvotes`,
        value: day,
        previous: adjacent.previous
          ? { href: `/papers/date/${adjacent.previous}`, label: formatDay(adjacent.previous) }
          : null,
        next: adjacent.next
          ? { href: `/papers/date/${adjacent.next}`, label: formatDay(adjacent.next) }
          : null,
        feeds: feedLinksFor('daily', day, 'Daily papers'),
        empty: 'No papers were listed on this day.',
      },
      windowLoader(day, day),
    );
  };

  app.get('/', async (request, reply) => {
    const html = await cache.page(request, async () =>
      dayPage(request, (await store.papers.latestDay()) ?? listingDayOf(new Date())),
    );
    return reply.type(HTML).send(html);
  });

  app.get<{ Querystring: { date?: string } }>('/papers/date', async (request, reply) => {
    const date = request.query.date ?? '';
    return reply.redirect(isValidDay(date) ? `/papers/date/${date}` : '/');
  });

  app.get<{ Params: { day: string } }>('/papers/date/:day', async (request, reply) => {
    const { day } = request.params;
    if (!isValidDay(day))
      return notFound(reply, request, config, `“${day}” is not a date: use YYYY-MM-DD, e.g. 2026-11-24.`);
    return reply.type(HTML).send(await cache.page(request, () => dayPage(request, day)));
  });

  app.get<{ Querystring: { week?: string } }>('/papers/week', async (request, reply) => {
    const asked = request.query.week;
    if (asked && parseIsoWeek(asked)) return reply.redirect(`/papers/week/${asked}`);
    const latest = (await store.papers.latestDay()) ?? listingDayOf(new Date());
    return reply.redirect(`/papers/week/${isoWeekOf(latest).label}`);
  });

  app.get<{ Params: { week: string } }>('/papers/week/:week', async (request, reply) => {
    const { week } = request.params;
    const window = parseIsoWeek(week);
    if (!window)
      return notFound(reply, request, config, `“${week}” is not a week: use YYYY-Www, e.g. 2026-W48.`);
    const [before, after] = await Promise.all([
      store.papers.adjacentDays(window.fromDay),
      store.papers.adjacentDays(window.toDay),
    ]);
    // Like the day navigation, the nearest weeks with listings (empty weeks are skipped).
    const previous = before.previous && isoWeekOf(before.previous).label;
    const next = after.next && isoWeekOf(after.next).label;
    const html = await listPage(
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
      windowLoader(window.fromDay, window.toDay),
    );
    return reply.type(HTML).send(html);
  });

  app.get<{ Querystring: { month?: string } }>('/papers/month', async (request, reply) => {
    const asked = request.query.month;
    if (asked && parseMonth(asked)) return reply.redirect(`/papers/month/${asked}`);
    const latest = (await store.papers.latestDay()) ?? listingDayOf(new Date());
    return reply.redirect(`/papers/month/${monthOf(latest)}`);
  });

  app.get<{ Params: { month: string } }>('/papers/month/:month', async (request, reply) => {
    const { month } = request.params;
    const window = parseMonth(month);
    if (!window)
      return notFound(reply, request, config, `“${month}” is not a month: use YYYY-MM, e.g. 2026-11.`);
    const [before, after] = await Promise.all([
      store.papers.adjacentDays(window.fromDay),
      store.papers.adjacentDays(window.toDay),
    ]);
    const previous = before.previous && monthOf(before.previous);
    const next = after.next && monthOf(after.next);
    const html = await listPage(
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
      windowLoader(window.fromDay, window.toDay),
    );
    return reply.type(HTML).send(html);
  });

  app.get('/papers/trending', async (request, reply) => {
    const html = await cache.page(request, () =>
      listPage(
        request,
        {
          period: 'trending',
          heading: 'Trending Papers',
          subtitle: 'Recent upvotes count most; GitHub stars gained lately add a bonus',
          value: null,
          previous: null,
          next: null,
          feeds: feedLinksFor('trending', null, 'Trending papers'),
          empty: 'Nothing is trending yet: upvote the papers you like.',
        },
        (limit, offset) => listTrending(store, { limit, offset }),
      ),
    );
    return reply.type(HTML).send(html);
  });

  app.get<{ Params: { '*': string } }>('/papers/*', async (request, reply) => {
    const raw = request.params['*'];
    const document = await sendPaperDocument(store, config, request, reply, raw);
    if (document) return document;
    if (!isArxivId(raw)) return notFound(reply, request, config, `There is no paper “${raw}”.`);
    const id = normalizeArxivId(raw);
    if (id !== raw) return reply.redirect(`/papers/${id}`, 301);
    const paper = await store.papers.getPaper(id);
    const admin = request.member?.role === 'admin';
    if (!paper || (paper.hidden && !admin)) {
      return notFound(
        reply,
        request,
        config,
        `No paper with id ${id} on this site yet. Members can submit it.`,
      );
    }
    const [comments, upvoted, similar] = await Promise.all([
      store.engagement.listComments(id, { includeHidden: admin }),
      upvotedSet(store, request, [paper]),
      similarPapers({ store, semantic }, id, SIMILAR_PAPERS),
    ]);
    return reply.type(HTML).send(
      renderPaperPage(pageContext(request, config.baseUrl), {
        paper,
        comments,
        upvoted: upvoted.has(id),
        similar,
      }),
    );
  });

  const profile =
    (kind: 'author' | 'organization') =>
    async (request: FastifyRequest<{ Params: { name: string } }>, reply: import('fastify').FastifyReply) => {
      const name = request.params.name;
      const filter = kind === 'author' ? { author: name } : { organization: name };
      const page = pageNumber(request);
      const [papers, total] = await Promise.all([
        store.papers.listPapers(filter, { sort: 'newest', limit: PAGE_SIZE, offset: page * PAGE_SIZE }),
        store.papers.countPapers(filter),
      ]);
      if (total === 0)
        return notFound(
          reply,
          request,
          config,
          `No papers ${kind === 'author' ? 'by' : 'from'} “${name}” here.`,
        );
      const organization =
        kind === 'organization' ? (papers.find((paper) => paper.organization)?.organization ?? null) : null;
      return reply.type(HTML).send(
        renderProfilePage(pageContext(request, config.baseUrl), {
          kind,
          name,
          organization,
          papers,
          total,
          totalUpvotes: papers.reduce((sum, paper) => sum + paper.upvotes, 0),
          upvoted: await upvotedSet(store, request, papers),
          page,
          totalPages: Math.ceil(total / PAGE_SIZE),
        }),
      );
    };
  app.get('/authors/:name', profile('author'));
  app.get('/orgs/:name', profile('organization'));
}
