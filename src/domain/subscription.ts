/** Email digest subscriptions: what a subscriber asks for and the rules a request must follow. */
import { collapseSpaces } from './paper-text.ts';
import { parseSearchQuery, SearchQueryError } from './search-query.ts';

export const DIGEST_FREQUENCIES = ['daily', 'weekly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

export function isDigestFrequency(value: unknown): value is DigestFrequency {
  return (DIGEST_FREQUENCIES as readonly unknown[]).includes(value);
}

/**
 * pending: waits for its confirmation link (nothing is sent before); active: gets digests; unsubscribed: left;
 * bounced: the mail server rejected the address permanently (5xx), so it is no longer mailed.
 */
export type SubscriptionStatus = 'pending' | 'active' | 'unsubscribed' | 'bounced';

/** What a topic digest is about; all empty means the global (trending) digest. */
export interface DigestTopics {
  /** Saved searches: free text, matched like the site's search. */
  queries: string[];
  /** Exact author names. */
  authors: string[];
  /** Organization handles. */
  organizations: string[];
}

export const NO_TOPICS: DigestTopics = { queries: [], authors: [], organizations: [] };

export interface Subscription {
  id: number;
  email: string;
  frequency: DigestFrequency;
  topics: DigestTopics;
  status: SubscriptionStatus;
  memberId: number | null;
  createdAt: string;
  updatedAt: string;
  confirmedAt: string | null;
  bounceReason: string | null;
}

export const MAX_TOPICS_PER_KIND = 10;
export const MAX_TOPIC_LENGTH = 100;

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

export function hasTopics(topics: DigestTopics): boolean {
  return topics.queries.length + topics.authors.length + topics.organizations.length > 0;
}

/** One string per distinct topic set, so subscribers with the same topics share one ranking. */
export function topicsKey(topics: DigestTopics): string {
  const part = (values: string[]) =>
    values
      .map((value) => value.toLowerCase())
      .sort()
      .join('\u0001');
  return [part(topics.queries), part(topics.authors), part(topics.organizations)].join('\u0002');
}

/** Trims an address and lower-cases its domain (the local part is the mailbox owner's to define). */
export function normalizeEmail(value: string): string {
  const trimmed = value.trim();
  const at = trimmed.lastIndexOf('@');
  return at < 0 ? trimmed : `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}

export function validateEmail(email: string): string | null {
  if (!email) return 'enter your email address';
  if (email.length > 254 || !EMAIL.test(email)) return 'enter an email address like ada@example.org';
  return null;
}

/** Topics typed one per line or separated by semicolons; blanks and repeats dropped. */
export function parseTopicList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[\n;]+/)) {
    const value = collapseSpaces(part.trim());
    if (!value || seen.has(value.toLowerCase())) continue;
    seen.add(value.toLowerCase());
    out.push(value);
  }
  return out;
}

export function formatTopicList(values: string[]): string {
  return values.join('\n');
}

export interface SubscriptionForm {
  email: string;
  frequency: string;
  queries: string;
  authors: string;
  organizations: string;
}

export type SubscriptionRequest = { email: string; frequency: DigestFrequency; topics: DigestTopics };

function checkList(values: string[], what: string, problems: Record<string, string>, field: string) {
  if (values.length > MAX_TOPICS_PER_KIND) problems[field] = `at most ${MAX_TOPICS_PER_KIND} ${what}`;
  else if (values.some((value) => value.length > MAX_TOPIC_LENGTH))
    problems[field] = `each of the ${what} can be at most ${MAX_TOPIC_LENGTH} characters`;
}

/** A subscription form checked field by field: the request, or the problems to show next to each field. */
export function parseSubscriptionForm(
  form: Partial<SubscriptionForm>,
  options: { requireEmail: boolean } = { requireEmail: true },
): { request: SubscriptionRequest } | { problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const email = normalizeEmail(form.email ?? '');
  if (options.requireEmail) {
    const problem = validateEmail(email);
    if (problem) problems.email = problem;
  }
  const frequency = (form.frequency ?? 'daily') as DigestFrequency;
  if (!DIGEST_FREQUENCIES.includes(frequency)) problems.frequency = 'choose daily or weekly';
  const topics: DigestTopics = {
    queries: parseTopicList(form.queries ?? ''),
    authors: parseTopicList(form.authors ?? ''),
    organizations: parseTopicList(form.organizations ?? ''),
  };
  checkList(topics.queries, 'topics', problems, 'queries');
  checkList(topics.authors, 'authors', problems, 'authors');
  checkList(topics.organizations, 'organizations', problems, 'organizations');
  if (!problems.queries) {
    for (const query of topics.queries) {
      try {
        if (parseSearchQuery(query).paperId) {
          problems.queries = `“${query}” is one paper, not a topic`;
          break;
        }
      } catch (error) {
        if (!(error instanceof SearchQueryError)) throw error;
        problems.queries = `“${query}”: ${error.message}`;
        break;
      }
    }
  }
  if (Object.keys(problems).length > 0) return { problems };
  return { request: { email, frequency, topics } };
}
