import { and, eq } from 'drizzle-orm';
import { pipelineStages, pipelines } from '../../db/schema/index.ts';
import { conflict } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { dealsIn, lockPipeline, lockPipelineSettings } from './access.ts';

/** Deletes a pipeline and its stages; never the default, nor one that deals still sit in (they would be orphaned). */
export async function deletePipeline(ctx: RegionContext, actor: Actor, id: string, ifMatch?: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'pipelines:manage');
  const { organizationId } = principal;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    await lockPipelineSettings(tx, organizationId);
    // The row lock waits for deal writes that hold it shared, so the count below sees every deal they placed.
    const current = await lockPipeline(tx, organizationId, id, 'update');
    checkIfMatch(ifMatch, etagOf(current.version), 'pipeline');
    if (current.isDefault) {
      throw conflict('default_pipeline', 'The default pipeline cannot be deleted; make another one the default first');
    }
    const n = await dealsIn(tx, organizationId, { pipelineId: id });
    if (n > 0) {
      throw conflict('pipeline_has_deals', `${n} deal(s) are in this pipeline; move or delete them first`);
    }
    await tx
      .delete(pipelineStages)
      .where(and(eq(pipelineStages.organizationId, organizationId), eq(pipelineStages.pipelineId, id)));
    await tx.delete(pipelines).where(and(eq(pipelines.organizationId, organizationId), eq(pipelines.id, id)));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'pipeline.deleted',
      target: { type: 'pipeline', id },
      changes: { name: current.name },
      event: { type: 'pipeline.deleted', payload: { pipelineId: id } },
    });
  });
}
