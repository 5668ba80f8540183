import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { auditLog, outbox } from '../../db/schema/index.ts';
import type { Actor } from '../support/actor.ts';
import type { ChangeRecord } from '../support/record.ts';

/** One audit entry, with its event if it has one, of the actor's organization. */
export type Change = Omit<ChangeRecord, 'organizationId' | 'actor'>;

/** The audit rows and outbox events of many changes, as two multi-row inserts in the changes' transaction. */
export async function recordChanges(tx: Tx, actor: Actor, changes: Change[]): Promise<void> {
  if (changes.length === 0) return;
  const { principal } = actor;
  const organizationId = principal.organizationId;
  const actorType = principal.type === 'user' ? ('user' as const) : ('api_key' as const);
  const actorId = principal.type === 'user' ? principal.userId : principal.keyId;
  await tx.insert(auditLog).values(
    changes.map((change) => ({
      organizationId,
      id: newId(),
      actorType,
      actorId,
      action: change.action,
      targetType: change.target.type,
      targetId: change.target.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      changes: change.changes ?? null,
    })),
  );
  const events = changes.flatMap((change) =>
    change.event && change.target.id
      ? [
          {
            organizationId,
            id: newId(),
            aggregateType: change.target.type,
            aggregateId: change.target.id,
            eventType: change.event.type,
            payload: change.event.payload,
          },
        ]
      : [],
  );
  if (events.length > 0) await tx.insert(outbox).values(events);
}
