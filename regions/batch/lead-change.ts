import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { leads } from '../../db/schema/index.ts';
import { scoreLead } from '../leads/score.ts';
import { scoringRulesFor } from '../scoring/store.ts';
import { leadView } from '../support/views.ts';
import type { Change } from './record-many.ts';

type Lead = typeof leads.$inferSelect;

export type { Change };

/** The `lead.assigned` entry a change of owner adds after `lead.updated`, as a single PATCH writes it. */
export function leadAssigned(
  before: Pick<Lead, 'id' | 'ownerId'>,
  ownerId: string | null,
  changed: [unknown, unknown],
): Change {
  const payload = { leadId: before.id, from: before.ownerId, to: ownerId };
  return {
    action: 'lead.assigned',
    target: { type: 'lead', id: before.id },
    changes: { ownerId: changed },
    event: { type: 'lead.assigned', payload },
  };
}

/**
 * Writes one lead's changed fields as a single PATCH would (rescored, versioned) and queues its `lead.updated`
 * change, and `lead.assigned` when the owner moved, for the chunk's multi-row audit and outbox insert.
 */
export async function writeLeadChange(
  tx: Tx,
  current: Lead,
  changed: Record<string, [unknown, unknown]>,
  changes: Change[],
) {
  const next = Object.fromEntries(Object.entries(changed).map(([field, [, after]]) => [field, after]));
  const { score, reasons } = scoreLead({ ...current, ...next }, await scoringRulesFor(tx, current.organizationId));
  const [row] = await tx
    .update(leads)
    .set({ ...next, score, scoreReasons: reasons, version: current.version + 1, updatedAt: new Date() })
    .where(and(eq(leads.organizationId, current.organizationId), eq(leads.id, current.id)))
    .returning();
  const lead = leadView(row!);
  const target = { type: 'lead', id: lead.id };
  const event = { type: 'lead.updated', payload: { lead, changes: changed } };
  changes.push({ action: 'lead.updated', target, changes: changed, event });
  if (changed.ownerId) changes.push(leadAssigned(current, lead.ownerId, changed.ownerId));
  return lead;
}
