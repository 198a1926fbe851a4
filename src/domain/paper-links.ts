import { arxivPdfUrl } from './arxiv-id.ts';
import type { Paper } from './paper.ts';
import { safeUrl } from './safe-url.ts';

export interface PaperLinks {
  arxiv: string | null;
  pdf: string;
  github: string | null;
  projectPage: string | null;
}

/** A paper's outbound links as pages, feeds and mails render them: each through the URL policy, or none. */
export function paperLinks(paper: Paper): PaperLinks {
  return {
    arxiv: safeUrl(paper.absUrl),
    pdf: safeUrl(paper.pdfUrl) ?? arxivPdfUrl(paper.id),
    github: safeUrl(paper.githubRepo),
    projectPage: safeUrl(paper.projectPage),
  };
}
