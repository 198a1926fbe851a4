/** `GET /notifications` and `POST /notifications/read`: a member's notifications. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listNotifications, markNotificationsRead } from '../../services/notifications.ts';
import { redirectAfterPost } from '../request-context.ts';
import { renderNotificationsPage } from '../views/notifications-page.ts';
import { memberOf } from './guards.ts';
import { HTML } from './responses.ts';
import type { Site } from './site.ts';

export async function notificationsPage(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const list = await listNotifications(site.store, memberOf(request));
  return reply.type(HTML).send(renderNotificationsPage(site.pageContext(request), list));
}

export async function markRead(request: FastifyRequest, reply: FastifyReply, site: Site) {
  await markNotificationsRead(site.store, memberOf(request));
  return redirectAfterPost(reply, '/notifications');
}
