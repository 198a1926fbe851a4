/**
 * Email digests on the web: subscribe (double opt-in), confirm, preferences, one-click unsubscribe (RFC 8058),
 * "view in browser", and the admin page that says where mail goes.
 *
 * Links from mails carry a signed token, which is their authorization. The one-click unsubscribe POST comes from
 * mail clients, without our cookies: it is the one route exempt from the CSRF check (route config `csrfExempt`),
 * and it accepts both form encodings RFC 8058 allows.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { parsePeriodKey } from '../../domain/digest-period.ts';
import { DigestComposer } from '../../mail/digest-mail.ts';
import { createMailer, describeMailMode, type Mailer } from '../../mail/mailer.ts';
import { FormError } from '../../services/accounts.ts';
import { digestLinks } from '../../services/digests.ts';
import { MailLinks } from '../../services/mail-links.ts';
import { onceSucceeded } from '../../services/promise-cache.ts';
import {
  confirmableFromLink,
  confirmSubscription,
  LinkError,
  type MailDeps,
  requestSubscription,
  subscriptionFromLink,
  unsubscribe,
  updatePreferences,
} from '../../services/subscriptions.ts';
import { html } from '../../text/html.ts';
import { pageContext, safeNext } from '../request-context.ts';
import { MAIL_PAGE_POLICY } from '../security-headers.ts';
import { renderAdminPage } from '../views/admin-page.ts';
import { renderMessagePage } from '../views/forms.ts';
import {
  renderCheckInboxPage,
  renderConfirmedPage,
  renderConfirmPage,
  renderMessageCard,
  renderPreferencesPage,
  renderSubscribePage,
  renderUnsubscribedPage,
  renderUnsubscribePage,
} from '../views/subscribe-pages.ts';
import type { WebDeps } from './deps.ts';
import { enforceRateLimit } from './rate-limit.ts';
import { HTML } from './responses.ts';

type Form = Record<string, string | undefined>;
type TokenRequest = FastifyRequest<{ Params: { token: string }; Body: Form }>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This POST is authorized by something other than the session (a signed link): skip the CSRF check. */
    csrfExempt?: boolean;
  }
}

const formValues = (form: Form): Record<string, string> =>
  Object.fromEntries(
    Object.entries(form).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );

const LINK_TITLES: Record<LinkError['reason'], string> = {
  invalid: 'Link not valid',
  expired: 'Link expired',
  ended: 'Subscription ended',
  replaced: 'Link replaced',
};

export function describeDigestSchedule(config: Config): string {
  return config.digest.scheduler
    ? `Digests go out at ${config.digest.time} ${config.digest.timeZone}: daily on weekdays, weekly on Mondays (DIGEST_SCHEDULER=on).`
    : 'The built-in scheduler is off (DIGEST_SCHEDULER=off): run `dailypapers digest send` from cron.';
}

