import type { Follow, FollowKind, NewFollow } from '../domain/follows.ts';

/** A follow, and whether it is new (false: the same kind and target was followed already). */
export interface FollowResult {
  follow: Follow;
  created: boolean;
}

/** A member's follows; one row per (member, kind, target). */
export interface FollowsRepository {
  /** Follows, or returns the follow already there for the same kind and target (its label unchanged). */
  follow(memberId: number, follow: NewFollow, now: string): Promise<FollowResult>;
  /** False when the member had no such follow. */
  unfollow(memberId: number, id: number): Promise<boolean>;
  /** The member's follow of this kind and target, or null. */
  find(memberId: number, kind: FollowKind, target: string): Promise<Follow | null>;
  /** Oldest first. */
  list(memberId: number): Promise<Follow[]>;
  count(memberId: number): Promise<number>;
  /** Removes all of a member's follows (account deletion). */
  forget(memberId: number): Promise<void>;
}
