import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { assignmentCursors, leadAssignments, leads } from '../../db/schema/index.ts';
import type { BusEvent } from '../../regions/events/bus.ts';
import { recordChange } from '../../regions/support/record.ts';
import { leadView } from '../../regions/support/views.ts';
import { afterDecision, chooseOwner, type Decision } from './choose.ts';
import { lockDispatchState } from './state.ts';

/**
 * The events that bring new leads: one per lead from the API and the batch API (`lead.created`, whose payload is
 * the lead), and one per CSV import batch (`import.progress`, naming the leads it created).
 */
export const dispatchedEventTypes = ['lead.created', 'import.progress'];

/**
 * The leads an event asks to place. A lead created with an owner is left alone, so its event needs no transaction
 * at all; any other lead is checked again under its row lock, since an owner may have been set since.
 */
export function leadsToDispatch(event: BusEvent): string[] {
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  if (event.type === 'lead.created') return payload.ownerId ? [] : [event.aggregateId];
  if (event.type === 'import.progress' && payload.entity === 'lead' && Array.isArray(payload.createdIds)) {
    return payload.createdIds.filter((id): id is string => typeof id === 'string');
  }
  return [];
}

export type Dispatched = { leadId: string; ownerId: string | null; ruleId: string | null };

/**
 * Places the event's unowned leads by the organization's rules, in its tenant transaction: each lead gets its owner
 * (a new version, as a PATCH would give it), an assignment log row with the explanation, and audit rows with
 * `lead.updated` and `lead.assigned` events; a lead no rep could take is logged with `lead.assignment_failed`.
 * An organization without active rules is left untouched.
 */
export async function dispatchLeads(tx: Tx, event: BusEvent, leadIds: readonly string[], now: Date) {
  const { organizationId } = event;
  if (leadIds.length === 0) return [];
  const rows = await tx
    .select()
    .from(leads)
    .where(and(eq(leads.organizationId, organizationId), inArray(leads.id, [...leadIds]), isNull(leads.ownerId)))
    .orderBy(leads.id)
    .for('update');
  const order = new Map(leadIds.map((id, i) => [id, i]));
  const unowned = rows
    .filter((lead) => lead.status !== 'converted' && lead.convertedAt === null)
    .sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  if (unowned.length === 0) return [];
  let state = await lockDispatchState(tx, organizationId);
  if (!state) return [];
  const moved = new Map<string, { lastUserId: string; count: number }>();
  const placed: Dispatched[] = [];
  for (const lead of unowned) {
    const decision = chooseOwner(lead, state.rules, state.reps, now);
    await record(tx, event, lead, decision, now);
    if (decision.ownerId && decision.ruleId) {
      const cursor = moved.get(decision.ruleId);
      moved.set(decision.ruleId, { lastUserId: decision.ownerId, count: (cursor?.count ?? 0) + 1 });
    }
    state = afterDecision(state.rules, state.reps, decision);
    placed.push({ leadId: lead.id, ownerId: decision.ownerId, ruleId: decision.ruleId });
  }
  for (const [ruleId, { lastUserId, count }] of moved) {
    await tx
      .insert(assignmentCursors)
      .values({ organizationId, ruleId, lastUserId, assignedCount: count, updatedAt: now })
      .onConflictDoUpdate({
        target: [assignmentCursors.organizationId, assignmentCursors.ruleId],
        set: {
          lastUserId,
          assignedCount: sql`${assignmentCursors.assignedCount} + ${count}`,
          updatedAt: now,
        },
      });
  }
  return placed;
}

async function record(tx: Tx, event: BusEvent, lead: typeof leads.$inferSelect, decision: Decision, now: Date) {
  const { organizationId } = event;
  const assignmentId = newId();
  const { ownerId, ruleId, explanation } = decision;
  await tx.insert(leadAssignments).values({
    organizationId,
    id: assignmentId,
    leadId: lead.id,
    ruleId,
    ownerId,
    eventId: event.id,
    explanation,
    createdAt: now,
  });
  const system = { principal: null };
  const target = { type: 'lead', id: lead.id };
  if (!ownerId) {
    await recordChange(tx, {
      organizationId,
      actor: system,
      action: 'lead.assignment_failed',
      target,
      changes: { assignmentId, summary: explanation.summary },
      event: { type: 'lead.assignment_failed', payload: { leadId: lead.id, assignmentId, explanation } },
    });
    return;
  }
  const [row] = await tx
    .update(leads)
    .set({ ownerId, version: lead.version + 1, updatedAt: now })
    .where(and(eq(leads.organizationId, organizationId), eq(leads.id, lead.id)))
    .returning();
  const changes = { ownerId: [null, ownerId] };
  await recordChange(tx, {
    organizationId,
    actor: system,
    action: 'lead.updated',
    target,
    changes,
    event: { type: 'lead.updated', payload: { lead: leadView(row!), changes } },
  });
  await recordChange(tx, {
    organizationId,
    actor: system,
    action: 'lead.assigned',
    target,
    changes: { ...changes, ruleId, assignmentId, summary: explanation.summary },
    event: {
      type: 'lead.assigned',
      payload: { leadId: lead.id, from: null, to: ownerId, ruleId, assignmentId, explanation },
    },
  });
}
