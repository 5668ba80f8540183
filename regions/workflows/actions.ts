import type { Tx } from '../../db/database.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';
import type { WorkflowAction } from '../../openapi/schemas/workflows.ts';
import { createActivity } from '../activities/create.ts';
import { getContact } from '../contacts/get.ts';
import { updateContact } from '../contacts/update.ts';
import type { RegionContext } from '../context.ts';
import { getDeal } from '../deals/get.ts';
import { updateDeal } from '../deals/update.ts';
import { type JobSender, queueEmail } from '../emails/queue.ts';
import { getLead } from '../leads/get.ts';
import { updateLead } from '../leads/update.ts';
import { notify } from '../notifications/notify.ts';
import type { Actor } from '../support/actor.ts';
import { patchOf } from './definition.ts';
import type { Entity, EventOrigin } from './origin.ts';
import { fill } from './template.ts';

/** Who a step acts as: the run itself, identified by the workflow, with what its actions need and nothing more. */
export type RunScope = {
  organizationId: string;
  region: string;
  workflowId: string;
  runId: string;
  /** The workflows that led to this run, this one last (origin.ts). */
  chain: string[];
  /** The lead, contact or deal the run acts on; null when its event has none (a company's, a deletion …). */
  entity: Entity | null;
  recordId: string | null;
  /** The event's subject as the run recorded it: what texts are filled from when there is no record to read. */
  snapshot: Record<string, unknown>;
};

const scopes: Permission[] = [
  'leads:read',
  'leads:update',
  'contacts:read',
  'contacts:update',
  'deals:read',
  'deals:update',
  'activities:create',
];

/**
 * The actor of a run's writes. It is a machine principal (like an API key, whose id is the workflow's), so the
 * audit log names the workflow; `origin` makes every event it causes say which run made it, for loop protection.
 */
export function workflowActor(scope: RunScope): Actor {
  const principal: Principal = {
    type: 'api_key',
    organizationId: scope.organizationId,
    region: scope.region,
    keyId: scope.workflowId,
    scopes,
  };
  const origin: EventOrigin = { workflowId: scope.workflowId, runId: scope.runId, chain: scope.chain };
  return { principal, ip: null, userAgent: 'crm-workflow/1', requestId: scope.runId, origin };
}

/**
 * The record services (update a lead, create a task …) open their own tenant transaction through `ctx.shards`;
 * this context hands them the step's transaction instead, so the service's write, its audit row and event, and
 * the step's log row commit together. Those services use nothing of the context but `shards.withTenant`.
 */
export function stepContext(tx: Tx, organizationId: string): RegionContext {
  const shards = {
    withTenant: <T>(org: string, work: (tx: Tx) => Promise<T>): Promise<T> => {
      if (org !== organizationId) throw new Error('a workflow step writes to its own organization only');
      return work(tx);
    },
  };
  return { shards } as unknown as RegionContext;
}

const readers = { lead: getLead, contact: getContact, deal: getDeal } as const;
const updaters = { lead: updateLead, contact: updateContact, deal: updateDeal } as const;

/** The record as it is now, as the API shows it (a step sees what earlier steps did). */
export async function currentRecord(ctx: RegionContext, actor: Actor, entity: Entity, id: string) {
  return (await readers[entity](ctx, actor, id)) as unknown as Record<string, unknown>;
}

const ownerOf = (record: Record<string, unknown>) => (typeof record.ownerId === 'string' ? record.ownerId : null);

/** The member a step names: a fixed one, or the record's owner now. */
const someone = (who: string | undefined, record: Record<string, unknown>) =>
  who === undefined || who === 'record_owner' ? ownerOf(record) : who;

