import { html, type SafeHtml } from '../../text/html.ts';

/** Previous/next page links; nothing when everything fits on one page. */
export function pager(
  page: number,
  totalPages: number,
  href: (page: number) => string,
  labels: [string, string] = ['← Previous page', 'Next page →'],
): SafeHtml | '' {
  if (totalPages <= 1) return '';
  return html`<nav class="pager" aria-label="Pages">
  <span>${page > 0 ? html`<a href="${href(page - 1)}" rel="prev">${labels[0]}</a>` : ''}</span>
  <span>Page ${page + 1} of ${totalPages}</span>
  <span>${page + 1 < totalPages ? html`<a href="${href(page + 1)}" rel="next">${labels[1]}</a>` : ''}</span>
</nav>`;
}
