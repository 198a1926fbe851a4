import type pg from 'pg';
import type { Sessions } from '../sessions.ts';
import type { PostgresMembers } from './members.ts';
import { inTransaction } from './transaction.ts';

export class PgSessions implements Sessions {
  constructor(
    private readonly pool: pg.Pool,
    private readonly members: PostgresMembers,
  ) {}

  replace(previousTokenHash: string | undefined, tokenHash: string, memberId: number, expiresAt: string) {
    return inTransaction(this.pool, async (client) => {
      if (previousTokenHash) await this.members.deleteSession(previousTokenHash, client);
      await this.members.createSession(tokenHash, memberId, expiresAt, client);
    });
  }
}
