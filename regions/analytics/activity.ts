import type { z } from '@hono/zod-openapi';
import { type SQL, sql } from 'drizzle-orm';
import type { ActivityReport, ReportQuery } from '../../openapi/schemas/analytics.ts';
import type { Figures, Report } from './report.ts';
import { type RollupWindow, rollupWindow } from './rollup/window.ts';
import { activityHappenedAt, rows } from './sql.ts';

const countKeys = ['tasksDone', 'calls', 'meetings', 'notes', 'emails', 'total'] as const;
type Counts = Record<(typeof countKeys)[number], number>;
type RepRow = Counts & { userId: string | null; name: string | null; email: string | null };

/** Column sums of the per-rep rows. */
export function sumCounts(reps: readonly Counts[]): Counts {
  const totals = Object.fromEntries(countKeys.map((key) => [key, 0])) as Counts;
  for (const rep of reps) for (const key of countKeys) totals[key] += rep[key];
  return totals;
}

/**
 * Activities in the range as (owner, type, count) rows: the hours and days the roll-ups hold, and the rest of the
 * range counted from the activities themselves, by when they happened. The leaderboard counts from them too.
 */
export const activityParts = (w: RollupWindow): SQL =>
  w.parts({
    rollup: 'analytics_activity_buckets',
    rolled: sql`r.owner_id, r.type, r.activities`,
    table: 'activities',
    alias: 'a',
    at: activityHappenedAt('a'),
    columns: sql`a.owner_id, a.type, 1`,
  });

/**
 * What each rep did in the range, by type: tasks completed, calls, meetings (by when they start), notes and
 * emails logged. Activities nobody owns are one row with a null user.
 */
export const activityReport: Report<z.output<typeof ReportQuery>, Figures<typeof ActivityReport>> = {
  name: 'activity',
  async run(tx, scope) {
    const { organizationId } = scope;
    const w = rollupWindow(scope);
    const reps = await rows<RepRow>(
      tx,
      sql`WITH ${w.with}, parts (owner_id, type, n) AS (${activityParts(w)})
        SELECT p.owner_id AS "userId", u.name, u.email,
          coalesce(sum(p.n) FILTER (WHERE p.type = 'task'), 0)::int AS "tasksDone",
          coalesce(sum(p.n) FILTER (WHERE p.type = 'call'), 0)::int AS calls,
          coalesce(sum(p.n) FILTER (WHERE p.type = 'meeting'), 0)::int AS meetings,
          coalesce(sum(p.n) FILTER (WHERE p.type = 'note'), 0)::int AS notes,
          coalesce(sum(p.n) FILTER (WHERE p.type = 'email'), 0)::int AS emails,
          sum(p.n)::int AS total
        FROM parts p
        LEFT JOIN users u ON u.organization_id = ${organizationId} AND u.id = p.owner_id
        GROUP BY p.owner_id, u.name, u.email
        HAVING sum(p.n) > 0
        ORDER BY sum(p.n) DESC, u.name NULLS LAST, p.owner_id NULLS LAST`,
    );
    return { reps, totals: sumCounts(reps) };
  },
  table(report) {
    return {
      header: ['user_id', 'name', 'email', 'tasks_done', 'calls', 'meetings', 'notes', 'emails', 'total'],
      rows: report.reps.map((r) => [
        r.userId,
        r.name,
        r.email,
        r.tasksDone,
        r.calls,
        r.meetings,
        r.notes,
        r.emails,
        r.total,
      ]),
    };
  },
};
