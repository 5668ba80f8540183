import { type SQL, sql } from 'drizzle-orm';
import type { BusEvent } from '../../events/bus.ts';

/**
 * The fields of a record whose change can move what the roll-ups count (recompute.ts): a lead by its creation hour,
 * owner, source and conversion; an activity by when it happened, its type and owner. Contacts are counted only
 * through the leads converted to them. Deals are not listed: every deal event is applied (the pipeline snapshots
 * read more of a deal than the roll-ups do).
 */
const COUNTED_FIELDS: Record<string, readonly string[]> = {
  lead: ['ownerId', 'source', 'status', 'convertedAt', 'convertedContactId', 'convertedDealId', 'createdAt'],
  activity: ['type', 'done', 'completedAt', 'startsAt', 'createdAt', 'ownerId'],
  contact: [],
};

/**
 * Whether an event may change the roll-ups. Only an `<aggregate>.updated` event whose `changes` name none of its
 * aggregate's counted fields cannot (a renamed lead, a retitled task); every other event may.
 */
export function mayChangeRollups(event: Pick<BusEvent, 'type' | 'payload'>): boolean {
  const [aggregate, verb] = event.type.split('.');
  const counted = COUNTED_FIELDS[aggregate ?? ''];
  if (!counted || verb !== 'updated') return true;
  const changes = (event.payload as { changes?: unknown } | null)?.changes;
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return true;
  return Object.keys(changes).some((field) => counted.includes(field));
}

/**
 * `mayChangeRollups` as a condition on an outbox row (`alias`): readiness checks (window.ts) skip the unapplied
 * events that cannot change what a report would read.
 */
export function mayChangeRollupsSql(alias: string): SQL {
  const o = sql.raw(alias);
  const cannot = Object.entries(COUNTED_FIELDS).map(([aggregate, fields]) => {
    const names = sql`${`{${fields.join(',')}}`}::text[]`;
    return sql`(${o}.event_type = ${`${aggregate}.updated`} AND coalesce(jsonb_typeof(${o}.payload -> 'changes'), '') = 'object'
      AND NOT ((${o}.payload -> 'changes') ?| ${names}))`;
  });
  return sql`NOT (${sql.join(cannot, sql` OR `)})`;
}
