import type { PaperLocation } from '../../store/papers.ts';
import { escapeHtml } from '../../text/escape.ts';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/** Pages that are always there, besides one per paper. */
export const SITE_PAGES = ['/', '/papers/trending', '/papers/week', '/papers/month'];

/** The `after` of each sitemap file of papers: 0, then the end of every full page that has a page after it. */
export function paperSitemapStarts(ends: number[], total: number, pageSize: number): number[] {
  return [0, ...ends].slice(0, Math.max(1, Math.ceil(total / pageSize)));
}

/** The sitemap index: the site's pages, then one file per `pageSize` papers. */
export function renderSitemapIndex(baseUrl: string, starts: number[]): string {
  const files = [
    `${baseUrl}/sitemaps/pages.xml`,
    ...starts.map((after) => `${baseUrl}/sitemaps/papers.xml${after === 0 ? '' : `?after=${after}`}`),
  ];
  return `${XML_HEAD}<sitemapindex xmlns="${NAMESPACE}">\n${files
    .map((url) => `<sitemap><loc>${escapeHtml(url)}</loc></sitemap>`)
    .join('\n')}\n</sitemapindex>\n`;
}

export function renderUrlSet(
  baseUrl: string,
  urls: Array<{ path: string; lastmod?: string | null }>,
): string {
  const entries = urls.map(({ path, lastmod }) => {
    const modified = lastmod && /^\d{4}-\d{2}-\d{2}/.test(lastmod) ? lastmod.slice(0, 10) : null;
    return `<url><loc>${escapeHtml(`${baseUrl}${path}`)}</loc>${modified ? `<lastmod>${modified}</lastmod>` : ''}</url>`;
  });
  return `${XML_HEAD}<urlset xmlns="${NAMESPACE}">\n${entries.join('\n')}\n</urlset>\n`;
}

export function paperUrls(locations: PaperLocation[]) {
  return locations.map((location) => ({ path: `/papers/${location.id}`, lastmod: location.updatedAt }));
}
