import { html, type SafeHtml } from '../../text/html.ts';
import { type ApiTokenSectionData, apiTokenSection } from './api-token-section.ts';
import { type FormState, field, formCard, NEW_PASSWORD_HINT, newAccountFields } from './forms.ts';
import { type PageContext, renderPage } from './layout.ts';

export function renderAccountPage(
  context: PageContext,
  state: FormState = {},
  /** The API tokens section; left out when not given (pages answering another form). */
  tokens?: ApiTokenSectionData,
  /** Sections of other features (the private feed), shown before "Your data". */
  more: SafeHtml | '' = '',
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
  ${more}
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
  const fields = html`<p class="meta">We will mail a link to choose a new password to the address of your account.</p>
${field(state, 'email', 'Email', 'email', { autocomplete: 'email' })}`;
  const card = {
    title: 'Forgot your password?',
    action: '/password/forgot',
    fields,
    submit: 'Mail me a link',
  };
  return formCard(context, state, card);
}

export function renderResetPasswordPage(context: PageContext, token: string, state: FormState = {}): string {
  const fields = field(state, 'password', 'New password', 'password', {
    autocomplete: 'new-password',
    hint: NEW_PASSWORD_HINT,
    keepValue: false,
  });
  const card = {
    title: 'Choose a new password',
    action: `/password/reset/${token}`,
    fields,
    submit: 'Set password',
  };
  return formCard(context, state, card);
}

export function renderAdminSetupPage(context: PageContext, token: string, state: FormState = {}): string {
  const fields = html`<p class="meta">This one-time link makes the site's first admin. It stops working once used.</p>
${newAccountFields(state)}`;
  const card = {
    title: 'Create the admin account',
    action: `/setup/${token}`,
    fields,
    submit: 'Create admin',
  };
  return formCard(context, state, card);
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
