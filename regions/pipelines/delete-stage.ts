import { and, eq } from 'drizzle-orm';
import { pipelineStages } from '../../db/schema/index.ts';
import { conflict, notFound } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { dealsIn, lockPipeline, stagesOf, touchPipeline, writeStageOrder } from './access.ts';
import { keepsOpenStage } from './stage-order.ts';
import { pipelineView, stageView } from './view.ts';

/** Removes an empty stage and closes up the positions; the pipeline keeps at least one open stage. */
export async function deleteStage(
  ctx: RegionContext,
  actor: Actor,
  pipelineId: string,
  stageId: string,
  ifMatch?: string,
) {
  const { principal } = actor;
  assertCan(principal, 'pipelines:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await lockPipeline(tx, organizationId, pipelineId, 'update');
    checkIfMatch(ifMatch, etagOf(current.version), 'pipeline');
    const stages = await stagesOf(tx, organizationId, pipelineId);
    const stage = stages.find((s) => s.id === stageId);
    if (!stage) throw notFound('Stage');
    if (!keepsOpenStage(stages, { id: stageId, kind: null })) {
      throw conflict('open_stage_required', 'A pipeline needs at least one open stage');
    }
    const n = await dealsIn(tx, organizationId, { stageId });
    if (n > 0) throw conflict('stage_has_deals', `${n} deal(s) are in this stage; move them out first`);
    await tx
      .delete(pipelineStages)
      .where(and(eq(pipelineStages.organizationId, organizationId), eq(pipelineStages.id, stageId)));
    const rest = stages.filter((s) => s.id !== stageId);
    await writeStageOrder(
      tx,
      organizationId,
      rest,
      rest.map((s) => s.id),
    );
    const row = await touchPipeline(tx, organizationId, pipelineId, current.version);
    const pipeline = pipelineView(row, await stagesOf(tx, organizationId, pipelineId));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'pipeline.stage_deleted',
      target: { type: 'pipeline', id: pipelineId },
      changes: { stage: stageView(stage) },
      event: { type: 'pipeline.stage_deleted', payload: { pipeline, stageId } },
    });
    return pipeline;
  });
}
