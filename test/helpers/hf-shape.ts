// Compares one of our /api/daily_papers entries with the Hugging Face entry it was imported from.
import { safeUrl } from '../../src/domain/safe-url.ts';
import { huggingFaceUrl } from '../../src/sources/hf-daily.ts';

export type Json = Record<string, unknown>;

/**
 * Fields we store per paper, by path: served back they must equal what Hugging Face served. An organization's
 * full name and avatar belong to the organization and follow its latest import, so only their types are compared.
 * `numComments` counts the comments on this site (Hugging Face's count is shown apart), so only its type is.
 */
const STORED_VALUES = [
  'paper.id',
  'paper.upvotes',
  'paper.publishedAt',
  'paper.submittedOnDailyAt',
  'paper.githubRepo',
  'paper.githubStars',
  'paper.projectPage',
  'paper.ai_summary',
  'paper.ai_keywords',
  'paper.organization.name',
  'paper.submittedOnDailyBy.user',
  'paper.submittedOnDailyBy.fullname',
  'paper.submittedOnDailyBy.avatarUrl',
  'thumbnail',
];

/** Links are kept as our URL policy (and Hugging Face's own relative avatar paths) leave them. */
const LINKS = new Set([
  'paper.githubRepo',
  'paper.projectPage',
  'paper.submittedOnDailyBy.avatarUrl',
  'thumbnail',
]);

export function get(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Json | undefined)?.[key], value);
}

function typeOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/** Every key path of ours that Hugging Face also has must hold the same JSON type. */
function compareTypes(ours: unknown, theirs: unknown, path: string, problems: string[]): void {
  if (theirs === undefined || theirs === null) return;
  if (typeOf(ours) !== typeOf(theirs)) {
    problems.push(`${path}: ours ${typeOf(ours)}, Hugging Face ${typeOf(theirs)}`);
    return;
  }
  if (Array.isArray(ours)) {
    ours.forEach((item, index) =>
      compareTypes(item, (theirs as unknown[])[index], `${path}[${index}]`, problems),
    );
  } else if (typeof ours === 'object' && ours !== null) {
    for (const [key, value] of Object.entries(ours)) {
      compareTypes(value, (theirs as Json)[key], path ? `${path}.${key}` : key, problems);
    }
  }
}

/** Problems found: a type that differs, or a stored value that did not come back equal. */
export function differencesFromHf(ours: unknown, theirs: Json, options: { values: boolean }): string[] {
  const problems: string[] = [];
  compareTypes(ours, theirs, '', problems);
  if (!options.values) return problems;
  const id = get(theirs, 'paper.id');
  for (const path of STORED_VALUES) {
    const original = get(theirs, path);
    if (original === undefined || original === null || original === '') continue;
    const expected = LINKS.has(path) ? (safeUrl(huggingFaceUrl(original as string)) ?? undefined) : original;
    const actual = get(ours, path);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      problems.push(
        `${id} ${path}: ours ${JSON.stringify(actual)}, Hugging Face ${JSON.stringify(expected)}`,
      );
    }
  }
  const names = (get(theirs, 'paper.authors') as Json[]).map((author) => String(author.name).trim());
  const ourNames = ((get(ours, 'paper.authors') as Json[] | undefined) ?? []).map((author) => author.name);
  if (JSON.stringify(names) !== JSON.stringify(ourNames)) problems.push(`${id} paper.authors: names differ`);
  return problems;
}
