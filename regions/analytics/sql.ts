import { type SQL, sql } from 'drizzle-orm';

/**
 * Reports aggregate in PostgreSQL with raw SQL: FILTER, GROUPING SETS and window functions say what they mean
 * there. Every query casts its results (counts to int, sums to text) so each driver hands back the same types.
 */
export { rowsOf as rows } from '../../db/rows.ts';

/** `AND <column> = <owner>` when the report is one owner's; nothing when it is the organization's. */
export const ownerIs = (column: SQL, ownerId: string | null): SQL =>
  ownerId ? sql` AND ${column} = ${ownerId}` : sql``;

export const instant = (at: Date): SQL => sql`${at.toISOString()}::timestamptz`;

/** A timestamptz[] parameter, for width_bucket; ISO instants hold no character an array literal would escape. */
export const instants = (ats: readonly Date[]): SQL =>
  sql`${`{${ats.map((at) => at.toISOString()).join(',')}}`}::timestamptz[]`;

/**
 * When an activity counts as having happened: a task when it was done (an open task has not happened), a
 * meeting when it starts, a call, note or email when it was logged. Written exactly as the index
 * activities_org_happened_at (migration 0012), without COALESCE, so the planner can use it under RLS.
 */
export const activityHappenedAt = (alias: string): SQL => {
  const a = sql.raw(alias);
  return sql`CASE ${a}.type WHEN 'task' THEN (CASE WHEN ${a}.done THEN ${a}.completed_at END)
    WHEN 'meeting' THEN (CASE WHEN ${a}.starts_at IS NULL THEN ${a}.created_at ELSE ${a}.starts_at END)
    ELSE ${a}.created_at END`;
};
