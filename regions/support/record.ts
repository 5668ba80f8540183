import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { auditLog, outbox } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';

/** The workflow run a write was made by (and the workflows that led to it), for automation's loop protection. */
export type WriteOrigin = { workflowId: string; runId: string; chain: string[] };

export type ChangeRecord = {
  organizationId: string;
  actor: { principal?: Principal | null; ip?: string | null; userAgent?: string | null; origin?: WriteOrigin };
  action: string;
  target: { type: string; id: string | null };
  changes?: unknown;
  /** The event for the bus; written to the outbox in the same transaction as the change. */
  event?: { type: string; payload: unknown };
};

/**
 * Writes the audit row and the outbox event of one change, inside the change's own transaction, as one statement
 * (the outbox insert with the audit insert as a data-modifying CTE, which PostgreSQL always runs): every write of
 * the API records a change, and each statement is a round trip and the client's CPU on the request's path.
 */
export async function recordChange(tx: Tx, change: ChangeRecord): Promise<void> {
  const principal = change.actor.principal ?? null;
  const audit = tx.insert(auditLog).values({
    organizationId: change.organizationId,
    id: newId(),
    actorType: principal ? (principal.type === 'user' ? 'user' : 'api_key') : 'system',
    actorId: principal ? (principal.type === 'user' ? principal.userId : principal.keyId) : null,
    action: change.action,
    targetType: change.target.type,
    targetId: change.target.id,
    ip: change.actor.ip ?? null,
    userAgent: change.actor.userAgent ?? null,
    changes: change.changes ?? null,
  });
  if (!change.event || !change.target.id) {
    await audit;
    return;
  }
  const event = tx.insert(outbox).values({
    organizationId: change.organizationId,
    id: newId(),
    aggregateType: change.target.type,
    aggregateId: change.target.id,
    eventType: change.event.type,
    payload: withOrigin(change.event.payload, change.actor.origin),
  });
  await tx.execute(sql`WITH audit AS (${audit.getSQL()}) ${event.getSQL()}`);
}

/** A workflow's write says so in its event (`origin`); every other event's payload is left exactly as given. */
function withOrigin(payload: unknown, origin: WriteOrigin | undefined): unknown {
  if (!origin || !payload || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  return { ...payload, origin };
}

/** The fields that differ, as `{ field: [before, after] }`, for the audit log. */
export function diff<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(after)) {
    if (value !== undefined && JSON.stringify(before[key]) !== JSON.stringify(value))
      changes[key] = [before[key], value];
  }
  return changes;
}
