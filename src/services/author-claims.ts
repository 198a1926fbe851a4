/** Members claiming author pages, and admins deciding. One approved member per author name. */
import { stripControlCharacters } from '../domain/control-characters.ts';
import type { Member } from '../domain/member.ts';
import type { Paper } from '../domain/paper.ts';
import type { AuthorClaim, ClaimDecision } from '../store/author-claims.ts';
import { NotFoundError, type Store } from '../store/store.ts';
import { FormError } from './accounts.ts';

export async function claimAuthorPage(
  store: Store,
  member: Member,
  authorName: string,
): Promise<AuthorClaim> {
  // A name with control characters is no author's (and PostgreSQL refuses NUL in text).
  const known =
    stripControlCharacters(authorName) === authorName &&
    (await store.papers.countPapers({ author: authorName })) > 0;
  if (!known) throw new NotFoundError(`author “${stripControlCharacters(authorName)}”`);
  const result = await store.authorClaims.claim(member.id, authorName, new Date().toISOString());
  if (result === 'pending')
    throw new FormError({ claim: `Your claim to “${authorName}” is already waiting for an admin.` });
  if (result === 'taken') {
    const [approved] = await store.authorClaims.approvedFor([authorName]);
    throw new FormError({
      claim:
        approved?.memberId === member.id
          ? `The author page “${authorName}” is already yours.`
          : `The author page “${authorName}” already belongs to another member; if that is wrong, write to the site's admins.`,
    });
  }
  return result;
}

export async function decideAuthorClaim(
  store: Store,
  claimId: number,
  approve: boolean,
): Promise<ClaimDecision> {
  return store.authorClaims.decide(claimId, approve, new Date().toISOString());
}

/** Usernames of the members approved for any of a paper's author names. */
export async function paperAuthorMembers(store: Store, paper: Paper): Promise<Set<string>> {
  if (paper.authors.length === 0) return new Set();
  const claims = await store.authorClaims.approvedFor(paper.authors.map((author) => author.name));
  return new Set(claims.map((claim) => claim.username));
}

/** Who is behind an author name, and where the viewing member's own claim stands. */
export async function authorClaimState(
  store: Store,
  authorName: string,
  viewer: Member | null,
): Promise<{ approved: AuthorClaim | null; own: AuthorClaim | null }> {
  const [approved, own] = await Promise.all([
    store.authorClaims.approvedFor([authorName]),
    viewer ? store.authorClaims.ofMember(viewer.id) : Promise.resolve([]),
  ]);
  return {
    approved: approved[0] ?? null,
    own: own.find((claim) => claim.authorName === authorName) ?? null,
  };
}

/** The approved member of each of these author names that has one, by name. */
export async function claimedAuthors(store: Store, authorNames: string[]): Promise<Map<string, AuthorClaim>> {
  const claims = await store.authorClaims.approvedFor(authorNames);
  return new Map(claims.map((claim) => [claim.authorName, claim]));
}
