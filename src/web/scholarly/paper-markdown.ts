import type { Paper } from '../../domain/paper.ts';

/** A date as YYYY-MM-DD, or null when unknown. */
export function dayOf(paper: Paper): string | null {
  return paper.publishedAt?.slice(0, 10) ?? paper.daily?.day ?? null;
}

/**
 * The paper as Markdown, what Hugging Face serves at `/papers/{id}.md` for `read_paper`: title, authors,
 * dates, links and the abstract, the text as imported.
 */
export function renderPaperMarkdown(paper: Paper, baseUrl: string): string {
  const day = dayOf(paper);
  const facts: Array<[string, string | null]> = [
    ['Authors', paper.authors.map((author) => author.name).join(', ') || null],
    ['Published', day],
    ['Listed', paper.daily?.day ?? null],
    ['Organization', paper.organization ? (paper.organization.fullName ?? paper.organization.name) : null],
    ['Upvotes', String(paper.upvotes)],
    ['arXiv', paper.absUrl],
    ['PDF', paper.pdfUrl],
    ['GitHub', paper.githubRepo],
    ['Project page', paper.projectPage],
    ['Paper page', `${baseUrl}/papers/${paper.id}`],
  ];
  const lines = [`# ${paper.title}`, ''];
  for (const [label, value] of facts) if (value) lines.push(`- **${label}:** ${value}`);
  if (paper.aiSummary) lines.push('', '## AI-generated summary', '', paper.aiSummary);
  lines.push('', '## Abstract', '', paper.abstract, '');
  return lines.join('\n');
}
