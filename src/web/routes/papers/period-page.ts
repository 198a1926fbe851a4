/** What the week and month pages share: a period's papers by upvotes, between the nearest periods with listings. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DayWindow } from '../../../domain/dates.ts';
import { feedLinksFor } from '../../feeds/feed-links.ts';
import { HTML, notFound } from '../responses.ts';
import type { Site } from '../site.ts';
import { latestDay, renderPaperList, windowLoader } from './list-page.ts';

export interface PeriodKind {
  period: 'week' | 'month';
  /** The period's days, or null when `value` names none. */
  parse: (value: string) => DayWindow | null;
  /** The period a day is in, as in its URL. */
  of: (day: string) => string;
  /** How a period is named in links. */
  label: (value: string) => string;
  /** Why `value` is no period (a 404). */
  problem: (value: string) => string;
  heading: string;
  feedTitle: string;
  empty: string;
}

/** The handler of the pages of `kind`: the period in the URL (`:week`, `:month`), with `subtitle` for its days. */
export function periodPage(kind: PeriodKind, subtitle: (value: string, window: DayWindow) => string) {
  return async (
    request: FastifyRequest<{ Params: Record<string, string> }>,
    reply: FastifyReply,
    site: Site,
  ) => {
    const value = request.params[kind.period] ?? '';
    const window = kind.parse(value);
    if (!window) return notFound(reply, request, site.config, kind.problem(value));
    const [before, after] = await Promise.all([
      site.store.papers.adjacentDays(window.fromDay),
      site.store.papers.adjacentDays(window.toDay),
    ]);
    // Like the day navigation, the nearest periods with listings (empty ones are skipped).
    const link = (day: string | null) => {
      const period = day && kind.of(day);
      return period ? { href: `/papers/${kind.period}/${period}`, label: kind.label(period) } : null;
    };
    const list = {
      period: kind.period,
      heading: kind.heading,
      subtitle: subtitle(value, window),
      value,
      previous: link(before.previous),
      next: link(after.next),
      feeds: feedLinksFor(kind.period, value, kind.feedTitle),
      empty: kind.empty,
    };
    const html = await renderPaperList(
      site,
      request,
      list,
      windowLoader(site.store, window.fromDay, window.toDay),
    );
    return reply.type(HTML).send(html);
  };
}

/** The handler of `/papers/<period>?<period>=`: to the period asked for when it is one, else the latest one. */
export function periodFromQuery(kind: PeriodKind) {
  return async (
    request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>,
    reply: FastifyReply,
    site: Site,
  ) => {
    const asked = request.query[kind.period];
    const period = asked && kind.parse(asked) ? asked : kind.of(await latestDay(site.store));
    return reply.redirect(`/papers/${kind.period}/${period}`);
  };
}
