import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.ts';
import { rows } from '../sql.ts';
import { uuidFloor } from './buckets.ts';

/** A timestamptz as Unix milliseconds in text: the same in every driver and session time zone. */
export const epochMs = (at: SQL): SQL => sql`(extract(epoch FROM ${at}) * 1000)::bigint::text`;

/** The name the analyzer's applied events are recorded under (processed_events.consumer). */
export const ANALYZER_CONSUMER = 'analyzer';

/** The events that can change what the roll-ups count (deals decide the funnel's won step too). */
export const ANALYTICS_EVENT_TYPES = ['lead.*', 'contact.*', 'deal.*', 'activity.*'];

/** ANALYTICS_EVENT_TYPES as a condition on an outbox row's type. */
export const isAnalyticsEvent = (eventType: SQL): SQL =>
  sql`split_part(${eventType}, '.', 1) IN ('lead', 'contact', 'deal', 'activity')`;

/**
 * How long a write's transaction may still be open after it made its outbox event's id. The settled mark stays
 * this far behind the clock, so an event that commits late is still found unapplied (workers/README.md).
 */
export const DEFAULT_SETTLE_SECONDS = 300;

/** A transaction-level advisory lock per organization: one analyzer transaction rebuilds its buckets at a time. */
const LOCK_CLASS = 0x616e6c; // 'anl'

export async function lockAnalytics(tx: Tx, organizationId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${organizationId}))`);
}

/**
 * The organization's relevant outbox events (alias `o`) at or after its settled mark that the analyzer has not
 * applied: the writes its roll-ups do not show yet. `org` is an SQL expression for the organization id; `also`
 * narrows them further. The applied check is a scalar subquery, one primary-key probe per event: as NOT EXISTS the
 * planner made it an anti join that read the organization's every processed event for each outbox row (a 30-day
 * report took 300-700 ms after a few hundred writes).
 */
export const unappliedEvents = (org: SQL, settledId: SQL, also: SQL = sql`true`): SQL =>
  sql`SELECT o.id FROM outbox o
    WHERE o.organization_id = ${org} AND o.id >= ${settledId} AND ${isAnalyticsEvent(sql`o.event_type`)}
      AND ${also} AND (
        SELECT 1 FROM processed_events p
        WHERE p.organization_id = o.organization_id AND p.consumer = ${ANALYZER_CONSUMER} AND p.event_id = o.id
      ) IS NULL`;

export type AnalyticsState = { settledId: string; backfillCursor: Date | null; backfilledAt: Date | null };

export async function readState(tx: Tx, organizationId: string): Promise<AnalyticsState | null> {
  const [state] = await rows<{ settledId: string; backfillCursor: string | null; backfilledAt: string | null }>(
    tx,
    sql`SELECT settled_id AS "settledId", ${epochMs(sql`backfill_cursor`)} AS "backfillCursor",
        ${epochMs(sql`backfilled_at`)} AS "backfilledAt"
      FROM analytics_state WHERE organization_id = ${organizationId}`,
  );
  if (!state) return null;
  const date = (v: string | null) => (v === null ? null : new Date(Number(v)));
  return { ...state, backfillCursor: date(state.backfillCursor), backfilledAt: date(state.backfilledAt) };
}

/**
 * Starts (or restarts) an organization's backfill: reports stop reading its roll-ups until the backfill is done.
 * Writes older than the settle window are in the base tables the backfill reads, so their events need not be
 * waited for; newer ones are, until the analyzer applies them.
 */
export async function beginBackfill(tx: Tx, organizationId: string, now: Date, settleSeconds: number) {
  const settled = uuidFloor(new Date(now.getTime() - settleSeconds * 1000));
  await tx.execute(sql`INSERT INTO analytics_state (organization_id, settled_id, backfill_cursor, backfilled_at)
    VALUES (${organizationId}, ${settled}, NULL, NULL)
    ON CONFLICT (organization_id) DO UPDATE SET backfill_cursor = NULL, backfilled_at = NULL,
      settled_id = greatest(analytics_state.settled_id, excluded.settled_id), updated_at = now()`);
}

/** A busy organization's mark moves at most this often: each move reads its outbox since the mark. */
const ADVANCE_EVERY_SECONDS = 5;

/**
 * Moves the settled mark up to the oldest event the analyzer has not applied, but never within the settle window
 * of now: every event below the mark is then applied, so reports need only look for unapplied ones above it.
 */
export async function advanceSettled(tx: Tx, organizationId: string, now: Date, settleSeconds: number) {
  const ceiling = uuidFloor(new Date(now.getTime() - settleSeconds * 1000));
  await tx.execute(sql`UPDATE analytics_state s SET updated_at = now(), settled_id = greatest(s.settled_id,
      least(${ceiling}::uuid, coalesce((
        ${unappliedEvents(sql`s.organization_id`, sql`s.settled_id`)} ORDER BY o.id LIMIT 1
      ), ${ceiling}::uuid)))
    WHERE s.organization_id = ${organizationId}
      AND s.updated_at < now() - ${sql.raw(`interval '${ADVANCE_EVERY_SECONDS} seconds'`)}`);
}
