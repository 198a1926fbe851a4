import type pg from 'pg';

/** Writes the Hugging Face entries a batch changed (null: the paper has none any more), kept apart from its row. */
export async function writeHfExtras(
  client: pg.ClientBase,
  changed: Array<[id: string, extra: string | null]>,
): Promise<void> {
  const put = changed.filter((change): change is [string, string] => change[1] !== null);
  const removed = changed.filter(([, extra]) => extra === null).map(([id]) => id);
  if (put.length > 0)
    await client.query(
      `INSERT INTO paper_hf_extras (paper_id, hf_extra) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (paper_id) DO UPDATE SET hf_extra = EXCLUDED.hf_extra`,
      [put.map(([id]) => id), put.map(([, extra]) => extra)],
    );
  if (removed.length > 0)
    await client.query('DELETE FROM paper_hf_extras WHERE paper_id = ANY($1::text[])', [removed]);
}
