import type { FastifyRequest } from 'fastify';
import type { Paper } from '../../domain/paper.ts';
import type { Store } from '../../store/store.ts';

/** The member's tags on those of `papers` they saved (empty for visitors), for the cards' Save control. */
export async function savedTags(store: Store, request: FastifyRequest, papers: Paper[]) {
  if (!request.member) return new Map<string, string[]>();
  return store.library.tagsOf(
    request.member.id,
    papers.map((paper) => paper.id),
  );
}
