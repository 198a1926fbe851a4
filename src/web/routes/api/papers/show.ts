/** `GET /api/papers/:paper` and `GET /api/papers/:paper/similar`. */
import { similarPapers } from '../../../../services/similar-papers.ts';
import type { similarQuery, WithQuery } from '../../../api/params.ts';
import { hfEntries } from '../entries.ts';
import { ofVisiblePaper } from './visible-paper.ts';

export const paperApi = ofVisiblePaper(async (paper, _request, site) => {
  const [entry] = await hfEntries(site.store.papers, [paper], site.config.baseUrl);
  return { ...(entry?.paper as object), numComments: paper.numComments };
});

export const similarApi = ofVisiblePaper(async (paper, request: WithQuery<typeof similarQuery>, site) => {
  const { store, semantic } = site;
  return hfEntries(
    store.papers,
    await similarPapers({ store, semantic }, paper.id, request.query.limit),
    site.config.baseUrl,
  );
});
