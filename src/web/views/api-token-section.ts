import { MAX_TOKEN_NAME_LENGTH } from '../../services/api-tokens.ts';
import type { ApiToken } from '../../store/api-tokens.ts';
import { formatDate } from '../../text/format.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import type { PageContext } from './layout.ts';

export interface ApiTokenSectionData {
  tokens: ApiToken[];
  /** The secret of the token just created: shown this once, never again. */
  created?: { name: string; token: string };
  /** The problem with the name given, when creating failed. */
  error?: string;
}

/** The account page's personal API tokens: the list, revoke buttons and the form making a new one. */
export function apiTokenSection(context: PageContext, data: ApiTokenSectionData): SafeHtml {
  return html`<section aria-labelledby="tokens-heading">
    <h2 id="tokens-heading">API tokens</h2>
    <p class="hint">Scripts use a token to act as you through <a href="/api/docs">the API</a> (upvotes, your profile): send it as <code>Authorization: Bearer …</code>. Anyone holding it can do so: keep it secret, revoke it when unused.</p>
    ${
      data.created
        ? html`<div class="notice" role="status">
      <p>Your new token “${data.created.name}”. Copy it now: it is shown only this once.</p>
      <p><code class="token-secret" data-testid="new-token">${data.created.token}</code></p>
    </div>`
        : ''
    }
    ${
      data.tokens.length === 0
        ? html`<p class="meta">You have no tokens.</p>`
        : html`<ul class="token-list">${data.tokens.map(
            (token) => html`<li>
      <span><strong>${token.name}</strong> <span class="meta">created ${formatDate(token.createdAt)} · ${token.lastUsedAt ? `last used ${formatDate(token.lastUsedAt)}` : 'never used'}</span></span>
      <form method="post" action="/account/tokens/${token.id}/revoke" class="inline-form">
        <input type="hidden" name="_csrf" value="${context.csrfToken}">
        <button type="submit" aria-label="Revoke token ${token.name}">Revoke</button>
      </form>
    </li>`,
          )}</ul>`
    }
    <form method="post" action="/account/tokens" novalidate>
      <input type="hidden" name="_csrf" value="${context.csrfToken}">
      <div class="field">
        <label for="token-name">Token name</label>
        <input id="token-name" name="name" type="text" required maxlength="${MAX_TOKEN_NAME_LENGTH}" placeholder="e.g. my upvote script"
          ${data.error ? html`aria-invalid="true" aria-describedby="token-name-error"` : ''}>
        ${data.error ? html`<div class="field-error" id="token-name-error" role="alert">${data.error}</div>` : ''}
      </div>
      <button class="button-primary" type="submit">Create token</button>
    </form>
  </section>`;
}
