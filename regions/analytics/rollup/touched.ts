import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.ts';
import type { BusEvent } from '../../events/bus.ts';
import { activityHappenedAt, rows } from '../sql.ts';
import { hoursOf } from './buckets.ts';
import { epochMs } from './state.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Enough for any one event's payload (a merge lists the records it moved); more is not a record change. */
const MAX_IDS = 10_000;

/**
 * Every id an event names: its aggregate and any uuid anywhere in its payload (a merge's duplicate, a conversion's
 * deal, a delete's unlinked records, owners too). Payloads differ by event and do not carry old values, so this is
 * a safe superset: an id that is not a counted record finds no hour and costs one index probe.
 */
export function recordIdsOf(event: BusEvent): string[] {
  const ids = new Set<string>();
  const visit = (value: unknown): void => {
    if (ids.size >= MAX_IDS) return;
    if (typeof value === 'string') {
      if (uuidPattern.test(value)) ids.add(value.toLowerCase());
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value && typeof value === 'object') {
      for (const item of Object.values(value)) visit(item);
    }
  };
  visit(event.aggregateId);
  visit(event.payload);
  return [...ids];
}

/**
 * The hours whose roll-ups the records may change: the hours that counted them when last rebuilt (so a delete or a
 * move finds its old hour) and the hours they fall in now, from the base tables.
 */
export async function hoursTouched(tx: Tx, organizationId: string, ids: readonly string[]): Promise<Date[]> {
  if (ids.length === 0) return [];
  const list = sql`${`{${ids.join(',')}}`}::uuid[]`;
  const found = await rows<{ at: string }>(
    tx,
    sql`SELECT ${epochMs(sql`r.hour`)} AS at FROM analytics_hour_records r
        WHERE r.organization_id = ${organizationId} AND r.record_id = ANY(${list})
      UNION ALL SELECT ${epochMs(sql`l.created_at`)} FROM leads l
        WHERE l.organization_id = ${organizationId} AND l.id = ANY(${list})
      UNION ALL SELECT ${epochMs(sql`d.closed_at`)} FROM deals d
        WHERE d.organization_id = ${organizationId} AND d.id = ANY(${list})
          AND d.status IN ('won', 'lost') AND d.closed_at IS NOT NULL
      UNION ALL SELECT ${epochMs(sql`o.created_at`)} FROM deals o
        WHERE o.organization_id = ${organizationId} AND o.id = ANY(${list}) AND o.status = 'open'
      UNION ALL SELECT ${epochMs(activityHappenedAt('a'))} FROM activities a
        WHERE a.organization_id = ${organizationId} AND a.id = ANY(${list})
          AND ${activityHappenedAt('a')} IS NOT NULL`,
  );
  return hoursOf(found.map((f) => new Date(Number(f.at))));
}
