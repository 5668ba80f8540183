import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { pipelineStages, pipelines } from '../../db/schema/index.ts';

/** The stages a new organization's sales pipeline starts with; admins and managers edit them afterwards. */
export const defaultStages = [
  { name: 'Qualification', probability: 10, kind: 'open' },
  { name: 'Needs analysis', probability: 25, kind: 'open' },
  { name: 'Proposal', probability: 50, kind: 'open' },
  { name: 'Negotiation', probability: 75, kind: 'open' },
  { name: 'Closed won', probability: 100, kind: 'won' },
  { name: 'Closed lost', probability: 0, kind: 'lost' },
] as const;

/** The organization's default pipeline and its stages in order, created on first need (or at sign-up). */
export async function ensureDefaultPipeline(tx: Tx, organizationId: string) {
  let [pipeline] = await tx
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.organizationId, organizationId), eq(pipelines.isDefault, true)))
    .limit(1);
  if (!pipeline) {
    [pipeline] = await tx
      .insert(pipelines)
      .values({ organizationId, id: newId(), name: 'Sales', isDefault: true, position: 0 })
      .returning();
    await tx.insert(pipelineStages).values(
      defaultStages.map((stage, position) => ({
        organizationId,
        id: newId(),
        pipelineId: pipeline!.id,
        position,
        ...stage,
      })),
    );
  }
  const stages = await tx
    .select()
    .from(pipelineStages)
    .where(and(eq(pipelineStages.organizationId, organizationId), eq(pipelineStages.pipelineId, pipeline!.id)))
    .orderBy(asc(pipelineStages.position));
  return { pipeline: pipeline!, stages };
}
