import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ImageFiles } from '../../images/image-files.ts';
import { createMailer, type Mailer } from '../../mail/mailer.ts';
import type { AccountDeps } from '../../services/account-lifecycle.ts';
import { AccountLinks } from '../../services/account-links.ts';
import { MailLinks } from '../../services/mail-links.ts';
import { onceSucceeded } from '../../services/promise-cache.ts';
import { SearchResultsCache } from '../../services/search-results-cache.ts';
import type { MailDeps } from '../../services/subscriptions.ts';
import { RenderedPageCache } from '../rendered-page-cache.ts';
import { pageContext } from '../request-context.ts';
import type { PageContext } from '../views/layout.ts';
import type { WebDeps } from './deps.ts';

/** What every handler is given besides the request and the reply: the site's store, settings and services. */
export interface Site extends WebDeps {
  mailer: Mailer;
  /** Rendered pages for anonymous visitors (home, days, trending). */
  pageCache: RenderedPageCache;
  /** Responses the same for every visitor (feeds, the API's daily lists), until the data changes. */
  responseCache: RenderedPageCache;
  /** Pages of search results, kept until the data changes. */
  searchResults: SearchResultsCache;
  imageFiles: ImageFiles;
  accountDeps(): Promise<AccountDeps>;
  mailDeps(): Promise<MailDeps>;
  pageContext(request: FastifyRequest): PageContext;
}

/** The handlers' `Site` for `app`; its mailer closes with the app. */
export function openSite(app: FastifyInstance, deps: WebDeps, imageFiles: ImageFiles): Site {
  const { store, config } = deps;
  const mailer = createMailer(config.mail);
  app.addHook('onClose', async () => mailer.close());
  const accountLinks = onceSucceeded(() => AccountLinks.forSite(store, config));
  const mailLinks = onceSucceeded(() => MailLinks.forSite(store, config));
  return {
    ...deps,
    mailer,
    pageCache: new RenderedPageCache(store, () => app.imageLinks?.copies ?? 0, config.caches.renderedBytes),
    responseCache: new RenderedPageCache(store, () => '', config.caches.renderedBytes),
    searchResults: new SearchResultsCache(store, config.caches.searchResultBytes),
    imageFiles,
    accountDeps: async () => ({ store, mailer, links: await accountLinks() }),
    mailDeps: async () => ({ store, mailer, links: await mailLinks() }),
    pageContext: (request) => pageContext(request, config.baseUrl),
  };
}
