import type { activities } from '../../db/schema/index.ts';
import type { callOutcomes } from '../../openapi/schemas/activities.ts';

export type ActivityRow = typeof activities.$inferSelect;
export type ActivityView = ReturnType<typeof activityView>;

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * An activity as the API shows it: one shape for every type, with the fields of other types null. The table keeps
 * a priority and a done flag on every row (its defaults); only a task has them, so only a task shows them.
 */
export function activityView(a: ActivityRow) {
  const task = a.type === 'task';
  return {
    id: a.id,
    type: a.type,
    subject: a.subject,
    body: a.body,
    ownerId: a.ownerId,
    leadId: a.leadId,
    contactId: a.contactId,
    companyId: a.companyId,
    dealId: a.dealId,
    dueAt: isoOrNull(a.dueAt),
    priority: task ? a.priority : null,
    done: task ? a.done : null,
    completedAt: isoOrNull(a.completedAt),
    durationSeconds: a.durationSeconds,
    outcome: a.outcome as (typeof callOutcomes)[number] | null,
    startsAt: isoOrNull(a.startsAt),
    endsAt: isoOrNull(a.endsAt),
    attendees: a.attendees,
    emailDirection: a.emailDirection,
    emailFrom: a.emailFrom,
    emailTo: a.emailTo,
    version: a.version,
    createdBy: a.createdBy,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
