import type { z } from '@hono/zod-openapi';
import { badRequest } from '../../openapi/errors.ts';
import type { DryRunInput } from '../../openapi/schemas/workflows.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { findWorkflow } from './access.ts';
import { currentRecord, describeAction, stepContext } from './actions.ts';
import { triggerMatches } from './conditions.ts';
import { triggerShape } from './origin.ts';
import { maskSecrets } from './view.ts';

/**
 * Evaluates a workflow against a sample record or event payload (or an existing record, read as the caller may
 * read it, where the trigger's subject is one) and says what each action would do. It only reads: no run, no audit row, no event.
 */
export async function dryRunWorkflow(ctx: RegionContext, actor: Actor, id: string, input: z.infer<typeof DryRunInput>) {
  const { principal } = actor;
  assertCan(principal, 'workflows:read');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const workflow = await findWorkflow(tx, organizationId, id);
    const { trigger } = workflow;
    const shape = triggerShape(trigger);
    if (input.recordId && !(shape.isRecord && shape.acts)) {
      const event = trigger.type === 'event' ? trigger.event : '';
      throw badRequest('sample_needed', `A ${event} event is not a record: send a sample payload as record`, [
        { path: 'recordId', message: 'Send record (the event payload) instead' },
      ]);
    }
    const record =
      input.recordId && shape.acts
        ? await currentRecord(stepContext(tx, organizationId), actor, shape.acts, input.recordId)
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
