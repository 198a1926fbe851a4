import type { PaperFilter } from './papers.ts';

export const isUnfiltered = (filter: PaperFilter): boolean =>
  !filter.days && !filter.submitter && !filter.author && !filter.organization;

/**
 * JOIN, WHERE clause and parameters for a PaperFilter over `papers p`; `d` is daily_entries (inner-joined when
 * the filter needs it). `placeholder` writes the engine's placeholder for the nth parameter (from 1).
 */
export function paperFilterSql(
  filter: PaperFilter,
  includeHidden: boolean,
  placeholder: (position: number) => string,
): { join: string; where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return placeholder(params.length);
  };
  if (!includeHidden) conditions.push('p.hidden = 0');
  if (filter.days)
    conditions.push(`d.day BETWEEN ${param(filter.days.fromDay)} AND ${param(filter.days.toDay)}`);
  if (filter.submitter) conditions.push(`d.submitted_by_user = ${param(filter.submitter)}`);
  if (filter.author)
    conditions.push(
      `p.id IN (SELECT pa.paper_id FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE a.name = ${param(filter.author)})`,
    );
  if (filter.organization)
    conditions.push(
      `p.organization_id = (SELECT id FROM organizations WHERE name = ${param(filter.organization)})`,
    );
  const listedOnly = Boolean(filter.days || filter.submitter);
  return {
    join: `${listedOnly ? 'JOIN' : 'LEFT JOIN'} daily_entries d ON d.paper_id = p.id`,
    where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '',
    params,
  };
}
