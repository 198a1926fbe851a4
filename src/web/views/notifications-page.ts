import type { NotificationList } from '../../services/notifications.ts';
import { formatDate } from '../../text/format.ts';
import { html } from '../../text/html.ts';
import { type PageContext, renderPage } from './layout.ts';

export function renderNotificationsPage(context: PageContext, list: NotificationList): string {
  const unread = list.items.filter((item) => item.unread).length;
  return renderPage(context, {
    title: 'Notifications',
    body: html`<div class="page-head"><div><h1>Notifications</h1><p class="subtitle">${
      unread > 0 ? `${unread} unread` : 'All read'
    }</p></div>
  ${
    unread > 0
      ? html`<form method="post" action="/notifications/read">
    <input type="hidden" name="_csrf" value="${context.csrfToken}">
    <button type="submit">Mark all read</button>
  </form>`
      : ''
  }
</div>
${
  list.items.length === 0
    ? html`<p class="empty">Nothing yet: replies to your comments show up here.</p>`
    : html`<ul class="notification-list">${list.items.map(
        (item) => html`<li class="notification${item.unread ? ' unread' : ''}">
    <a href="${item.href}">${item.summary}</a>${item.unread ? html` <span class="count-badge">new</span>` : ''}
    <span class="meta">${formatDate(item.at)}</span>
    ${item.excerpt ? html`<p class="notification-excerpt">${item.excerpt}</p>` : ''}
  </li>`,
      )}</ul>`
}`,
  });
}
