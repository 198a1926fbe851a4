// Every method of every store area, and a store that notes which of them tests call, so each area's suite can
// check at its end that it exercised all of its methods.
import type { Store } from '../../../src/store/store.ts';

/** Each area's methods: tsc fails here when one is added without being listed. */
export const AREA_METHODS = {
  papers: [
    'writeBatch',
    'prepareWrite',
    'beginImport',
    'getImportCursor',
    'clearImportCursor',
    'getPaper',
    'getPapers',
    'hfExtras',
    'paperLinks',
    'listPapers',
    'listPaperStamps',
    'countPapers',
    'setPaperHidden',
    'deletePaper',
    'latestDay',
    'adjacentDays',
    'listPaperLocations',
    'paperPageEnds',
    'keywordSearch',
    'compactKeywordIndex',
    'filterSearchHits',
    'searchSignals',
  ],
  members: [
    'createMember',
    'getMember',
    'findMemberForLogin',
    'setPasswordHash',
    'countMembers',
    'createSession',
    'getSessionMember',
    'deleteSession',
    'deleteOtherSessions',
    'hitRateLimit',
    'purgeRateLimits',
    'verifyMemberEmail',
    'hasAdmin',
    'openAdminSetup',
    'claimAdminSetup',
    'deleteMember',
    'exportMember',
  ],
  engagement: [
    'trendingCandidates',
    'setUpvote',
    'upvotedBy',
    'recentUpvotes',
    'addComment',
    'listComments',
    'setCommentHidden',
    'countSubmissionsSince',
    'listSubmission',
  ],
  vectors: [
    'getEmbeddingModel',
    'embeddingModelName',
    'setEmbeddingModel',
    'listPaperTexts',
    'papersToEmbed',
    'countPapersToEmbed',
    'saveVectors',
    'indexVectors',
    'readVectors',
    'trainingParts',
    'saveTrainingPart',
    'dropTrainingParts',
    'getVectorPartitions',
    'saveVectorPartitions',
    'nearestVectors',
    'getVector',
    'getVectors',
  ],
  subscriptions: [
    'createSubscription',
    'getSubscription',
    'findSubscriptionByEmail',
    'updateSubscription',
    'countSubscriptions',
  ],
  digests: [
    'dueSubscriptions',
    'sentPaperIds',
    'claimDigests',
    'recordDigestOutcome',
    'getDigestSend',
    'startDigestRun',
    'finishDigestRun',
    'listDigestRuns',
  ],
  jobs: ['tryLock', 'releaseLock', 'ensureSetting'],
  searchMatches: ['count', 'sorted', 'matching'],
  indexWords: ['vocabulary', 'terms', 'textsWithTerm'],
  apiTokens: ['create', 'list', 'revoke', 'memberFor'],
  authorClaims: ['claim', 'listPending', 'decide', 'approvedFor', 'ofMember'],
  people: ['memberByUsername', 'visibleComments', 'countVisibleComments'],
  notifications: ['repliesTo', 'countRepliesSince', 'readAt', 'markRead'],
  rateLimits: ['hitAll'],
  sessions: ['countAndStart', 'replace'],
  follows: ['follow', 'unfollow', 'find', 'list', 'count', 'forget'],
  library: [
    'save',
    'untag',
    'remove',
    'tagsOf',
    'list',
    'countSaves',
    'tags',
    'setCollection',
    'findCollection',
    'collections',
    'markNotInterested',
    'unmarkNotInterested',
    'notInterested',
    'feedTokenNonce',
    'setFeedTokenNonce',
    'personalDigests',
    'setPersonalDigest',
    'replacedDigest',
    'forget',
  ],
} as const satisfies { [A in StoreArea]: ReadonlyArray<keyof Store[A]> };

/** The papers area's search methods: test/store/search.test.ts checks these, test/store/papers.test.ts the rest. */
export const PAPER_SEARCH_METHODS = [
  'keywordSearch',
  'compactKeywordIndex',
  'filterSearchHits',
  'searchSignals',
] as const satisfies ReadonlyArray<(typeof AREA_METHODS)['papers'][number]>;

export type StoreArea =
  | 'papers'
  | 'members'
  | 'vectors'
  | 'engagement'
  | 'subscriptions'
  | 'digests'
  | 'jobs'
  | 'searchMatches'
  | 'indexWords'
  | 'apiTokens'
  | 'authorClaims'
  | 'people'
  | 'notifications'
  | 'rateLimits'
  | 'sessions'
  | 'follows'
  | 'library';

/** The areas' properties that are not methods. */
type AreaProperties = 'vectorSearch';
type Unlisted<A extends StoreArea> = Exclude<
  keyof Store[A],
  (typeof AREA_METHODS)[A][number] | AreaProperties
>;
const everyMethodListed: { [A in StoreArea]: [Unlisted<A>] extends [never] ? true : Unlisted<A> } = {
  papers: true,
  members: true,
  engagement: true,
  vectors: true,
  subscriptions: true,
  digests: true,
  jobs: true,
  searchMatches: true,
  indexWords: true,
  apiTokens: true,
  authorClaims: true,
  people: true,
  notifications: true,
  rateLimits: true,
  sessions: true,
  follows: true,
  library: true,
};
void everyMethodListed;

/** How a call is noted: `area.method`, or the method's name for the store's own methods (`close`). */
export const callName = (area: StoreArea, method: string) => `${area}.${method}`;

/** Of an area's methods, those never noted in `calls`. */
export function uncalled(area: StoreArea, calls: Set<string>): string[] {
  return AREA_METHODS[area].filter((method) => !calls.has(callName(area, method)));
}

function noting<T extends object>(target: T, calls: Set<string>, name: (property: string) => string): T {
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.add(name(String(property)));
        return value.apply(object, args);
      };
    },
  });
}

/** A store whose area methods and own methods note their calls in `calls`. */
export function recorded(store: Store, calls: Set<string>): Store {
  const areas = new Map<string, object>();
  for (const area of Object.keys(AREA_METHODS) as StoreArea[])
    areas.set(
      area,
      noting(store[area], calls, (method) => callName(area, method)),
    );
  const own = noting(store, calls, (method) => method);
  return new Proxy(own, {
    get(object, property) {
      return areas.get(String(property)) ?? Reflect.get(object, property);
    },
  });
}
