import type pg from 'pg';
import type { Organization, PaperRecord } from '../../domain/paper.ts';
import { mergeOrganization, type OrganizationDetails } from '../paper-merge.ts';

export interface KnownOrganization {
  id: number;
  fullName: string | null;
  avatarUrl: string | null;
}

/** The organizations of written papers: found or created by name, their full name and avatar kept current. */
export class OrganizationWriter {
  /** Committed organizations (never deleted), shared by this store's writes. */
  private readonly organizations = new Map<string, KnownOrganization>();

  /** Makes a committed transaction's organizations known to later writes. */
  adopt(session: Map<string, KnownOrganization>): void {
    for (const [name, known] of session) this.organizations.set(name, known);
  }

  /** The organization as this transaction sees it; a copy, as this transaction may change it. */
  organization(session: Map<string, KnownOrganization>, name: string): KnownOrganization | undefined {
    let known = session.get(name);
    if (!known) {
      const shared = this.organizations.get(name);
      if (shared) {
        known = { ...shared };
        session.set(name, known);
      }
    }
    return known;
  }

  /**
   * Finds or creates the batch's organizations (cached by name). A later record's full name or avatar replaces
   * an earlier one's; a missing one keeps what is known.
   */
  async resolve(
    client: pg.ClientBase,
    session: Map<string, KnownOrganization>,
    records: PaperRecord[],
  ): Promise<void> {
    const wanted = records.flatMap((record) => (record.organization ? [record.organization] : []));
    if (wanted.length === 0) return;
    const uncached = [...new Set(wanted.map((org) => org.name))].filter(
      (name) => !this.organization(session, name),
    );
    if (uncached.length > 0) await this.load(client, session, uncached);

    const created = new Map<string, OrganizationDetails>();
    const changed = new Set<string>();
    const fold = (organization: Organization) => {
      const known = this.organization(session, organization.name);
      if (!known) {
        const pending = created.get(organization.name);
        if (!pending)
          created.set(organization.name, {
            fullName: organization.fullName,
            avatarUrl: organization.avatarUrl,
          });
        else Object.assign(pending, mergeOrganization(pending, organization));
        return;
      }
      const merged = mergeOrganization(known, organization);
      if (merged) {
        Object.assign(known, merged);
        changed.add(organization.name);
      }
    };
    wanted.forEach(fold);

    if (created.size > 0) {
      const names = [...created.keys()].sort();
      const inserted = await client.query<{ id: number; name: string }>(
        `INSERT INTO organizations (name, full_name, avatar_url)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (name) DO NOTHING RETURNING id, name`,
        [
          names,
          names.map((name) => created.get(name)?.fullName ?? null),
          names.map((name) => created.get(name)?.avatarUrl ?? null),
        ],
      );
      for (const row of inserted.rows) {
        const values = created.get(row.name);
        session.set(row.name, {
          id: row.id,
          fullName: values?.fullName ?? null,
          avatarUrl: values?.avatarUrl ?? null,
        });
        created.delete(row.name);
      }
      // Created by another transaction meanwhile: fold this batch's values onto its row.
      if (created.size > 0) {
        await this.load(client, session, [...created.keys()]);
        for (const [name, values] of created) fold({ name, ...values });
      }
    }

    if (changed.size > 0) {
      const rows = [...changed].flatMap((name) => {
        const known = session.get(name);
        return known ? [known] : [];
      });
      await client.query(
        `UPDATE organizations o SET full_name = v.full_name, avatar_url = v.avatar_url
         FROM unnest($1::int[], $2::text[], $3::text[]) AS v(id, full_name, avatar_url) WHERE o.id = v.id`,
        [rows.map((row) => row.id), rows.map((row) => row.fullName), rows.map((row) => row.avatarUrl)],
      );
    }
  }

  private async load(
    client: pg.ClientBase,
    session: Map<string, KnownOrganization>,
    names: string[],
  ): Promise<void> {
    const rows = await client.query<{
      id: number;
      name: string;
      full_name: string | null;
      avatar_url: string | null;
    }>('SELECT id, name, full_name, avatar_url FROM organizations WHERE name = ANY($1::text[])', [names]);
    for (const row of rows.rows)
      session.set(row.name, {
        id: row.id,
        fullName: row.full_name,
        avatarUrl: row.avatar_url,
      });
  }
}
