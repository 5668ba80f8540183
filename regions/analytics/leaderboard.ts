import type { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { LeaderboardQuery, LeaderboardReport } from '../../openapi/schemas/analytics.ts';
import { decimal } from './csv.ts';
import type { Figures, Report } from './report.ts';
import { activityHappenedAt, instant, ownerIs, rows } from './sql.ts';

type RepRow = {
  rank: number;
  userId: string;
  name: string;
  email: string;
  wonRevenue: string;
  dealsWon: number;
  activitiesLogged: number;
};

/** Revenue in different currencies does not add up; without a currency asked for, the most used one ranks. */
export const FALLBACK_CURRENCY = 'USD';

/**
 * Reps ranked by the revenue they won in the range (in one currency), with the deals they won and the activities
 * they logged. Every active sales rep is listed, zero or not, and anyone else who won a deal or logged an activity.
 * Ranks are among the rows shown: a sales rep, who sees only their own figures, sees only their own row.
 */
export const leaderboardReport: Report<z.output<typeof LeaderboardQuery>, Figures<typeof LeaderboardReport>> = {
  name: 'leaderboard',
  async run(tx, { organizationId, ownerId, range }, query) {
    const inRange = (column: string) =>
      sql`${sql.raw(column)} >= ${instant(range.start)} AND ${sql.raw(column)} < ${instant(range.end)}`;
    const wonDeals = sql`FROM deals WHERE organization_id = ${organizationId} AND status = 'won'
      AND ${inRange('closed_at')} ${ownerIs(sql`owner_id`, ownerId)}`;
    let currency = query.currency;
    if (!currency) {
      const [most] = await rows<{ currency: string }>(
        tx,
        sql`SELECT currency ${wonDeals} GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1`,
      );
      currency = most?.currency ?? FALLBACK_CURRENCY;
    }
    const reps = await rows<RepRow>(
      tx,
      sql`WITH won AS (
          SELECT owner_id, coalesce(sum(amount) FILTER (WHERE currency = ${currency}), 0) AS revenue, count(*) AS deals
          ${wonDeals} AND owner_id IS NOT NULL GROUP BY owner_id
        ), logged AS (
          SELECT a.owner_id, count(*) AS activities FROM activities a
          WHERE a.organization_id = ${organizationId} AND a.owner_id IS NOT NULL
            AND ${activityHappenedAt('a')} >= ${instant(range.start)}
            AND ${activityHappenedAt('a')} < ${instant(range.end)}
            ${ownerIs(sql`a.owner_id`, ownerId)}
          GROUP BY a.owner_id
        )
        SELECT (rank() OVER (ORDER BY coalesce(won.revenue, 0) DESC))::int AS rank,
          u.id AS "userId", u.name, u.email,
          coalesce(won.revenue, 0)::numeric(20, 2)::text AS "wonRevenue",
          coalesce(won.deals, 0)::int AS "dealsWon", coalesce(logged.activities, 0)::int AS "activitiesLogged"
        FROM users u
        LEFT JOIN memberships m ON m.organization_id = u.organization_id AND m.user_id = u.id
        LEFT JOIN won ON won.owner_id = u.id
        LEFT JOIN logged ON logged.owner_id = u.id
        WHERE u.organization_id = ${organizationId} ${ownerIs(sql`u.id`, ownerId)}
          AND ((m.role = 'sales_rep' AND u.status = 'active') OR won.owner_id IS NOT NULL
            OR logged.owner_id IS NOT NULL)
        ORDER BY rank, "dealsWon" DESC, "activitiesLogged" DESC, u.name, u.id`,
    );
    return { currency, reps };
  },
  table(report) {
    return {
      header: ['rank', 'user_id', 'name', 'email', 'currency', 'won_revenue', 'deals_won', 'activities_logged'],
      rows: report.reps.map((r) => [
        r.rank,
        r.userId,
        r.name,
        r.email,
        report.currency,
        decimal(r.wonRevenue),
        r.dealsWon,
        r.activitiesLogged,
      ]),
    };
  },
};
