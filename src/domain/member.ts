export type Role = 'member' | 'admin';

/** A registered member of the site. */
export interface Member {
  id: number;
  username: string;
  email: string;
  role: Role;
  createdAt: string;
  /** Whether the member opened the verification link mailed to `email` (needed to vote, comment and submit). */
  emailVerified: boolean;
}

/** A comment on a paper; replies go one level deep. */
export interface Comment {
  id: number;
  paperId: string;
  parentId: number | null;
  author: string;
  body: string;
  createdAt: string;
  hidden: boolean;
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,29}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether a text could be a username at all (a name that is not cannot name a member). */
export const isUsernameShaped = (value: string): boolean => USERNAME.test(value);

/** Why a sign-up's username and email are refused, field by field; empty when they are fine. */
export function validateSignup(input: { username: string; email: string }): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!USERNAME.test(input.username)) {
    problems.username = '2 to 30 letters, digits, dashes or underscores, starting with a letter or digit';
  }
  if (input.email.length > 254 || !EMAIL.test(input.email))
    problems.email = 'enter an email address like ada@example.org';
  return problems;
}

export const MAX_COMMENT_LENGTH = 5000;

export function validateComment(body: string): string | null {
  const text = body.trim();
  if (!text) return 'write something first';
  if (text.length > MAX_COMMENT_LENGTH) return `at most ${MAX_COMMENT_LENGTH} characters`;
  return null;
}
