import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { workflows } from '../../db/schema/index.ts';
import type { WorkflowAction, WorkflowPatch } from '../../openapi/schemas/workflows.ts';
import { canonical } from '../assignment-rules/update.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { findWorkflow } from './access.ts';
import { checkDefinition } from './definition.ts';
import { scheduleNext } from './schedule.ts';
import { sealActionSecrets } from './secrets.ts';
import { maskSecrets, unmaskSecrets, workflowView } from './view.ts';

/**
 * Changes a workflow under its row lock, honouring If-Match; `enabled` turns it on or off. Runs already started
 * finish with the actions they copied. A new version, audited with its `workflow.updated` event.
 */
export async function updateWorkflow(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof WorkflowPatch>,
  ifMatch?: string,
) {
  const { principal } = actor;
  assertCan(principal, 'workflows:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findWorkflow(tx, organizationId, id, { lock: true });
    checkIfMatch(ifMatch, etagOf(current.version), 'workflow');
    const changes: Record<string, [unknown, unknown]> = {};
    const patch = input.actions ? { ...input, actions: unmaskSecrets(input.actions, current.actions) } : input;
    for (const [field, after] of Object.entries(patch)) {
      const was = current[field as keyof typeof patch];
      if (after !== undefined && canonical(was) !== canonical(after)) changes[field] = [was, after];
    }
    if (Object.keys(changes).length === 0) return workflowView(current);
    if (changes.trigger || changes.actions) {
      await checkDefinition(tx, organizationId, patch.trigger ?? current.trigger, patch.actions ?? current.actions);
    }
    const set = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
    if (patch.actions && changes.actions) set.actions = await sealActionSecrets(ctx.secrets, id, patch.actions);
    const [row] = await tx
      .update(workflows)
      .set({ ...set, version: current.version + 1, updatedAt: new Date() })
      .where(and(eq(workflows.organizationId, organizationId), eq(workflows.id, id)))
      .returning();
    const workflow = workflowView(row!);
    // The firing queued for the previous version finds the version changed and does nothing.
    if (changes.trigger || changes.enabled) await scheduleNext(tx, ctx.jobs, row!);
    // Secrets stay out of the audit log and the event, as they stay out of every answer.
    for (const field of ['actions'] as const) {
      const change = changes[field] as [WorkflowAction[], WorkflowAction[]] | undefined;
      if (change) changes[field] = [maskSecrets(change[0]), maskSecrets(change[1])];
    }
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'workflow.updated',
      target: { type: 'workflow', id },
      changes,
      event: { type: 'workflow.updated', payload: { workflow, changes } },
    });
    return workflow;
  });
}

/** `POST /{id}/enable` and `/disable`: the same change as a PATCH of `enabled`. */
export const setWorkflowEnabled = (ctx: RegionContext, actor: Actor, id: string, enabled: boolean, ifMatch?: string) =>
  updateWorkflow(ctx, actor, id, { enabled }, ifMatch);
