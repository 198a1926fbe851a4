import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { pageContext } from '../request-context.ts';
import { renderMessagePage } from '../views/forms.ts';

export const HTML = 'text/html; charset=utf-8';

/** An HTML page with a status other than 200: a form sent back with its problems (400), a refusal, a dead link. */
export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type(HTML).send(page);
}

export function notFound(
  reply: FastifyReply,
  request: FastifyRequest,
  config: Config,
  message: string,
): FastifyReply {
  return sendPage(reply, 404, renderMessagePage(pageContext(request, config.baseUrl), 'Not found', message));
}
