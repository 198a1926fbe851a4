import type { HfExtra, Paper } from '../../domain/paper.ts';
import { cleanAbstract, cleanTitle } from '../../domain/paper-text.ts';
import { safeUrl } from '../../domain/safe-url.ts';

type Json = Record<string, unknown>;

const HF_ORIGIN = 'https://huggingface.co';

function absolute(url: string, baseUrl: string): string {
  return url.startsWith('/') ? `${baseUrl}${url}` : url;
}

/** Adds the key only when the value is known, as Hugging Face leaves out what a paper does not have. */
function known<T>(key: string, value: T | null | undefined): Record<string, T> {
  return value === null || value === undefined ? {} : { [key]: value };
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Hugging Face's links kept as served, passed through our URL policy (its own relative paths made absolute). */
function link(value: unknown): string | null {
  return typeof value === 'string' ? safeUrl(absolute(value.trim(), HF_ORIGIN)) : null;
}

/** The imported account or organization, its avatar link through our URL policy. */
function withSafeAvatar(account: Json, key: 'avatar' | 'avatarUrl'): Json {
  const { [key]: avatar, ...rest } = account;
  return { ...rest, ...known(key, link(avatar)) };
}

/** Media links Hugging Face listed, those our URL policy allows. */
function mediaLinks(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map(link).filter((url): url is string => url !== null);
}

/** The imported text when it is what the stored text was cleaned from (a later arXiv import may replace it). */
function importedText(raw: unknown, stored: string, clean: (text: string) => string): string | undefined {
  return typeof raw === 'string' && clean(raw) === stored ? raw : undefined;
}

/** The imported author list (ids, accounts, statuses) when it names the stored authors, in order. */
function importedAuthors(raw: unknown, paper: Paper): unknown[] | undefined {
  if (!Array.isArray(raw) || raw.length !== paper.authors.length) return undefined;
  const same = raw.every(
    (author, index) => isObject(author) && String(author.name).trim() === paper.authors[index]?.name,
  );
  if (!same) return undefined;
  return (raw as Json[]).map((author) =>
    isObject(author.user) ? { ...author, user: withSafeAvatar(author.user, 'avatarUrl') } : author,
  );
}

/** What only Hugging Face knows of a paper, kept from the imported entry (see HfExtra). */
function paperOnlyFields(hfPaper: Json, paper: Paper): Json {
  const sameRepo = link(hfPaper.githubRepo) === safeUrl(paper.githubRepo);
  return {
    ...known('discussionId', typeof hfPaper.discussionId === 'string' ? hfPaper.discussionId : null),
    ...known('mediaUrls', mediaLinks(hfPaper.mediaUrls)),
    ...known('githubRepoAddedBy', sameRepo ? hfPaper.githubRepoAddedBy : null),
    ...known('ai_summary_model', paper.aiSummary ? hfPaper.ai_summary_model : null),
  };
}

/**
 * The account as imported when it is the stored submitter, else what we store of it; none where the imported
 * entry had none (Hugging Face's older entries name the submitter only at the top level).
 */
function submitterOf(
  paper: Paper,
  extra: HfExtra | null,
  imported: unknown,
  nameKey: 'user' | 'name',
): Json | undefined {
  const submitter = paper.daily?.submittedBy;
  if (!submitter || (extra && imported === undefined)) return undefined;
  if (isObject(imported) && (imported.user ?? imported.name) === submitter.user)
    return withSafeAvatar(imported, 'avatarUrl');
  return {
    ...known('avatarUrl', safeUrl(submitter.avatarUrl)),
    fullname: submitter.fullname ?? submitter.user,
    [nameKey]: submitter.user,
    ...(nameKey === 'user' && { name: submitter.user }),
    type: 'user',
  };
}

function organizationOf(paper: Paper, imported: unknown): Json | undefined {
  const organization = paper.organization;
  if (!organization) return undefined;
  if (isObject(imported) && imported.name === organization.name) return withSafeAvatar(imported, 'avatar');
  return {
    name: organization.name,
    fullname: organization.fullName ?? organization.name,
    ...known('avatar', safeUrl(organization.avatarUrl)),
  };
}

/**
 * A paper in the shape of an entry of Hugging Face's `GET /api/daily_papers`, field names and types alike. What a
 * Hugging Face import kept (`hfExtra`, null for a paper not imported from there) is served as imported; what we
 * cannot know is left out, never made up.
 */
export function toHfDailyEntry(
  paper: Paper,
  hfExtra: HfExtra | null,
  baseUrl: string,
): Record<string, unknown> {
  const extra: HfExtra = hfExtra ?? {};
  const hfPaper = isObject(extra.paper) ? extra.paper : {};
  const imported = hfExtra !== null;
  const listedAt = paper.daily?.submittedAt;
  const organization = organizationOf(paper, hfPaper.organization ?? extra.organization);
  const importedTitle = importedText(hfPaper.title, paper.title, cleanTitle);
  const importedSummary = importedText(hfPaper.summary, paper.abstract, cleanAbstract);
  const title = importedTitle ?? paper.title;
  const summary = importedSummary ?? paper.abstract;
  // The entry's own title and summary (which may differ from the paper's) while the paper's text is the import's.
  const entryText = (key: 'title' | 'summary', fromImport: string | undefined) =>
    fromImport !== undefined && typeof extra[key] === 'string' ? (extra[key] as string) : undefined;
  return {
    paper: {
      id: paper.id,
      authors:
        importedAuthors(hfPaper.authors, paper) ??
        paper.authors.map((author) => ({
          ...known('_id', author.hfId),
          name: author.name,
          hidden: author.hidden,
        })),
      ...known('publishedAt', paper.publishedAt),
      ...known('submittedOnDailyAt', listedAt),
      title,
      ...known('submittedOnDailyBy', submitterOf(paper, hfExtra, hfPaper.submittedOnDailyBy, 'user')),
      summary,
      upvotes: paper.upvotes,
      ...known('githubRepo', safeUrl(paper.githubRepo)),
      ...known('ai_summary', paper.aiSummary),
      ...(paper.aiKeywords.length > 0 && { ai_keywords: paper.aiKeywords }),
      ...known('githubStars', paper.githubStars),
      ...known('projectPage', safeUrl(paper.projectPage)),
      ...known('organization', organization),
      ...paperOnlyFields(hfPaper, paper),
    },
    // Hugging Face's top-level publishedAt is the paper's date, not the listing's.
    publishedAt:
      (typeof extra.publishedAt === 'string' ? extra.publishedAt : null) ?? paper.publishedAt ?? listedAt,
    title: entryText('title', importedTitle) ?? title,
    ...(imported ? known('summary', entryText('summary', importedSummary)) : { summary }),
    // An imported entry without a thumbnail had only a video (mediaUrl), which we show as its picture.
    ...(!imported || 'thumbnail' in extra
      ? known('thumbnail', paper.thumbnail && safeUrl(absolute(paper.thumbnail, baseUrl)))
      : {}),
    ...known('mediaUrl', link(extra.mediaUrl)),
    ...known('mediaUrls', mediaLinks(extra.mediaUrls)),
    numComments: paper.numComments,
    ...known('submittedBy', submitterOf(paper, hfExtra, extra.submittedBy, 'name')),
    ...known('organization', organizationOf(paper, extra.organization)),
    ...known(
      'submitterOrganization',
      isObject(extra.submitterOrganization) ? withSafeAvatar(extra.submitterOrganization, 'avatar') : null,
    ),
    ...known(
      'isAuthorParticipating',
      typeof extra.isAuthorParticipating === 'boolean' ? extra.isAuthorParticipating : null,
    ),
  };
}
