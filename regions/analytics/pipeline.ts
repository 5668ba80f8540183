import type { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { notFound } from '../../openapi/errors.ts';
import type { PipelineReport, PipelineReportQuery } from '../../openapi/schemas/analytics.ts';
import { decimal } from './csv.ts';
import type { Figures, Report } from './report.ts';
import { rollupWindow } from './rollup/window.ts';
import { rows } from './sql.ts';

/**
 * Ranges shorter than this read the deals themselves: they hold no whole month, and a month of open deals is read
 * from its index faster than the roll-ups' longer statement and readiness check are planned and run.
 */
export const PIPELINE_ROLLUP_MIN_DAYS = 62;
const spansMonths = (range: { start: Date; end: Date }) =>
  range.end.getTime() - range.start.getTime() >= PIPELINE_ROLLUP_MIN_DAYS * 24 * 3600 * 1000;

type Totals = { currency: string; deals: number; amount: string; weightedAmount: string };
type StageRow = { id: string; name: string; position: number; probability: number };
type SumRow = Totals & { stage_id: string | null };

/**
 * Open pipeline value by stage: the open deals of one pipeline created in the range, as they stand now, counted,
 * summed and weighted by their stage's probability, per currency. Every open stage is listed, empty ones too.
 */
export const pipelineReport: Report<z.output<typeof PipelineReportQuery>, Figures<typeof PipelineReport>> = {
  name: 'pipeline',
  async run(tx, scope, query) {
    const { organizationId } = scope;
    const [pipeline] = await rows<{ id: string; name: string }>(
      tx,
      sql`SELECT id, name FROM pipelines WHERE organization_id = ${organizationId}
        AND ${query.pipelineId ? sql`id = ${query.pipelineId}` : sql`is_default`} LIMIT 1`,
    );
    if (!pipeline) throw notFound('Pipeline');
    // The open deals created in the window's hours, days and months are read from their roll-up (as they stand now:
    // the analyzer rebuilds a deal's creation hour, day and month whenever it changes), the rest from the deals.
    const w = rollupWindow({ ...scope, rollups: scope.rollups !== false && spansMonths(scope.range) });
    const parts = w.parts({
      rollup: 'analytics_open_deal_buckets',
      rolled: sql`r.stage_id, r.currency, r.deals, r.amount`,
      table: 'deals',
      alias: 'd',
      at: sql`d.created_at`,
      columns: sql`d.stage_id, d.currency, 1, d.amount`,
      alsoRolled: sql`AND r.pipeline_id = ${pipeline.id}`,
      alsoBase: sql`AND d.pipeline_id = ${pipeline.id} AND d.status = 'open'`,
    });
    // Deals are summed per stage first, then weighted: a stage's probability is the same for all of its deals,
    // so the join touches one row per stage and currency, not every deal. GROUPING SETS adds the totals.
    const sums = await rows<SumRow>(
      tx,
      sql`WITH ${w.with}, parts (stage_id, currency, deals, amount) AS (${parts}),
        by_stage AS (
          SELECT stage_id, currency, sum(deals) AS deals, sum(amount) AS amount FROM parts GROUP BY stage_id, currency
        )
        SELECT CASE WHEN grouping(b.stage_id) = 0 THEN b.stage_id END AS stage_id, b.currency,
          sum(b.deals)::int AS deals, sum(b.amount)::numeric(20, 2)::text AS amount,
          round(sum(b.amount * s.probability) / 100, 2)::numeric(20, 2)::text AS "weightedAmount"
        FROM by_stage b
        JOIN pipeline_stages s ON s.organization_id = ${organizationId} AND s.id = b.stage_id
        GROUP BY GROUPING SETS ((b.stage_id, b.currency), (b.currency))
        ORDER BY b.currency`,
    );
    const withDeals = new Set(sums.map((s) => s.stage_id).filter(Boolean));
    const stages = await rows<StageRow & { kind: string }>(
      tx,
      sql`SELECT id, name, position, probability, kind FROM pipeline_stages
        WHERE organization_id = ${organizationId} AND pipeline_id = ${pipeline.id} ORDER BY position, id`,
    );
    const totalsOf = (stageId: string | null): Totals[] =>
      sums
        .filter((s) => s.stage_id === stageId)
        .map(({ currency, deals, amount, weightedAmount }) => ({ currency, deals, amount, weightedAmount }));
    return {
      pipeline,
      stages: stages
        // Won and lost stages hold no open deals, unless a deal's status and stage disagree: then it shows.
        .filter((stage) => stage.kind === 'open' || withDeals.has(stage.id))
        .map((stage) => ({
          stageId: stage.id,
          name: stage.name,
          position: stage.position,
          probability: stage.probability,
          totals: totalsOf(stage.id),
        })),
      totals: totalsOf(null),
    };
  },
  table(report) {
    return {
      header: ['stage', 'position', 'probability', 'currency', 'deals', 'amount', 'weighted_amount'],
      rows: report.stages.flatMap((stage) => {
        const lead = [stage.name, stage.position, stage.probability] as const;
        if (stage.totals.length === 0) return [[...lead, null, 0, decimal('0.00'), decimal('0.00')]];
        return stage.totals.map((t) => [...lead, t.currency, t.deals, decimal(t.amount), decimal(t.weightedAmount)]);
      }),
    };
  },
};
