/** `GET /api/me/feed`: the member's "For you" papers, with their scores and reasons. */
import type { FastifyReply } from 'fastify';
import { recommend } from '../../../../domain/recommend/recommend.ts';
import { forYou } from '../../../../services/for-you.ts';
import { toHfDailyEntry } from '../../../api/hf-entry.ts';
import type { WithQuery } from '../../../api/params.ts';
import { feedQuery } from '../../../api/personal-params.ts';
import type { Site } from '../../site.ts';
import { taggedListRequest } from './parameter-error.ts';

export async function feedApi(
  request: WithQuery<typeof feedQuery>,
  _reply: FastifyReply,
  { store, config }: Site,
) {
  const { member, query, tag } = await taggedListRequest(request);
  const result = await forYou({ store, recommend }, member, { limit: query.limit, ...(tag && { tag }) });
  return {
    coldStart: result.coldStart,
    window: result.window,
    papers: result.items.map((item) => ({
      ...toHfDailyEntry(item.paper, config.baseUrl),
      score: item.score,
      reasons: item.reasons,
    })),
  };
}
