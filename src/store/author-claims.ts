export type AuthorClaimStatus = 'pending' | 'approved' | 'rejected';

/** A member's claim to be the person behind an author name (`/authors/{name}`). */
export interface AuthorClaim {
  id: number;
  authorName: string;
  memberId: number;
  username: string;
  status: AuthorClaimStatus;
  createdAt: string;
  decidedAt: string | null;
}

/** Why a claim was not recorded: the name has its approved member, or this member's claim awaits a decision. */
export type ClaimRefusal = 'taken' | 'pending';

/** What deciding a claim did: refused when it was decided already or another claim was approved first. */
export type ClaimDecision = 'approved' | 'rejected' | 'taken' | 'decided';

/**
 * Author claims: many pending claims per name, at most one approved member per name (a unique index, so two
 * admins approving at once cannot both succeed).
 */
export interface AuthorClaimStore {
  /** Records a pending claim, or says why not. */
  claim(memberId: number, authorName: string, now: string): Promise<AuthorClaim | ClaimRefusal>;
  /** Claims waiting for an admin, oldest first. */
  listPending(limit: number): Promise<AuthorClaim[]>;
  /** Approves or rejects a pending claim; NotFoundError for an unknown id. */
  decide(claimId: number, approve: boolean, now: string): Promise<ClaimDecision>;
  /** The approved claims of these author names (at most one each). */
  approvedFor(authorNames: string[]): Promise<AuthorClaim[]>;
  /** A member's claims, newest first. */
  ofMember(memberId: number): Promise<AuthorClaim[]>;
}
