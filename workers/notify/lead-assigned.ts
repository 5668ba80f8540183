import { and, eq, gte, lt } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { auditLog, leads } from '../../db/schema/index.ts';
import type { BusEvent } from '../../regions/events/bus.ts';
import { type NotifyDeps, type NotifyResult, notify } from '../../regions/notifications/notify.ts';

/** What a `lead.assigned` event tells: the lead, its new owner, and (when known) the member who assigned it. */
export type LeadAssignment = { organizationId: string; leadId: string; to: string | null; by: string | null };

/**
 * Tells the new owner of a lead, unless they took it themselves (or nobody owns it now). Callable inside any
 * transaction that assigns a lead; the `notify` worker calls it for every `lead.assigned` event, dispatch's
 * included, so a writer that emits the event needs no call of its own.
 */
export async function notifyLeadAssigned(
  tx: Tx,
  deps: NotifyDeps,
  assignment: LeadAssignment,
  explanation?: string | null,
): Promise<NotifyResult | null> {
  const { organizationId, leadId, to, by } = assignment;
  if (!to || to === by) return null;
  const [lead] = await tx
    .select({ firstName: leads.firstName, lastName: leads.lastName, company: leads.company, email: leads.email })
    .from(leads)
    .where(and(eq(leads.organizationId, organizationId), eq(leads.id, leadId)));
  if (!lead) return null;
  const name = `${lead.firstName} ${lead.lastName}`.trim() || lead.email || 'A lead';
  const title = `${name}${lead.company ? ` (${lead.company})` : ''} was assigned to you`;
  const body = explanation ? `Assigned automatically: ${explanation}` : by ? 'Assigned by a teammate.' : 'Assigned.';
  return notify(tx, deps, {
    organizationId,
    userId: to,
    type: 'lead_assigned',
    title,
    body,
    link: { type: 'lead', id: leadId },
  });
}

/**
 * The member who made an assignment: the payload's `by` when the writer put it there, otherwise the actor of the
 * audit row written with the event (same transaction, so the same timestamp, to the microsecond; the event's
 * time is rounded to the millisecond). An API key or the system (dispatch) is nobody: the owner is told.
 */
export async function assignedBy(tx: Tx, event: BusEvent): Promise<string | null> {
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  if (typeof payload.by === 'string') return payload.by;
  const at = new Date(event.occurredAt);
  const [row] = await tx
    .select({ actorType: auditLog.actorType, actorId: auditLog.actorId })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.organizationId, event.organizationId),
        eq(auditLog.targetId, event.aggregateId),
        eq(auditLog.action, 'lead.assigned'),
        gte(auditLog.createdAt, at),
        lt(auditLog.createdAt, new Date(at.getTime() + 1)),
      ),
    )
    .limit(1);
  return row?.actorType === 'user' ? row.actorId : null;
}

/** The assignment a `lead.assigned` event describes. */
export async function assignmentOf(tx: Tx, event: BusEvent) {
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  const explanation = (payload.explanation ?? null) as { summary?: unknown } | null;
  return {
    assignment: {
      organizationId: event.organizationId,
      leadId: typeof payload.leadId === 'string' ? payload.leadId : event.aggregateId,
      to: typeof payload.to === 'string' ? payload.to : null,
      by: await assignedBy(tx, event),
    },
    explanation: typeof explanation?.summary === 'string' ? explanation.summary : null,
  };
}
