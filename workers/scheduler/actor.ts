import { and, eq, gte, lt } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { auditLog } from '../../db/schema/index.ts';
import type { BusEvent } from '../../regions/events/bus.ts';

/**
 * The member who made the change an event describes: the actor of the audit row written with it (same
 * transaction, so the same timestamp to the microsecond; the event's time is rounded to the millisecond). An API
 * key or the system is nobody, so every watcher hears of their changes.
 */
export async function changedBy(tx: Tx, event: BusEvent): Promise<string | null> {
  const at = new Date(event.occurredAt);
  const [row] = await tx
    .select({ actorType: auditLog.actorType, actorId: auditLog.actorId })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.organizationId, event.organizationId),
        eq(auditLog.targetId, event.aggregateId),
        gte(auditLog.createdAt, at),
        lt(auditLog.createdAt, new Date(at.getTime() + 1)),
      ),
    )
    .limit(1);
  return row?.actorType === 'user' ? row.actorId : null;
}
