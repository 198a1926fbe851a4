/**
 * Every route of the site: `METHOD path → handler`, and who may call it. Handlers live one per file (or one small
 * file per closely related pair) in folders that mirror the URLs. The guards declared here are applied in one
 * place (`register-routes.ts`), never in handlers: `guard` (member, verifiedMember, admin), `loginNext` (where a
 * visitor who must log in is sent back to), `rateLimit` (services/rate-limit.ts). Every POST checks the CSRF
 * token (request-context.ts) but a `signedLinkPost`, which its signed URL authorizes. `:paper` is an arXiv id,
 * new style or old with its slash. Static files (`/assets/`) are registered in server.ts.
 */

import {
  dailyPapersRoute,
  paperRoute,
  reposRoute,
  searchRoute,
  similarRoute,
} from '../api/openapi/hf-routes.ts';
import { meRoute, removeUpvoteRoute, submitRoute, upvoteRoute } from '../api/openapi/member-routes.ts';
import {
  collectionsRoute,
  feedRoute,
  followRoute,
  followsRoute,
  libraryRoute,
  notInterestedRoute,
  saveCollectionRoute,
  saveRoute,
  tagsRoute,
  unfollowRoute,
  unsaveRoute,
  untagRoute,
} from '../api/openapi/personal-routes.ts';
import { MAIL_PAGE_POLICY } from '../security-headers.ts';
import { deleteOwnAccount } from './account/delete.ts';
import { exportAccount } from './account/export.ts';
import { feedToken } from './account/feed-token.ts';
import { changeAccountPassword } from './account/password.ts';
import { accountPage } from './account/show.ts';
import { createToken, revokeToken } from './account/tokens.ts';
import { resendVerification, verify } from './account/verify.ts';
import { adminPage } from './admin.ts';
import { paperRepos } from './api/arxiv/repos.ts';
import { dailyPapers } from './api/daily-papers.ts';
import { apiDocs, openApiJson } from './api/docs.ts';
import { collectionsApi, saveCollectionApi, tagsApi } from './api/me/collections.ts';
import { feedApi } from './api/me/feed.ts';
import { followApi, followsApi, unfollowApi } from './api/me/follows.ts';
import { libraryApi, saveApi, unsaveApi, untagApi } from './api/me/library.ts';
import { notInterestedApi } from './api/me/not-interested.ts';
import { meApi } from './api/me.ts';
import { searchApi } from './api/papers/search.ts';
import { paperApi, similarApi } from './api/papers/show.ts';
import { submitApi } from './api/papers/submit.ts';
import { removeUpvoteApi, upvoteApi } from './api/papers/upvote.ts';
import { decideClaim } from './author-claims.ts';
import { claimAuthor } from './authors/claim.ts';
import { showCollection } from './collections/show.ts';
import { hideComment } from './comments/hide.ts';
import { digestPage } from './digests.ts';
import { authorFeed } from './feeds/authors/show.ts';
import { dailyFeed } from './feeds/daily.ts';
import { dayFeed } from './feeds/date/show.ts';
import { forYouFeed } from './feeds/for-you.ts';
import { monthFeed } from './feeds/month/show.ts';
import { latestMonthFeed } from './feeds/month.ts';
import { organizationFeed } from './feeds/orgs/show.ts';
import { trendingFeed } from './feeds/trending.ts';
import { weekFeed } from './feeds/week/show.ts';
import { latestWeekFeed } from './feeds/week.ts';
import { followingPage } from './following.ts';
import { addFollow, deleteFollow } from './follows.ts';
import { forYouPage, setDigest } from './for-you.ts';
import { healthz } from './healthz.ts';
import { image } from './images.ts';
import { saveCollection } from './library/collections.ts';
import { notInterested } from './library/not-interested.ts';
import { save, unsave, untag } from './library/save.ts';
import { libraryPage } from './library/show.ts';
import { login, loginForm, logout } from './login.ts';
import { markRead, notificationsPage } from './notifications.ts';
import { comment } from './papers/comments.ts';
import { day, dayFromQuery, home } from './papers/date.ts';
import { paperBibtex, paperMarkdown } from './papers/document.ts';
import { hidePaper } from './papers/hide.ts';
import { month, monthFromQuery } from './papers/month.ts';
import { showPaper } from './papers/show.ts';
import { trending } from './papers/trending.ts';
import { upvote } from './papers/upvote.ts';
import { week, weekFromQuery } from './papers/week.ts';
import { forgotPassword, forgotPasswordForm } from './password/forgot.ts';
import { resetPasswordForm, resetPasswordWithLink } from './password/reset.ts';
import { authorProfile, organizationProfile } from './profiles.ts';
import type { RouteSpec } from './register-routes.ts';
import { favicon, robots } from './robots.ts';
import { search } from './search.ts';
import { setup, setupForm } from './setup.ts';
import { signup, signupForm } from './signup.ts';
import { pagesSitemap, papersSitemap, sitemapIndex } from './sitemaps.ts';
import { submit, submitForm } from './submit.ts';
import { subscribe, subscribeForm } from './subscribe.ts';
import { confirm, confirmForm } from './subscriptions/confirm.ts';
import { preferencesForm, savePreferences } from './subscriptions/manage.ts';
import { unsubscribeForm, unsubscribeWithLink } from './subscriptions/unsubscribe.ts';
import { memberPage } from './users.ts';

