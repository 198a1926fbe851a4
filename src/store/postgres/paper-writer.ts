import type pg from 'pg';
import type { Author, PaperRecord } from '../../domain/paper.ts';
import {
  columnsDiffer,
  hfExtraChanged,
  type Listing,
  mergeListing,
  mergePaper,
  PAPER_ROW_COLUMN_NAMES,
  type PaperColumns,
  type PaperRowColumnName,
} from '../paper-merge.ts';
import type { WriteResult } from '../papers.ts';
import { AuthorWriter } from './author-writer.ts';
import { copyRows } from './copy-rows.ts';
import { listingDayLockKey } from './engagement.ts';
import { writeHfExtras } from './hf-extra-writer.ts';
import { replacedLists, replaceRows } from './list-rows.ts';
import { type KnownOrganization, OrganizationWriter } from './organization-writer.ts';
import type { SearchVectorPrefetch } from './search-vector-prefetch.ts';
import { withoutNul } from './without-nul.ts';

/** Each column of the papers row's array type for UNNEST. */
const ARRAY_TYPES: Record<PaperRowColumnName, 'text[]' | 'int[]'> = {
  version: 'int[]',
  metadata_source: 'text[]',
  title: 'text[]',
  abstract: 'text[]',
  published_at: 'text[]',
  updated_at: 'text[]',
  comment: 'text[]',
  journal_ref: 'text[]',
  doi: 'text[]',
  license: 'text[]',
  pdf_url: 'text[]',
  github_repo: 'text[]',
  github_stars: 'int[]',
  project_page: 'text[]',
  thumbnail: 'text[]',
  organization_id: 'int[]',
  ai_summary: 'text[]',
  ai_keywords: 'text[]',
  imported_upvotes: 'int[]',
  imported_comments: 'int[]',
  authors_hash: 'text[]',
  authors_text: 'text[]',
  authors_json: 'text[]',
  categories_hash: 'text[]',
};
/** For the UPDATE: `$1::text[]` for the ids, then `$2::int[], $3::text[], …` in PAPER_ROW_COLUMN_NAMES order. */
const UNNEST_ARGS = [
  '$1::text[]',
  ...PAPER_ROW_COLUMN_NAMES.map((name, index) => `$${index + 2}::${ARRAY_TYPES[name]}`),
  `$${PAPER_ROW_COLUMN_NAMES.length + 2}::tsvector[]`,
].join(', ');
/** The written columns and, last, the keyword vector when it was computed ahead (else null: the trigger's). */
const WRITTEN_COLUMNS = `${PAPER_ROW_COLUMN_NAMES.join(', ')}, search_vector`;

/** A paper's listing as this batch leaves it. */
interface DailyState extends Listing {
  /** In the database before this batch. */
  stored: boolean;
  /** A stored listing whose missing submitter this batch fills. */
  fill: boolean;
  /** Creation order of new listings, for their positions on the day. */
  order: number;
}

/** One paper as this batch leaves it, and what must be written for it. */
interface PaperState {
  /** The row before this batch; null for a new paper. */
  stored: PaperColumns | null;
  current: PaperColumns;
  authors: Author[] | null;
  categories: string[] | null;
  /** A GitHub star count to add to the star history. */
  stars: number | null;
  daily: DailyState | null;
}

/**
 * What one transaction learnt or created: author and organization ids, and the listing days it holds locks on.
 * Its ids join the writer's shared cache only when it commits (PaperWriter.adopt): until then another
 * transaction cannot see those rows, and after a rollback they do not exist.
 */
export class WriteSession {
  readonly authorIds = new Map<string, number>();
  readonly organizations = new Map<string, KnownOrganization>();
  readonly lockedDays = new Set<string>();
}

const UNIQUE_VIOLATION = '23505';

/** Listing-day locks one transaction takes at most. */
const MAX_LOCKED_DAYS = 2_000;

/** The same paper inserted by another transaction since this batch looked: the batch is redone. */
class ConcurrentInsertError extends Error {}

