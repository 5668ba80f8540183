import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { pipelineStages } from '../../db/schema/index.ts';
import { conflict, notFound } from '../../openapi/errors.ts';
import type { StagePatch } from '../../openapi/schemas/pipelines.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { diff, recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { dealsIn, lockPipeline, stagesOf, touchPipeline, writeStageOrder } from './access.ts';
import { checkStageName } from './names.ts';
import { keepsOpenStage, placeAt } from './stage-order.ts';
import { pipelineView, stageView } from './view.ts';

/**
 * Renames, reweights, re-kinds or moves a stage. If-Match takes the pipeline's ETag: a stage is part of its
 * pipeline, and moving one renumbers the others.
 */
export async function updateStage(
  ctx: RegionContext,
  actor: Actor,
  pipelineId: string,
  stageId: string,
  patch: z.infer<typeof StagePatch>,
  ifMatch?: string,
) {
  const { principal } = actor;
  assertCan(principal, 'pipelines:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    // Deal writes hold this row shared while they place a deal, so the deal count below is final.
    const current = await lockPipeline(tx, organizationId, pipelineId, 'update');
    checkIfMatch(ifMatch, etagOf(current.version), 'pipeline');
    const stages = await stagesOf(tx, organizationId, pipelineId);
    const stage = stages.find((s) => s.id === stageId);
    if (!stage) throw notFound('Stage');
    const order =
      patch.position === undefined
        ? null
        : placeAt(
            stages.map((s) => s.id),
            stageId,
            patch.position,
          );
    const changes = diff(stageView(stage) as Record<string, unknown>, {
      name: patch.name,
      probability: patch.probability,
      kind: patch.kind,
      position: order ? order.indexOf(stageId) : undefined,
    });
    if (Object.keys(changes).length === 0) return pipelineView(current, stages);
    if (changes.name) checkStageName(stages, patch.name!, stageId);
    if (changes.kind) {
      if (!keepsOpenStage(stages, { id: stageId, kind: patch.kind! })) {
        throw conflict('open_stage_required', 'A pipeline needs at least one open stage');
      }
      // Deals take their status from their stage's kind; re-kinding a stage under them would silently close
      // or reopen every one of them without a stage change on record.
      const n = await dealsIn(tx, organizationId, { stageId });
      if (n > 0) throw conflict('stage_has_deals', `${n} deal(s) are in this stage; move them out first`);
    }
    if (order) await writeStageOrder(tx, organizationId, stages, order);
    const { position: _moved, ...fields } = Object.fromEntries(
      Object.entries(changes).map(([field, [, after]]) => [field, after]),
    );
    if (Object.keys(fields).length > 0) {
      await tx
        .update(pipelineStages)
        .set({ ...fields, updatedAt: new Date() })
        .where(and(eq(pipelineStages.organizationId, organizationId), eq(pipelineStages.id, stageId)));
    }
    const row = await touchPipeline(tx, organizationId, pipelineId, current.version);
    const pipeline = pipelineView(row, await stagesOf(tx, organizationId, pipelineId));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'pipeline.stage_updated',
      target: { type: 'pipeline', id: pipelineId },
      changes: { stageId, ...changes },
      event: { type: 'pipeline.stage_updated', payload: { pipeline, stageId, changes } },
    });
    return pipeline;
  });
}
