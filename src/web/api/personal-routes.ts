/**
 * The member's own JSON API: the "For you" feed, library and collections, follows. Authenticated as the request's
 * member (the session cookie, with the CSRF token on POSTs); every write goes through the same services as the
 * pages.
 */
import type { Collection } from '../../domain/library.ts';
import { collectionPath } from '../../domain/library.ts';
import { recommend } from '../../domain/recommend/recommend.ts';
import { FormError } from '../../services/accounts.ts';
import { follow, unfollow } from '../../services/follows.ts';
import { forYou } from '../../services/for-you.ts';
import {
  readTag,
  savePaper,
  setCollection,
  setNotInterested,
  unsavePaper,
  untagPaper,
} from '../../services/library.ts';
import type { WebDeps } from '../routes/deps.ts';
import { requireMember, requireVerifiedMember } from '../routes/personal.ts';
import type { RouteCollector } from '../routes/personal-table.ts';
import { toHfDailyEntry } from './hf-entry.ts';
import { ApiParameterError, parseParams } from './params.ts';
import {
  collectionBody,
  feedQuery,
  followBody,
  libraryQuery,
  notInterestedBody,
  paperBody,
  parseBody,
  saveBody,
  untagBody,
} from './personal-params.ts';

/** A service's FormError as the API's 400, naming the field. */
async function asParameterError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    const [field, reason] = Object.entries(error.fields)[0] ?? ['body', error.message];
    throw new ApiParameterError(field, reason);
  }
}

export function registerPersonalApiRoutes(app: RouteCollector, { store, config }: WebDeps): void {
  const collectionJson = (collection: Collection) => ({
    ...collection,
    url: `${config.baseUrl}${collectionPath(collection)}`,
  });

  app.get('/api/me/feed', async (request) => {
    const member = requireMember(request);
    const query = parseParams(feedQuery, request.query);
    const tag = query.tag === undefined ? undefined : await asParameterError(async () => readTag(query.tag));
    const result = await forYou({ store, recommend }, member, { limit: query.limit, ...(tag && { tag }) });
    return {
      coldStart: result.coldStart,
      window: result.window,
      papers: result.items.map((item) => ({
        ...toHfDailyEntry(item.paper, config.baseUrl),
        score: item.score,
        reasons: item.reasons,
      })),
    };
  });

  app.get('/api/me/follows', async (request) => store.follows.list(requireMember(request).id));

  app.post('/api/me/follows', async (request, reply) => {
    const member = requireMember(request);
    const body = parseBody(followBody, request.body);
    const result = await asParameterError(() => follow(store, member, body));
    return reply.code(result.created ? 201 : 200).send(result.follow);
  });

  app.post<{ Params: { id: string } }>('/api/me/follows/:id/delete', async (request, reply) => {
    await unfollow(store, requireMember(request), request.params.id);
    return reply.code(204).send();
  });

  app.get('/api/me/library', async (request, reply) => {
    const member = requireMember(request);
    const query = parseParams(libraryQuery, request.query);
    const tag = query.tag === undefined ? undefined : await asParameterError(async () => readTag(query.tag));
    const [saves, total] = await Promise.all([
      store.library.list(member.id, {
        ...(tag && { tag }),
        limit: query.limit,
        offset: query.p * query.limit,
      }),
      store.library.countSaves(member.id, tag),
    ]);
    const papers = new Map(
      (await store.papers.getPapers(saves.map((save) => save.paperId))).map((p) => [p.id, p]),
    );
    reply.header('x-total-count', String(total));
    return saves.map((save) => {
      const paper = papers.get(save.paperId);
      return { ...save, paper: paper ? toHfDailyEntry(paper, config.baseUrl).paper : null };
    });
  });

  app.post('/api/me/library', async (request, reply) => {
    const member = requireMember(request);
    const body = parseBody(saveBody, request.body);
    return reply
      .code(201)
      .send(await asParameterError(() => savePaper(store, member, body.paperId, body.tags)));
  });

  app.post('/api/me/library/untag', async (request, reply) => {
    const body = parseBody(untagBody, request.body);
    await asParameterError(() => untagPaper(store, requireMember(request), body.paperId, body.tag));
    return reply.code(204).send();
  });

  app.post('/api/me/library/remove', async (request, reply) => {
    const body = parseBody(paperBody, request.body);
    await unsavePaper(store, requireMember(request), body.paperId);
    return reply.code(204).send();
  });

  app.post('/api/me/not-interested', async (request, reply) => {
    const body = parseBody(notInterestedBody, request.body);
    await setNotInterested(store, requireMember(request), body.paperId, !body.undo);
    return reply.code(204).send();
  });

  app.get('/api/me/tags', async (request) => {
    const tags = await store.library.tags(requireMember(request).id);
    return tags.map((tag) => ({ ...tag, collection: tag.collection && collectionJson(tag.collection) }));
  });

  app.get('/api/me/collections', async (request) =>
    (await store.library.collections(requireMember(request).id)).map(collectionJson),
  );

  app.post('/api/me/collections', async (request) => {
    const member = requireVerifiedMember(request);
    const body = parseBody(collectionBody, request.body);
    return collectionJson(await asParameterError(() => setCollection(store, member, body)));
  });
}
