import { Feed } from 'feed';
import { stripControlCharacters } from '../../domain/control-characters.ts';
import type { Paper } from '../../domain/paper.ts';
import { escapeHtml } from '../../text/escape.ts';
import { plainText, renderParagraphs } from '../../text/math.ts';

export type FeedFormat = 'rss' | 'atom';

export interface FeedDescription {
  title: string;
  description: string;
  /** Path of the page the feed mirrors, and of the feed itself without extension. */
  pagePath: string;
  feedPath: string;
}

function itemDate(paper: Paper): Date {
  const when = paper.daily?.submittedAt ?? (paper.daily ? `${paper.daily.day}T12:00:00Z` : paper.publishedAt);
  const date = when ? new Date(when) : new Date(0);
  return Number.isNaN(date.getTime()) ? new Date(0) : date;
}

/**
 * An RSS 2.0 or Atom document of the papers, in the order of the page it mirrors (by upvotes; the trending
 * feed by trending score). Titles and abstracts are text, so they are HTML-escaped for the fields readers
 * take as HTML (`<EOS>` in an abstract must stay text); RSS names authors in `dc:creator`.
 */
export function renderPaperFeed(
  format: FeedFormat,
  description: FeedDescription,
  papers: Paper[],
  baseUrl: string,
): string {
  const dates = papers.map(itemDate);
  const feed = new Feed({
    id: `${baseUrl}${description.pagePath}`,
    link: `${baseUrl}${description.pagePath}`,
    title: `${description.title} · Dailypapers`,
    description: description.description,
    language: 'en',
    updated: dates.length > 0 ? new Date(Math.max(...dates.map((date) => date.getTime()))) : new Date(0),
    generator: 'Dailypapers',
    feedLinks: {
      rss: `${baseUrl}${description.feedPath}.xml`,
      atom: `${baseUrl}${description.feedPath}.atom`,
    },
  });
  papers.forEach((paper, index) => {
    const link = `${baseUrl}/papers/${paper.id}`;
    const upvotes = `${paper.upvotes} upvote${paper.upvotes === 1 ? '' : 's'}`;
    const authors = paper.authors.slice(0, 20).map((author) => author.name);
    const body = `<p>${escapeHtml(upvotes)}</p>${renderParagraphs(paper.abstract, { math: 'source' }).value}`;
    feed.addItem({
      title: escapeHtml(plainText(paper.title)),
      id: link,
      link,
      date: dates[index] ?? new Date(0),
      ...(paper.publishedAt && { published: new Date(paper.publishedAt) }),
      // Feed readers read these fields as HTML: escaped text, text-mode styles as tags, math as its TeX.
      description: body,
      ...(format === 'atom'
        ? { author: authors.map((name) => ({ name })) }
        : {
            // `content` also makes the library declare the Dublin Core namespace of dc:creator.
            content: body,
            // One dc:creator element per author: the library writes an array as repeated elements.
            extensions: [
              {
                name: 'dc:creator',
                objects: authors.map((name) => ({ _text: name })) as unknown as Record<string, unknown>,
              },
            ],
          }),
      category: paper.categories.map((category) => ({ name: category })),
    });
  });
  // Defence in depth: imports strip these already, but one left in stored text would make the feed invalid XML.
  return stripControlCharacters(format === 'rss' ? feed.rss2() : feed.atom1());
}
