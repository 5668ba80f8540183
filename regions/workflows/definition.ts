import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Tx } from '../../db/database.ts';
import { users } from '../../db/schema/index.ts';
import { badRequest, type FieldIssue, fieldIssues } from '../../openapi/errors.ts';
import { ContactPatch } from '../../openapi/schemas/contacts.ts';
import { DealPatch } from '../../openapi/schemas/deals.ts';
import { LeadPatch } from '../../openapi/schemas/leads.ts';
import {
  SECRET_MASK,
  type WorkflowAction,
  type WorkflowConditionGroup,
  type WorkflowTrigger,
} from '../../openapi/schemas/workflows.ts';
import { type Entity, triggerShape } from './origin.ts';
import { cronProblem } from './schedule.ts';

/** What each kind of record's update accepts (update_field). */
const patches: Record<Entity, z.ZodType> = { lead: LeadPatch, contact: ContactPatch, deal: DealPatch };

/** The patch an `update_field` step sends to the record's update service. */
export function patchOf(action: Extract<WorkflowAction, { type: 'update_field' }>): Record<string, unknown> {
  const [head, key] = action.field.split('.', 2) as [string, string | undefined];
  return key === undefined ? { [head]: action.value } : { [head]: { [key]: action.value } };
}

/**
 * Why a step cannot run for an event that has no lead, contact or deal to act on (a company's or an activity's, a
 * deletion): changing, linking or writing to "the record" has nothing to go to. `record_owner` is the event's own
 * `ownerId`, where it has one.
 */
function recordlessProblem(action: WorkflowAction, fields: readonly string[]) {
  const noRecord = 'has no lead, contact or deal to act on';
  const noOwner = !fields.includes('ownerId');
  switch (action.type) {
    case 'assign':
    case 'update_field':
    case 'create_task':
      return { field: 'type', message: noRecord };
    case 'send_email':
      return action.to === 'record' ? { field: 'to', message: `${noRecord}: send to an address` } : null;
    case 'notify':
      return action.userId === 'record_owner' && noOwner ? { field: 'userId', message: 'names no owner' } : null;
    default:
      return null;
  }
}

function conditionFields(group: WorkflowConditionGroup | undefined) {
  if (!group) return [];
  return group.rules.flatMap((rule, i) =>
    'match' in rule
      ? rule.rules.map((inner, j) => ({ path: `trigger.conditions.rules.${i}.rules.${j}.field`, ...inner }))
      : [{ path: `trigger.conditions.rules.${i}.field`, ...rule }],
  );
}

/**
 * Checks what zod cannot: that conditions name fields the trigger's record has, that `update_field` sets a field
 * its update accepts to a value it accepts, and that every member named is an active user of the organization.
 * A definition that could never run as written is refused with a 400 naming each problem.
 */
export async function checkDefinition(
  tx: Tx,
  organizationId: string,
  trigger: WorkflowTrigger,
  actions: readonly WorkflowAction[],
): Promise<void> {
  const shape = triggerShape(trigger);
  const entity = shape.acts;
  const about = trigger.type === 'schedule' ? `A ${trigger.entity}` : `A ${trigger.event} event`;
  const issues: FieldIssue[] = [];
  const known = (field: string) => {
    const [head, key] = field.split('.', 2) as [string, string | undefined];
    return shape.fields.includes(head) && (key === undefined || head === 'customFields' || !shape.isRecord);
  };
  const updates = trigger.type === 'event' && trigger.event.endsWith('.updated');
  for (const { path, field, op } of conditionFields(trigger.conditions)) {
    if (!known(field)) issues.push({ path, message: `${about} has no field ${field}` });
    if (op === 'changed_to' && !updates) {
      issues.push({ path: path.replace(/field$/, 'op'), message: 'changed_to needs an *.updated event trigger' });
    }
  }
  if (trigger.type === 'schedule') {
    const problem = cronProblem(trigger.cron, trigger.timezone);
    if (problem) issues.push({ path: 'trigger.cron', message: problem });
  }
  const members = new Map<string, string>();
  actions.forEach((action, i) => {
    const at = `actions.${i}`;
    const problem = entity ? null : recordlessProblem(action, shape.fields);
    if (problem) issues.push({ path: `${at}.${problem.field}`, message: `${about} ${problem.message}` });
    if (action.type === 'update_field' && entity) {
      const parsed = patches[entity].safeParse(patchOf(action));
      if (!parsed.success) {
        for (const issue of fieldIssues(parsed.error.issues)) {
          issues.push({ path: `${at}.value`, message: `${issue.path}: ${issue.message}` });
        }
      }
      if (action.field.split('.')[0] === 'ownerId') {
        issues.push({ path: `${at}.field`, message: 'Use an assign step to change the owner' });
      }
    }
    if (action.type === 'call_webhook' && action.secret === SECRET_MASK) {
      issues.push({ path: `${at}.secret`, message: 'No secret is stored for this URL: send the secret itself' });
    }
    if (action.type === 'assign') members.set(action.userId, `${at}.userId`);
    if (action.type === 'notify' && action.userId !== 'record_owner') members.set(action.userId, `${at}.userId`);
    if (action.type === 'create_task' && action.owner && action.owner !== 'record_owner') {
      members.set(action.owner, `${at}.owner`);
    }
    if (entity && action.type === 'send_email' && action.to === 'record' && !shape.fields.includes('email')) {
      issues.push({ path: `${at}.to`, message: `A ${entity} has no email address` });
    }
  });
  if (members.size > 0) {
    const found = await tx
      .select({ id: users.id, status: users.status })
      .from(users)
      .where(and(eq(users.organizationId, organizationId), inArray(users.id, [...members.keys()])));
    const active = new Set(found.filter((u) => u.status === 'active').map((u) => u.id));
    for (const [id, path] of members) {
      if (!active.has(id)) issues.push({ path, message: 'Not an active user of this organization' });
    }
  }
  if (issues.length > 0) {
    throw badRequest('invalid_workflow', 'The workflow refers to fields or people that do not exist', issues);
  }
}