/**
 * Upserts papers with their authors, categories, organization and listing, a batch at a time: the merge rules
 * (paper-merge.ts) are applied record by record, each against what the previous ones left, in memory over the
 * stored rows (locked FOR UPDATE), then written with one multi-row statement per table.
 * Runs inside a caller's transaction.
 */
export class PaperWriter {
  /** Ids of committed rows (authors and organizations are never deleted), shared by this store's writes. */
  private readonly authors = new AuthorWriter();
  private readonly organizations = new OrganizationWriter();

  constructor(private readonly vectors: SearchVectorPrefetch) {}

  /** Starts computing the keyword vectors of records that are written next (as new papers would have them). */
  prepare(records: PaperRecord[]): void {
    this.vectors.ask(records.map((record) => mergePaper(withoutNul(record), null, () => null).columns));
  }

  /** Makes a committed transaction's ids known to later writes. */
  adopt(session: WriteSession): void {
    this.authors.adopt(session.authorIds);
    this.organizations.adopt(session.organizations);
  }

  /** Writes a batch within `session`'s transaction; a batch that fails leaves nothing behind, in the database or the session. */
  async write(client: pg.ClientBase, records: PaperRecord[], session: WriteSession): Promise<WriteResult> {
    if (records.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
    const cleaned = records.map(withoutNul);
    for (let attempt = 1; ; attempt++) {
      await client.query('SAVEPOINT paper_writer');
      const newlyLocked = new Set<string>();
      try {
        const result = await this.writeOnce(client, cleaned, session, newlyLocked);
        await client.query('RELEASE SAVEPOINT paper_writer');
        for (const day of newlyLocked) session.lockedDays.add(day);
        return result;
      } catch (error) {
        // Ids the failed attempt found or made may be rolled back: look them up again.
        session.authorIds.clear();
        session.organizations.clear();
        try {
          await client.query('ROLLBACK TO SAVEPOINT paper_writer; RELEASE SAVEPOINT paper_writer');
        } catch {
          throw error; // the connection is gone: the caller's transaction fails with the first error
        }
        // Another writer inserted the same new paper meanwhile, or the two took rows in opposite orders: the
        // other one has finished by now, so doing this batch again succeeds.
        const retry = error instanceof ConcurrentInsertError || (error as { code?: string }).code === '40P01';
        if (!retry || attempt >= 5) throw error;
      }
    }
  }

  private async writeOnce(
    client: pg.ClientBase,
    records: PaperRecord[],
    session: WriteSession,
    newlyLocked: Set<string>,
  ): Promise<WriteResult> {
    await this.organizations.resolve(client, session.organizations, records);
    const ids = [...new Set(records.map((record) => record.id))];
    const storedRows = await client.query<PaperColumns & { id: string }>(
      `SELECT p.id, ${PAPER_ROW_COLUMN_NAMES.map((name) => `p.${name}`).join(', ')}, x.hf_extra
       FROM papers p LEFT JOIN paper_hf_extras x ON x.paper_id = p.id
       WHERE p.id = ANY($1::text[]) ORDER BY p.id COLLATE "C" FOR UPDATE OF p`,
      [ids],
    );
    const stored = new Map(storedRows.rows.map(({ id, ...columns }) => [id, columns as PaperColumns]));
    const listed = await this.storedListings(client, records, stored);

    const result: WriteResult = { inserted: 0, updated: 0, unchanged: 0 };
    const states = new Map<string, PaperState>();
    let listings = 0;
    for (const record of records) {
      let state = states.get(record.id);
      const previous = state ? state.current : (stored.get(record.id) ?? null);
      const merged = mergePaper(
        record,
        previous,
        (organization) =>
          this.organizations.organization(session.organizations, organization.name)?.id ?? null,
      );
      if (!state) {
        state = {
          stored: previous,
          current: merged.columns,
          authors: null,
          categories: null,
          stars: null,
          daily: listed.get(record.id) ?? null,
        };
        states.set(record.id, state);
      }
      state.current = merged.columns;
      const listing = record.daily ? mergeListing(state.daily, record.daily) : null;
      if (listing) {
        if (state.daily) Object.assign(state.daily, listing, { fill: state.daily.stored });
        else state.daily = { ...listing, stored: false, fill: false, order: listings++ };
      }
      const dailyChanged = listing !== null;
      if (merged.authors) state.authors = merged.authors;
      if (merged.categories) state.categories = merged.categories;
      if (merged.stars !== null) state.stars = merged.stars;
      if (!previous) result.inserted++;
      else result[merged.rowChanged || dailyChanged ? 'updated' : 'unchanged']++;
    }

    await this.writePapers(client, states);
    await writeHfExtras(
      client,
      [...states]
        .filter(([, state]) => hfExtraChanged(state.current, state.stored))
        .map(([id, state]) => [id, state.current.hf_extra]),
    );
    await this.authors.write(client, session.authorIds, states);
    await this.writeCategories(client, states);
    await this.writeStars(client, states);
    await this.writeListings(client, states, session.lockedDays, newlyLocked);
    return result;
  }

  /** Listings of stored papers the batch would list: only a missing submitter can change on them. */
  private async storedListings(
    client: pg.ClientBase,
    records: PaperRecord[],
    stored: Map<string, PaperColumns>,
  ): Promise<Map<string, DailyState>> {
    const ids = [...new Set(records.filter((r) => r.daily && stored.has(r.id)).map((r) => r.id))];
    if (ids.length === 0) return new Map();
    const rows = await client.query<{ paper_id: string; day: string; submitted_by_user: string | null }>(
      'SELECT paper_id, day, submitted_by_user FROM daily_entries WHERE paper_id = ANY($1::text[])',
      [ids],
    );
    return new Map(
      rows.rows.map((row) => [
        row.paper_id,
        {
          stored: true,
          day: row.day,
          user: row.submitted_by_user,
          fullname: null,
          avatar: null,
          submittedAt: null,
          fill: false,
          order: 0,
        },
      ]),
    );
  }

  private async writePapers(client: pg.ClientBase, states: Map<string, PaperState>): Promise<void> {
    const inserts: Array<[string, PaperColumns]> = [];
    const updates: Array<[string, PaperColumns]> = [];
    for (const [id, state] of states) {
      if (!state.stored) inserts.push([id, state.current]);
      else if (columnsDiffer(state.current, state.stored)) updates.push([id, state.current]);
    }
    const arrays = async (rows: Array<[string, PaperColumns]>) => [
      rows.map(([id]) => id),
      ...PAPER_ROW_COLUMN_NAMES.map((name) => rows.map(([, columns]) => columns[name])),
      await this.vectorsOf(rows),
    ];
    if (inserts.length > 0) {
      // In id order, as rows are locked: two writers inserting the same new papers wait rather than deadlock.
      inserts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const vectors = await this.vectorsOf(inserts);
      try {
        await copyRows(
          client,
          'papers',
          ['id', ...PAPER_ROW_COLUMN_NAMES, 'search_vector'],
          inserts.map(([id, columns], index) => [
            id,
            ...PAPER_ROW_COLUMN_NAMES.map((name) => columns[name]),
            vectors[index] ?? null,
          ]),
        );
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION)
          throw new ConcurrentInsertError('papers inserted concurrently');
        throw error;
      }
    }
    if (updates.length > 0) {
      // A vector not computed ahead keeps the stored one: the trigger computes it anew when the texts changed.
      await client.query(
        `UPDATE papers p SET ${PAPER_ROW_COLUMN_NAMES.map((name) => `${name} = v.${name}`).join(', ')},
           search_vector = COALESCE(v.search_vector, p.search_vector), changed_at = iso_now()
         FROM unnest(${UNNEST_ARGS}) AS v(id, ${WRITTEN_COLUMNS}) WHERE p.id = v.id`,
        await arrays(updates),
      );
    }
  }

