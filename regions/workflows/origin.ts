import type { WorkflowEvent, WorkflowTrigger } from '../../openapi/schemas/workflows.ts';
import type { BusEvent } from '../events/bus.ts';
import type { Subject } from './conditions.ts';

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

export type Entity = 'lead' | 'contact' | 'deal';

/** The kind of record a trigger is about: its event's, or the one its schedule scans. */
export const triggerEntity = (trigger: WorkflowTrigger): Entity =>
  trigger.type === 'schedule' ? trigger.entity : entityOf(trigger.event)!;
export const entityOf = (event: WorkflowEvent | string): Entity | null => {
  const head = event.split('.')[0];
  return head === 'lead' || head === 'contact' || head === 'deal' ? head : null;
};

/**
 * The record an event is about, as the API shows it: a `*.created` payload is the record itself, an `*.updated`
 * one is `{ <entity>: record, changes }`. The `origin` a workflow's write adds is not part of the record.
 */
export function subjectOf(event: Pick<BusEvent, 'type' | 'payload'>): Subject | null {
  const entity = entityOf(event.type);
  const payload = event.payload as Record<string, unknown> | null;
  if (!entity || !payload || typeof payload !== 'object') return null;
  if (event.type.endsWith('.updated')) {
    const record = payload[entity];
    if (!record || typeof record !== 'object') return null;
    const changes = (payload.changes ?? null) as Subject['changes'];
    return { record: record as Record<string, unknown>, changes };
  }
  const { origin: _origin, ...record } = payload;
  return { record };
}
