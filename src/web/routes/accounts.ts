import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Member } from '../../domain/member.ts';
import { createMailer } from '../../mail/mailer.ts';
import {
  type AccountDeps,
  AccountLinkError,
  checkResetLink,
  claimAdminSetup,
  deleteAccount,
  requestPasswordReset,
  requestSignup,
  resetPassword,
  sendVerificationMail,
  verifyEmail,
} from '../../services/account-lifecycle.ts';
import { AccountLinks } from '../../services/account-links.ts';
import {
  changePassword,
  endSession,
  FormError,
  logIn,
  SESSION_DAYS,
  startSession,
} from '../../services/accounts.ts';
import {
  cookieOptions,
  pageContext,
  redirectAfterPost,
  SESSION_COOKIE,
  safeNext,
} from '../request-context.ts';
import {
  renderAccountPage,
  renderAdminSetupPage,
  renderForgotPasswordPage,
  renderResetPasswordPage,
} from '../views/account-pages.ts';
import { type FormState, renderLoginPage, renderMessagePage, renderSignupPage } from '../views/forms.ts';
import type { WebDeps } from './deps.ts';
import { enforceLoginLimits, enforceRateLimit } from './rate-limit.ts';
import { HTML } from './responses.ts';

type Form = Record<string, string | string[] | undefined>;
type TokenRequest = FastifyRequest<{ Params: { token: string }; Body: Form }>;

