/**
 * `/subscriptions/confirm/:token`: a page with a button, not a confirmation on GET: link scanners in mail systems
 * open every link.
 */
import type { FastifyReply } from 'fastify';
import { confirmableFromLink, confirmSubscription } from '../../../services/subscriptions.ts';
import { renderConfirmedPage, renderConfirmPage } from '../../views/subscribe-pages.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';
import { linkFailure, type TokenRequest } from './link-failure.ts';

export async function confirmForm(request: TokenRequest, reply: FastifyReply, site: Site) {
  try {
    await confirmableFromLink(await site.mailDeps(), request.params.token);
  } catch (error) {
    return linkFailure(site, request, reply, error);
  }
  return reply.type(HTML).send(renderConfirmPage(site.pageContext(request), request.params.token));
}

export async function confirm(request: TokenRequest, reply: FastifyReply, site: Site) {
  const mail = await site.mailDeps();
  try {
    const subscription = await confirmSubscription(mail, request.params.token);
    return reply
      .type(HTML)
      .send(
        renderConfirmedPage(site.pageContext(request), subscription, mail.links.manageUrl(subscription.id)),
      );
  } catch (error) {
    return linkFailure(site, request, reply, error);
  }
}
