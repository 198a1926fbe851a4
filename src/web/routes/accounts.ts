import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Member } from '../../domain/member.ts';
import {
  changePassword,
  endSession,
  FormError,
  logIn,
  SESSION_DAYS,
  signUp,
  startSession,
} from '../../services/accounts.ts';
import {
  cookieOptions,
  pageContext,
  redirectAfterPost,
  SESSION_COOKIE,
  safeNext,
} from '../request-context.ts';
import { renderAccountPage, renderLoginPage, renderSignupPage } from '../views/forms.ts';
import type { WebDeps } from './deps.ts';
import { enforceRateLimit } from './rate-limit.ts';
import { HTML } from './responses.ts';

type Form = Record<string, string | undefined>;
const text = (form: Form, name: string) => (typeof form[name] === 'string' ? form[name] : '');

export function registerAccountRoutes(app: FastifyInstance, { store, config }: WebDeps): void {
  const context = (request: Parameters<typeof pageContext>[0]) => pageContext(request, config.baseUrl);
  const beginSession = async (request: FastifyRequest, reply: FastifyReply, member: Member) => {
    const token = await startSession(store, member);
    reply.setCookie(SESSION_COOKIE, token, cookieOptions(request, config.baseUrl, SESSION_DAYS * 86_400));
  };

  app.get<{ Querystring: { next?: string } }>('/signup', async (request, reply) =>
    reply
      .type(HTML)
      .send(renderSignupPage(context(request), { values: { next: safeNext(request.query.next, '') } })),
  );

  app.post<{ Body: Form }>('/signup', async (request, reply) => {
    await enforceRateLimit(store, request, 'signup');
    const form = request.body ?? {};
    try {
      const member = await signUp(store, {
        username: text(form, 'username'),
        email: text(form, 'email'),
        password: text(form, 'password'),
      });
      await beginSession(request, reply, member);
      return redirectAfterPost(reply, safeNext(form.next));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply
        .code(400)
        .type(HTML)
        .send(
          renderSignupPage(context(request), {
            values: form as Record<string, string>,
            errors: error.fields,
          }),
        );
    }
  });

  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) =>
    reply
      .type(HTML)
      .send(renderLoginPage(context(request), { values: { next: safeNext(request.query.next, '') } })),
  );

  app.post<{ Body: Form }>('/login', async (request, reply) => {
    await enforceRateLimit(store, request, 'login');
    const form = request.body ?? {};
    try {
      const member = await logIn(store, text(form, 'username'), text(form, 'password'));
      await endSession(store, request.cookies[SESSION_COOKIE]);
      await beginSession(request, reply, member);
      return redirectAfterPost(reply, safeNext(form.next));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply
        .code(400)
        .type(HTML)
        .send(
          renderLoginPage(context(request), { values: form as Record<string, string>, errors: error.fields }),
        );
    }
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
    if (!request.member) return redirectAfterPost(reply, '/login?next=/account');
    await enforceRateLimit(store, request, 'login');
    const form = request.body ?? {};
    try {
      await changePassword(
        store,
        request.member,
        text(form, 'current'),
        text(form, 'password'),
        request.cookies[SESSION_COOKIE] ?? '',
      );
      return reply.type(HTML).send(
        renderAccountPage(context(request), {
          notice: 'Your password was changed. Other sessions were logged out.',
        }),
      );
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply
        .code(400)
        .type(HTML)
        .send(renderAccountPage(context(request), { errors: error.fields }));
    }
  });
}
