import { MIN_PASSWORD_LENGTH } from '../../services/password-policy.ts';
import { html } from '../../text/html.ts';
import { type ApiTokenSectionData, apiTokenSection } from './api-token-section.ts';
import { type FormState, field, formCard } from './forms.ts';
import { type PageContext, renderPage } from './layout.ts';

const NEW_PASSWORD_HINT = `At least ${MIN_PASSWORD_LENGTH} characters, not a common password, not your name or email`;

export function renderAccountPage(
  context: PageContext,
  state: FormState = {},
  /** The API tokens section; left out when not given (pages answering another form). */
  tokens?: ApiTokenSectionData,
): string {
  const member = context.member;
  const formError = state.errors?.form;
  return renderPage(context, {
    title: 'Your account',
    body: html`<div class="form-card">
  <h1>Your account</h1>
  ${state.notice ? html`<p class="notice" role="status">${state.notice}</p>` : ''}
  ${formError ? html`<p class="notice notice-error" role="alert">${formError}</p>` : ''}
  <section aria-labelledby="email-heading">
    <h2 id="email-heading">Email</h2>
    <p>${member?.email ?? ''}: ${member?.emailVerified ? 'confirmed' : 'not confirmed yet'}</p>
    ${
      member && !member.emailVerified
        ? html`<p class="meta">Confirm your address to upvote, comment and submit papers: open the link we mailed you.</p>
    <form method="post" action="/account/verify/resend">
      <input type="hidden" name="_csrf" value="${context.csrfToken}">
      <button type="submit">Resend the confirmation mail</button>
    </form>`
        : ''
    }
  </section>
  <section aria-labelledby="password-heading">
    <h2 id="password-heading">Change your password</h2>
    <form method="post" action="/account/password" novalidate>
      <input type="hidden" name="_csrf" value="${context.csrfToken}">
      ${field(state, 'current', 'Current password', 'password', { autocomplete: 'current-password', keepValue: false })}
      ${field(state, 'password', 'New password', 'password', { autocomplete: 'new-password', hint: NEW_PASSWORD_HINT, keepValue: false })}
      <button class="button-primary" type="submit">Change password</button>
    </form>
  </section>
  ${tokens ? apiTokenSection(context, tokens) : ''}
  <section aria-labelledby="data-heading">
    <h2 id="data-heading">Your data</h2>
    <p><a href="/account/export" download>Download your data</a> (JSON: profile, upvotes, comments, submissions, subscriptions, API tokens, author claims)</p>
  </section>
  <section aria-labelledby="delete-heading">
    <h2 id="delete-heading">Delete your account</h2>
    <p class="meta">Your sessions and digest subscriptions are deleted. Your comments, submissions and upvotes stay, under an anonymous name.</p>
    <form method="post" action="/account/delete" novalidate>
      <input type="hidden" name="_csrf" value="${context.csrfToken}">
      ${field(state, 'confirm', 'Your password, to confirm', 'password', { autocomplete: 'current-password', keepValue: false })}
      <button type="submit">Delete my account</button>
    </form>
  </section>
</div>`,
  });
}

export function renderForgotPasswordPage(context: PageContext, state: FormState = {}): string {
  return formCard(
    context,
    'Forgot your password?',
    '/password/forgot',
    state,
    html`<p class="meta">We will mail a link to choose a new password to the address of your account.</p>
${field(state, 'email', 'Email', 'email', { autocomplete: 'email' })}`,
    'Mail me a link',
  );
}

export function renderResetPasswordPage(context: PageContext, token: string, state: FormState = {}): string {
  return formCard(
    context,
    'Choose a new password',
    `/password/reset/${token}`,
    state,
    field(state, 'password', 'New password', 'password', {
      autocomplete: 'new-password',
      hint: NEW_PASSWORD_HINT,
      keepValue: false,
    }),
    'Set password',
  );
}

export function renderAdminSetupPage(context: PageContext, token: string, state: FormState = {}): string {
  return formCard(
    context,
    'Create the admin account',
    `/setup/${token}`,
    state,
    html`<p class="meta">This one-time link makes the site's first admin. It stops working once used.</p>
${field(state, 'username', 'Username', 'text', { autocomplete: 'username', hint: 'Letters, digits, - and _' })}
${field(state, 'email', 'Email', 'email', { autocomplete: 'email' })}
${field(state, 'password', 'Password', 'password', { autocomplete: 'new-password', hint: NEW_PASSWORD_HINT, keepValue: false })}`,
    'Create admin',
  );
}

/** The answer to voting, commenting or submitting before the email is confirmed. */
export function renderConfirmEmailFirstPage(context: PageContext, message: string): string {
  return renderPage(context, {
    title: 'Confirm your email first',
    body: html`<div class="form-card">
  <h1>Confirm your email first</h1>
  <p>${message}</p>
  <form method="post" action="/account/verify/resend">
    <input type="hidden" name="_csrf" value="${context.csrfToken}">
    <button class="button-primary" type="submit">Resend the confirmation mail</button>
  </form>
</div>`,
  });
}
