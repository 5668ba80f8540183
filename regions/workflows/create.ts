import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { workflows } from '../../db/schema/index.ts';
import type { WorkflowInput } from '../../openapi/schemas/workflows.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { recordChange } from '../support/record.ts';
import { checkDefinition } from './definition.ts';
import { scheduleNext } from './schedule.ts';
import { sealActionSecrets } from './secrets.ts';
import { workflowView } from './view.ts';

/** Creates a workflow (enabled unless told otherwise) after checking what it refers to; audited with its event. */
export async function createWorkflow(
  ctx: RegionContext,
  actor: Actor,
  input: z.infer<typeof WorkflowInput>,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  assertCan(principal, 'workflows:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      const request = { op: 'createWorkflow', input, actor: actorId(principal) };
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, request);
      if (prior) return { ...prior, replayed: true };
    }
    await checkDefinition(tx, organizationId, input.trigger, input.actions);
    const id = newId();
    const fields = {
      name: input.name,
      description: input.description ?? null,
      enabled: input.enabled ?? true,
      trigger: input.trigger,
      actions: input.actions,
    };
    const [row] = await tx
      .insert(workflows)
      .values({
        organizationId,
        id,
        ...fields,
        actions: await sealActionSecrets(ctx.secrets, id, fields.actions),
        createdBy: actorId(principal),
      })
      .returning();
    const view = workflowView(row!);
    await scheduleNext(tx, ctx.jobs, row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'workflow.created',
      target: { type: 'workflow', id: view.id },
      changes: { ...fields, actions: view.actions },
      event: { type: 'workflow.created', payload: view },
    });
    const response = { status: 201, body: view };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    return { ...response, replayed: false };
  });
}
