import type { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { LeaderboardQuery, LeaderboardReport } from '../../openapi/schemas/analytics.ts';
import { activityParts } from './activity.ts';
import { decimal } from './csv.ts';
import type { Figures, Report } from './report.ts';
import { rollupWindow } from './rollup/window.ts';
import { ownerIs, rows } from './sql.ts';

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
  async run(tx, scope, query) {
    const { organizationId, ownerId } = scope;
    const w = rollupWindow(scope);
    // Won deals in the range as (owner, currency, deals, revenue): the roll-ups' hours and days, and the rest of
    // the range from the deals themselves.
    const wonParts = sql`parts (owner_id, currency, deals, revenue) AS (${w.parts({
      rollup: 'analytics_won_deal_buckets',
      rolled: sql`r.owner_id, r.currency, r.deals, r.revenue`,
      table: 'deals',
      alias: 'd',
      at: sql`d.closed_at`,
      columns: sql`d.owner_id, d.currency, 1, d.amount`,
      alsoBase: sql`AND d.status = 'won'`,
    })})`;
    // The currency ranked by: the one asked for, else the one most won deals in the range are in. Picked in the
    // same statement as the ranking (a second query cost a round trip and a second pass over the parts), and
    // returned on a row of its own when no rep is listed.
    const picked = query.currency
      ? sql`${query.currency}::text`
      : sql`coalesce((SELECT currency FROM parts GROUP BY currency HAVING sum(deals) > 0
          ORDER BY sum(deals) DESC, currency LIMIT 1), ${FALLBACK_CURRENCY})`;
    const found = await rows<RepRow & { currency: string }>(
      tx,
      sql`WITH ${w.with}, ${wonParts}, pick AS (SELECT ${picked} AS currency), won AS (
          SELECT owner_id,
            coalesce(sum(revenue) FILTER (WHERE currency = (SELECT currency FROM pick)), 0) AS revenue,
            sum(deals) AS deals
          FROM parts WHERE owner_id IS NOT NULL GROUP BY owner_id HAVING sum(deals) > 0
        ), activity (owner_id, type, n) AS (${activityParts(w)}), logged AS (
          SELECT owner_id, sum(n) AS activities FROM activity WHERE owner_id IS NOT NULL
          GROUP BY owner_id HAVING sum(n) > 0
        ), ranked AS (
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
        )
        SELECT pick.currency, ranked.* FROM pick LEFT JOIN ranked ON true
        ORDER BY ranked.rank, ranked."dealsWon" DESC, ranked."activitiesLogged" DESC, ranked.name, ranked."userId"`,
    );
    const currency = found[0]?.currency ?? query.currency ?? FALLBACK_CURRENCY;
    const reps: RepRow[] = found.filter((row) => row.userId !== null).map(({ currency: _, ...rep }) => rep);
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
