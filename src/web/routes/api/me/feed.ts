/** `GET /api/me/feed`: the member's "For you" papers, with their scores and reasons. */
import type { FastifyReply } from 'fastify';
import { recommend } from '../../../../domain/recommend/recommend.ts';
import { forYou } from '../../../../services/for-you.ts';
import type { WithQuery } from '../../../api/params.ts';
import { feedQuery } from '../../../api/personal-params.ts';
import type { Site } from '../../site.ts';
import { hfEntries } from '../entries.ts';
import { taggedListRequest } from './parameter-error.ts';

export async function feedApi(
  request: WithQuery<typeof feedQuery>,
  _reply: FastifyReply,
  { store, config }: Site,
) {
  const { member, query, tag } = await taggedListRequest(request);
  const result = await forYou({ store, recommend }, member, { limit: query.limit, ...(tag && { tag }) });
  const entries = await hfEntries(
    store.papers,
    result.items.map((item) => item.paper),
    config.baseUrl,
  );
  return {
    coldStart: result.coldStart,
    window: result.window,
    papers: result.items.map((item, index) => ({
      ...entries[index],
      score: item.score,
      reasons: item.reasons,
    })),
  };
}
