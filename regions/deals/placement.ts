import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { pipelines } from '../../db/schema/index.ts';
import { ApiError, badRequest, conflict } from '../../openapi/errors.ts';
import { lockPipeline, stagesOf } from '../pipelines/access.ts';
import { ensureDefaultPipeline } from '../pipelines/defaults.ts';
import { firstOpenStage } from './transitions.ts';

/**
 * The pipeline a deal goes into, held shared until the transaction ends: stage deletes and kind changes take it
 * exclusively, so the stage chosen here cannot vanish or change kind before the deal is written.
 */
async function holdPipeline(tx: Tx, organizationId: string, pipelineId: string | undefined) {
  let id = pipelineId;
  if (!id) {
    const [current] = await tx
      .select({ id: pipelines.id })
      .from(pipelines)
      .where(and(eq(pipelines.organizationId, organizationId), eq(pipelines.isDefault, true)))
      .limit(1);
    // Organizations from before pipelines existed get their default on first need.
    id = current?.id ?? (await ensureDefaultPipeline(tx, organizationId)).pipeline.id;
  }
  try {
    return await lockPipeline(tx, organizationId, id, 'share');
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    throw badRequest('unknown_pipeline', 'pipelineId is not a pipeline of this organization', [
      { path: 'pipelineId', message: 'Not a pipeline of this organization' },
    ]);
  }
}

/** The pipeline and stage a deal is placed in: the named ones, or the default pipeline and its first open stage. */
export async function resolvePlacement(
  tx: Tx,
  organizationId: string,
  wanted: { pipelineId?: string; stageId?: string },
) {
  const pipeline = await holdPipeline(tx, organizationId, wanted.pipelineId);
  const stages = await stagesOf(tx, organizationId, pipeline.id);
  if (wanted.stageId) {
    const stage = stages.find((s) => s.id === wanted.stageId);
    if (!stage) {
      throw badRequest('stage_not_in_pipeline', 'stageId is not a stage of the pipeline', [
        { path: 'stageId', message: `Not a stage of pipeline ${pipeline.id}` },
      ]);
    }
    return { pipeline, stages, stage };
  }
  const stage = firstOpenStage(stages);
  // Stage deletes and kind changes keep an open stage in every pipeline; this is a guard, not a path.
  if (!stage) throw conflict('no_open_stage', 'The pipeline has no open stage to place the deal in');
  return { pipeline, stages, stage };
}
