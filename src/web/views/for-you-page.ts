import type { Paper } from '../../domain/paper.ts';
import type { DigestFrequency } from '../../domain/subscription.ts';
import type { ForYouItem } from '../../services/for-you.ts';
import { formatDay } from '../../text/format.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import { type PageContext, renderPage } from './layout.ts';
import { periodTabs } from './list-page.ts';
import { paperCard } from './paper-card.ts';
import { notInterestedButton, reasonsBadge } from './personal-controls.ts';

/** Seed searches offered to a member with no signal yet, each followed with one click. */
export const SEED_TOPICS: Array<[label: string, query: string]> = [
  ['Large language models', 'large language models'],
  ['Reinforcement learning', 'reinforcement learning'],
  ['Diffusion models', 'diffusion models'],
  ['Computer vision', 'cat:cs.CV'],
  ['Robotics', 'cat:cs.RO'],
  ['AI safety and alignment', 'alignment safety'],
];

export interface ForYouPageData {
  items: ForYouItem[];
  upvoted: Set<string>;
  saved: ReadonlyMap<string, string[]>;
  coldStart: boolean;
  window: { fromDay: string; toDay: string } | null;
  /** "More like this tag". */
  tag: string | null;
  /** The private feed's path, when the member made one. */
  feedPath: string | null;
  /** How often the member gets this list by mail, or null. */
  digest: DigestFrequency | null;
}

function digestForm(context: PageContext, digest: DigestFrequency | null): SafeHtml {
  const option = (value: string, label: string) =>
    html`<option value="${value}"${(digest ?? 'off') === value ? html` selected` : ''}>${label}</option>`;
  return html`<form class="topic-form digest-form" method="post" action="/for-you/digest">
  <input type="hidden" name="_csrf" value="${context.csrfToken}">
  <label for="for-you-digest">Get this list by mail</label>
  <select id="for-you-digest" name="frequency">${option('off', 'Never')}${option('daily', 'Daily')}${option('weekly', 'Weekly')}</select>
  <button class="button" type="submit">Save</button>
</form>`;
}

function onboarding(context: PageContext): SafeHtml {
  const csrf = html`<input type="hidden" name="_csrf" value="${context.csrfToken}">`;
  return html`<section class="onboarding" aria-labelledby="onboarding-title">
  <h2 id="onboarding-title">Tell us what you read</h2>
  <p>Follow a few topics to start: your list then learns from what you upvote, save and mark “Not interested”. Until then, here are the community’s favourites.</p>
  <ul class="seed-topics">${SEED_TOPICS.map(
    ([label, query]) => html`<li><form method="post" action="/follows">${csrf}
      <input type="hidden" name="next" value="/for-you"><input type="hidden" name="kind" value="topic">
      <input type="hidden" name="target" value="${query}"><input type="hidden" name="label" value="${label}">
      <button class="button" type="submit">+ ${label}</button></form></li>`,
  )}</ul>
  <form class="topic-form" method="post" action="/follows">${csrf}
    <input type="hidden" name="next" value="/for-you"><input type="hidden" name="kind" value="topic">
    <label for="seed-query">Or follow a search of your own</label>
    <input id="seed-query" name="target" placeholder="e.g. offline RL uncertainty cat:cs.LG" maxlength="500" required>
    <button class="button button-primary" type="submit">Follow</button>
  </form>
</section>`;
}

export function renderForYouPage(context: PageContext, data: ForYouPageData): string {
  const back = data.tag ? `/for-you?tag=${encodeURIComponent(data.tag)}` : '/for-you';
  const heading = data.tag ? `More like “${data.tag}”` : 'For you';
  const span = data.window ? `${formatDay(data.window.fromDay)} to ${formatDay(data.window.toDay)}` : '';
  const card = (item: ForYouItem) =>
    paperCard(item.paper, context, data.upvoted.has(item.paper.id), {
      badges: reasonsBadge(item.reasons),
      savedTags: data.saved.get(item.paper.id),
      actions: notInterestedButton(context, item.paper.id, back),
    });
  const papers: Paper[] = data.items.map((item) => item.paper);
  return renderPage(context, {
    title: heading,
    description: 'Recent papers ranked for you',
    body: html`<div class="page-head">
  <div>
    <h1>${heading}</h1>
    <p class="subtitle">Recent papers${span ? ` (${span})` : ''}, ranked by what you upvote, save and follow${data.tag ? html` · <a href="/for-you">all of For you</a>` : ''}</p>
  </div>
  ${periodTabs(context, 'for-you')}
</div>
<p class="personal-links"><a href="/following">What you follow</a> · <a href="/library">Your library</a>${data.feedPath ? html` · <a href="${data.feedPath}.xml">Private RSS</a>` : html` · <a href="/account#private-feed">Get a private feed</a>`}</p>
${data.coldStart && !data.tag ? onboarding(context) : ''}
${data.tag ? '' : digestForm(context, data.digest)}
${papers.length === 0 ? html`<p class="empty">No recent papers to rank yet.</p>` : html`<ol class="paper-list">${data.items.map(card)}</ol>`}`,
  });
}