// biome-ignore format: one route a line
export const ROUTES: readonly RouteSpec[] = [
  // Paper lists and papers
  { method: 'GET', url: '/', kind: 'page', handler: home },
  { method: 'GET', url: '/papers/date', kind: 'page', handler: dayFromQuery },
  { method: 'GET', url: '/papers/date/:day', kind: 'page', handler: day },
  { method: 'GET', url: '/papers/week', kind: 'page', handler: weekFromQuery },
  { method: 'GET', url: '/papers/week/:week', kind: 'page', handler: week },
  { method: 'GET', url: '/papers/month', kind: 'page', handler: monthFromQuery },
  { method: 'GET', url: '/papers/month/:month', kind: 'page', handler: month },
  { method: 'GET', url: '/papers/trending', kind: 'page', handler: trending },
  { method: 'GET', url: '/papers/:paper', kind: 'page', handler: showPaper },
  { method: 'GET', url: '/papers/:paper.md', kind: 'document', handler: paperMarkdown },
  { method: 'GET', url: '/papers/:paper.bib', kind: 'document', handler: paperBibtex },
  { method: 'GET', url: '/authors/:name', kind: 'page', handler: authorProfile },
  { method: 'GET', url: '/orgs/:name', kind: 'page', handler: organizationProfile },
  { method: 'GET', url: '/search', kind: 'page', handler: search },
  { method: 'GET', url: '/users/:name', kind: 'page', handler: memberPage },

  // Members' actions
  { method: 'POST', url: '/papers/:paper/upvote', kind: 'action', handler: upvote, guard: 'verifiedMember', rateLimit: 'vote' },
  { method: 'POST', url: '/papers/:paper/comments', kind: 'action', handler: comment, guard: 'verifiedMember', rateLimit: 'comment' },
  { method: 'GET', url: '/submit', kind: 'page', handler: submitForm, guard: 'member', loginNext: '/submit' },
  { method: 'POST', url: '/submit', kind: 'action', handler: submit, guard: 'verifiedMember', rateLimit: 'submit' },
  { method: 'POST', url: '/authors/:name/claim', kind: 'action', handler: claimAuthor, guard: 'verifiedMember', rateLimit: 'authorClaim' },
  { method: 'GET', url: '/notifications', kind: 'page', handler: notificationsPage, guard: 'member', loginNext: '/notifications' },
  { method: 'POST', url: '/notifications/read', kind: 'action', handler: markRead, guard: 'member' },

  // The member's own: For you, follows, library and collections
  { method: 'GET', url: '/for-you', kind: 'page', handler: forYouPage, guard: 'member' },
  { method: 'POST', url: '/for-you/digest', kind: 'action', handler: setDigest, guard: 'verifiedMember' },
  { method: 'GET', url: '/following', kind: 'page', handler: followingPage, guard: 'member' },
  { method: 'POST', url: '/follows', kind: 'action', handler: addFollow, guard: 'member' },
  { method: 'POST', url: '/follows/:id/delete', kind: 'action', handler: deleteFollow, guard: 'member' },
  { method: 'GET', url: '/library', kind: 'page', handler: libraryPage, guard: 'member' },
  { method: 'POST', url: '/library/save', kind: 'action', handler: save, guard: 'member' },
  { method: 'POST', url: '/library/untag', kind: 'action', handler: untag, guard: 'member' },
  { method: 'POST', url: '/library/remove', kind: 'action', handler: unsave, guard: 'member' },
  { method: 'POST', url: '/library/not-interested', kind: 'action', handler: notInterested, guard: 'member' },
  { method: 'POST', url: '/library/collections', kind: 'action', handler: saveCollection, guard: 'verifiedMember' },
  { method: 'GET', url: '/collections/:member/:slug', kind: 'page', handler: showCollection }, // private ones for their owner only, in the service
  { method: 'POST', url: '/account/feed-token', kind: 'action', handler: feedToken, guard: 'member' },
  { method: 'GET', url: '/feeds/for-you/:token', kind: 'feed', handler: forYouFeed }, // authorized by its token

  // Accounts
  { method: 'GET', url: '/signup', kind: 'page', handler: signupForm },
  { method: 'POST', url: '/signup', kind: 'action', handler: signup, rateLimit: 'signup' },
  { method: 'GET', url: '/login', kind: 'page', handler: loginForm },
  { method: 'POST', url: '/login', kind: 'action', handler: login }, // limits per address and per account: services/accounts.ts logIn
  { method: 'POST', url: '/logout', kind: 'action', handler: logout },
  { method: 'GET', url: '/account', kind: 'page', handler: accountPage, guard: 'member', loginNext: '/account' },
  { method: 'POST', url: '/account/password', kind: 'action', handler: changeAccountPassword, guard: 'member', loginNext: '/account', rateLimit: 'memberPassword' },
  { method: 'POST', url: '/account/verify/resend', kind: 'action', handler: resendVerification, guard: 'member', loginNext: '/account' }, // counts accountMail when a mail goes out: services/account-lifecycle.ts
  { method: 'GET', url: '/account/verify/:token', kind: 'page', handler: verify },
  { method: 'POST', url: '/account/delete', kind: 'action', handler: deleteOwnAccount, guard: 'member', loginNext: '/account', rateLimit: 'memberPassword' },
  { method: 'POST', url: '/account/tokens', kind: 'action', handler: createToken, guard: 'member', rateLimit: 'apiToken' }, // sessions only, checked in the handler
  { method: 'POST', url: '/account/tokens/:id/revoke', kind: 'action', handler: revokeToken, guard: 'member' },
  { method: 'GET', url: '/account/export', kind: 'document', handler: exportAccount, guard: 'member', loginNext: '/account' },
  { method: 'GET', url: '/password/forgot', kind: 'page', handler: forgotPasswordForm },
  { method: 'POST', url: '/password/forgot', kind: 'action', handler: forgotPassword, rateLimit: 'accountMail' },
  { method: 'GET', url: '/password/reset/:token', kind: 'page', handler: resetPasswordForm },
  { method: 'POST', url: '/password/reset/:token', kind: 'action', handler: resetPasswordWithLink, rateLimit: 'login' },
  { method: 'GET', url: '/setup/:token', kind: 'page', handler: setupForm },
  { method: 'POST', url: '/setup/:token', kind: 'action', handler: setup, rateLimit: 'signup' },

  // Email digests
  { method: 'GET', url: '/subscribe', kind: 'page', handler: subscribeForm },
  { method: 'POST', url: '/subscribe', kind: 'action', handler: subscribe, rateLimit: 'subscribe', ownSiteWhenAnonymous: true }, // the confirmation mail guards the address
  { method: 'GET', url: '/subscriptions/confirm/:token', kind: 'page', handler: confirmForm },
  { method: 'POST', url: '/subscriptions/confirm/:token', kind: 'action', handler: confirm },
  { method: 'GET', url: '/subscriptions/manage/:token', kind: 'page', handler: preferencesForm },
  { method: 'POST', url: '/subscriptions/manage/:token', kind: 'action', handler: savePreferences },
  { method: 'GET', url: '/subscriptions/unsubscribe/:token', kind: 'page', handler: unsubscribeForm },
  { method: 'POST', url: '/subscriptions/unsubscribe/:token', kind: 'action', handler: unsubscribeWithLink, signedLinkPost: true },
  { method: 'GET', url: '/digests/:token', kind: 'page', handler: digestPage, helmet: { contentSecurityPolicy: { useDefaults: false, directives: MAIL_PAGE_POLICY } } },

  // Admin
  { method: 'GET', url: '/admin', kind: 'page', handler: adminPage, guard: 'admin', loginNext: '/admin' },
  { method: 'POST', url: '/papers/:paper/hide', kind: 'action', handler: hidePaper, guard: 'admin' },
  { method: 'POST', url: '/comments/:id/hide', kind: 'action', handler: hideComment, guard: 'admin' },
  { method: 'POST', url: '/admin/author-claims/:id', kind: 'action', handler: decideClaim, guard: 'admin' },

  // JSON API: each route's zod schema validates its input and is its OpenAPI description (api/openapi/)
  { method: 'GET', url: '/api/daily_papers', kind: 'api', handler: dailyPapers, schema: dailyPapersRoute },
  { method: 'GET', url: '/api/papers/search', kind: 'api', handler: searchApi, schema: searchRoute },
  { method: 'POST', url: '/api/papers/submit', kind: 'api', handler: submitApi, schema: submitRoute, guard: 'verifiedMember', rateLimit: 'submit' },
  { method: 'GET', url: '/api/papers/:paper', kind: 'api', handler: paperApi, schema: paperRoute },
  { method: 'GET', url: '/api/papers/:paper/similar', kind: 'api', handler: similarApi, schema: similarRoute },
  { method: 'GET', url: '/api/arxiv/:paper/repos', kind: 'api', handler: paperRepos, schema: reposRoute },
  { method: 'GET', url: '/api/me', kind: 'api', handler: meApi, schema: meRoute, guard: 'member' },
  { method: 'GET', url: '/api/me/feed', kind: 'api', handler: feedApi, schema: feedRoute, guard: 'member' },
  { method: 'GET', url: '/api/me/follows', kind: 'api', handler: followsApi, schema: followsRoute, guard: 'member' },
  { method: 'POST', url: '/api/me/follows', kind: 'api', handler: followApi, schema: followRoute, guard: 'member' },
  { method: 'POST', url: '/api/me/follows/:id/delete', kind: 'api', handler: unfollowApi, schema: unfollowRoute, guard: 'member' },
  { method: 'GET', url: '/api/me/library', kind: 'api', handler: libraryApi, schema: libraryRoute, guard: 'member' },
  { method: 'POST', url: '/api/me/library', kind: 'api', handler: saveApi, schema: saveRoute, guard: 'member' },
  { method: 'POST', url: '/api/me/library/untag', kind: 'api', handler: untagApi, schema: untagRoute, guard: 'member' },
  { method: 'POST', url: '/api/me/library/remove', kind: 'api', handler: unsaveApi, schema: unsaveRoute, guard: 'member' },
  { method: 'POST', url: '/api/me/not-interested', kind: 'api', handler: notInterestedApi, schema: notInterestedRoute, guard: 'member' },
  { method: 'GET', url: '/api/me/tags', kind: 'api', handler: tagsApi, schema: tagsRoute, guard: 'member' },
  { method: 'GET', url: '/api/me/collections', kind: 'api', handler: collectionsApi, schema: collectionsRoute, guard: 'member' },
  { method: 'POST', url: '/api/me/collections', kind: 'api', handler: saveCollectionApi, schema: saveCollectionRoute, guard: 'verifiedMember' },
  { method: 'POST', url: '/api/papers/:paper/upvote', kind: 'api', handler: upvoteApi, schema: upvoteRoute, guard: 'verifiedMember', rateLimit: 'vote' },
  { method: 'DELETE', url: '/api/papers/:paper/upvote', kind: 'api', handler: removeUpvoteApi, schema: removeUpvoteRoute, guard: 'verifiedMember', rateLimit: 'vote' },
  { method: 'GET', url: '/api/openapi.json', kind: 'document', handler: openApiJson },
  { method: 'GET', url: '/api/docs', kind: 'page', handler: apiDocs },

  // Feeds (RSS for .xml and .rss, Atom for .atom), images and what crawlers read
  { method: 'GET', url: '/feeds/daily.:format', kind: 'feed', handler: dailyFeed },
  { method: 'GET', url: '/feeds/date/:day.:format', kind: 'feed', handler: dayFeed },
  { method: 'GET', url: '/feeds/week.:format', kind: 'feed', handler: latestWeekFeed },
  { method: 'GET', url: '/feeds/week/:week.:format', kind: 'feed', handler: weekFeed },
  { method: 'GET', url: '/feeds/month.:format', kind: 'feed', handler: latestMonthFeed },
  { method: 'GET', url: '/feeds/month/:month.:format', kind: 'feed', handler: monthFeed },
  { method: 'GET', url: '/feeds/trending.:format', kind: 'feed', handler: trendingFeed },
  { method: 'GET', url: '/feeds/authors/:name.:format', kind: 'feed', handler: authorFeed },
  { method: 'GET', url: '/feeds/orgs/:name.:format', kind: 'feed', handler: organizationFeed },
  { method: 'GET', url: '/images/:key', kind: 'document', handler: image },
  { method: 'GET', url: '/robots.txt', kind: 'document', handler: robots },
  { method: 'GET', url: '/sitemap.xml', kind: 'document', handler: sitemapIndex },
  { method: 'GET', url: '/sitemaps/pages.xml', kind: 'document', handler: pagesSitemap },
  { method: 'GET', url: '/sitemaps/papers.xml', kind: 'document', handler: papersSitemap },
  { method: 'GET', url: '/favicon.ico', kind: 'document', handler: favicon },
  { method: 'GET', url: '/healthz', kind: 'document', handler: healthz },
];
