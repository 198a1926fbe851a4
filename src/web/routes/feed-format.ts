/** Routes that serve one thing as a page, a feed or JSON, chosen by the URL's extension. */
import type { FeedFormat } from '../feeds/paper-feed.ts';

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};

/** `name.ext` split into the name and the format the extension asks for (`html` without one). */
export function splitFormat(value: string): { name: string; format: 'html' | 'json' | FeedFormat } {
  const match = /^(.*)\.(json|xml|rss|atom)$/.exec(value);
  if (!match) return { name: value, format: 'html' };
  const ext = match[2];
  return { name: match[1] as string, format: ext === 'json' ? 'json' : ext === 'atom' ? 'atom' : 'rss' };
}
