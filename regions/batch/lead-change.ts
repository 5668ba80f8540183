import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { leads } from '../../db/schema/index.ts';
import { scoreLead } from '../leads/score.ts';
import { leadView } from '../support/views.ts';
import type { recordChanges } from './record-many.ts';

type Lead = typeof leads.$inferSelect;
export type Change = Parameters<typeof recordChanges>[2][number];

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
  const { score, reasons } = scoreLead({ ...current, ...next });
  const [row] = await tx
    .update(leads)
    .set({ ...next, score, scoreReasons: reasons, version: current.version + 1, updatedAt: new Date() })
    .where(and(eq(leads.organizationId, current.organizationId), eq(leads.id, current.id)))
    .returning();
  const lead = leadView(row!);
  const target = { type: 'lead', id: lead.id };
  const event = { type: 'lead.updated', payload: { lead, changes: changed } };
  changes.push({ action: 'lead.updated', target, changes: changed, event });
  if (changed.ownerId) {
    const payload = { leadId: lead.id, from: current.ownerId, to: lead.ownerId };
    const assigned = { type: 'lead.assigned', payload };
    changes.push({ action: 'lead.assigned', target, changes: { ownerId: changed.ownerId }, event: assigned });
  }
  return lead;
}
