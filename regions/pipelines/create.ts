import type { z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { newId } from '../../db/ids.ts';
import { pipelineStages, pipelines } from '../../db/schema/index.ts';
import { conflict } from '../../openapi/errors.ts';
import { maxPipelines, type PipelineInput } from '../../openapi/schemas/pipelines.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { recordChange } from '../support/record.ts';
import { clearDefault, lockPipelineSettings } from './access.ts';
import { checkPipelineName } from './names.ts';
import { defaultProbability } from './stage-order.ts';
import { pipelineView } from './view.ts';

/** Creates a pipeline with its stages; as the new default, the previous default stops being one in the same step. */
export async function createPipeline(
  ctx: RegionContext,
  actor: Actor,
  input: z.infer<typeof PipelineInput>,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  assertCan(principal, 'pipelines:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, {
        op: 'createPipeline',
        input,
        actor: actorId(principal),
      });
      if (prior) return { ...prior, replayed: true };
    }
    await lockPipelineSettings(tx, organizationId);
    const [stats] = await tx
      .select({
        n: sql<number>`count(*)::int`,
        defaults: sql<number>`count(*) filter (where ${pipelines.isDefault})::int`,
        last: sql<number>`coalesce(max(${pipelines.position}), -1)::int`,
      })
      .from(pipelines)
      .where(eq(pipelines.organizationId, organizationId));
    if (stats!.n >= maxPipelines) {
      throw conflict('too_many_pipelines', `An organization can have at most ${maxPipelines} pipelines`);
    }
    await checkPipelineName(tx, organizationId, input.name);
    // There is always exactly one default; an organization somehow without one gets this pipeline as it.
    const isDefault = input.isDefault === true || stats!.defaults === 0;
    const previousDefaultId = isDefault ? await clearDefault(tx, organizationId) : null;
    const id = newId();
    const [row] = await tx
      .insert(pipelines)
      .values({ organizationId, id, name: input.name, isDefault, position: stats!.last + 1 })
      .returning();
    const stages = await tx
      .insert(pipelineStages)
      .values(
        input.stages.map((stage, position) => {
          const kind = stage.kind ?? 'open';
          return {
            organizationId,
            id: newId(),
            pipelineId: id,
            name: stage.name,
            position,
            kind,
            probability: stage.probability ?? defaultProbability(kind),
          };
        }),
      )
      .returning();
    stages.sort((a, b) => a.position - b.position);
    const pipeline = pipelineView(row!, stages);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'pipeline.created',
      target: { type: 'pipeline', id },
      changes: { name: input.name, isDefault, stages: pipeline.stages },
      event: { type: 'pipeline.created', payload: { ...pipeline, previousDefaultId } },
    });
    const response = { status: 201, body: pipeline };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    return { ...response, replayed: false };
  });
}
