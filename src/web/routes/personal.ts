/** The personal layer's pages and forms: For you, following, library, collections and the private feed. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isFollowKind } from '../../domain/follows.ts';
import { collectionPath } from '../../domain/library.ts';
import type { Member } from '../../domain/member.ts';
import { recommend } from '../../domain/recommend/recommend.ts';
import { FormError } from '../../services/accounts.ts';
import { follow, unfollow } from '../../services/follows.ts';
import { forYou } from '../../services/for-you.ts';
import { forYouDigestOf, setForYouDigest } from '../../services/for-you-digest.ts';
import {
  readTag,
  savePaper,
  setCollection,
  setNotInterested,
  unsavePaper,
  untagPaper,
  viewCollection,
} from '../../services/library.ts';
import {
  memberOfFeedToken,
  personalFeedToken,
  regeneratePersonalFeedToken,
  revokePersonalFeedToken,
} from '../../services/personal-feed-token.ts';
import { NotFoundError } from '../../store/store.ts';
import { type FeedFormat, renderPaperFeed } from '../feeds/paper-feed.ts';
import { pageContext, redirectAfterPost, safeNext, wantsJson } from '../request-context.ts';
import { renderCollectionPage } from '../views/collection-page.ts';
import { renderFollowingPage } from '../views/following-page.ts';
import { renderForYouPage } from '../views/for-you-page.ts';
import { renderLibraryPage } from '../views/library-page.ts';
import type { WebDeps } from './deps.ts';
import { EmailNotVerifiedError, LoginRequiredError } from './guards.ts';
import { savedTags } from './member-state.ts';
import { pageNumber, upvotedSet } from './papers/list-page.ts';
import type { RouteCollector } from './personal-table.ts';
import { HTML } from './responses.ts';

type Form = Record<string, string | undefined>;

export const FOR_YOU_SIZE = 50;
const LIBRARY_PAGE = 50;
/** A collection page and its feeds show at most this many papers, newest saves first. */
const COLLECTION_SIZE = 200;
const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};

export function requireMember(request: FastifyRequest): Member {
  if (!request.member) throw new LoginRequiredError();
  return request.member;
}

/** Publishing and mail need a confirmed address. */
export function requireVerifiedMember(request: FastifyRequest): Member {
  const member = requireMember(request);
  if (!member.emailVerified) throw new EmailNotVerifiedError();
  return member;
}

/** A paper id from a form: anything else is a 404, like an unknown paper. */
function paperIdField(form: Form): string {
  const id = form.paperId;
  if (typeof id !== 'string' || !/^[A-Za-z0-9./-]{1,64}$/.test(id)) throw new NotFoundError('paper');
  return id;
}

function done(request: FastifyRequest, reply: FastifyReply, form: Form, fallback: string, json: unknown) {
  if (wantsJson(request)) return reply.send(json);
  return redirectAfterPost(reply, safeNext(form.next, fallback));
}

/** `name.ext` split for routes that serve one thing as a page, a feed or JSON. */
function splitFormat(value: string): { name: string; format: 'html' | 'json' | FeedFormat } {
  const match = /^(.*)\.(json|xml|rss|atom)$/.exec(value);
  if (!match) return { name: value, format: 'html' };
  const ext = match[2];
  return { name: match[1] as string, format: ext === 'json' ? 'json' : ext === 'atom' ? 'atom' : 'rss' };
}

