import type { Member, Role } from '../domain/member.ts';

export interface NewMember {
  username: string;
  email: string;
  passwordHash: string;
  role: Role;
  /** Members made by an operator (CLI) need no verification mail; sign-ups start unverified. */
  emailVerified?: boolean;
}

/** Everything the site keeps about one member, for the member's own download (GET /account/export). */
export interface MemberExport {
  profile: { username: string; email: string; role: Role; createdAt: string; emailVerified: boolean };
  upvotes: Array<{ paperId: string; createdAt: string }>;
  comments: Array<{
    id: number;
    paperId: string;
    parentId: number | null;
    body: string;
    createdAt: string;
    hidden: boolean;
  }>;
  submissions: Array<{ paperId: string; day: string; submittedAt: string | null }>;
  subscriptions: Array<{
    email: string;
    frequency: string;
    topics: unknown;
    status: string;
    createdAt: string;
    confirmedAt: string | null;
  }>;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets (0 when allowed). */
  retryAfterSeconds: number;
}

/** Members, their sessions, their accounts' life cycle and the rate-limit counters shared by every process. */
export interface MemberStore {
  createMember(member: NewMember): Promise<Member>;
  getMember(id: number): Promise<Member | null>;
  /** By username or email, case-insensitive, with the password hash for checking. */
  findMemberForLogin(login: string): Promise<(Member & { passwordHash: string }) | null>;
  setPasswordHash(memberId: number, passwordHash: string): Promise<void>;
  countMembers(): Promise<number>;
  /** Marks the email verified when the member still has `email` and has not verified it; false otherwise. */
  verifyMemberEmail(memberId: number, email: string, now: string): Promise<boolean>;
  hasAdmin(): Promise<boolean>;
  /** While the site has no admin, makes `tokenHash` the one open admin-setup token (replacing an older one). */
  openAdminSetup(tokenHash: string): Promise<boolean>;
  /**
   * Creates an admin with the open setup token and spends the token, atomically: of concurrent claims (any
   * process) at most one succeeds. Null when the token is not the open one; DuplicateError leaves it open.
   */
  claimAdminSetup(tokenHash: string, member: Omit<NewMember, 'role'>): Promise<Member | null>;
  /**
   * Deletes an account: its sessions and subscriptions go; its comments, submissions and votes stay, attributed to
   * `anonymousName` (the row keeps no email or password).
   */
  deleteMember(memberId: number, anonymousName: string): Promise<void>;
  exportMember(memberId: number): Promise<MemberExport | null>;

  createSession(tokenHash: string, memberId: number, expiresAt: string): Promise<void>;
  /** The member of an unexpired session. */
  getSessionMember(tokenHash: string, now: string): Promise<Member | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends a member's other sessions (after a password change). */
  deleteOtherSessions(memberId: number, keepTokenHash: string): Promise<void>;

  /** Counts one hit against `key` in a fixed window; shared by every process using this database. */
  hitRateLimit(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateLimitResult>;
  /** Deletes rate-limit counters whose window started before `before`; returns how many. */
  purgeRateLimits(before: Date): Promise<number>;
}
