import { MIN_PASSWORD_LENGTH } from '../../services/password-policy.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import { type PageContext, renderPage } from './layout.ts';

export interface FormState {
  values?: Record<string, string>;
  errors?: Record<string, string>;
  notice?: string;
}

export function field(
  state: FormState,
  name: string,
  label: string,
  type: string,
  extra: { autocomplete?: string; hint?: string; keepValue?: boolean } = {},
): SafeHtml {
  const error = state.errors?.[name];
  const value = extra.keepValue === false ? '' : (state.values?.[name] ?? '');
  return html`<div class="field">
  <label for="${name}">${label}</label>
  <input id="${name}" name="${name}" type="${type}" value="${value}" required
    ${extra.autocomplete ? html`autocomplete="${extra.autocomplete}"` : ''}
    ${error ? html`aria-invalid="true" aria-describedby="${name}-error"` : ''}>
  ${extra.hint && !error ? html`<div class="meta">${extra.hint}</div>` : ''}
  ${error ? html`<div class="field-error" id="${name}-error" role="alert">${error}</div>` : ''}
</div>`;
}

/** A page of one form in a card: its title, where it posts, its fields, its button and what follows it. */
export interface FormCard {
  title: string;
  action: string;
  fields: SafeHtml;
  submit: string;
  after?: SafeHtml;
}

export function formCard(context: PageContext, state: FormState, card: FormCard): string {
  const formError = state.errors?.login ?? state.errors?.form;
  return renderPage(context, {
    title: card.title,
    body: html`<div class="form-card">
  <h1>${card.title}</h1>
  ${state.notice ? html`<p class="notice" role="status">${state.notice}</p>` : ''}
  ${formError ? html`<p class="notice notice-error" role="alert">${formError}</p>` : ''}
  <form method="post" action="${card.action}" novalidate>
    <input type="hidden" name="_csrf" value="${context.csrfToken}">
    ${state.values?.next ? html`<input type="hidden" name="next" value="${state.values.next}">` : ''}
    ${card.fields}
    <button class="button-primary" type="submit">${card.submit}</button>
  </form>
  ${card.after ?? ''}
</div>`,
  });
}

/** A new password's hint: what the password policy asks for. */
export const NEW_PASSWORD_HINT = `At least ${MIN_PASSWORD_LENGTH} characters, not a common password, not your name or email`;

/** The fields of a new account: username, email, password. */
export function newAccountFields(state: FormState): SafeHtml {
  return html`${field(state, 'username', 'Username', 'text', { autocomplete: 'username', hint: 'Letters, digits, - and _' })}
${field(state, 'email', 'Email', 'email', { autocomplete: 'email' })}
${field(state, 'password', 'Password', 'password', { autocomplete: 'new-password', hint: NEW_PASSWORD_HINT, keepValue: false })}`;
}

export function renderSignupPage(context: PageContext, state: FormState = {}): string {
  const after = html`<p class="meta">Already a member? <a href="/login">Log in</a></p>`;
  const fields = newAccountFields(state);
  return formCard(context, state, {
    title: 'Create your account',
    action: '/signup',
    fields,
    submit: 'Sign up',
    after,
  });
}

export function renderLoginPage(context: PageContext, state: FormState = {}): string {
  const fields = html`${field(state, 'username', 'Username or email', 'text', { autocomplete: 'username' })}
${field(state, 'password', 'Password', 'password', { autocomplete: 'current-password', keepValue: false })}`;
  const after = html`<p class="meta">New here? <a href="/signup">Create an account</a> · <a href="/password/forgot">Forgot your password?</a></p>`;
  return formCard(context, state, { title: 'Log in', action: '/login', fields, submit: 'Log in', after });
}

export function renderSubmitPage(
  context: PageContext,
  state: FormState & { rules: { perDay: number; maxAgeDays: number } },
): string {
  const fields = html`<p class="meta">Share a paper from the last ${state.rules.maxAgeDays} days with the community: paste its arXiv id or URL. You can submit ${state.rules.perDay} papers a day.</p>
${field(state, 'paper', 'arXiv id or URL', 'text', { hint: 'e.g. 2411.12345 or https://arxiv.org/abs/2411.12345' })}`;
  return formCard(context, state, {
    title: 'Submit a paper',
    action: '/submit',
    fields,
    submit: 'Submit paper',
  });
}

export function renderMessagePage(context: PageContext, title: string, message: string): string {
  return renderPage(context, {
    title,
    body: html`<div class="form-card"><h1>${title}</h1><p>${message}</p><p><a href="/">Back to today's papers</a></p></div>`,
  });
}
