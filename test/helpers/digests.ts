// Shared steps for the digest tests: papers listed on a day, subscribing and confirming through the real site.
import assert from 'node:assert/strict';
import { SiteClient } from '../../scripts/lib/http-client.ts';
import type { PaperRecord } from '../../src/domain/paper.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { type SendDigestsOptions, sendDigests } from '../../src/services/digests.ts';
import { MailLinks } from '../../src/services/mail-links.ts';
import { listedOn } from './records.ts';
import type { RunningSite } from './site.ts';
import { linkIn, type SmtpSink } from './smtp-sink.ts';

const TOPICS = [
  'diffusion models for image generation',
  'reinforcement learning from human feedback',
  'graph neural networks for molecules',
  'speech recognition with transformers',
];

/** `count` papers listed on `day`, ids 2611.<prefix><nn>, upvotes descending, titles cycling through four topics. */
export function papersOn(day: string, count: number, prefix = '1'): PaperRecord[] {
  return Array.from({ length: count }, (_, index) => {
    const topic = TOPICS[index % TOPICS.length] as string;
    const id = `2611.${prefix}${String(index).padStart(4, '0')}`;
    return listedOn(day, id, {
      title: `${topic[0]?.toUpperCase()}${topic.slice(1)}: study ${index}`,
      abstract: `We study ${topic}. Result number ${index} improves the state of the art by a wide margin on standard benchmarks.`,
      importedUpvotes: 200 - index,
    });
  });
}

let visitors = 0;

/** A SiteClient coming from its own address (X-Forwarded-For; the site trusts its proxy), so the per-address
 * rate limits of one test do not spill into the next. */
export class Visitor extends SiteClient {
  private readonly ip = `198.51.100.${(visitors++ % 250) + 1}`;

  override request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('x-forwarded-for', this.ip);
    return super.request(path, { ...init, headers });
  }
}

export function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** Subscribes through the form and confirms through the link in the mail, like a person would. */
export async function subscribeAndConfirm(
  site: RunningSite,
  sink: SmtpSink,
  email: string,
  fields: Record<string, string> = {},
): Promise<void> {
  const client = new Visitor(site.url);
  const before = sink.messages.length;
  const response = await client.postForm('/subscribe', { email, frequency: 'daily', ...fields });
  assert.equal(response.status, 200, await response.text());
  await sink.waitFor((messages) => messages.slice(before).some((mail) => mail.to.includes(email)));
  const mail = sink.messages.slice(before).find((message) => message.to.includes(email));
  assert.ok(mail);
  const confirm = pathOf(linkIn(mail, '/subscriptions/confirm/'));
  assert.equal((await client.get(confirm)).status, 200);
  const confirmed = await client.postForm(confirm, {});
  assert.equal(confirmed.status, 200);
  assert.match(await confirmed.text(), /You are subscribed/);
}

/** Runs one period's digests in-process against the site's database and mail settings. */
export async function runDigests(site: RunningSite, options: Omit<SendDigestsOptions, 'from'>) {
  const mailer = createMailer(site.config.mail);
  try {
    return await sendDigests(
      { store: site.store, mailer, links: await MailLinks.forSite(site.store, site.config) },
      { retry: { baseDelayMs: 20, maxDelayMs: 200 }, ...options, from: site.config.mail.from },
    );
  } finally {
    await mailer.close();
  }
}