export function registerPersonalRoutes(app: RouteCollector, { store, config }: WebDeps): void {
  const context = (request: FastifyRequest) => pageContext(request, config.baseUrl);

  app.get<{ Querystring: Record<string, unknown> }>('/for-you', async (request, reply) => {
    const member = requireMember(request);
    const tag = request.query.tag === undefined ? undefined : readTag(request.query.tag);
    const result = await forYou({ store, recommend }, member, { limit: FOR_YOU_SIZE, ...(tag && { tag }) });
    const papers = result.items.map((item) => item.paper);
    const [upvoted, saved, token, digest] = await Promise.all([
      upvotedSet(store, request, papers),
      savedTags(store, request, papers),
      personalFeedToken(store, config, member),
      forYouDigestOf(store, member),
    ]);
    return reply.type(HTML).send(
      renderForYouPage(context(request), {
        ...result,
        upvoted,
        saved,
        tag: tag ?? null,
        feedPath: token ? `/feeds/for-you/${token}` : null,
        digest,
      }),
    );
  });

  app.get('/following', async (request, reply) => {
    const member = requireMember(request);
    return reply.type(HTML).send(renderFollowingPage(context(request), await store.follows.list(member.id)));
  });

  const libraryPage = async (
    request: FastifyRequest,
    member: Member,
    tag: string | null,
    form?: { values: Form; errors: Record<string, string> },
  ) => {
    const page = pageNumber(request);
    const filter = tag === null ? {} : { tag };
    const [tags, saves, total] = await Promise.all([
      store.library.tags(member.id),
      store.library.list(member.id, { ...filter, limit: LIBRARY_PAGE, offset: page * LIBRARY_PAGE }),
      store.library.countSaves(member.id, tag ?? undefined),
    ]);
    const papers = await store.papers.getPapers(saves.map((save) => save.paperId));
    return renderLibraryPage(context(request), {
      tags,
      tag,
      papers,
      saved: new Map(saves.map((save) => [save.paperId, save.tags])),
      upvoted: await upvotedSet(store, request, papers),
      total,
      page,
      totalPages: Math.ceil(total / LIBRARY_PAGE),
      ...(form && { form: { values: form.values as Record<string, string>, errors: form.errors } }),
    });
  };

  app.get<{ Querystring: Record<string, unknown> }>('/library', async (request, reply) => {
    const member = requireMember(request);
    const tag = request.query.tag === undefined ? null : readTag(request.query.tag);
    return reply.type(HTML).send(await libraryPage(request, member, tag));
  });

  app.get<{ Params: { member: string; slug: string } }>(
    '/collections/:member/:slug',
    async (request, reply) => {
      const { name: slug, format } = splitFormat(request.params.slug);
      const collection = await viewCollection(store, request.member, request.params.member, slug);
      const saves = await store.library.list(collection.memberId, {
        tag: collection.tag,
        limit: COLLECTION_SIZE,
        offset: 0,
      });
      const papers = (await store.papers.getPapers(saves.map((save) => save.paperId))).filter(
        (paper) => !paper.hidden,
      );
      const path = collectionPath(collection);
      if (format === 'json') {
        const savedAt = new Map(saves.map((save) => [save.paperId, save.savedAt]));
        return reply.send({
          owner: collection.owner,
          slug: collection.slug,
          title: collection.title,
          description: collection.description,
          visibility: collection.visibility,
          updatedAt: collection.updatedAt,
          url: `${config.baseUrl}${path}`,
          papers: papers.map((paper) => ({
            id: paper.id,
            title: paper.title,
            authors: paper.authors.map((author) => author.name),
            upvotes: paper.upvotes,
            addedAt: savedAt.get(paper.id) ?? null,
            url: `${config.baseUrl}/papers/${paper.id}`,
          })),
        });
      }
      if (format !== 'html') {
        if (collection.visibility === 'public') reply.header('cache-control', 'public, max-age=300');
        return reply.type(FEED_TYPES[format]).send(
          renderPaperFeed(
            format,
            {
              title: collection.title,
              description: collection.description || `A collection by ${collection.owner}`,
              pagePath: path,
              feedPath: path,
            },
            papers,
            config.baseUrl,
          ),
        );
      }
      const [upvoted, saved] = await Promise.all([
        upvotedSet(store, request, papers),
        savedTags(store, request, papers),
      ]);
      return reply
        .type(HTML)
        .send(renderCollectionPage(context(request), { collection, papers, upvoted, saved }));
    },
  );

  app.get<{ Params: { token: string } }>('/feeds/for-you/:token', async (request, reply) => {
    const { name: token, format } = splitFormat(request.params.token);
    const member =
      format === 'html' || format === 'json' ? null : await memberOfFeedToken(store, config, token);
    if (!member || format === 'html' || format === 'json') throw new NotFoundError('feed');
    const result = await forYou({ store, recommend }, member, { limit: FOR_YOU_SIZE });
    reply.header('cache-control', 'private, no-store');
    reply.header('x-robots-tag', 'noindex');
    return reply.type(FEED_TYPES[format]).send(
      renderPaperFeed(
        format,
        {
          title: `For ${member.username}`,
          description: 'Recent papers ranked for you',
          pagePath: '/for-you',
          feedPath: `/feeds/for-you/${token}`,
        },
        result.items.map((item) => item.paper),
        config.baseUrl,
      ),
    );
  });

  app.post<{ Body: Form }>('/follows', async (request, reply) => {
    const member = requireMember(request);
    const form = request.body ?? {};
    if (!isFollowKind(form.kind))
      throw new FormError({ kind: 'follow an author, an organization or a topic' });
    const result = await follow(store, member, { kind: form.kind, target: form.target, label: form.label });
    reply.code(wantsJson(request) && result.created ? 201 : 200);
    return done(request, reply, form, '/following', result.follow);
  });

  app.post<{ Params: { id: string }; Body: Form }>('/follows/:id/delete', async (request, reply) => {
    const member = requireMember(request);
    await unfollow(store, member, request.params.id);
    return done(request, reply, request.body ?? {}, '/following', { ok: true });
  });

  app.post<{ Body: Form }>('/library/save', async (request, reply) => {
    const member = requireMember(request);
    const form = request.body ?? {};
    const saved = await savePaper(store, member, paperIdField(form), form.tags);
    return done(request, reply, form, '/library', saved);
  });

  app.post<{ Body: Form }>('/library/untag', async (request, reply) => {
    const member = requireMember(request);
    const form = request.body ?? {};
    await untagPaper(store, member, paperIdField(form), form.tag);
    return done(request, reply, form, '/library', { ok: true });
  });

  app.post<{ Body: Form }>('/library/remove', async (request, reply) => {
    const member = requireMember(request);
    const form = request.body ?? {};
    await unsavePaper(store, member, paperIdField(form));
    return done(request, reply, form, '/library', { ok: true });
  });

  app.post<{ Body: Form }>('/library/not-interested', async (request, reply) => {
    const member = requireMember(request);
    const form = request.body ?? {};
    await setNotInterested(store, member, paperIdField(form), form.undo !== 'true');
    return done(request, reply, form, '/for-you', { ok: true });
  });

  app.post<{ Body: Form }>('/library/collections', async (request, reply) => {
    const member = requireVerifiedMember(request);
    const form = request.body ?? {};
    const tag = readTag(form.tag);
    const visibility = form.visibility === 'private' ? 'private' : 'public';
    try {
      const collection = await setCollection(store, member, { ...form, tag, visibility });
      return done(request, reply, form, `/library?tag=${encodeURIComponent(tag)}`, collection);
    } catch (error) {
      if (!(error instanceof FormError) || wantsJson(request)) throw error;
      return reply
        .code(400)
        .type(HTML)
        .send(await libraryPage(request, member, tag, { values: form, errors: error.fields }));
    }
  });

  app.post<{ Body: Form }>('/for-you/digest', async (request, reply) => {
    const member = requireVerifiedMember(request);
    const frequency = request.body?.frequency;
    if (frequency !== 'daily' && frequency !== 'weekly' && frequency !== 'off')
      throw new FormError({ frequency: 'choose daily, weekly or off' });
    await setForYouDigest(store, member, frequency);
    return redirectAfterPost(reply, '/for-you');
  });

  app.post<{ Body: Form }>('/account/feed-token', async (request, reply) => {
    const member = requireMember(request);
    const action = request.body?.action;
    if (action === 'revoke') await revokePersonalFeedToken(store, member);
    else if (action === 'regenerate') await regeneratePersonalFeedToken(store, config, member);
    else throw new FormError({ action: 'make a new feed address (regenerate) or turn it off (revoke)' });
    return redirectAfterPost(reply, '/account#private-feed');
  });
}
