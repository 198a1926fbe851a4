/** `POST /account/feed-token`: a new address for the member's private feed, or none. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormError } from '../../../services/accounts.ts';
import {
  regeneratePersonalFeedToken,
  revokePersonalFeedToken,
} from '../../../services/personal-feed-token.ts';
import { redirectAfterPost } from '../../request-context.ts';
import { memberOf } from '../guards.ts';
import type { PersonalForm } from '../personal-forms.ts';
import type { Site } from '../site.ts';

export async function feedToken(
  request: FastifyRequest<{ Body: PersonalForm }>,
  reply: FastifyReply,
  { store, config }: Site,
) {
  const member = memberOf(request);
  const action = request.body?.action;
  if (action === 'revoke') await revokePersonalFeedToken(store, member);
  else if (action === 'regenerate') await regeneratePersonalFeedToken(store, config, member);
  else throw new FormError({ action: 'make a new feed address (regenerate) or turn it off (revoke)' });
  return redirectAfterPost(reply, '/account#private-feed');
}
