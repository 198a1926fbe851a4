/** `GET /for-you` and `POST /for-you/digest`: the member's ranked papers and how often they are mailed. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recommend } from '../../domain/recommend/recommend.ts';
import { FormError } from '../../services/accounts.ts';
import { forYou } from '../../services/for-you.ts';
import { forYouDigestOf, setForYouDigest } from '../../services/for-you-digest.ts';
import { readTag } from '../../services/library.ts';
import { personalFeedToken } from '../../services/personal-feed-token.ts';
import { redirectAfterPost } from '../request-context.ts';
import { renderForYouPage } from '../views/for-you-page.ts';
import { memberOf } from './guards.ts';
import { savedTags } from './member-state.ts';
import { upvotedSet } from './papers/list-page.ts';
import type { PersonalForm } from './personal-forms.ts';
import { HTML } from './responses.ts';
import type { Site } from './site.ts';

export const FOR_YOU_SIZE = 50;

export async function forYouPage(
  request: FastifyRequest<{ Querystring: Record<string, unknown> }>,
  reply: FastifyReply,
  site: Site,
) {
  const { store, config } = site;
  const member = memberOf(request);
  const tag = request.query.tag === undefined ? undefined : readTag(request.query.tag);
  const result = await forYou({ store, recommend }, member, { limit: FOR_YOU_SIZE, ...(tag && { tag }) });
  const papers = result.items.map((item) => item.paper);
  const [upvoted, saved, token, digest] = await Promise.all([
    upvotedSet(store, request, papers),
    savedTags(store, request, papers),
    personalFeedToken(store, config, member),
    forYouDigestOf(store, member),
  ]);
  return reply.type(HTML).send(
    renderForYouPage(site.pageContext(request), {
      ...result,
      upvoted,
      saved,
      tag: tag ?? null,
      feedPath: token ? `/feeds/for-you/${token}` : null,
      digest,
    }),
  );
}

export async function setDigest(
  request: FastifyRequest<{ Body: PersonalForm }>,
  reply: FastifyReply,
  site: Site,
) {
  const frequency = request.body?.frequency;
  if (frequency !== 'daily' && frequency !== 'weekly' && frequency !== 'off')
    throw new FormError({ frequency: 'choose daily, weekly or off' });
  await setForYouDigest(site.store, memberOf(request), frequency);
  return redirectAfterPost(reply, '/for-you');
}
