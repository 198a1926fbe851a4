/**
 * Verified emails, and rate-limit counters found by age for purging. Members from before verification existed
 * count as verified (their address was the one they chose to sign up with; they keep voting and commenting).
 */
export const accounts = `
ALTER TABLE users ADD COLUMN email_verified_at TEXT;
UPDATE users SET email_verified_at = created_at;
CREATE INDEX users_admins ON users(role) WHERE role = 'admin';
CREATE INDEX rate_limits_age ON rate_limits(window_started_at);
`;
