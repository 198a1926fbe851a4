/** What the list pages (days, weeks, months, trending, search, profiles) share: paging and the member's upvotes. */
import type { FastifyRequest } from 'fastify';
import { listingDayOf } from '../../../domain/dates.ts';
import type { Paper } from '../../../domain/paper.ts';
import { paperListPage } from '../../../services/paper-list-page.ts';
import type { Store } from '../../../store/store.ts';
import { type ListPageData, renderListPage } from '../../views/list-page.ts';
import { savedTags } from '../member-state.ts';
import type { Site } from '../site.ts';

export const PAGE_SIZE = 50;

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

type PapersLoader = (limit: number, offset: number) => Promise<{ papers: Paper[]; total: number }>;

export type ListPageText = Omit<ListPageData, 'papers' | 'upvoted' | 'page' | 'totalPages' | 'subtitle'> & {
  /** Text, or text made from the number of papers in the whole list. */
  subtitle: string | ((total: number) => string);
};

/** One page of a paper list, as the request's `p` asks. */
export async function renderPaperList(
  site: Site,
  request: FastifyRequest,
  data: ListPageText,
  load: PapersLoader,
): Promise<string> {
  const page = pageNumber(request);
  const { papers, total } = await load(PAGE_SIZE, page * PAGE_SIZE);
  return renderListPage(site.pageContext(request), {
    ...data,
    subtitle: typeof data.subtitle === 'string' ? data.subtitle : data.subtitle(total),
    papers,
    upvoted: await upvotedSet(site.store, request, papers),
    saved: await savedTags(site.store, request, papers),
    page,
    totalPages: Math.ceil(total / PAGE_SIZE),
  });
}

/** The papers listed from `fromDay` to `toDay`, by upvotes. */
export function windowLoader(store: Store, fromDay: string, toDay: string): PapersLoader {
  return async (limit, offset) => {
    return paperListPage(store.papers, { days: { fromDay, toDay } }, { sort: 'upvotes', limit, offset });
  };
}

/** The latest day with listings, else today's listing day. */
export async function latestDay(store: Store): Promise<string> {
  return (await store.papers.latestDay()) ?? listingDayOf(new Date());
}
