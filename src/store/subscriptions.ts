import type {
  DigestFrequency,
  DigestTopics,
  Subscription,
  SubscriptionStatus,
} from '../domain/subscription.ts';

export interface NewSubscription {
  email: string;
  frequency: DigestFrequency;
  topics: DigestTopics;
  memberId: number | null;
}

export interface SubscriptionChange {
  frequency?: DigestFrequency;
  topics?: DigestTopics;
  status?: SubscriptionStatus;
  memberId?: number | null;
  bounceReason?: string | null;
}

export interface SubscriptionCount {
  status: SubscriptionStatus;
  frequency: DigestFrequency;
  topical: boolean;
  count: number;
}

/** Digest subscriptions: sign-up, confirmation, changes and the counts the admin page shows. */
export interface SubscriptionStore {
  /** DuplicateError('email') when the address already has a subscription. */
  createSubscription(subscription: NewSubscription, now: string): Promise<Subscription>;
  getSubscription(id: number): Promise<Subscription | null>;
  /** Case-insensitive. */
  findSubscriptionByEmail(email: string): Promise<Subscription | null>;
  /** NotFoundError for an unknown id. Becoming active sets confirmedAt. */
  updateSubscription(id: number, change: SubscriptionChange, now: string): Promise<Subscription>;
  countSubscriptions(): Promise<SubscriptionCount[]>;
}
