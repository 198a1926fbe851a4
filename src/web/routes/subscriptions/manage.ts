/** `/subscriptions/manage/:token`: a subscriber's preferences, from the link in every digest. */
import type { FastifyReply } from 'fastify';
import { FormError } from '../../../services/accounts.ts';
import { subscriptionFromLink, updatePreferences } from '../../../services/subscriptions.ts';
import { renderPreferencesPage } from '../../views/subscribe-pages.ts';
import { formValues } from '../form-fields.ts';
import { HTML, sendPage } from '../responses.ts';
import type { Site } from '../site.ts';
import { linkFailure, type TokenRequest } from './link-failure.ts';

export async function preferencesForm(request: TokenRequest, reply: FastifyReply, site: Site) {
  try {
    const subscription = await subscriptionFromLink(await site.mailDeps(), request.params.token, 'manage');
    return reply
      .type(HTML)
      .send(renderPreferencesPage(site.pageContext(request), subscription, request.params.token));
  } catch (error) {
    return linkFailure(site, request, reply, error);
  }
}

export async function savePreferences(request: TokenRequest, reply: FastifyReply, site: Site) {
  const mail = await site.mailDeps();
  const form = request.body ?? {};
  const { token } = request.params;
  try {
    const subscription = await updatePreferences(mail, token, form as Record<string, string | undefined>);
    return reply.type(HTML).send(
      renderPreferencesPage(site.pageContext(request), subscription, token, {
        notice: 'Saved. The next digest follows these preferences.',
      }),
    );
  } catch (error) {
    if (!(error instanceof FormError)) return linkFailure(site, request, reply, error);
    const subscription = await subscriptionFromLink(mail, token, 'manage');
    return sendPage(
      reply,
      400,
      renderPreferencesPage(site.pageContext(request), subscription, token, {
        values: formValues(form),
        errors: error.fields,
      }),
    );
  }
}
