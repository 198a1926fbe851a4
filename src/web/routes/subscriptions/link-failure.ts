import type { FastifyReply, FastifyRequest } from 'fastify';
import { LinkError } from '../../../services/subscriptions.ts';
import { html } from '../../../text/html.ts';
import { renderMessageCard } from '../../views/subscribe-pages.ts';
import type { Form } from '../form-fields.ts';
import { sendPage } from '../responses.ts';
import type { Site } from '../site.ts';

export type TokenRequest = FastifyRequest<{ Params: { token: string }; Body: Form }>;

const LINK_TITLES: Record<LinkError['reason'], string> = {
  invalid: 'Link not valid',
  expired: 'Link expired',
  ended: 'Subscription ended',
  replaced: 'Link replaced',
};

/** The page for a link from a digest mail that is not (or no longer) valid; rethrows any other error. */
export function linkFailure(site: Site, request: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (!(error instanceof LinkError)) throw error;
  const gone = error.reason !== 'invalid';
  return sendPage(
    reply,
    gone ? 410 : 404,
    renderMessageCard(
      site.pageContext(request),
      LINK_TITLES[error.reason],
      error.message,
      html`<p><a href="/subscribe">Subscribe</a></p>`,
    ),
  );
}
