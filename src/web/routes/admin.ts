/** `/admin`: where mail goes, the digest schedule and runs, subscriber and member counts. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { describeMailMode } from '../../mail/mailer.ts';
import { renderAdminPage } from '../views/admin-page.ts';
import { HTML } from './responses.ts';
import type { Site } from './site.ts';

export function describeDigestSchedule(config: Config): string {
  return config.digest.scheduler
    ? `Digests go out at ${config.digest.time} ${config.digest.timeZone}: daily on weekdays, weekly on Mondays (DIGEST_SCHEDULER=on).`
    : 'The built-in scheduler is off (DIGEST_SCHEDULER=off): run `dailypapers digest send` from cron.';
}

export async function adminPage(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const { store, config, mailer } = site;
  const [counts, runs, members, authorClaims] = await Promise.all([
    store.subscriptions.countSubscriptions(),
    store.digests.listDigestRuns(10),
    store.members.countMembers(),
    store.authorClaims.listPending(50),
  ]);
  return reply.type(HTML).send(
    renderAdminPage(site.pageContext(request), {
      mail: { kind: mailer.mode.kind, description: describeMailMode(mailer.mode) },
      digestSchedule: describeDigestSchedule(config),
      counts,
      runs,
      members,
      authorClaims,
    }),
  );
}
