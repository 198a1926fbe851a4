/** `/subscribe`: sign up for the email digest (double opt-in: a confirmation mail comes first). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormError } from '../../services/accounts.ts';
import { requestSubscription } from '../../services/subscriptions.ts';
import { safeNext } from '../request-context.ts';
import { renderCheckInboxPage, renderSubscribePage } from '../views/subscribe-pages.ts';
import { formValues } from './form-fields.ts';
import { HTML, sendPage } from './responses.ts';
import type { Site } from './site.ts';

export async function subscribeForm(
  request: FastifyRequest<{ Querystring: { email?: string; frequency?: string; q?: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  const { email, frequency, q } = request.query;
  return reply.type(HTML).send(
    renderSubscribePage(site.pageContext(request), {
      values: {
        ...(email && { email }),
        ...(frequency && { frequency }),
        ...(q && { queries: q }),
      },
    }),
  );
}

const NOT_MAILED = {
  refused: { email: 'the mail server for this address refused our mail: check the address' },
  failed: { form: 'We could not send the confirmation mail just now. Please try again in a few minutes.' },
};

export async function subscribe(
  request: FastifyRequest<{ Body: Record<string, string | undefined> }>,
  reply: FastifyReply,
  site: Site,
) {
  const form = request.body ?? {};
  try {
    const outcome = await requestSubscription(await site.mailDeps(), form, {
      memberId: request.member?.id ?? null,
    });
    if (!outcome.mailed) {
      const refused = outcome.reason === 'refused';
      return sendPage(
        reply,
        refused ? 400 : 503,
        renderSubscribePage(site.pageContext(request), {
          values: formValues(form),
          errors: refused ? NOT_MAILED.refused : NOT_MAILED.failed,
        }),
      );
    }
    return reply.type(HTML).send(renderCheckInboxPage(site.pageContext(request), safeNext(form.next)));
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    return sendPage(
      reply,
      400,
      renderSubscribePage(site.pageContext(request), { values: formValues(form), errors: error.fields }),
    );
  }
}
