/** `/digests/:token`: a digest mail as a web page ("view in browser"), from its signed link. */
import type { FastifyReply } from 'fastify';
import { parsePeriodKey } from '../../domain/digest-period.ts';
import { DigestComposer } from '../../mail/digest-mail.ts';
import { digestLinks } from '../../services/digest-message.ts';
import { LinkError } from '../../services/subscriptions.ts';
import { HTML } from './responses.ts';
import type { Site } from './site.ts';
import { linkFailure, type TokenRequest } from './subscriptions/link-failure.ts';

export async function digestPage(request: TokenRequest, reply: FastifyReply, site: Site) {
  const { store, config } = site;
  const mail = await site.mailDeps();
  const check = mail.links.verify(request.params.token, 'view');
  const [id, periodKey] = check.ok ? check.subject.split('~') : [];
  const period = periodKey ? parsePeriodKey(periodKey) : null;
  const subscription = id ? await store.subscriptions.getSubscription(Number(id)) : null;
  const send = subscription && period ? await store.digests.getDigestSend(subscription.id, period.key) : null;
  if (!subscription || !period || !send || send.status === 'empty') {
    return linkFailure(site, request, reply, new LinkError('invalid'));
  }
  const papers = (await store.papers.getPapers(send.paperIds)).filter((paper) => !paper.hidden);
  const rendered = new DigestComposer(config.baseUrl, period).render({
    topics: subscription.topics,
    papers,
    links: digestLinks(mail.links, subscription.id, period.key),
  });
  return reply.header('x-robots-tag', 'noindex').type(HTML).send(rendered.html);
}
