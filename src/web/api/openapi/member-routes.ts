/** The routes a member acts on papers by: submit, upvote, and who the request is made as. */
import { submitBody } from '../params.ts';
import { dailyEntrySchema, failure, json, meSchema, upvoteStateSchema } from '../schemas/entities.ts';
import { paperIdParams } from './hf-routes.ts';
import { type ApiRouteSchema, TAGS } from './route-schema.ts';

export const submitRoute: ApiRouteSchema = {
  operationId: 'submitPaper',
  summary: 'List a paper from arXiv on today’s page, as the member',
  description: 'At most a few submissions a day per member, only recent papers, no duplicates.',
  tags: [TAGS.member],
  body: submitBody,
  response: {
    201: json(dailyEntrySchema, 'the listed paper'),
    400: failure('not an arXiv paper, too old, or already listed'),
  },
};

export const meRoute: ApiRouteSchema = {
  operationId: 'getMe',
  summary: 'The member the request is made as',
  tags: [TAGS.member],
  response: { 200: json(meSchema, 'the member') },
};

const upvote = (operationId: string, summary: string): ApiRouteSchema => ({
  operationId,
  summary,
  tags: [TAGS.member],
  params: paperIdParams,
  response: {
    200: json(upvoteStateSchema, 'the paper’s new count, and whether the member upvotes it now'),
    404: failure('no such paper here, or it is hidden'),
  },
});

export const upvoteRoute = upvote('upvotePaper', 'Upvote a paper (again is harmless)');
export const removeUpvoteRoute = upvote(
  'removeUpvote',
  'Take back an upvote (when there is none, nothing changes)',
);
