/**
 * `GET /api/arxiv/:paper/repos`: Hugging Face's linked repositories of a paper; we know its code and project
 * page, never models, datasets or Spaces.
 */
import { ofVisiblePaper } from '../papers/visible-paper.ts';

export const paperRepos = ofVisiblePaper((paper) => ({
  models: [],
  datasets: [],
  spaces: [],
  ...(paper.githubRepo && { githubRepo: paper.githubRepo }),
  ...(paper.projectPage && { projectPage: paper.projectPage }),
}));
