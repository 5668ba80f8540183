import { asc, eq } from 'drizzle-orm';
import { pipelineStages, pipelines } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { pipelineView, type StageRow } from './view.ts';

/** Every pipeline with its stages in order: an organization has at most a few dozen, so one answer holds them. */
export async function listPipelines(ctx: RegionContext, { principal }: Actor) {
  assertCan(principal, 'deals:read');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const rows = await tx
      .select()
      .from(pipelines)
      .where(eq(pipelines.organizationId, organizationId))
      .orderBy(asc(pipelines.position), asc(pipelines.id));
    const stages = await tx
      .select()
      .from(pipelineStages)
      .where(eq(pipelineStages.organizationId, organizationId))
      .orderBy(asc(pipelineStages.position), asc(pipelineStages.id));
    const byPipeline = new Map<string, StageRow[]>();
    for (const stage of stages) byPipeline.set(stage.pipelineId, [...(byPipeline.get(stage.pipelineId) ?? []), stage]);
    return { data: rows.map((p) => pipelineView(p, byPipeline.get(p.id) ?? [])) };
  });
}
