/** The member's own things: feed, follows, library, tags and collections. */
import { z } from 'zod';
import {
  collectionBody,
  feedQuery,
  followBody,
  libraryQuery,
  notInterestedBody,
  paperBody,
  saveBody,
  untagBody,
} from '../personal-params.ts';
import {
  collectionSchema,
  failure,
  followSchema,
  forYouSchema,
  json,
  librarySchema,
  savedPaperSchema,
  tagsSchema,
} from '../schemas/entities.ts';
import { type ApiRouteSchema, noContent, TAGS } from './route-schema.ts';

const badParameter = failure('a parameter or field is wrong: the error names it');
const personal = (route: Omit<ApiRouteSchema, 'tags'>): ApiRouteSchema => ({
  ...route,
  tags: [TAGS.personal],
});
/** A list of the member's own, with no parameters: it always answers 200. */
const ownList = (operationId: string, summary: string, list: z.ZodType, answer: string) =>
  personal({ operationId, summary, response: { 200: json(list, answer) } });
/** A change to the member's library that answers 204, or 400 naming the wrong field. */
const libraryChange = (operationId: string, summary: string, body: ApiRouteSchema['body']) =>
  personal({ operationId, summary, body, response: { 204: noContent, 400: badParameter } });

export const feedRoute = personal({
  operationId: 'getForYou',
  summary: 'Your “For you” list: recent papers ranked by your upvotes, saves, follows and “not interested”',
  querystring: feedQuery,
  response: { 200: json(forYouSchema, 'your list'), 400: badParameter },
});

export const followsRoute = ownList('listFollows', 'What you follow', z.array(followSchema), 'your follows');

export const followRoute = personal({
  operationId: 'follow',
  summary: 'Follow an author, an organization or a topic (a search in the query language)',
  description: 'Following again answers 200 with the follow already there.',
  body: followBody,
  response: {
    200: json(followSchema, 'already followed'),
    201: json(followSchema, 'followed'),
    400: badParameter,
  },
});

export const unfollowRoute = personal({
  operationId: 'unfollow',
  summary: 'Unfollow',
  params: z.object({ id: z.string().describe('the follow’s id') }),
  response: { 204: noContent, 404: failure('no such follow') },
});

export const libraryRoute = personal({
  operationId: 'listLibrary',
  summary: 'Your saved papers, newest first',
  querystring: libraryQuery,
  response: {
    200: {
      ...json(librarySchema, 'saves, each with its paper'),
      headers: { 'X-Total-Count': { description: 'saves in all pages', type: 'integer' } },
    },
    400: badParameter,
  },
});

export const saveRoute = personal({
  operationId: 'savePaper',
  summary: 'Save a paper with tags (added to the ones it has)',
  body: saveBody,
  response: { 201: json(savedPaperSchema, 'the save'), 400: badParameter, 404: failure('no such paper') },
});

export const untagRoute = libraryChange(
  'untagPaper',
  'Take a tag off a saved paper (its last tag removes the save)',
  untagBody,
);

export const unsaveRoute = libraryChange('unsavePaper', 'Remove a saved paper', paperBody);

export const notInterestedRoute = libraryChange(
  'markNotInterested',
  'Mark a paper “not interested” (undo: true takes the mark back)',
  notInterestedBody,
);

export const tagsRoute = ownList(
  'listTags',
  'Your tags with their paper counts and collections',
  tagsSchema,
  'your tags',
);

export const collectionsRoute = ownList(
  'listCollections',
  'Your collections, public and private',
  z.array(collectionSchema),
  'your collections',
);

export const saveCollectionRoute = personal({
  operationId: 'saveCollection',
  summary: 'Publish a tag as a collection, edit it, or make it private',
  body: collectionBody,
  response: { 200: json(collectionSchema, 'the collection'), 400: badParameter },
});
