import { html, type SafeHtml } from '../../text/html.ts';
import type { PageContext } from './layout.ts';

/** The digest pages' own stylesheet (allowed in <body>), so they need nothing from the site-wide one. */
export const SUBSCRIBE_CSS = html`<link rel="stylesheet" href="/assets/subscribe.css">`;

/**
 * The call to action on list pages and paper pages: email, daily or weekly, an optional topic. Works without
 * JavaScript; the full form (several topics, authors, organizations) is at /subscribe.
 */
/**
 * The token of a subscribe form: a member's only. An anonymous visitor's form has none, so the page is the same
 * for everyone (a CDN may keep it); POST /subscribe checks instead that an anonymous post comes from this site.
 */
export function subscribeToken(context: PageContext): SafeHtml | '' {
  return context.member ? html`<input type="hidden" name="_csrf" value="${context.csrfToken}">` : '';
}

export function subscribeForm(context: PageContext, options: { topic?: string } = {}): SafeHtml {
  const id = (name: string) => `subscribe-${name}`;
  return html`${SUBSCRIBE_CSS}<section class="subscribe-box" aria-labelledby="${id('title')}">
  <h2 id="${id('title')}">Get trending papers in your email inbox!</h2>
  <form method="post" action="/subscribe" class="subscribe-form">
    ${subscribeToken(context)}
    <input type="hidden" name="next" value="${context.path}">
    <label class="visually-hidden" for="${id('email')}">Email address</label>
    <input id="${id('email')}" name="email" type="email" required autocomplete="email" placeholder="you@example.org" value="${context.member?.email ?? ''}">
    <label class="visually-hidden" for="${id('frequency')}">How often</label>
    <select id="${id('frequency')}" name="frequency">
      <option value="daily">Daily (weekdays)</option>
      <option value="weekly">Weekly</option>
    </select>
    <label class="visually-hidden" for="${id('topic')}">Only about (optional)</label>
    <input id="${id('topic')}" name="queries" type="text" maxlength="100" placeholder="Only about… (optional topic)" value="${options.topic ?? ''}">
    <button class="button-primary" type="submit">Subscribe</button>
  </form>
  <p class="meta">We send a confirmation link first; every mail has a one-click unsubscribe. <a href="/subscribe">More options</a></p>
</section>`;
}
