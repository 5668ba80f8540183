import type { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { ActivityReport, ReportQuery } from '../../openapi/schemas/analytics.ts';
import type { Figures, Report } from './report.ts';
import { activityHappenedAt, instant, ownerIs, rows } from './sql.ts';

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
 * What each rep did in the range, by type: tasks completed, calls, meetings (by when they start), notes and
 * emails logged. Activities nobody owns are one row with a null user.
 */
export const activityReport: Report<z.output<typeof ReportQuery>, Figures<typeof ActivityReport>> = {
  name: 'activity',
  async run(tx, { organizationId, ownerId, range }) {
    const reps = await rows<RepRow>(
      tx,
      sql`SELECT a.owner_id AS "userId", u.name, u.email,
          count(*) FILTER (WHERE a.type = 'task')::int AS "tasksDone",
          count(*) FILTER (WHERE a.type = 'call')::int AS calls,
          count(*) FILTER (WHERE a.type = 'meeting')::int AS meetings,
          count(*) FILTER (WHERE a.type = 'note')::int AS notes,
          count(*) FILTER (WHERE a.type = 'email')::int AS emails,
          count(*)::int AS total
        FROM activities a
        LEFT JOIN users u ON u.organization_id = a.organization_id AND u.id = a.owner_id
        WHERE a.organization_id = ${organizationId}
          AND ${activityHappenedAt('a')} >= ${instant(range.start)}
          AND ${activityHappenedAt('a')} < ${instant(range.end)}
          ${ownerIs(sql`a.owner_id`, ownerId)}
        GROUP BY a.owner_id, u.name, u.email
        ORDER BY count(*) DESC, u.name NULLS LAST, a.owner_id NULLS LAST`,
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
