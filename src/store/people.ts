import type { Role } from '../domain/member.ts';

/** What anyone may see of a member (no email): their public page `/users/{name}`. */
export interface PublicMember {
  id: number;
  username: string;
  role: Role;
  createdAt: string;
}

/** A visible comment of a member, with the paper it is on. */
export interface MemberComment {
  id: number;
  paperId: string;
  paperTitle: string;
  parentId: number | null;
  body: string;
  createdAt: string;
}

/** Members as the public sees them. */
export interface PeopleStore {
  /** By username, case-insensitive; null for an unknown or deleted account. */
  memberByUsername(username: string): Promise<PublicMember | null>;
  /** The member's comments that are not hidden, on papers that are not hidden, newest first. */
  visibleComments(memberId: number, limit: number, offset: number): Promise<MemberComment[]>;
  countVisibleComments(memberId: number): Promise<number>;
}
