import type { Organization, Paper } from '../../domain/paper.ts';
import { formatCount } from '../../text/format.ts';
import { html } from '../../text/html.ts';
import { profileFeedLinks } from '../feeds/feed-links.ts';
import { type AuthorClaimState, authorClaimSection } from './author-claim-section.ts';
import { organizationAvatar } from './images.ts';
import { type PageContext, renderPage } from './layout.ts';
import { pager } from './pager.ts';
import { paperList } from './paper-card.ts';

export interface ProfilePageData {
  kind: 'author' | 'organization';
  name: string;
  organization: Organization | null;
  papers: Paper[];
  total: number;
  totalUpvotes: number;
  upvoted: Set<string>;
  page: number;
  totalPages: number;
  /** Author pages: who claimed it. */
  claim?: AuthorClaimState;
}

export function renderProfilePage(context: PageContext, data: ProfilePageData): string {
  const title = data.organization?.fullName ?? data.name;
  const href = (page: number) => `${context.path}?p=${page}`;
  return renderPage(context, {
    title,
    feeds: profileFeedLinks(data.kind, data.name),
    description: `${formatCount(data.total)} papers ${data.kind === 'author' ? 'by' : 'from'} ${title} on Dailypapers`,
    body: html`<div class="profile-head">
  ${data.organization ? organizationAvatar(data.organization, context, 'profile-avatar') : ''}
  <div>
    <p class="label">${data.kind === 'author' ? 'Author' : 'Organization'}</p>
    <h1>${title}</h1>
    <div class="stats">
      <span><strong>${formatCount(data.total)}</strong> papers</span>
      <span><strong>${formatCount(data.totalUpvotes)}</strong> upvotes on this page</span>
    </div>
    ${data.claim ? authorClaimSection(context, data.name, data.claim) : ''}
  </div>
</div>
${paperList(data.papers, context, data.upvoted, 'No papers yet.')}
${pager(data.page, data.totalPages, href, ['← Newer', 'Older →'])}`,
  });
}
