import type pg from 'pg';
import type { Author } from '../../domain/paper.ts';
import { copyRows } from './copy-rows.ts';
import { replacedLists, replaceRows } from './list-rows.ts';

/** The authors of written papers: their ids by name (created when missing) and the papers' author rows. */
export class AuthorWriter {
  /** Ids of committed authors (authors are never deleted), shared by this store's writes. */
  private readonly authorIds = new Map<string, number>();

  /** Makes a committed transaction's author ids known to later writes. */
  adopt(session: Map<string, number>): void {
    if (this.authorIds.size + session.size > 500_000) this.authorIds.clear();
    for (const [name, id] of session) this.authorIds.set(name, id);
  }

  private authorId(session: Map<string, number>, name: string): number | undefined {
    return session.get(name) ?? this.authorIds.get(name);
  }

  /** Replaces the author rows of the papers whose authors changed, creating missing authors. */
  async write(
    client: pg.ClientBase,
    session: Map<string, number>,
    states: Map<string, { stored: unknown; authors: Author[] | null }>,
  ): Promise<void> {
    const replaced = replacedLists(states, (state) => state.authors);
    if (replaced.length === 0) return;
    await this.resolveAuthors(
      client,
      session,
      replaced.flatMap(({ list }) => list.map((author) => author.name)),
    );
    const rows = await replaceRows(client, 'paper_authors', replaced);
    if (rows.length === 0) return;
    await copyRows(
      client,
      'paper_authors',
      ['paper_id', 'position', 'author_id', 'hf_id', 'hidden'],
      rows.map((row) => [
        row.id,
        row.position,
        this.authorId(session, row.item.name) ?? null,
        row.item.hfId,
        row.item.hidden ? 1 : 0,
      ]),
    );
  }

  /** Caches the ids of these author names, creating the missing authors. */
  private async resolveAuthors(
    client: pg.ClientBase,
    session: Map<string, number>,
    names: string[],
  ): Promise<void> {
    const ids = session;
    // A long import meets millions of names: keep memory bounded, the database answers again.
    if (ids.size > 500_000) ids.clear();
    let missing = [...new Set(names)].filter((name) => this.authorId(session, name) === undefined);
    for (let pass = 0; missing.length > 0 && pass < 3; pass++) {
      const found = await client.query<{ id: number; name: string }>(
        'SELECT id, name FROM authors WHERE name = ANY($1::text[])',
        [missing],
      );
      for (const row of found.rows) ids.set(row.name, row.id);
      missing = missing.filter((name) => !ids.has(name)).sort();
      if (missing.length === 0) break;
      // Sorted, so two writers creating the same authors take their keys in one order (no deadlock).
      const created = await client.query<{ id: number; name: string }>(
        'INSERT INTO authors (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING RETURNING id, name',
        [missing],
      );
      for (const row of created.rows) ids.set(row.name, row.id);
      // Names another transaction created meanwhile are read on the next pass.
      missing = missing.filter((name) => !ids.has(name));
    }
    if (missing.length > 0) throw new Error(`could not create authors: ${missing.slice(0, 3).join(', ')}`);
  }
}
