import type { Paper } from '../../domain/paper.ts';
import { html, raw, type SafeHtml } from '../../text/html.ts';
import { plainText } from '../../text/math.ts';
import { dayOf } from './paper-markdown.ts';

/** JSON for a `<script type="application/ld+json">` block: nothing in it can close the element. */
function jsonInHtml(value: unknown): SafeHtml {
  return raw(
    JSON.stringify(value)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );
}

/**
 * What Google Scholar, Zotero and search engines read from a paper page: Highwire Press `citation_*` tags
 * and a schema.org ScholarlyArticle.
 */
/** The page shows the whole abstract; metadata needs no more than this of it (a page stays near one copy). */
const MAX_ABSTRACT_IN_METADATA = 5_000;

export function scholarlyHead(paper: Paper, baseUrl: string): SafeHtml {
  const day = dayOf(paper);
  const pageUrl = `${baseUrl}/papers/${paper.id}`;
  const article = {
    '@context': 'https://schema.org',
    '@type': 'ScholarlyArticle',
    '@id': pageUrl,
    url: pageUrl,
    headline: plainText(paper.title).slice(0, 110),
    name: plainText(paper.title),
    abstract: plainText(paper.abstract).slice(0, MAX_ABSTRACT_IN_METADATA),
    author: paper.authors.map((author) => ({ '@type': 'Person', name: author.name })),
    ...(day && { datePublished: day }),
    identifier: { '@type': 'PropertyValue', propertyID: 'arXiv', value: paper.id },
    sameAs: paper.absUrl,
    ...(paper.categories.length > 0 && { keywords: paper.categories.join(', ') }),
    ...(paper.license && { license: paper.license }),
    encoding: { '@type': 'MediaObject', contentUrl: paper.pdfUrl, encodingFormat: 'application/pdf' },
  };
  return html`<meta name="citation_title" content="${plainText(paper.title)}">
${paper.authors.map((author) => html`<meta name="citation_author" content="${author.name}">\n`)}${day ? html`<meta name="citation_publication_date" content="${day.replaceAll('-', '/')}">\n` : ''}<meta name="citation_arxiv_id" content="${paper.id}">
<meta name="citation_pdf_url" content="${paper.pdfUrl}">
<meta name="citation_abstract_html_url" content="${pageUrl}">
${paper.doi ? html`<meta name="citation_doi" content="${paper.doi}">\n` : ''}<link rel="alternate" type="application/x-bibtex" title="BibTeX" href="/papers/${paper.id}.bib">
<link rel="alternate" type="text/markdown" title="Markdown" href="/papers/${paper.id}.md">
<script type="application/ld+json">${jsonInHtml(article)}</script>`;
}
