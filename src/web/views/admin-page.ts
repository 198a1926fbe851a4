import type { AuthorClaim } from '../../store/author-claims.ts';
import type { DigestRun } from '../../store/digests.ts';
import type { SubscriptionCount } from '../../store/subscriptions.ts';
import { formatCount } from '../../text/format.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import { type PageContext, renderPage } from './layout.ts';
import { memberLink } from './member-link.ts';
import { authorHref } from './paper-card.ts';
import { SUBSCRIBE_CSS } from './subscribe-form.ts';

export interface AdminPageData {
  mail: { kind: 'smtp' | 'outbox'; description: string };
  digestSchedule: string;
  counts: SubscriptionCount[];
  runs: DigestRun[];
  members: number;
  /** Author claims waiting for a decision, oldest first. */
  authorClaims: AuthorClaim[];
}

const STATUSES = ['active', 'pending', 'unsubscribed', 'bounced'] as const;

function authorClaimsSection(context: PageContext, claims: AuthorClaim[]): SafeHtml {
  const decide = (claim: AuthorClaim, decision: 'approve' | 'reject', label: string) =>
    html`<form method="post" action="/admin/author-claims/${claim.id}" class="inline-form">
      <input type="hidden" name="_csrf" value="${context.csrfToken}">
      <input type="hidden" name="decision" value="${decision}">
      <button type="submit" aria-label="${label} ${claim.username} as ${claim.authorName}"${decision === 'approve' ? html` class="button-primary"` : ''}>${label}</button>
    </form>`;
  return html`<section class="admin-section" aria-labelledby="author-claims-title">
  <h2 id="author-claims-title">Author claims</h2>
  ${
    claims.length === 0
      ? html`<p class="empty">No claims are waiting.</p>`
      : html`<table>
    <thead><tr><th>member</th><th>claims to be</th><th>since</th><th>decision</th></tr></thead>
    <tbody>${claims.map(
      (claim) =>
        html`<tr><td>${memberLink(claim.username)}</td><td><a href="${authorHref(claim.authorName)}">${claim.authorName}</a></td><td>${claim.createdAt.slice(0, 10)}</td><td>${decide(claim, 'approve', 'Approve')} ${decide(claim, 'reject', 'Reject')}</td></tr>`,
    )}</tbody>
  </table>`
  }
</section>`;
}

function countOf(counts: SubscriptionCount[], match: (count: SubscriptionCount) => boolean): number {
  return counts.filter(match).reduce((sum, count) => sum + count.count, 0);
}

export function renderAdminPage(context: PageContext, data: AdminPageData): string {
  const rows = (['daily', 'weekly'] as const).flatMap((frequency) =>
    [false, true].map((topical) => ({ frequency, topical })),
  );
  return renderPage(context, {
    title: 'Admin',
    body: html`${SUBSCRIBE_CSS}<div class="page-head"><div><h1>Admin</h1><p class="subtitle">${formatCount(data.members)} members</p></div></div>
<section class="admin-section" aria-labelledby="mail-title">
  <h2 id="mail-title">Mail</h2>
  ${
    data.mail.kind === 'outbox'
      ? html`<p class="notice notice-error" role="status"><strong>Outbox mode:</strong> ${data.mail.description}</p>`
      : html`<p class="notice" role="status"><strong>Sending:</strong> ${data.mail.description}</p>`
  }
  <p class="meta">${data.digestSchedule}</p>
</section>
${authorClaimsSection(context, data.authorClaims)}
<section class="admin-section" aria-labelledby="subscribers-title">
  <h2 id="subscribers-title">Subscribers</h2>
  <table>
    <thead><tr><th>digest</th>${STATUSES.map((status) => html`<th>${status}</th>`)}</tr></thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr><td>${row.frequency}, ${row.topical ? 'topics' : 'trending'}</td>${STATUSES.map(
            (status) =>
              html`<td>${formatCount(
                countOf(
                  data.counts,
                  (count) =>
                    count.status === status &&
                    count.frequency === row.frequency &&
                    count.topical === row.topical,
                ),
              )}</td>`,
          )}</tr>`,
      )}
      <tr><th>total</th>${STATUSES.map((status) => html`<th>${formatCount(countOf(data.counts, (count) => count.status === status))}</th>`)}</tr>
    </tbody>
  </table>
</section>
<section class="admin-section" aria-labelledby="runs-title">
  <h2 id="runs-title">Last digest runs</h2>
  ${
    data.runs.length === 0
      ? html`<p class="empty">No digest has been sent yet.</p>`
      : html`<table>
    <thead><tr><th>period</th><th>started</th><th>status</th><th>sent</th><th>nothing new</th><th>rejected</th><th>deferred</th><th>note</th></tr></thead>
    <tbody>${data.runs.map(
      (run) =>
        html`<tr><td>${run.period}</td><td>${run.startedAt.replace('T', ' ').slice(0, 19)}</td><td>${run.status}</td><td>${formatCount(run.sent)}</td><td>${formatCount(run.empty)}</td><td>${formatCount(run.rejected)}</td><td>${formatCount(run.deferred)}</td><td>${run.note ?? ''}</td></tr>`,
    )}</tbody>
  </table>`
  }
</section>`,
  });
}