  /** The rows' keyword vectors computed ahead (null where not: the trigger computes them). */
  private vectorsOf(rows: Array<[string, PaperColumns]>): Promise<Array<string | null>> {
    return Promise.all(rows.map(([, columns]) => this.vectors.take(columns)));
  }

  private async writeCategories(client: pg.ClientBase, states: Map<string, PaperState>): Promise<void> {
    const replaced = replacedLists(states, (state) => state.categories);
    if (replaced.length === 0) return;
    const rows = await replaceRows(client, 'paper_categories', replaced);
    if (rows.length === 0) return;
    await copyRows(
      client,
      'paper_categories',
      ['paper_id', 'position', 'category'],
      rows.map((row) => [row.id, row.position, row.item]),
    );
  }

  private async writeStars(client: pg.ClientBase, states: Map<string, PaperState>): Promise<void> {
    const rows = [...states].filter(([, state]) => state.stars !== null);
    if (rows.length === 0) return;
    await client.query(
      `INSERT INTO github_star_snapshots (paper_id, observed_at, stars)
       SELECT v.paper_id, iso_now(), v.stars FROM unnest($1::text[], $2::int[]) AS v(paper_id, stars)
       ON CONFLICT (paper_id, observed_at) DO UPDATE SET stars = excluded.stars`,
      [rows.map(([id]) => id), rows.map(([, state]) => state.stars)],
    );
  }