/** What a step would do, in words, for the dry run and the run log. */
export function describeAction(action: WorkflowAction, record: Record<string, unknown>): string {
  switch (action.type) {
    case 'assign':
      return `assign the record to ${action.userId}`;
    case 'update_field':
      return `set ${action.field} to ${JSON.stringify(action.value)}`;
    case 'create_task': {
      const owner = someone(action.owner, record);
      return `create the task "${fill(action.subject, record)}" for ${owner ?? 'nobody'}${action.dueInHours === undefined ? '' : `, due in ${action.dueInHours} h`}`;
    }
    case 'send_email': {
      const to = action.to === 'record' ? (record.email ?? null) : action.to;
      return to ? `email "${fill(action.subject, record)}" to ${to}` : 'send no email: the record has no address';
    }
    case 'call_webhook':
      return `POST the event to ${action.url}`;
    case 'notify': {
      const user = someone(action.userId, record);
      return user ? `notify ${user}: "${fill(action.title, record)}"` : 'notify nobody: the record has no owner';
    }
    case 'wait':
      return `wait ${action.minutes} min before the next step`;
  }
}

/** A step that cannot do anything (no owner to notify, no address to write to) is skipped, not failed. */
export class StepSkipped extends Error {}

/**
 * Performs one step inside the step's transaction, through the services a person's request would use (so their
 * validation, audit rows, events and versions apply), and returns what it did for the run log. `call_webhook` and
 * `wait` are the executor's (they do not write in a transaction).
 */
export async function performAction(
  tx: Tx,
  deps: { jobs: JobSender },
  scope: RunScope,
  action: Exclude<WorkflowAction, { type: 'call_webhook' | 'wait' }>,
): Promise<unknown> {
  const ctx = stepContext(tx, scope.organizationId);
  const actor = workflowActor(scope);
  const { entity, recordId, organizationId } = scope;
  const record = entity && recordId ? await currentRecord(ctx, actor, entity, recordId) : scope.snapshot;
  const link = entity && recordId ? { type: entity, id: recordId } : null;
  switch (action.type) {
    case 'assign':
    case 'update_field': {
      if (!entity || !recordId) throw new StepSkipped('The event has no lead, contact or deal to change');
      const patch = action.type === 'assign' ? { ownerId: action.userId } : patchOf(action);
      const update = updaters[entity] as (
        c: RegionContext,
        a: Actor,
        id: string,
        p: Record<string, unknown>,
      ) => Promise<{ version: number }>;
      const after = await update(ctx, actor, recordId, patch);
      return { patch, version: after.version };
    }
    case 'create_task': {
      if (!entity || !recordId) throw new StepSkipped('The event has no lead, contact or deal to link a task to');
      const dueAt =
        action.dueInHours === undefined ? null : new Date(Date.now() + action.dueInHours * 3_600_000).toISOString();
      const created = await createActivity(ctx, actor, {
        type: 'task',
        subject: fill(action.subject, record),
        body: action.body ? fill(action.body, record) : null,
        dueAt,
        priority: action.priority ?? 'normal',
        ownerId: someone(action.owner, record),
        [`${entity}Id`]: recordId,
      } as Parameters<typeof createActivity>[2]);
      return { activityId: (created.body as { id: string }).id };
    }
    case 'send_email': {
      const to = action.to === 'record' ? record.email : action.to;
      if (typeof to !== 'string' || to === '') throw new StepSkipped('The record has no email address');
      const row = await queueEmail(tx, deps.jobs, {
        organizationId,
        kind: 'transactional',
        template: 'transactional',
        data: {
          subject: fill(action.subject, record),
          text: fill(action.text, record),
          firstName: String(record.firstName ?? ''),
          lastName: String(record.lastName ?? ''),
        },
        to,
        contactId: entity === 'contact' ? recordId : null,
      });
      return { emailId: row.id, to: row.toAddress };
    }
    case 'notify': {
      const userId = someone(action.userId, record);
      if (!userId) throw new StepSkipped('The record has no owner to notify');
      const result = await notify(
        tx,
        { jobs: deps.jobs },
        {
          organizationId,
          userId,
          type: 'workflow',
          title: fill(action.title, record),
          body: action.body ? fill(action.body, record) : '',
          link,
        },
      );
      return { userId, ...result };
    }
  }
}

/** A refusal by the service (the record is gone, a value no longer valid): retrying would not change it. */
export const isPermanent = (error: unknown) =>
  error instanceof StepSkipped || (error instanceof ApiError && error.status >= 400 && error.status < 500);
