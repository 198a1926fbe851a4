/** The digest mail: HTML (table layout, inline CSS, dark-mode safe) and a plain-text part with the same links. */
import type { DigestPeriod } from '../domain/digest-period.ts';
import { shortAbstract } from '../domain/digest-selection.ts';
import type { Paper } from '../domain/paper.ts';
import { type DigestTopics, hasTopics } from '../domain/subscription.ts';
import { COLORS, esc, FONT, heading, link, mailPage, paragraph } from './templates.ts';

export interface DigestLinks {
  view: string;
  manage: string;
  unsubscribe: string;
}

export interface DigestMailInput {
  baseUrl: string;
  period: DigestPeriod;
  topics: DigestTopics;
  papers: Paper[];
  links: DigestLinks;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

const dayFormat = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});
const number = new Intl.NumberFormat('en-US');

function formatDay(day: string): string {
  return dayFormat.format(new Date(`${day}T00:00:00Z`));
}

/** "Tue, Nov 24, 2026" or "week 48 of 2026". */
export function periodTitle(period: DigestPeriod): string {
  if (period.frequency === 'daily') return formatDay(period.label);
  return `week ${Number(period.label.slice(6))} of ${period.label.slice(0, 4)}`;
}

function topicSummary(topics: DigestTopics): string {
  const names = [
    ...topics.queries,
    ...topics.authors,
    ...topics.organizations.map((organization) => `@${organization}`),
  ];
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} +${names.length - 3}` : shown;
}

export function digestSubject(period: DigestPeriod, topics: DigestTopics): string {
  const when = periodTitle(period);
  if (hasTopics(topics)) return `Papers on ${topicSummary(topics)} · ${when}`;
  return period.frequency === 'daily' ? `Trending papers · ${when}` : `Top papers of ${when}`;
}

function authorLine(paper: Paper): string {
  const names = paper.authors.filter((author) => !author.hidden).map((author) => author.name);
  if (names.length <= 4) return names.join(', ');
  return `${names.slice(0, 3).join(', ')} et al. (${names.length} authors)`;
}

function organizationName(paper: Paper): string | null {
  return paper.organization ? (paper.organization.fullName ?? paper.organization.name) : null;
}

function paperLinks(paper: Paper, baseUrl: string): Array<[string, string]> {
  const links: Array<[string, string]> = [
    ['Paper page', `${baseUrl}/papers/${paper.id}`],
    ['arXiv', paper.absUrl],
    ['PDF', paper.pdfUrl],
  ];
  if (paper.githubRepo) links.push(['GitHub', paper.githubRepo]);
  if (paper.projectPage) links.push(['Project page', paper.projectPage]);
  return links;
}

function paperHtml(paper: Paper, index: number, baseUrl: string): string {
  const org = organizationName(paper);
  const meta = [
    `▲ ${number.format(paper.upvotes)} upvote${paper.upvotes === 1 ? '' : 's'}`,
    ...(org ? [esc(org)] : []),
  ].join(' · ');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 4px">
<tr><td class="dp-rule" style="padding:16px 0;border-top:${index === 0 ? 0 : 1}px solid ${COLORS.border}">
<p style="margin:0 0 6px;font-family:${FONT};font-size:18px;line-height:1.3;font-weight:bold">${link(`${baseUrl}/papers/${paper.id}`, paper.title, `color:${COLORS.text};text-decoration:none`, 'dp-text')}</p>
<p class="dp-muted" style="margin:0 0 6px;font-family:${FONT};font-size:13px;line-height:1.4;color:${COLORS.muted}">${esc(authorLine(paper))}</p>
<p class="dp-accent" style="margin:0 0 8px;font-family:${FONT};font-size:13px;font-weight:bold;color:${COLORS.accent}">${meta}</p>
<p class="dp-text" style="margin:0 0 8px;font-family:${FONT};font-size:15px;line-height:1.5;color:${COLORS.text}">${esc(shortAbstract(paper.abstract))}</p>
<p style="margin:0;font-family:${FONT};font-size:14px">${paperLinks(paper, baseUrl)
    .map(([text, href]) => link(href, text))
    .join(' &nbsp;·&nbsp; ')}</p>
</td></tr>
</table>`;
}

function paperText(paper: Paper, index: number, baseUrl: string): string {
  const org = organizationName(paper);
  return [
    `${index + 1}. ${paper.title.replace(/\s+/g, ' ')}`,
    `   ${authorLine(paper)}`,
    `   ▲ ${number.format(paper.upvotes)} upvotes${org ? ` · ${org}` : ''}`,
    '',
    ...wrap(shortAbstract(paper.abstract), 72).map((line) => `   ${line}`),
    '',
    ...paperLinks(paper, baseUrl).map(([text, href]) => `   ${text}: ${href}`),
  ].join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function intro(input: DigestMailInput): string {
  const count = input.papers.length;
  const what = `${count} paper${count === 1 ? '' : 's'}`;
  if (hasTopics(input.topics))
    return `${what} on your topics (${topicSummary(input.topics)}), best matches first.`;
  return input.period.frequency === 'daily'
    ? `${what} the community is upvoting now.`
    : `The ${what} the community upvoted most this week.`;
}

export function renderDigestMail(input: DigestMailInput): RenderedMail {
  const subject = digestSubject(input.period, input.topics);
  const { links, baseUrl } = input;
  const footer = [
    paragraph(
      `${link(links.view, 'View in browser')} &nbsp;·&nbsp; ${link(links.manage, 'Change frequency or topics')} &nbsp;·&nbsp; ${link(links.unsubscribe, 'Unsubscribe')}`,
      true,
    ),
    paragraph(
      `You get this because you subscribed to ${link(baseUrl, new URL(baseUrl).host)} digests. Unsubscribing takes one click.`,
      true,
    ),
  ].join('\n');
  const html = mailPage({
    title: subject,
    preheader: input.papers
      .slice(0, 3)
      .map((paper) => paper.title)
      .join(' · '),
    body: `${heading(subject)}\n${paragraph(esc(intro(input)), true)}\n${input.papers.map((paper, index) => paperHtml(paper, index, baseUrl)).join('\n')}`,
    footer,
  });
  const text = [
    subject,
    '='.repeat(Math.min(subject.length, 72)),
    '',
    intro(input),
    '',
    input.papers.map((paper, index) => paperText(paper, index, baseUrl)).join('\n\n'),
    '',
    '--',
    `View in browser: ${links.view}`,
    `Change frequency or topics: ${links.manage}`,
    `Unsubscribe: ${links.unsubscribe}`,
    '',
  ].join('\n');
  return { subject, html, text };
}
