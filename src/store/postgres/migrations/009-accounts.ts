/** SQLite's 010 on PostgreSQL: verified emails, and rate-limit counters found by age for purging. */
export const accounts = `
ALTER TABLE users ADD COLUMN email_verified_at text COLLATE "C";
UPDATE users SET email_verified_at = created_at;
CREATE INDEX users_admins ON users(role) WHERE role = 'admin';
CREATE INDEX rate_limits_age ON rate_limits(window_started_at);
`;
