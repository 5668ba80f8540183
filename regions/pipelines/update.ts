import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { pipelines } from '../../db/schema/index.ts';
import { conflict } from '../../openapi/errors.ts';
import type { PipelinePatch } from '../../openapi/schemas/pipelines.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { diff, recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { clearDefault, lockPipeline, lockPipelineSettings, stagesOf } from './access.ts';
import { checkPipelineName } from './names.ts';
import { pipelineView } from './view.ts';

/** Renames a pipeline or makes it the default; the organization keeps exactly one default throughout. */
export async function updatePipeline(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  patch: z.infer<typeof PipelinePatch>,
  ifMatch?: string,
) {
  const { principal } = actor;
  assertCan(principal, 'pipelines:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    await lockPipelineSettings(tx, organizationId);
    const current = await lockPipeline(tx, organizationId, id, 'update');
    checkIfMatch(ifMatch, etagOf(current.version), 'pipeline');
    if (patch.isDefault === false && current.isDefault) {
      throw conflict(
        'default_pipeline_required',
        'The organization always has a default pipeline; make another pipeline the default instead',
      );
    }
    const changes = diff(current as unknown as Record<string, unknown>, {
      name: patch.name,
      isDefault: patch.isDefault,
    });
    const stages = await stagesOf(tx, organizationId, id);
    if (Object.keys(changes).length === 0) return pipelineView(current, stages);
    if (changes.name) await checkPipelineName(tx, organizationId, patch.name!, id);
    const previousDefaultId = changes.isDefault ? await clearDefault(tx, organizationId, id) : null;
    const next = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
    const [row] = await tx
      .update(pipelines)
      .set({ ...next, version: current.version + 1, updatedAt: new Date() })
      .where(and(eq(pipelines.organizationId, organizationId), eq(pipelines.id, id)))
      .returning();
    const pipeline = pipelineView(row!, stages);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'pipeline.updated',
      target: { type: 'pipeline', id },
      changes,
      event: { type: 'pipeline.updated', payload: { pipeline, changes, previousDefaultId } },
    });
    return pipeline;
  });
}
