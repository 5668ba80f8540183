import type { z } from '@hono/zod-openapi';
import type { DryRunInput } from '../../openapi/schemas/workflows.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { findWorkflow } from './access.ts';
import { currentRecord, describeAction, stepContext } from './actions.ts';
import { triggerMatches } from './conditions.ts';
import { triggerEntity } from './origin.ts';
import { maskSecrets } from './view.ts';

/**
 * Evaluates a workflow against a sample record (or an existing one, read as the caller may read it) and says what
 * each action would do. It only reads: no run, no audit row, no event.
 */
export async function dryRunWorkflow(ctx: RegionContext, actor: Actor, id: string, input: z.infer<typeof DryRunInput>) {
  const { principal } = actor;
  assertCan(principal, 'workflows:read');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const workflow = await findWorkflow(tx, organizationId, id);
    const { trigger } = workflow;
    const entity = triggerEntity(trigger);
    const record = input.recordId
      ? await currentRecord(stepContext(tx, organizationId), actor, entity, input.recordId)
      : (input.record ?? {});
    const outcome = triggerMatches(trigger, null, { record, changes: input.changes ?? null });
    return {
      matched: outcome.matched,
      conditions: outcome.conditions,
      actions: maskSecrets(workflow.actions).map((action, position) => {
        const { type, ...params } = action;
        return { position, type, wouldDo: describeAction(action, record), params };
      }),
    };
  });
}
