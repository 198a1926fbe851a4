import { createHash } from 'node:crypto';
import type { Paper } from '../../domain/paper.ts';
import { safeUrl } from '../../domain/safe-url.ts';

/** A 24-hex id in the shape of Hugging Face's object ids, stable for the same input. */
function objectId(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 24);
}

function absolute(url: string, baseUrl: string): string {
  return url.startsWith('/') ? `${baseUrl}${url}` : url;
}

/** Adds the key only when the value is known, as Hugging Face leaves out what a paper does not have. */
function known<T>(key: string, value: T | null | undefined): Record<string, T> {
  return value === null || value === undefined ? {} : { [key]: value };
}

/** A paper in the shape of an entry of Hugging Face's `GET /api/daily_papers`, field names and types alike. */
export function toHfDailyEntry(paper: Paper, baseUrl: string): Record<string, unknown> {
  const submitter = paper.daily?.submittedBy;
  const organization = paper.organization && {
    _id: objectId('org', paper.organization.name),
    name: paper.organization.name,
    fullname: paper.organization.fullName ?? paper.organization.name,
    ...known('avatar', safeUrl(paper.organization.avatarUrl)),
  };
  const submittedBy = submitter && {
    _id: objectId('user', submitter.user),
    ...known('avatarUrl', safeUrl(submitter.avatarUrl)),
    fullname: submitter.fullname ?? submitter.user,
    name: submitter.user,
    type: 'user',
  };
  const listedAt = paper.daily?.submittedAt ?? (paper.daily ? `${paper.daily.day}T00:00:00.000Z` : null);
  return {
    paper: {
      id: paper.id,
      authors: paper.authors.map((author, position) => ({
        _id: author.hfId ?? objectId('author', paper.id, String(position)),
        name: author.name,
        hidden: author.hidden,
      })),
      ...known('publishedAt', paper.publishedAt),
      ...known('submittedOnDailyAt', listedAt),
      title: paper.title,
      ...known('submittedOnDailyBy', submittedBy && { ...submittedBy, user: submitter.user }),
      summary: paper.abstract,
      upvotes: paper.upvotes,
      discussionId: objectId('discussion', paper.id),
      ...known('githubRepo', safeUrl(paper.githubRepo)),
      ...known('ai_summary', paper.aiSummary),
      ...(paper.aiKeywords.length > 0 && { ai_keywords: paper.aiKeywords }),
      ...known('githubStars', paper.githubStars),
      ...known('projectPage', safeUrl(paper.projectPage)),
      ...known('organization', organization),
    },
    publishedAt: listedAt ?? paper.publishedAt,
    title: paper.title,
    summary: paper.abstract,
    ...known('thumbnail', paper.thumbnail && safeUrl(absolute(paper.thumbnail, baseUrl))),
    mediaUrls: [],
    numComments: paper.numComments,
    ...known('submittedBy', submittedBy),
    ...known('organization', organization),
    isAuthorParticipating: false,
  };
}