  private async writeListings(
    client: pg.ClientBase,
    states: Map<string, PaperState>,
    lockedDays: Set<string>,
    newlyLocked: Set<string>,
  ): Promise<void> {
    const added: Array<[string, DailyState]> = [];
    const filled: Array<[string, DailyState]> = [];
    for (const [id, state] of states) {
      if (state.daily && !state.daily.stored) added.push([id, state.daily]);
      else if (state.daily?.fill) filled.push([id, state.daily]);
    }
    if (added.length > 0) {
      added.sort((a, b) => a[1].order - b[1].order);
      // Appending to a day takes the day's lock until commit, as member submissions do (engagement.ts), so two
      // writers never give out one position twice. An import spanning thousands of days stops taking more
      // (each lock holds a slot of the server's lock table until the import commits).
      const days = [...new Set(added.map(([, daily]) => daily.day))]
        .filter((day) => !lockedDays.has(day))
        .sort()
        .slice(0, Math.max(0, MAX_LOCKED_DAYS - lockedDays.size));
      if (days.length > 0) {
        await client.query(
          `SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM (SELECT k FROM unnest($1::text[]) AS k ORDER BY k) s`,
          [days.map(listingDayLockKey)],
        );
        for (const day of days) newlyLocked.add(day);
      }
      // New listings go to the end of their day, in batch order; one listed meanwhile elsewhere keeps its day.
      await client.query(
        `INSERT INTO daily_entries
           (paper_id, day, position, submitted_by_user, submitted_by_fullname, submitted_by_avatar, submitted_at)
         SELECT v.paper_id, v.day,
                COALESCE((SELECT MAX(e.position) FROM daily_entries e WHERE e.day = v.day), 0)
                  + row_number() OVER (PARTITION BY v.day ORDER BY v.ord),
                v.user_name, v.fullname, v.avatar, v.submitted_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
              WITH ORDINALITY AS v(paper_id, day, user_name, fullname, avatar, submitted_at, ord)
         ON CONFLICT (paper_id) DO NOTHING`,
        [
          added.map(([id]) => id),
          added.map(([, daily]) => daily.day),
          added.map(([, daily]) => daily.user),
          added.map(([, daily]) => daily.fullname),
          added.map(([, daily]) => daily.avatar),
          added.map(([, daily]) => daily.submittedAt),
        ],
      );
    }
    if (filled.length > 0) {
      await client.query(
        `UPDATE daily_entries d SET submitted_by_user = v.user_name, submitted_by_fullname = v.fullname,
           submitted_by_avatar = v.avatar, submitted_at = COALESCE(d.submitted_at, v.submitted_at)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
              AS v(paper_id, user_name, fullname, avatar, submitted_at)
         WHERE d.paper_id = v.paper_id`,
        [
          filled.map(([id]) => id),
          filled.map(([, daily]) => daily.user),
          filled.map(([, daily]) => daily.fullname),
          filled.map(([, daily]) => daily.avatar),
          filled.map(([, daily]) => daily.submittedAt),
        ],
      );
    }
  }
}
