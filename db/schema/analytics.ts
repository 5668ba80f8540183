import { index, integer, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { at, organizationId, updatedAt } from './columns.ts';

/**
 * Analytics roll-ups: what the slow reports count, per organization and UTC bucket. A bucket is an hour (hours line
 * up with every whole-hour time zone's days), a UTC day (`bucket_hours` 24) summed from its hours or a UTC month
 * (`bucket_hours` 744) summed from its days, so a wide report reads months in the middle, then days, and hours at its
 * edges. The analyzer worker recomputes an hour's rows from the base tables whenever an event touches it, then its
 * day and month (regions/analytics/rollup/): rows are replaced, never
 * adjusted. Owner and the other dimensions may be null, so these tables have no primary key: a bucket's rows are
 * deleted and inserted together.
 */
const bucket = () => timestamp('bucket', { withTimezone: true, mode: 'date' }).notNull();
const bucketHours = () => integer('bucket_hours').notNull();

/** Leads by the hour (or day) they were created: the funnel's steps and the lead-sources counts. */
export const analyticsLeadBuckets = pgTable(
  'analytics_lead_buckets',
  {
    organizationId: organizationId(),
    bucket: bucket(),
    bucketHours: bucketHours(),
    ownerId: uuid('owner_id'),
    source: text('source'),
    leads: integer('leads').notNull(),
    /** converted_at set or status converted, as the lead-sources report counts. */
    converted: integer('converted').notNull(),
    contacts: integer('contacts').notNull(),
    deals: integer('deals').notNull(),
    /** Converted to a deal that is won today. */
    won: integer('won').notNull(),
  },
  (t) => [index('analytics_lead_buckets_org_bucket').on(t.organizationId, t.bucketHours, t.bucket)],
);

/** Activities by the hour (or day) they happened (regions/analytics/sql.ts activityHappenedAt), owner and type. */
export const analyticsActivityBuckets = pgTable(
  'analytics_activity_buckets',
  {
    organizationId: organizationId(),
    bucket: bucket(),
    bucketHours: bucketHours(),
    ownerId: uuid('owner_id'),
    type: text('type').notNull(),
    activities: integer('activities').notNull(),
  },
  (t) => [index('analytics_activity_buckets_org_bucket').on(t.organizationId, t.bucketHours, t.bucket)],
);

/** Won deals by the hour (or day) they closed, owner and currency: the leaderboard's revenue. */
export const analyticsWonDealBuckets = pgTable(
  'analytics_won_deal_buckets',
  {
    organizationId: organizationId(),
    bucket: bucket(),
    bucketHours: bucketHours(),
    ownerId: uuid('owner_id'),
    currency: text('currency').notNull(),
    deals: integer('deals').notNull(),
    revenue: numeric('revenue', { mode: 'string' }),
  },
  (t) => [index('analytics_won_deal_buckets_org_bucket').on(t.organizationId, t.bucketHours, t.bucket)],
);

/**
 * Won and lost deals by the hour (or day, or UTC month) they closed, owner and status, with the seconds each took
 * from creation to close summed: the win-rate report's counts and average sales cycle. Migration 0035 adds INCLUDE
 * (owner_id, status, deals, cycle_seconds) to the index, so the report reads the index alone.
 */
export const analyticsClosedDealBuckets = pgTable(
  'analytics_closed_deal_buckets',
  {
    organizationId: organizationId(),
    bucket: bucket(),
    bucketHours: bucketHours(),
    ownerId: uuid('owner_id'),
    status: text('status').notNull(),
    deals: integer('deals').notNull(),
    cycleSeconds: numeric('cycle_seconds', { mode: 'string' }).notNull(),
  },
  (t) => [index('analytics_closed_deal_buckets_org_bucket').on(t.organizationId, t.bucketHours, t.bucket)],
);

/**
 * Open deals by the hour (or day, or UTC month: `bucket_hours` 744, summed from its days) they were created,
 * pipeline, stage, owner and currency, as they stand now: the pipeline report. A deal's stage, status, amount, owner or pipeline changes the rows of its creation hour, which
 * its events rebuild. Weighted values are computed when read, from the stage's current probability.
 */
export const analyticsOpenDealBuckets = pgTable(
  'analytics_open_deal_buckets',
  {
    organizationId: organizationId(),
    bucket: bucket(),
    bucketHours: bucketHours(),
    pipelineId: uuid('pipeline_id').notNull(),
    stageId: uuid('stage_id').notNull(),
    ownerId: uuid('owner_id'),
    currency: text('currency').notNull(),
    deals: integer('deals').notNull(),
    amount: numeric('amount', { mode: 'string' }).notNull(),
  },
  // Bucket first, as the others: the analyzer rebuilds buckets of every pipeline. Migration 0031 adds INCLUDE (stage_id,
  // currency, owner_id, deals, amount), so the report reads the index alone.
  (t) => [index('analytics_open_deal_buckets_org_bucket').on(t.organizationId, t.bucketHours, t.bucket, t.pipelineId)],
);

/**
 * Which records each rolled-up hour counted: a lead and the deal it was converted to (whose status decides
 * the funnel's won step), a won or lost deal, an open deal (in its creation hour), an activity. A change to any of them (a
 * delete included, whose event no longer says when the record was) finds the hours to recompute here; the record's
 * new hours come from the base tables.
 */
export const analyticsHourRecords = pgTable(
  'analytics_hour_records',
  {
    organizationId: organizationId(),
    hour: timestamp('hour', { withTimezone: true, mode: 'date' }).notNull(),
    recordId: uuid('record_id').notNull(),
  },
  (t) => [
    index('analytics_hour_records_org_record').on(t.organizationId, t.recordId),
    index('analytics_hour_records_org_hour').on(t.organizationId, t.hour),
  ],
);

/**
 * Hours an applied event changed whose roll-ups are not rebuilt yet. The analyzer marks them per event and rebuilds
 * an organization's marked hours together, about once a second (regions/analytics/rollup/dirty.ts): rebuilding an
 * hour per event made a busy hour's cost grow with the square of its writes. Reports do not read roll-ups of a
 * marked hour (nor its day and month).
 */
export const analyticsDirtyHours = pgTable(
  'analytics_dirty_hours',
  {
    organizationId: organizationId(),
    hour: timestamp('hour', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.hour] })],
);

/**
 * Per organization, how far the roll-ups can be trusted. Reports use them only once `backfilledAt` is set, and
 * only while no analytics event at or after `settledId` (a UUIDv7 lower bound) is still unapplied.
 */
export const analyticsState = pgTable('analytics_state', {
  organizationId: organizationId().primaryKey(),
  /** Every relevant outbox event with a smaller id has been applied (or predates the backfill). */
  settledId: uuid('settled_id').notNull(),
  /** The backfill's next hour; null once done or before it starts. */
  backfillCursor: at('backfill_cursor'),
  backfilledAt: at('backfilled_at'),
  updatedAt: updatedAt(),
});
