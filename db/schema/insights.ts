import { date, index, integer, jsonb, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, organizationId, updatedAt } from './columns.ts';

/**
 * Pipeline snapshots: per organization, UTC day, pipeline, stage, owner and currency, the deals open in that stage
 * at the end of the day and their amount. A day's rows are a function of the base tables (the deal stage history
 * says where each deal was; amount, currency and owner are the deal's current ones), so the analyzer rebuilds them
 * whenever a deal event touches the day and a backfill gives the same rows (regions/analytics/snapshots/). Owner
 * may be null, so there is no primary key: a day's rows are deleted and inserted together. Weighted values are
 * computed when read, from the stage's current probability.
 */
export const pipelineSnapshots = pgTable(
  'pipeline_snapshots',
  {
    organizationId: organizationId(),
    day: date('day', { mode: 'string' }).notNull(),
    pipelineId: uuid('pipeline_id').notNull(),
    stageId: uuid('stage_id').notNull(),
    ownerId: uuid('owner_id'),
    currency: text('currency').notNull(),
    deals: integer('deals').notNull(),
    amount: numeric('amount', { mode: 'string' }).notNull(),
  },
  (t) => [index('pipeline_snapshots_org_pipeline_day').on(t.organizationId, t.pipelineId, t.day)],
);

/** The days whose snapshot rows were built: reports read those rows, and compute the other days from deals. */
export const pipelineSnapshotDays = pgTable(
  'pipeline_snapshot_days',
  {
    organizationId: organizationId(),
    day: date('day', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.day] })],
);

/**
 * The first day each deal was counted on when its days were last rebuilt: a deleted deal's event names only its
 * id, and this says from which day its snapshots must be rebuilt.
 */
export const pipelineSnapshotDeals = pgTable(
  'pipeline_snapshot_deals',
  {
    organizationId: organizationId(),
    dealId: uuid('deal_id').notNull(),
    firstDay: date('first_day', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.dealId] })],
);

/** One scoring rule (regions/leads/rules.ts decides what each field and operator means). */
export type ScoringRuleRow = {
  field: string;
  operator: string;
  value?: string | string[] | null;
  points: number;
  reason: string;
  stop?: boolean;
};

/**
 * An organization's lead-scoring rules, when it changed them (no row: the built-in defaults), and the progress of
 * the recompute that rescores its leads after a change (the analyzer's `leads.rescore` job).
 */
export const scoringRules = pgTable('scoring_rules', {
  organizationId: organizationId().primaryKey(),
  rules: jsonb('rules').$type<ScoringRuleRow[]>().notNull(),
  version: integer('version').notNull().default(1),
  updatedBy: uuid('updated_by'),
  updatedAt: updatedAt(),
  /** idle, queued, running or done. */
  recomputeStatus: text('recompute_status').notNull().default('idle'),
  recomputeDone: integer('recompute_done').notNull().default(0),
  recomputeTotal: integer('recompute_total').notNull().default(0),
  /** The last lead rescored, so a retried job resumes after the last committed batch. */
  recomputeCursor: uuid('recompute_cursor'),
  recomputeStartedAt: at('recompute_started_at'),
  recomputeFinishedAt: at('recompute_finished_at'),
});
