import type { Subscription } from '../../domain/subscription.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import type { FormState } from './forms.ts';
import { type PageContext, renderPage } from './layout.ts';
import { SUBSCRIBE_CSS, subscribeToken } from './subscribe-form.ts';

function fieldError(state: FormState, name: string): SafeHtml | '' {
  const error = state.errors?.[name];
  return error ? html`<div class="field-error" id="${name}-error" role="alert">${error}</div>` : '';
}

const invalid = (state: FormState, name: string) =>
  state.errors?.[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : '';

function frequencyField(state: FormState): SafeHtml {
  const chosen = state.values?.frequency === 'weekly' ? 'weekly' : 'daily';
  const option = (value: string, label: string, hint: string) =>
    html`<label class="choice"><input type="radio" name="frequency" value="${value}"${chosen === value ? html` checked` : ''}> ${label} <span class="meta">${hint}</span></label>`;
  return html`<fieldset class="field">
  <legend>How often</legend>
  ${option('daily', 'Daily', 'Monday to Friday; Monday’s covers the weekend')}
  ${option('weekly', 'Weekly', 'on Mondays, the best of the week before')}
  ${fieldError(state, 'frequency')}
</fieldset>`;
}

function topicField(state: FormState, name: string, label: string, hint: string): SafeHtml {
  return html`<div class="field">
  <label for="${name}">${label}</label>
  <textarea id="${name}" name="${name}" rows="3"${invalid(state, name)}>${state.values?.[name] ?? ''}</textarea>
  <div class="meta">${hint}</div>
  ${fieldError(state, name)}
</div>`;
}

function topicFields(state: FormState, withPeople: boolean): SafeHtml {
  return html`${topicField(state, 'queries', 'Topics (optional)', 'One search per line, e.g. “diffusion models” or “offline reinforcement learning”. Empty: the trending papers of the day.')}
${withPeople ? topicField(state, 'authors', 'Authors (optional)', 'Exact names as on the papers, one per line.') : ''}
${withPeople ? topicField(state, 'organizations', 'Organizations (optional)', 'Handles as in their page address (/orgs/…), one per line.') : ''}`;
}

function card(context: PageContext, title: string, body: SafeHtml): string {
  return renderPage(context, {
    title,
    body: html`${SUBSCRIBE_CSS}<div class="form-card subscribe-card">${body}</div>`,
  });
}

export function renderSubscribePage(context: PageContext, state: FormState = {}): string {
  const email = state.values?.email ?? context.member?.email ?? '';
  return card(
    context,
    'Get papers by email',
    html`<h1>Get trending papers in your email inbox</h1>
  ${state.errors?.form ? html`<p class="notice notice-error" role="alert">${state.errors.form}</p>` : ''}
  <form method="post" action="/subscribe" novalidate>
    ${subscribeToken(context)}
    <div class="field">
      <label for="email">Email</label>
      <input id="email" name="email" type="email" required autocomplete="email" value="${email}"${invalid(state, 'email')}>
      ${fieldError(state, 'email')}
    </div>
    ${frequencyField(state)}
    ${topicFields(state, context.member !== null)}
    <button class="button-primary" type="submit">Subscribe</button>
  </form>
  <p class="meta">Anyone can subscribe, no account needed. We first send a link to confirm the address; nothing else is sent until you click it. Every mail has a one-click unsubscribe.</p>`,
  );
}

export function renderMessageCard(
  context: PageContext,
  title: string,
  message: string,
  after: SafeHtml | '' = '',
): string {
  return card(context, title, html`<h1>${title}</h1><p role="status">${message}</p>${after}`);
}

export function renderCheckInboxPage(context: PageContext, next: string): string {
  return renderMessageCard(
    context,
    'Check your inbox',
    'If that address can receive mail, a message with a confirmation link is on its way. Click the link to start your digest; nothing is sent before. The link works for 7 days.',
    html`<p><a href="${next}">Back to the papers</a></p>`,
  );
}

export function renderConfirmPage(context: PageContext, token: string): string {
  return card(
    context,
    'Confirm your subscription',
    html`<h1>Confirm your subscription</h1>
  <p>One more click and your digest starts.</p>
  <form method="post" action="/subscriptions/confirm/${token}">
    <input type="hidden" name="_csrf" value="${context.csrfToken}">
    <button class="button-primary" type="submit">Confirm subscription</button>
  </form>`,
  );
}

export function renderConfirmedPage(
  context: PageContext,
  subscription: Subscription,
  manageUrl: string,
): string {
  return renderMessageCard(
    context,
    'You are subscribed',
    `${subscription.email} will get the ${subscription.frequency === 'daily' ? 'daily digest on weekdays' : 'weekly digest on Mondays'}.`,
    html`<p><a href="${manageUrl}">Change frequency or topics</a> · <a href="/">Back to the papers</a></p>`,
  );
}

export function renderPreferencesPage(
  context: PageContext,
  subscription: Subscription,
  token: string,
  state: FormState = {},
): string {
  const values = state.values ?? {
    frequency: subscription.frequency,
    queries: subscription.topics.queries.join('\n'),
    authors: subscription.topics.authors.join('\n'),
    organizations: subscription.topics.organizations.join('\n'),
  };
  const filled = { ...state, values };
  const active = subscription.status === 'active';
  const status =
    subscription.status === 'unsubscribed'
      ? 'You are unsubscribed. Save to subscribe again.'
      : subscription.status === 'bounced'
        ? 'Mail to this address was refused, so we stopped sending. Save to try again.'
        : subscription.status === 'pending'
          ? 'This subscription is not confirmed yet. Saving confirms it.'
          : null;
  return card(
    context,
    'Your digest',
    html`<h1>Your digest</h1>
  <p class="meta">For ${subscription.email}</p>
  ${state.notice ? html`<p class="notice" role="status">${state.notice}</p>` : ''}
  ${status ? html`<p class="notice" role="status">${status}</p>` : ''}
  <form method="post" action="/subscriptions/manage/${token}" novalidate>
    <input type="hidden" name="_csrf" value="${context.csrfToken}">
    ${frequencyField(filled)}
    ${topicFields(filled, true)}
    <button class="button-primary" type="submit">${active ? 'Save preferences' : 'Save and subscribe'}</button>
  </form>
  ${active ? html`<form method="post" action="/subscriptions/unsubscribe/${token}" class="unsubscribe-form"><button type="submit">Unsubscribe</button></form>` : ''}`,
  );
}

export function renderUnsubscribePage(context: PageContext, token: string): string {
  return card(
    context,
    'Unsubscribe',
    html`<h1>Unsubscribe from Dailypapers digests?</h1>
  <form method="post" action="/subscriptions/unsubscribe/${token}">
    <button class="button-primary" type="submit">Unsubscribe</button>
  </form>
  <p class="meta">Or <a href="/subscriptions/manage/${token}">change how often and what you get</a> instead.</p>`,
  );
}

export function renderUnsubscribedPage(
  context: PageContext,
  subscription: Subscription,
  token: string,
): string {
  return renderMessageCard(
    context,
    'You are unsubscribed',
    `${subscription.email} will get no more digests.`,
    html`<p class="meta">Changed your mind? <a href="/subscriptions/manage/${token}">Subscribe again</a>.</p>`,
  );
}
