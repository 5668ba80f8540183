import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { pipelineStages } from '../../db/schema/index.ts';
import { conflict } from '../../openapi/errors.ts';
import { maxStages, type StageCreate } from '../../openapi/schemas/pipelines.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { lockPipeline, stagesOf, touchPipeline, writeStageOrder } from './access.ts';
import { checkStageName } from './names.ts';
import { defaultProbability, placeAt } from './stage-order.ts';
import { pipelineView, stageView } from './view.ts';

/** Adds a stage at a position (default last), moving the later ones down one; answers the whole pipeline. */
export async function addStage(
  ctx: RegionContext,
  actor: Actor,
  pipelineId: string,
  input: z.infer<typeof StageCreate>,
  options: { idempotencyKey?: string; ifMatch?: string } = {},
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  assertCan(principal, 'pipelines:manage');
  const { organizationId } = principal;
  const { idempotencyKey, ifMatch } = options;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, {
        op: 'addStage',
        pipelineId,
        input,
        actor: actorId(principal),
      });
      if (prior) return { ...prior, replayed: true };
    }
    const current = await lockPipeline(tx, organizationId, pipelineId, 'update');
    checkIfMatch(ifMatch, etagOf(current.version), 'pipeline');
    const stages = await stagesOf(tx, organizationId, pipelineId);
    if (stages.length >= maxStages) {
      throw conflict('too_many_stages', `A pipeline can have at most ${maxStages} stages`);
    }
    checkStageName(stages, input.name);
    const kind = input.kind ?? 'open';
    const id = newId();
    const order = placeAt(
      stages.map((s) => s.id),
      id,
      input.position ?? stages.length,
    );
    await writeStageOrder(tx, organizationId, stages, order);
    const [stage] = await tx
      .insert(pipelineStages)
      .values({
        organizationId,
        id,
        pipelineId,
        name: input.name,
        kind,
        probability: input.probability ?? defaultProbability(kind),
        position: order.indexOf(id),
      })
      .returning();
    const row = await touchPipeline(tx, organizationId, pipelineId, current.version);
    const pipeline = pipelineView(row, await stagesOf(tx, organizationId, pipelineId));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'pipeline.stage_created',
      target: { type: 'pipeline', id: pipelineId },
      changes: { stage: stageView(stage!) },
      event: { type: 'pipeline.stage_created', payload: { pipeline, stageId: id } },
    });
    const response = { status: 201, body: pipeline };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    return { ...response, replayed: false };
  });
}