export function registerSubscriptionRoutes(app: FastifyInstance, { store, config }: WebDeps): void {
  const mailer: Mailer = createMailer(config.mail);
  const links = onceSucceeded(() => MailLinks.forSite(store, config));
  const deps = async (): Promise<MailDeps> => ({ store, mailer, links: await links() });
  app.addHook('onClose', async () => mailer.close());
  const context = (request: FastifyRequest) => pageContext(request, config.baseUrl);

  const linkFailure = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    if (!(error instanceof LinkError)) throw error;
    const gone = error.reason !== 'invalid';
    return reply
      .code(gone ? 410 : 404)
      .type(HTML)
      .send(
        renderMessageCard(
          context(request),
          LINK_TITLES[error.reason],
          error.message,
          html`<p><a href="/subscribe">Subscribe</a></p>`,
        ),
      );
  };

  app.get<{ Querystring: { email?: string; frequency?: string; q?: string } }>(
    '/subscribe',
    async (request, reply) => {
      const { email, frequency, q } = request.query;
      return reply.type(HTML).send(
        renderSubscribePage(context(request), {
          values: {
            ...(email && { email }),
            ...(frequency && { frequency }),
            ...(q && { queries: q }),
          },
        }),
      );
    },
  );

  app.post<{ Body: Form }>('/subscribe', async (request, reply) => {
    await enforceRateLimit(store, request, 'subscribe');
    const form = request.body ?? {};
    try {
      const outcome = await requestSubscription(await deps(), form, {
        memberId: request.member?.id ?? null,
      });
      if (!outcome.mailed) {
        const refused = outcome.reason === 'refused';
        return reply
          .code(refused ? 400 : 503)
          .type(HTML)
          .send(
            renderSubscribePage(context(request), {
              values: formValues(form),
              errors: refused
                ? { email: 'the mail server for this address refused our mail: check the address' }
                : {
                    form: 'We could not send the confirmation mail just now. Please try again in a few minutes.',
                  },
            }),
          );
      }
      return reply.type(HTML).send(renderCheckInboxPage(context(request), safeNext(form.next)));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply
        .code(400)
        .type(HTML)
        .send(renderSubscribePage(context(request), { values: formValues(form), errors: error.fields }));
    }
  });

  app.get<{ Params: { token: string } }>('/subscriptions/confirm/:token', async (request, reply) => {
    try {
      await confirmableFromLink(await deps(), request.params.token);
    } catch (error) {
      return linkFailure(request, reply, error);
    }
    // A page with a button, not a confirmation on GET: link scanners in mail systems open every link.
    return reply.type(HTML).send(renderConfirmPage(context(request), request.params.token));
  });

  app.post('/subscriptions/confirm/:token', async (request: TokenRequest, reply) => {
    const mail = await deps();
    try {
      const subscription = await confirmSubscription(mail, request.params.token);
      return reply
        .type(HTML)
        .send(renderConfirmedPage(context(request), subscription, mail.links.manageUrl(subscription.id)));
    } catch (error) {
      return linkFailure(request, reply, error);
    }
  });

  app.get<{ Params: { token: string } }>('/subscriptions/manage/:token', async (request, reply) => {
    try {
      const subscription = await subscriptionFromLink(await deps(), request.params.token, 'manage');
      return reply
        .type(HTML)
        .send(renderPreferencesPage(context(request), subscription, request.params.token));
    } catch (error) {
      return linkFailure(request, reply, error);
    }
  });

  app.post('/subscriptions/manage/:token', async (request: TokenRequest, reply) => {
    const mail = await deps();
    const form = request.body ?? {};
    try {
      const subscription = await updatePreferences(mail, request.params.token, form);
      return reply.type(HTML).send(
        renderPreferencesPage(context(request), subscription, request.params.token, {
          notice: 'Saved. The next digest follows these preferences.',
        }),
      );
    } catch (error) {
      if (!(error instanceof FormError)) return linkFailure(request, reply, error);
      const subscription = await subscriptionFromLink(mail, request.params.token, 'manage');
      return reply
        .code(400)
        .type(HTML)
        .send(
          renderPreferencesPage(context(request), subscription, request.params.token, {
            values: formValues(form),
            errors: error.fields,
          }),
        );
    }
  });

  app.get<{ Params: { token: string } }>('/subscriptions/unsubscribe/:token', async (request, reply) => {
    try {
      await subscriptionFromLink(await deps(), request.params.token, 'manage');
    } catch (error) {
      return linkFailure(request, reply, error);
    }
    return reply.type(HTML).send(renderUnsubscribePage(context(request), request.params.token));
  });

  // One-click unsubscribe (RFC 8058): mail clients POST "List-Unsubscribe=One-Click" with no cookies, as
  // x-www-form-urlencoded or multipart/form-data. Authorized by the signed token in the address.
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, _body, done) => done(null, {}),
    );
    scope.post(
      '/subscriptions/unsubscribe/:token',
      { config: { csrfExempt: true } },
      async (request: TokenRequest, reply) => {
        try {
          const subscription = await unsubscribe(await deps(), request.params.token);
          return reply
            .type(HTML)
            .send(renderUnsubscribedPage(context(request), subscription, request.params.token));
        } catch (error) {
          return linkFailure(request, reply, error);
        }
      },
    );
  });

  app.get<{ Params: { token: string } }>(
    '/digests/:token',
    { helmet: { contentSecurityPolicy: { useDefaults: false, directives: MAIL_PAGE_POLICY } } },
    async (request, reply) => {
      const mail = await deps();
      const check = mail.links.verify(request.params.token, 'view');
      const [id, periodKey] = check.ok ? check.subject.split('~') : [];
      const period = periodKey ? parsePeriodKey(periodKey) : null;
      const subscription = id ? await store.subscriptions.getSubscription(Number(id)) : null;
      const send =
        subscription && period ? await store.digests.getDigestSend(subscription.id, period.key) : null;
      if (!subscription || !period || !send || send.status === 'empty') {
        return linkFailure(request, reply, new LinkError('invalid'));
      }
      const papers = (await store.papers.getPapers(send.paperIds)).filter((paper) => !paper.hidden);
      const rendered = new DigestComposer(config.baseUrl, period).render({
        topics: subscription.topics,
        papers,
        links: digestLinks(mail.links, subscription.id, period.key),
      });
      return reply.header('x-robots-tag', 'noindex').type(HTML).send(rendered.html);
    },
  );

  app.get('/admin', async (request, reply) => {
    if (!request.member) return reply.redirect('/login?next=/admin');
    if (request.member.role !== 'admin') {
      return reply
        .code(403)
        .type(HTML)
        .send(renderMessagePage(context(request), 'Not allowed', 'Only admins can see this page.'));
    }
    const [counts, runs, members] = await Promise.all([
      store.subscriptions.countSubscriptions(),
      store.digests.listDigestRuns(10),
      store.members.countMembers(),
    ]);
    return reply.type(HTML).send(
      renderAdminPage(context(request), {
        mail: { kind: mailer.mode.kind, description: describeMailMode(mailer.mode) },
        digestSchedule: describeDigestSchedule(config),
        counts,
        runs,
        members,
      }),
    );
  });
}
