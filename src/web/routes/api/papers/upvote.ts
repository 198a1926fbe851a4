/** `POST` and `DELETE /api/papers/:paper/upvote`: a member upvotes a paper or takes the upvote back. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { upvotePaper } from '../../../../services/engagement.ts';
import { memberOf } from '../../guards.ts';
import { actionPaperId } from '../../register-routes.ts';
import type { Site } from '../../site.ts';

const setUpvote = (upvoted: boolean) => async (request: FastifyRequest, _reply: FastifyReply, site: Site) =>
  upvotePaper(site.store, memberOf(request), actionPaperId(request), upvoted);

export const upvoteApi = setUpvote(true);
export const removeUpvoteApi = setUpvote(false);
