/**
 * `/subscriptions/unsubscribe/:token`: a page with a button, and the POST it sends, which is also RFC 8058's
 * one-click unsubscribe (mail clients post it without our cookies; the signed token authorizes it).
 */
import type { FastifyReply } from 'fastify';
import { subscriptionFromLink, unsubscribe } from '../../../services/subscriptions.ts';
import { renderUnsubscribedPage, renderUnsubscribePage } from '../../views/subscribe-pages.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';
import { linkFailure, type TokenRequest } from './link-failure.ts';

export async function unsubscribeForm(request: TokenRequest, reply: FastifyReply, site: Site) {
  try {
    await subscriptionFromLink(await site.mailDeps(), request.params.token, 'manage');
  } catch (error) {
    return linkFailure(site, request, reply, error);
  }
  return reply.type(HTML).send(renderUnsubscribePage(site.pageContext(request), request.params.token));
}

export async function unsubscribeWithLink(request: TokenRequest, reply: FastifyReply, site: Site) {
  try {
    const subscription = await unsubscribe(await site.mailDeps(), request.params.token);
    return reply
      .type(HTML)
      .send(renderUnsubscribedPage(site.pageContext(request), subscription, request.params.token));
  } catch (error) {
    return linkFailure(site, request, reply, error);
  }
}
