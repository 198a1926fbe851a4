import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { pageContext } from '../request-context.ts';
import { renderMessagePage } from '../views/forms.ts';

export const HTML = 'text/html; charset=utf-8';

export function notFound(
  reply: FastifyReply,
  request: FastifyRequest,
  config: Config,
  message: string,
): FastifyReply {
  return reply
    .code(404)
    .type(HTML)
    .send(renderMessagePage(pageContext(request, config.baseUrl), 'Not found', message));
}
