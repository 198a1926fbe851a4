import type { FastifyRequest } from 'fastify';
import { FormError } from '../../../../services/accounts.ts';
import { readTag } from '../../../../services/library.ts';
import { ApiParameterError } from '../../../api/params.ts';
import { memberOf } from '../../guards.ts';

/** A service's FormError as the API's 400, naming the field. */
export async function asParameterError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    const [field, reason] = Object.entries(error.fields)[0] ?? ['body', error.message];
    throw new ApiParameterError(field, reason);
  }
}

/** The `tag` query parameter as a tag, if given; a malformed one is the API's 400. */
async function tagParameter(tag: string | undefined): Promise<string | undefined> {
  return tag === undefined ? undefined : asParameterError(async () => readTag(tag));
}

/** What a member's list filtered by tag reads from its request: the member, the query, and the tag if given. */
export async function taggedListRequest<Q extends { tag?: string }>(request: FastifyRequest & { query: Q }) {
  return { member: memberOf(request), query: request.query, tag: await tagParameter(request.query.tag) };
}
