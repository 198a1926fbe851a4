/** `GET /collections/:member/:slug(.json|.rss|.atom|.xml)`: a member's collection as a page, JSON or a feed. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SavedPaper } from '../../../domain/library.ts';
import { type Collection, collectionPath } from '../../../domain/library.ts';
import type { Paper } from '../../../domain/paper.ts';
import { viewCollection } from '../../../services/library.ts';
import { renderPaperFeed } from '../../feeds/paper-feed.ts';
import { renderCollectionPage } from '../../views/collection-page.ts';
import { FEED_TYPES, splitFormat } from '../feed-format.ts';
import { savedTags } from '../member-state.ts';
import { upvotedSet } from '../papers/list-page.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';

/** A collection page and its feeds show at most this many papers, newest saves first. */
const COLLECTION_SIZE = 200;

function collectionJson(collection: Collection, saves: SavedPaper[], papers: Paper[], baseUrl: string) {
  const savedAt = new Map(saves.map((save) => [save.paperId, save.savedAt]));
  return {
    owner: collection.owner,
    slug: collection.slug,
    title: collection.title,
    description: collection.description,
    visibility: collection.visibility,
    updatedAt: collection.updatedAt,
    url: `${baseUrl}${collectionPath(collection)}`,
    papers: papers.map((paper) => ({
      id: paper.id,
      title: paper.title,
      authors: paper.authors.map((author) => author.name),
      upvotes: paper.upvotes,
      addedAt: savedAt.get(paper.id) ?? null,
      url: `${baseUrl}/papers/${paper.id}`,
    })),
  };
}

export async function showCollection(
  request: FastifyRequest<{ Params: { member: string; slug: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  const { store, config } = site;
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
  if (format === 'json') return reply.send(collectionJson(collection, saves, papers, config.baseUrl));
  if (format !== 'html') {
    const path = collectionPath(collection);
    if (collection.visibility === 'public') reply.header('cache-control', 'public, max-age=300');
    const description = collection.description || `A collection by ${collection.owner}`;
    return reply
      .type(FEED_TYPES[format])
      .send(
        renderPaperFeed(
          format,
          { title: collection.title, description, pagePath: path, feedPath: path },
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
    .send(renderCollectionPage(site.pageContext(request), { collection, papers, upvoted, saved }));
}
