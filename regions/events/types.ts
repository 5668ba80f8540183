/**
 * The one list of event types the platform writes to the outbox. The OpenAPI schemas read it (webhook
 * subscriptions, workflow triggers), so the documented types and the written ones cannot drift apart; a writer that
 * adds a type adds it here. This file imports nothing: the edge's copy of the contract includes it.
 */

/** Events about one lead, contact, company, deal or activity (or a form submission), the event stream. */
export const recordEventTypes = [
  'lead.created',
  'lead.updated',
  'lead.assigned',
  'lead.converted',
  'lead.merged',
  'lead.deleted',
  'contact.created',
  'contact.updated',
  'contact.merged',
  'contact.deleted',
  'company.created',
  'company.updated',
  'company.deleted',
  'deal.created',
  'deal.updated',
  'deal.stage_changed',
  'deal.won',
  'deal.lost',
  'deal.deleted',
  'activity.created',
  'activity.updated',
  'activity.completed',
  'activity.deleted',
  'form.submitted',
] as const;
export type RecordEventType = (typeof recordEventTypes)[number];

/** Everything else written to the outbox: settings, members, imports, email, webhooks and the like. */
export const otherEventTypes = [
  'lead.assignment_failed',
  'attachment.created',
  'attachment.deleted',
  'assignment_rule.created',
  'assignment_rule.updated',
  'assignment_rule.reordered',
  'assignment_rule.deleted',
  'custom_field.created',
  'custom_field.updated',
  'custom_field.deleted',
  'email.queued',
  'email.bulk_queued',
  'email.unsubscribed',
  'form.created',
  'form.updated',
  'form.deleted',
  'import.created',
  'import.updated',
  'import.started',
  'import.progress',
  'import.cancel_requested',
  'import.completed',
  'import.failed',
  'import.cancelled',
  'organization.created',
  'organization.retention_updated',
  'pipeline.created',
  'pipeline.updated',
  'pipeline.deleted',
  'pipeline.stage_created',
  'pipeline.stage_updated',
  'pipeline.stage_deleted',
  'privacy.erased',
  'leads.rescored',
  'saved_view.created',
  'saved_view.updated',
  'saved_view.deleted',
  'scoring_rules.updated',
  'user.invited',
  'user.activated',
  'user.updated',
  'user.availability_changed',
  'webhook.test',
  'webhook.disabled',
  'workflow.created',
  'workflow.updated',
  'workflow.deleted',
] as const;

export const eventTypes = [...recordEventTypes, ...otherEventTypes] as const;
export type EventType = (typeof eventTypes)[number];

const known = new Set<string>(eventTypes);
const families = new Set<string>(eventTypes.map((t) => t.split('.')[0]!));

/** `*`, a known event type, or `<family>.*` of a known family (`lead.*`): what a subscription may name. */
export function isEventPattern(pattern: string): boolean {
  if (pattern === '*' || known.has(pattern)) return true;
  return pattern.endsWith('.*') && families.has(pattern.slice(0, -2));
}
