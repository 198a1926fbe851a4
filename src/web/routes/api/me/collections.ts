/** `GET /api/me/tags`, `GET /api/me/collections` and `POST /api/me/collections`: tags and the collections made of them. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Collection, collectionPath } from '../../../../domain/library.ts';
import { setCollection } from '../../../../services/library.ts';
import type { WithBody } from '../../../api/params.ts';
import type { collectionBody } from '../../../api/personal-params.ts';
import { memberOf } from '../../guards.ts';
import type { Site } from '../../site.ts';
import { asParameterError } from './parameter-error.ts';

function collectionJson(collection: Collection, baseUrl: string) {
  return { ...collection, url: `${baseUrl}${collectionPath(collection)}` };
}

export async function tagsApi(request: FastifyRequest, _reply: FastifyReply, { store, config }: Site) {
  const tags = await store.library.tags(memberOf(request).id);
  return tags.map((tag) => ({
    ...tag,
    collection: tag.collection && collectionJson(tag.collection, config.baseUrl),
  }));
}

export async function collectionsApi(request: FastifyRequest, _reply: FastifyReply, { store, config }: Site) {
  const collections = await store.library.collections(memberOf(request).id);
  return collections.map((collection) => collectionJson(collection, config.baseUrl));
}

export async function saveCollectionApi(
  request: WithBody<typeof collectionBody>,
  _reply: FastifyReply,
  site: Site,
) {
  const body = request.body;
  const collection = await asParameterError(() => setCollection(site.store, memberOf(request), body));
  return collectionJson(collection, site.config.baseUrl);
}