/** A form field's value; a field sent twice counts as empty (and is refused as such). */
const text = (form: Form | undefined, name: string) => {
  const value = form?.[name];
  return typeof value === 'string' ? value : '';
};
const textValues = (form: Form | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(form ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
const TOKEN = /^[A-Za-z0-9._-]{1,600}$/;

export function registerAccountRoutes(app: FastifyInstance, { store, config }: WebDeps): void {
  const mailer = createMailer(config.mail);
  app.addHook('onClose', async () => mailer.close());
  let links: Promise<AccountLinks> | null = null;
  const deps = async (): Promise<AccountDeps> => {
    links ??= AccountLinks.forSite(store, config).catch((error: unknown) => {
      links = null;
      throw error;
    });
    return { store, mailer, links: await links };
  };
  const context = (request: FastifyRequest) => pageContext(request, config.baseUrl);
  const beginSession = async (request: FastifyRequest, reply: FastifyReply, member: Member) => {
    await endSession(store, request.cookies[SESSION_COOKIE]);
    const token = await startSession(store, member);
    reply.setCookie(SESSION_COOKIE, token, cookieOptions(request, config.baseUrl, SESSION_DAYS * 86_400));
  };
  const message = (request: FastifyRequest, reply: FastifyReply, title: string, body: string, status = 200) =>
    reply
      .code(status)
      .type(HTML)
      .send(renderMessagePage(context(request), title, body));
  const linkFailure = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    if (!(error instanceof AccountLinkError)) throw error;
    const status = error.reason === 'invalid' ? 404 : 410;
    return message(request, reply, 'Link not usable', error.message, status);
  };
  /** Renders the form again with its problems when `work` throws a FormError. */
  const withForm = async (
    reply: FastifyReply,
    work: () => Promise<unknown>,
    page: (state: FormState) => string,
    form: Form | undefined,
  ) => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply
        .code(400)
        .type(HTML)
        .send(page({ values: textValues(form), errors: error.fields }));
    }
  };

  app.get<{ Querystring: { next?: string } }>('/signup', async (request, reply) =>
    reply
      .type(HTML)
      .send(renderSignupPage(context(request), { values: { next: safeNext(request.query.next, '') } })),
  );

  app.post<{ Body: Form }>('/signup', async (request, reply) => {
    await enforceRateLimit(store, request, 'signup');
    const form = request.body;
    return withForm(
      reply,
      async () => {
        await requestSignup(await deps(), {
          username: text(form, 'username'),
          email: text(form, 'email'),
          password: text(form, 'password'),
        });
        return message(
          request,
          reply,
          'Check your inbox',
          'We sent a mail to the address you gave: open its link to confirm your account, then log in. ' +
            'If it does not arrive within a few minutes, look in your spam folder.',
        );
      },
      (state) => renderSignupPage(context(request), state),
      form,
    );
  });

  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) =>
    reply
      .type(HTML)
      .send(renderLoginPage(context(request), { values: { next: safeNext(request.query.next, '') } })),
  );

  app.post<{ Body: Form }>('/login', async (request, reply) => {
    const form = request.body;
    await enforceLoginLimits(store, request, text(form, 'username'));
    return withForm(
      reply,
      async () => {
        const member = await logIn(store, text(form, 'username'), text(form, 'password'));
        await beginSession(request, reply, member);
        return redirectAfterPost(reply, safeNext(form?.next));
      },
      (state) => renderLoginPage(context(request), state),
      form,
    );
  });

  app.post('/logout', async (request, reply) => {
    await endSession(store, request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return redirectAfterPost(reply, '/');
  });

  app.get('/account', async (request, reply) => {
    if (!request.member) return reply.redirect('/login?next=/account');
    return reply.type(HTML).send(renderAccountPage(context(request)));
  });

  app.post<{ Body: Form }>('/account/password', async (request, reply) => {
    const member = request.member;
    if (!member) return redirectAfterPost(reply, '/login?next=/account');
    await enforceLoginLimits(store, request, member.username);
    const form = request.body;
    return withForm(
      reply,
      async () => {
        await changePassword(
          store,
          member,
          text(form, 'current'),
          text(form, 'password'),
          request.cookies[SESSION_COOKIE] ?? '',
        );
        return reply.type(HTML).send(
          renderAccountPage(context(request), {
            notice: 'Your password was changed. Other sessions were logged out.',
          }),
        );
      },
      (state) => renderAccountPage(context(request), { errors: state.errors }),
      form,
    );
  });

  app.post('/account/verify/resend', async (request, reply) => {
    const member = request.member;
    if (!member) return redirectAfterPost(reply, '/login?next=/account');
    if (member.emailVerified) return redirectAfterPost(reply, '/account');
    await enforceRateLimit(store, request, 'accountMail');
    await sendVerificationMail(await deps(), member);
    return reply.type(HTML).send(
      renderAccountPage(context(request), {
        notice: `We sent a new confirmation link to ${member.email}.`,
      }),
    );
  });

  app.get<{ Params: { token: string } }>('/account/verify/:token', async (request, reply) => {
    try {
      if (!TOKEN.test(request.params.token)) throw new AccountLinkError('invalid');
      const member = await verifyEmail(await deps(), request.params.token);
      return message(
        request,
        reply,
        'Email confirmed',
        `Thank you, ${member.username}: you can now upvote, comment and submit papers.`,
      );
    } catch (error) {
      return linkFailure(request, reply, error);
    }
  });

  app.get('/password/forgot', async (request, reply) =>
    reply.type(HTML).send(renderForgotPasswordPage(context(request))),
  );

  app.post<{ Body: Form }>('/password/forgot', async (request, reply) => {
    await enforceRateLimit(store, request, 'accountMail');
    const form = request.body;
    return withForm(
      reply,
      async () => {
        await requestPasswordReset(await deps(), text(form, 'email'));
        return message(
          request,
          reply,
          'Check your inbox',
          'If this address belongs to an account, a link to choose a new password is on its way. It works for an hour, once.',
        );
      },
      (state) => renderForgotPasswordPage(context(request), state),
      form,
    );
  });

  app.get('/password/reset/:token', async (request: TokenRequest, reply) => {
    const { token } = request.params;
    try {
      if (!TOKEN.test(token)) throw new AccountLinkError('invalid');
      await checkResetLink(await deps(), token);
      return reply.type(HTML).send(renderResetPasswordPage(context(request), token));
    } catch (error) {
      return linkFailure(request, reply, error);
    }
  });

  app.post('/password/reset/:token', async (request: TokenRequest, reply) => {
    const { token } = request.params;
    await enforceRateLimit(store, request, 'login');
    try {
      if (!TOKEN.test(token)) throw new AccountLinkError('invalid');
      const form = request.body;
      return await withForm(
        reply,
        async () => {
          const member = await resetPassword(await deps(), token, text(form, 'password'));
          await beginSession(request, reply, member);
          return message(
            request,
            reply,
            'Password changed',
            'Your new password is set and every other session was logged out.',
          );
        },
        (state) => renderResetPasswordPage(context(request), token, state),
        form,
      );
    } catch (error) {
      return linkFailure(request, reply, error);
    }
  });

  app.post<{ Body: Form }>('/account/delete', async (request, reply) => {
    const member = request.member;
    if (!member) return redirectAfterPost(reply, '/login?next=/account');
    await enforceLoginLimits(store, request, member.username);
    const form = request.body;
    return withForm(
      reply,
      async () => {
        await deleteAccount(store, member, text(form, 'confirm'));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        request.member = null;
        return message(
          request,
          reply,
          'Account deleted',
          'Your account, sessions and subscriptions are gone; your comments and submissions stay without your name.',
        );
      },
      (state) => renderAccountPage(context(request), { errors: { confirm: state.errors?.password ?? '' } }),
      form,
    );
  });

  app.get('/account/export', async (request, reply) => {
    if (!request.member) return reply.redirect('/login?next=/account');
    const data = await store.members.exportMember(request.member.id);
    return reply
      .header('content-disposition', `attachment; filename="dailypapers-${request.member.username}.json"`)
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  app.get('/setup/:token', async (request: TokenRequest, reply) => {
    if (!TOKEN.test(request.params.token) || (await store.members.hasAdmin()))
      return message(request, reply, 'Link not usable', 'This setup link is not valid or was used.', 404);
    return reply.type(HTML).send(renderAdminSetupPage(context(request), request.params.token));
  });

  app.post('/setup/:token', async (request: TokenRequest, reply) => {
    const { token } = request.params;
    await enforceRateLimit(store, request, 'signup');
    if (!TOKEN.test(token))
      return message(request, reply, 'Link not usable', 'This setup link is not valid or was used.', 404);
    const form = request.body;
    return withForm(
      reply,
      async () => {
        const admin = await claimAdminSetup(store, token, {
          username: text(form, 'username'),
          email: text(form, 'email'),
          password: text(form, 'password'),
        });
        if (!admin)
          return message(request, reply, 'Link not usable', 'This setup link is not valid or was used.', 404);
        await beginSession(request, reply, admin);
        return redirectAfterPost(reply, '/admin');
      },
      (state) => renderAdminSetupPage(context(request), token, state),
      form,
    );
  });
}
