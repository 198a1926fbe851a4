import type { Organization, Paper } from '../../domain/paper.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import type { PageContext } from './layout.ts';

/** Where pages find our copies of remote images (see services/image-mirror.ts). */
export interface ImageLinks {
  /** Our URL of the image's copy, or null while there is none. */
  localUrl(remote: string | null | undefined): string | null;
  /** Changes whenever a new copy is stored, so that cached pages show it. */
  readonly copies: number;
}

/** Up to two letters for a generated avatar: the first letters of the name's first two words. */
export function initials(name: string): string {
  const words = name.match(/[\p{L}\p{N}]+/gu) ?? [];
  const letters = words.length > 1 ? [words[0]?.[0], words[1]?.[0]] : [...(words[0] ?? '?').slice(0, 2)];
  return letters.join('').toUpperCase();
}

function hue(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash % 360;
}

/** An avatar drawn from the name (inline SVG: no request), for organizations without an image or offline. */
function generatedAvatar(name: string, className: string): SafeHtml {
  return html`<svg class="${className} avatar-generated" viewBox="0 0 40 40" role="img" aria-label="${name}"><rect width="40" height="40" rx="8" fill="hsl(${hue(name)} 45% 40%)"/><text x="20" y="25.5" text-anchor="middle" font-size="16" font-weight="600" font-family="system-ui, sans-serif" fill="#fff">${initials(name)}</text></svg>`;
}

/** The organization's avatar from our copy, else one generated from its name. */
export function organizationAvatar(org: Organization, context: PageContext, className: string): SafeHtml {
  const name = org.fullName ?? org.name;
  const local = context.images?.localUrl(org.avatarUrl) ?? null;
  return local
    ? html`<img class="${className}" src="${local}" alt="" loading="lazy">`
    : generatedAvatar(name, className);
}

/** The paper's thumbnail from our copy, linking to the paper; nothing while there is no copy. */
export function paperThumbnail(paper: Paper, context: PageContext): SafeHtml | '' {
  const local = context.images?.localUrl(paper.thumbnail) ?? null;
  if (!local) return '';
  return html`<a class="paper-thumb" href="/papers/${paper.id}" tabindex="-1" aria-hidden="true"><img src="${local}" alt="" loading="lazy" width="320" height="180"></a>`;
}
