import { ContactSchema } from '../../openapi/schemas/contacts.ts';
import { DealSchema } from '../../openapi/schemas/deals.ts';
import { LeadSchema } from '../../openapi/schemas/leads.ts';
import type { WorkflowTrigger } from '../../openapi/schemas/workflows.ts';
import type { BusEvent } from '../events/bus.ts';
import type { Subject } from './conditions.ts';
import { type Entity, eventShapes, shapeOf } from './events.ts';

/**
 * Writes made by a workflow run carry this in their event payload (`origin`, see regions/support/record.ts), so
 * the automation worker can tell which workflows led to an event: `chain` lists them, oldest first.
 */
export type EventOrigin = { workflowId: string; runId: string; chain: string[] };

/** The longest chain of workflows one human write may set off (A's write starts B, whose write starts C …). */
export const MAX_CHAIN_DEPTH = 5;

export function originOf(payload: unknown): EventOrigin | null {
  const origin = payload && typeof payload === 'object' ? (payload as { origin?: unknown }).origin : undefined;
  if (!origin || typeof origin !== 'object') return null;
  const { workflowId, runId, chain } = origin as Record<string, unknown>;
  if (typeof workflowId !== 'string' || typeof runId !== 'string' || !Array.isArray(chain)) return null;
  return { workflowId, runId, chain: chain.filter((id): id is string => typeof id === 'string') };
}

export type LoopVerdict = { run: true; chain: string[] } | { run: false; reason: string };

/**
 * Whether a workflow may run for an event. It never runs on an event its own run caused, directly or further down
 * the chain (A → B → A stops at the second A), and no chain grows past MAX_CHAIN_DEPTH workflows.
 */
export function loopVerdict(workflowId: string, origin: EventOrigin | null): LoopVerdict {
  const chain = origin?.chain ?? [];
  if (chain.includes(workflowId)) {
    return {
      run: false,
      reason:
        origin?.workflowId === workflowId
          ? 'loop: the event was caused by this workflow'
          : `loop: this workflow already ran earlier in the chain (${chain.join(' → ')})`,
    };
  }
  if (chain.length >= MAX_CHAIN_DEPTH) {
    return {
      run: false,
      reason: `chain too deep: ${chain.length} workflows led to this event (limit ${MAX_CHAIN_DEPTH})`,
    };
  }
  return { run: true, chain: [...chain, workflowId] };
}

export type { Entity } from './events.ts';

const recordShapes: Record<Entity, readonly string[]> = {
  lead: Object.keys(LeadSchema.shape),
  contact: Object.keys(ContactSchema.shape),
  deal: Object.keys(DealSchema.shape),
};

/**
 * What a trigger's conditions may name, the kind of record its actions act on (null: none), and whether its
 * subject is that record as the API shows it (a dry run may then read an existing one).
 */
export function triggerShape(trigger: WorkflowTrigger): {
  fields: readonly string[];
  acts: Entity | null;
  isRecord: boolean;
} {
  if (trigger.type === 'schedule')
    return { fields: recordShapes[trigger.entity], acts: trigger.entity, isRecord: true };
  const shape = eventShapes[trigger.event];
  return { fields: shape.fields, acts: shape.acts?.entity ?? null, isRecord: shape.isRecord };
}

/** The record a run acts on: its kind and id (null for events about no such record, or whose record is gone). */
export type ActsOn = { entity: Entity; id: string } | null;

/**
 * What an event's conditions see (the record as the API shows it for creations, updates, won/lost and merges;
 * the payload itself for the others) and the record its workflows' actions act on.
 */
export function subjectOf(
  event: Pick<BusEvent, 'type' | 'payload' | 'aggregateId'>,
): (Subject & { actsOn: ActsOn }) | null {
  const shape = shapeOf(event.type);
  const payload = event.payload;
  if (!shape || !payload || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const subject = shape.subject(payload as Record<string, unknown>);
  if (!subject) return null;
  const id = shape.acts?.id(payload as Record<string, unknown>, event.aggregateId) ?? null;
  return { ...subject, actsOn: shape.acts && id ? { entity: shape.acts.entity, id } : null };
}
