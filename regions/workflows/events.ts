import { ActivitySchema } from '../../openapi/schemas/activities.ts';
import { CompanySchema } from '../../openapi/schemas/companies.ts';
import { ContactSchema } from '../../openapi/schemas/contacts.ts';
import { DealSchema } from '../../openapi/schemas/deals.ts';
import { LeadSchema } from '../../openapi/schemas/leads.ts';
import type { RecordEventType } from '../events/types.ts';

/** The kinds of record a workflow's actions can act on (read, update, link a task to). */
export type Entity = 'lead' | 'contact' | 'deal';

type Payload = Record<string, unknown>;

/**
 * How a workflow reads one event type. `subject`: what its conditions see, as a flat record (plus the change of an
 * `*.updated`); `fields`: what conditions may name; `acts`: the record its actions act on (null: none, as after a
 * deletion, or for companies and activities, which actions do not change); `isRecord`: the subject is that record
 * as the API shows it, so a dry run may read an existing one instead of a sample.
 */
export type EventShape = {
  fields: readonly string[];
  subject: (payload: Payload) => { record: Payload; changes?: Record<string, [unknown, unknown]> | null } | null;
  acts: { entity: Entity; id: (payload: Payload, aggregateId: string) => string | null } | null;
  isRecord: boolean;
};

const keys = (schema: { shape: object }) => Object.keys(schema.shape);
const asObject = (v: unknown): Payload | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Payload) : null;
/** A workflow's write adds `origin` (an object, origin.ts) to its payload; it is not part of the record. */
function withoutOrigin(payload: Payload): Payload {
  if (!asObject(payload.origin)) return payload;
  const { origin: _origin, ...rest } = payload;
  return rest;
}

/** The payload is the record itself (`*.created`). */
const itself = (fields: readonly string[], entity: Entity | null): EventShape => ({
  fields,
  subject: (payload) => ({ record: withoutOrigin(payload) }),
  acts: entity ? { entity, id: (_p, aggregateId) => aggregateId } : null,
  isRecord: true,
});

/** `{ <key>: record, changes }` (`*.updated`), or `{ <key>: record, …extras }` (`deal.won`, `*.merged`). */
function wrapped(key: string, fields: readonly string[], entity: Entity | null, extras: string[] = []): EventShape {
  return {
    fields: [...fields, ...extras],
    subject: (payload) => {
      const record = asObject(payload[key]);
      if (!record) return null;
      const more = Object.fromEntries(extras.map((field) => [field, payload[field] ?? null]));
      const changes = 'changes' in payload ? (asObject(payload.changes) as never) : undefined;
      return { record: { ...record, ...more }, ...(changes === undefined ? {} : { changes }) };
    },
    acts: entity ? { entity, id: (_p, aggregateId) => aggregateId } : null,
    isRecord: true,
  };
}

/** A payload of its own (`deal.stage_changed`, `*.deleted` …): conditions name its fields. */
function own(fields: readonly string[], acts: EventShape['acts'] = null): EventShape {
  return { fields, subject: (payload) => ({ record: withoutOrigin(payload) }), acts, isRecord: false };
}

const onAggregate = (entity: Entity): EventShape['acts'] => ({ entity, id: (_p, aggregateId) => aggregateId });
const lead = keys(LeadSchema);
const contact = keys(ContactSchema);
const company = keys(CompanySchema);
const deal = keys(DealSchema);
const activity = keys(ActivitySchema);

export const eventShapes: Record<RecordEventType, EventShape> = {
  'lead.created': itself(lead, 'lead'),
  'lead.updated': wrapped('lead', lead, 'lead'),
  'lead.assigned': own(['leadId', 'from', 'to', 'ruleId', 'assignmentId'], onAggregate('lead')),
  'lead.converted': own(['leadId', 'contactId', 'companyId', 'companyCreated', 'dealId'], onAggregate('lead')),
  'lead.merged': wrapped('lead', lead, 'lead', ['duplicateId']),
  'lead.deleted': own(['leadId', 'unlinked', 'mergedInto']),
  'contact.created': itself(contact, 'contact'),
  'contact.updated': wrapped('contact', contact, 'contact'),
  'contact.merged': wrapped('contact', contact, 'contact', ['duplicateId']),
  'contact.deleted': own(['contactId', 'unlinked', 'mergedInto']),
  'company.created': itself(company, null),
  'company.updated': wrapped('company', company, null),
  'company.deleted': own(['companyId', 'unlinked']),
  'deal.created': itself(deal, 'deal'),
  'deal.updated': wrapped('deal', deal, 'deal'),
  'deal.stage_changed': own(
    [
      'id',
      'dealId',
      'fromStageId',
      'toStageId',
      'secondsInPreviousStage',
      'fromPipelineId',
      'toPipelineId',
      'status',
      'changedBy',
      'changedAt',
    ],
    onAggregate('deal'),
  ),
  'deal.won': wrapped('deal', deal, 'deal', ['reason']),
  'deal.lost': wrapped('deal', deal, 'deal', ['reason']),
  'deal.deleted': own(['dealId']),
  'activity.created': itself(activity, null),
  'activity.updated': wrapped('activity', activity, null),
  'activity.completed': own(['activityId', 'ownerId', 'completedAt', 'leadId', 'contactId', 'companyId', 'dealId']),
  'activity.deleted': own(['activityId', 'type']),
  'form.submitted': own(['id', 'formId', 'leadId', 'values', 'consent', 'origin', 'createdAt'], {
    entity: 'lead',
    id: (payload) => (typeof payload.leadId === 'string' ? payload.leadId : null),
  }),
};

export const shapeOf = (type: string): EventShape | null =>
  Object.hasOwn(eventShapes, type) ? eventShapes[type as RecordEventType] : null;
