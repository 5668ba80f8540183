import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { deals, organizations, pipelineStages, pipelines } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';
import { renumber } from './stage-order.ts';

/**
 * Serializes the organization's pipeline-level writes (create, rename, default, delete): the default flag and
 * the name checks span several rows, which row locks on one pipeline cannot protect.
 */
export async function lockPipelineSettings(tx: Tx, organizationId: string) {
  // NO KEY UPDATE, not UPDATE: it serializes these writes without blocking key-share locks others may take.
  await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .for('no key update');
}

/**
 * The pipeline, locked: `update` for changes to it or its stages, `share` for a deal write that relies on its
 * stages staying as read (so a stage cannot be deleted or change kind under a deal being placed in it).
 */
export async function lockPipeline(tx: Tx, organizationId: string, id: string, mode: 'update' | 'share') {
  const [pipeline] = await tx
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.organizationId, organizationId), eq(pipelines.id, id)))
    .for(mode);
  if (!pipeline) throw notFound('Pipeline');
  return pipeline;
}

export async function findPipeline(tx: Tx, organizationId: string, id: string) {
  const [pipeline] = await tx
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.organizationId, organizationId), eq(pipelines.id, id)));
  return pipeline;
}

export function stagesOf(tx: Tx, organizationId: string, pipelineId: string) {
  return tx
    .select()
    .from(pipelineStages)
    .where(and(eq(pipelineStages.organizationId, organizationId), eq(pipelineStages.pipelineId, pipelineId)))
    .orderBy(asc(pipelineStages.position), asc(pipelineStages.id));
}

/**
 * Writes the positions that change so the stages read 0, 1, 2, … in `orderedIds` order. An id not among
 * `current` (a stage about to be inserted) only takes its place in the numbering.
 */
export async function writeStageOrder(
  tx: Tx,
  organizationId: string,
  current: readonly { id: string; position: number }[],
  orderedIds: readonly string[],
) {
  const existing = new Set(current.map((s) => s.id));
  for (const { id, position } of renumber(current, orderedIds)) {
    if (!existing.has(id)) continue;
    await tx
      .update(pipelineStages)
      .set({ position, updatedAt: new Date() })
      .where(and(eq(pipelineStages.organizationId, organizationId), eq(pipelineStages.id, id)));
  }
}

/** A stage change is a change of the pipeline: its version (and so its ETag) moves too. */
export async function touchPipeline(tx: Tx, organizationId: string, id: string, version: number) {
  const [row] = await tx
    .update(pipelines)
    .set({ version: version + 1, updatedAt: new Date() })
    .where(and(eq(pipelines.organizationId, organizationId), eq(pipelines.id, id)))
    .returning();
  return row!;
}

/** How many deals (of any owner or status) sit in the pipeline, or in one of its stages. */
export async function dealsIn(tx: Tx, organizationId: string, where: { pipelineId: string } | { stageId: string }) {
  const condition = 'stageId' in where ? eq(deals.stageId, where.stageId) : eq(deals.pipelineId, where.pipelineId);
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(deals)
    .where(and(eq(deals.organizationId, organizationId), condition));
  return row?.n ?? 0;
}

/**
 * Takes the default flag off whichever pipeline has it (except `keepId`), bumping its version so its ETag
 * changes with it; answers the id it was taken from, if any.
 */
export async function clearDefault(tx: Tx, organizationId: string, keepId?: string) {
  const cleared = await tx
    .update(pipelines)
    .set({ isDefault: false, version: sql`${pipelines.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        eq(pipelines.organizationId, organizationId),
        eq(pipelines.isDefault, true),
        keepId ? ne(pipelines.id, keepId) : undefined,
      ),
    )
    .returning({ id: pipelines.id });
  return cleared[0]?.id ?? null;
}
