/** The digest mail: HTML (table layout, inline CSS, dark-mode safe) and a plain-text part with the same links. */

import type { DigestPeriod } from '../domain/digest-period.ts';
import { shortAbstract } from '../domain/digest-selection.ts';
import type { Paper } from '../domain/paper.ts';
import { paperLinks } from '../domain/paper-links.ts';
import { type DigestTopics, hasTopics } from '../domain/subscription.ts';
import { excerptTex, texToPlainText } from '../domain/tex-text.ts';
import { formatCount, formatDay } from '../text/format.ts';
import { renderTexTokens, renderTextWithMath } from '../text/math.ts';
import { headerField, mailDate, multipartAlternative, parseMailbox, qpPiece } from './mime.ts';
import {
  COLORS,
  esc,
  FONT,
  heading,
  link,
  linkHtml,
  mailPieces,
  type Piece,
  paragraph,
  piece,
} from './templates.ts';

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

/** "Tue, Nov 24, 2026" or "week 48 of 2026". */
export function periodTitle(period: DigestPeriod): string {
  if (period.frequency === 'daily') return formatDay(period.label);
  return `week ${Number(period.label.slice(6))} of ${period.label.slice(0, 4)}`;
}

/** The topics for a subject line: the first three, and how many more. */
export function topicSummary(topics: DigestTopics): string {
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

function mailLinks(paper: Paper, baseUrl: string): Array<[string, string]> {
  const outbound = paperLinks(paper);
  const links: Array<[string, string]> = [['Paper page', `${baseUrl}/papers/${paper.id}`]];
  if (outbound.arxiv) links.push(['arXiv', outbound.arxiv]);
  links.push(['PDF', outbound.pdf]);
  if (outbound.github) links.push(['GitHub', outbound.github]);
  if (outbound.projectPage) links.push(['Project page', outbound.projectPage]);
  return links;
}

// Mail clients have no KaTeX stylesheet: math is shown as its TeX, text-mode commands and emphasis as HTML.
const MAIL_TEXT = { math: 'source' } as const;
const SHORT_ABSTRACT = 280;

function paperHtml(paper: Paper, index: number, baseUrl: string): string {
  const org = organizationName(paper);
  const meta = [
    `▲ ${formatCount(paper.upvotes)} upvote${paper.upvotes === 1 ? '' : 's'}`,
    ...(org ? [esc(org)] : []),
  ].join(' · ');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 4px">
<tr><td class="dp-rule" style="padding:16px 0;border-top:${index === 0 ? 0 : 1}px solid ${COLORS.border}">
<p style="margin:0 0 6px;font-family:${FONT};font-size:18px;line-height:1.3;font-weight:bold">${linkHtml(`${baseUrl}/papers/${paper.id}`, renderTextWithMath(paper.title, MAIL_TEXT).value, `color:${COLORS.text};text-decoration:none`, 'dp-text')}</p>
<p class="dp-muted" style="margin:0 0 6px;font-family:${FONT};font-size:13px;line-height:1.4;color:${COLORS.muted}">${esc(authorLine(paper))}</p>
<p class="dp-accent" style="margin:0 0 8px;font-family:${FONT};font-size:13px;font-weight:bold;color:${COLORS.accent}">${meta}</p>
<p class="dp-text" style="margin:0 0 8px;font-family:${FONT};font-size:15px;line-height:1.5;color:${COLORS.text}">${renderTexTokens(excerptTex(paper.abstract, SHORT_ABSTRACT), MAIL_TEXT).value}</p>
<p style="margin:0;font-family:${FONT};font-size:14px">${mailLinks(paper, baseUrl)
    .map(([text, href]) => link(href, text))
    .join(' &nbsp;·&nbsp; ')}</p>
</td></tr>
</table>`;
}

function paperText(paper: Paper, index: number, baseUrl: string): string {
  const org = organizationName(paper);
  return [
    `${index + 1}. ${texToPlainText(paper.title)}`,
    `   ${authorLine(paper)}`,
    `   ▲ ${formatCount(paper.upvotes)} upvotes${org ? ` · ${org}` : ''}`,
    '',
    ...wrap(shortAbstract(texToPlainText(paper.abstract), SHORT_ABSTRACT), 72).map((line) => `   ${line}`),
    '',
    ...mailLinks(paper, baseUrl).map(([text, href]) => `   ${text}: ${href}`),
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

/** The headers and envelope of one digest. */
export interface DigestEnvelope {
  from: string;
  to: string;
  messageId: string;
  date: Date;
  /** Extra header fields, e.g. List-Unsubscribe. */
  headers: Record<string, string>;
}

/**
 * Renders the digests of one period. The papers' parts are rendered and quoted-printable-encoded once and shared
 * by every digest of the run; each subscriber's own parts (subject and intro for their topics, links) are small.
 */
export class DigestComposer {
  private readonly papers = new Map<string, { html: Piece; text: Piece }>();
  private readonly encoded = new Map<string, string>();

  constructor(
    private readonly baseUrl: string,
    private readonly period: DigestPeriod,
  ) {}

  private paperPieces(paper: Paper, index: number): { html: Piece; text: Piece } {
    const key = `${index}\u0000${paper.id}`;
    let pieces = this.papers.get(key);
    if (!pieces) {
      pieces = {
        html: piece(paperHtml(paper, index, this.baseUrl), true),
        text: piece(`${paperText(paper, index, this.baseUrl)}\n`, true),
      };
      // Bounded by the period's papers times the digest size: a few thousand entries at most.
      this.papers.set(key, pieces);
    }
    return pieces;
  }

  private pieces(input: Omit<DigestMailInput, 'baseUrl' | 'period'>) {
    const { links, papers, topics } = input;
    const full = { ...input, baseUrl: this.baseUrl, period: this.period };
    const subject = digestSubject(this.period, topics);
    const blocks = papers.map((paper, index) => this.paperPieces(paper, index));
    const html = mailPieces({
      title: subject,
      preheader: papers
        .slice(0, 3)
        .map((paper) => texToPlainText(paper.title))
        .join(' · '),
      body: [
        piece(`${heading(subject)}\n${paragraph(esc(intro(full)), true)}`),
        ...blocks.map((block) => block.html),
      ],
      footer: [
        piece(
          [
            paragraph(
              `${link(links.view, 'View in browser')} &nbsp;·&nbsp; ${link(links.manage, 'Change frequency or topics')} &nbsp;·&nbsp; ${link(links.unsubscribe, 'Unsubscribe')}`,
              true,
            ),
            paragraph(
              `You get this because you subscribed to ${link(this.baseUrl, new URL(this.baseUrl).host)} digests. Unsubscribing takes one click.`,
              true,
            ),
          ].join('\n'),
        ),
      ],
    });
    const text = [
      piece([subject, '='.repeat(Math.min(subject.length, 72)), '', intro(full), '', ''].join('\n')),
      ...blocks.map((block) => block.text),
      piece(
        [
          '--',
          `View in browser: ${links.view}`,
          `Change frequency or topics: ${links.manage}`,
          `Unsubscribe: ${links.unsubscribe}`,
        ].join('\n'),
      ),
    ];
    return { subject, html, text };
  }

  /** Subject, HTML and text, e.g. for the "view in browser" page. */
  render(input: Omit<DigestMailInput, 'baseUrl' | 'period'>): RenderedMail {
    const { subject, html, text } = this.pieces(input);
    const join = (parts: Piece[]) => parts.map((part) => part.text).join('');
    return { subject, html: join(html), text: join(text) };
  }

  private encode(parts: Piece[]): string {
    let out = '';
    for (const part of parts) {
      if (!part.shared) {
        out += qpPiece(part.text);
        continue;
      }
      let encoded = this.encoded.get(part.text);
      if (encoded === undefined) {
        encoded = qpPiece(part.text);
        this.encoded.set(part.text, encoded);
      }
      out += encoded;
    }
    return out;
  }

  /** The whole message, ready for SMTP (CRLF, quoted-printable text and HTML parts). */
  message(input: Omit<DigestMailInput, 'baseUrl' | 'period'>, envelope: DigestEnvelope): string {
    const { subject, html, text } = this.pieces(input);
    const headers = [
      ...Object.entries(envelope.headers).map(([name, value]) => headerField(name, value)),
      headerField('From', parseMailbox(envelope.from).header),
      headerField('To', envelope.to),
      headerField('Subject', subject),
      headerField('Message-ID', envelope.messageId),
      headerField('Date', mailDate(envelope.date)),
    ];
    return multipartAlternative(headers, this.encode(text), this.encode(html));
  }
}

export function renderDigestMail(input: DigestMailInput): RenderedMail {
  return new DigestComposer(input.baseUrl, input.period).render(input);
}
