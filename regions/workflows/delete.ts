import { and, eq } from 'drizzle-orm';
import { workflows } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { findWorkflow } from './access.ts';
import { workflowView } from './view.ts';

/**
 * Deletes a workflow; its runs stay in the log (they keep the workflow id), and a run still waiting stops when it
 * would resume, as it does for a disabled workflow.
 */
export async function deleteWorkflow(ctx: RegionContext, actor: Actor, id: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'workflows:manage');
  const { organizationId } = principal;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findWorkflow(tx, organizationId, id, { lock: true });
    await tx.delete(workflows).where(and(eq(workflows.organizationId, organizationId), eq(workflows.id, id)));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'workflow.deleted',
      target: { type: 'workflow', id },
      changes: { deleted: workflowView(current) },
      event: { type: 'workflow.deleted', payload: { workflowId: id, name: current.name } },
    });
  });
}
