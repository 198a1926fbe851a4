import type { SearchQuery } from '../../domain/search-query.ts';

/** The query's text parts as normalized tsqueries (stemmed, stop words gone; '' when nothing is left). */
export interface Plan {
  words: Array<{ word: string; query: string }>;
  /** Phrases and authors every hit must contain. */
  required: string[];
  /** An author name with nothing searchable in it: nothing can match. */
  impossible: boolean;
  excluded: string | null;
}

export type Param = (value: unknown) => string;

/** SQL conditions on `p` (papers) for the query's filters and exclusions; `param` binds a value. */
export function filterConditions(query: SearchQuery, plan: Plan, param: Param): string[] {
  const sql = ['p.hidden = 0'];
  if (query.organizations.length > 0) {
    const names = query.organizations.map((organization) => param(organization.toLowerCase()));
    sql.push(
      `p.organization_id IN (SELECT id FROM organizations WHERE ${names
        .map((name) => `(lower(name) = ${name} OR lower(full_name) = ${name})`)
        .join(' OR ')})`,
    );
  }
  for (const category of query.categories) {
    // A bare archive (cs, math) takes all of its categories; cs.LG takes itself (case-insensitive, as SQLite).
    const lower = category.toLowerCase();
    const archive = lower.includes('.')
      ? ''
      : ` OR lower(c.category) LIKE ${param(`${lower.replace(/[%_\\]/g, '\\$&')}.%`)}`;
    sql.push(
      `EXISTS (SELECT 1 FROM paper_categories c WHERE c.paper_id = p.id AND (lower(c.category) = ${param(lower)}${archive}))`,
    );
  }
  const day = `COALESCE((SELECT d.day FROM daily_entries d WHERE d.paper_id = p.id), substr(p.published_at, 1, 10))`;
  if (query.after) sql.push(`${day} >= ${param(query.after)}`);
  if (query.before) sql.push(`${day} <= ${param(query.before)}`);
  if (plan.excluded) sql.push(`NOT (p.search_vector @@ ${param(plan.excluded)}::tsquery)`);
  return sql;
}

/** Collects bound parameters: `param(value)` returns its placeholder. */
export function parameters(): { values: unknown[]; param: Param } {
  const values: unknown[] = [];
  return {
    values,
    param: (value) => {
      values.push(value);
      return `$${values.length}`;
    },
  };
}
