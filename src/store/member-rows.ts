import type { Member, Role } from '../domain/member.ts';
import type { RateLimitResult } from './members.ts';

/** A users row. */
export interface MemberRow {
  id: number;
  username: string;
  email: string;
  role: Role;
  created_at: string;
  password_hash: string;
  email_verified_at: string | null;
}

export const toMember = (row: MemberRow): Member => ({
  id: row.id,
  username: row.username,
  email: row.email,
  role: row.role,
  createdAt: row.created_at,
  emailVerified: row.email_verified_at !== null,
});

export const toMemberForLogin = (row: MemberRow): Member & { passwordHash: string } => ({
  ...toMember(row),
  passwordHash: row.password_hash,
});

/** The verdict on a hit, from the key's rate_limits counter after it was counted (seconds since the epoch). */
export function rateLimitResult(
  counter: { windowStartedAt: number; hits: number } | undefined,
  limit: number,
  windowSeconds: number,
  nowSeconds: number,
): RateLimitResult {
  if (!counter || counter.hits <= limit) return { allowed: true, retryAfterSeconds: 0 };
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, counter.windowStartedAt + windowSeconds - nowSeconds),
  };
}
