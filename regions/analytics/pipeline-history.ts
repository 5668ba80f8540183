import type { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { notFound } from '../../openapi/errors.ts';
import type { PipelineHistory, PipelineHistoryQuery } from '../../openapi/schemas/pipeline-history.ts';
import { daysBetween } from './calendar.ts';
import { decimal } from './csv.ts';
import type { Figures, Report } from './report.ts';
import { readyCondition } from './rollup/window.ts';
import { snapshotRows } from './snapshots/build.ts';
import { utcDay } from './snapshots/live.ts';
import { rows } from './sql.ts';

type Totals = { currency: string; deals: number; amount: string; weightedAmount: string };
type SumRow = Totals & { day: string; stage_id: string | null };
type StageRow = { id: string; name: string; position: number; probability: number; kind: string };

/**
 * The pipeline as it stood at the end of each UTC day of the range: per stage and currency, the open deals, their
 * amount and their value weighted by the stage's probability. Days the analyzer built are read from the snapshots
 * when nothing it must apply is pending; the others (and all of them while it is behind) are computed from the
 * deals and their stage history by the same statement, so the answer is the same either way. Days after today are
 * not reported. `rollups: false` reads the base tables only (the tests compare both ways).
 */
export const pipelineHistoryReport: Report<z.output<typeof PipelineHistoryQuery>, Figures<typeof PipelineHistory>> = {
  name: 'pipeline-history',
  async run(tx, { organizationId, ownerId, range, rollups = true }, query) {
    const [pipeline] = await rows<{ id: string; name: string }>(
      tx,
      sql`SELECT id, name FROM pipelines WHERE organization_id = ${organizationId}
        AND ${query.pipelineId ? sql`id = ${query.pipelineId}` : sql`is_default`} LIMIT 1`,
    );
    if (!pipeline) throw notFound('Pipeline');
    const today = utcDay(new Date());
    // Days are YYYY-MM-DD strings, which sort as the days do.
    const [to] = [range.to, today].sort() as [string, string];
    const stages = await rows<StageRow>(
      tx,
      sql`SELECT id, name, position, probability, kind FROM pipeline_stages
        WHERE organization_id = ${organizationId} AND pipeline_id = ${pipeline.id} ORDER BY position, id`,
    );
    const sums =
      range.from > to
        ? []
        : await rows<SumRow>(
            tx,
            sql`WITH ok AS MATERIALIZED (SELECT ${rollups ? readyCondition(organizationId) : sql`false`} AS ok),
              built AS MATERIALIZED (
                SELECT day FROM pipeline_snapshot_days
                WHERE organization_id = ${organizationId} AND (SELECT ok FROM ok)
                  AND day BETWEEN ${range.from}::date AND ${to}::date
              ),
              r AS (
                SELECT to_char(p.day, 'YYYY-MM-DD') AS day, p.stage_id, p.currency, p.deals, p.amount
                FROM pipeline_snapshots p
                WHERE p.organization_id = ${organizationId} AND p.pipeline_id = ${pipeline.id}
                  AND p.day IN (SELECT day FROM built)${ownerId ? sql` AND p.owner_id = ${ownerId}` : sql``}
                UNION ALL
                SELECT b.day, b.stage_id, b.currency, b.deals, b.amount::numeric
                FROM (${snapshotRows(organizationId, { from: range.from, to }, { pipelineId: pipeline.id, ownerId })}) b
                WHERE b.day::date NOT IN (SELECT day FROM built)
              ),
              by_stage AS (
                SELECT r.day, r.stage_id, r.currency, sum(r.deals) AS deals, sum(r.amount) AS amount
                FROM r GROUP BY r.day, r.stage_id, r.currency
              )
              SELECT b.day, CASE WHEN grouping(b.stage_id) = 0 THEN b.stage_id END AS stage_id, b.currency,
                sum(b.deals)::int AS deals, sum(b.amount)::numeric(20, 2)::text AS amount,
                round(sum(b.amount * s.probability) / 100, 2)::numeric(20, 2)::text AS "weightedAmount"
              FROM by_stage b
              JOIN pipeline_stages s ON s.organization_id = ${organizationId} AND s.id = b.stage_id
              GROUP BY GROUPING SETS ((b.day, b.stage_id, b.currency), (b.day, b.currency))
              ORDER BY b.day, b.currency`,
          );
    const withDeals = new Set(sums.map((s) => s.stage_id).filter(Boolean));
    const shown = stages.filter((stage) => stage.kind === 'open' || withDeals.has(stage.id));
    const byDay = new Map<string, SumRow[]>();
    for (const sum of sums) byDay.set(sum.day, [...(byDay.get(sum.day) ?? []), sum]);
    const totals = (list: SumRow[], stageId: string | null): Totals[] =>
      list
        .filter((s) => s.stage_id === stageId)
        .map(({ currency, deals, amount, weightedAmount }) => ({ currency, deals, amount, weightedAmount }));
    const days: { day: string; stages: { stageId: string; totals: Totals[] }[]; totals: Totals[] }[] = [];
    const count = range.from > to ? 0 : daysBetween(range.from, to) + 1;
    for (let i = 0; i < count; i++) {
      const day = utcDay(new Date(Date.parse(`${range.from}T00:00:00Z`) + i * 86_400_000));
      const list = byDay.get(day) ?? [];
      days.push({
        day,
        stages: shown.map((stage) => ({ stageId: stage.id, totals: totals(list, stage.id) })),
        totals: totals(list, null),
      });
    }
    return {
      pipeline,
      stages: shown.map(({ id, name, position, probability }) => ({ stageId: id, name, position, probability })),
      days,
    };
  },
  table(report) {
    const stages = new Map(report.stages.map((s) => [s.stageId, s]));
    return {
      header: ['day', 'stage', 'position', 'probability', 'currency', 'deals', 'amount', 'weighted_amount'],
      rows: report.days.flatMap((day) =>
        day.stages.flatMap((entry) => {
          const stage = stages.get(entry.stageId)!;
          const lead = [day.day, stage.name, stage.position, stage.probability] as const;
          if (entry.totals.length === 0) return [[...lead, null, 0, decimal('0.00'), decimal('0.00')]];
          return entry.totals.map((t) => [...lead, t.currency, t.deals, decimal(t.amount), decimal(t.weightedAmount)]);
        }),
      ),
    };
  },
};
