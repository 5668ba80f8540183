import type { z } from '@hono/zod-openapi';
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { dealStageChanges, pipelineStages } from '../../db/schema/index.ts';
import type { StageChangeListQuery } from '../../openapi/schemas/deals.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';
import { visibleDeal } from './access.ts';

const fromStage = alias(pipelineStages, 'from_stage');
const toStage = alias(pipelineStages, 'to_stage');

/** A deal's stage history, newest first, with how long it sat in each stage it left and the stages' names. */
export async function listStageChanges(
  ctx: RegionContext,
  { principal }: Actor,
  dealId: string,
  query: z.infer<typeof StageChangeListQuery>,
) {
  assertCan(principal, 'deals:read');
  const { organizationId } = principal;
  const conditions: SQL[] = [eq(dealStageChanges.organizationId, organizationId), eq(dealStageChanges.dealId, dealId)];
  if (query.cursor) conditions.push(lt(dealStageChanges.id, decodeCursor(query.cursor)));
  const rows = await ctx.shards.withTenant(organizationId, async (tx) => {
    await visibleDeal(tx, principal, dealId);
    return tx
      .select({ change: dealStageChanges, fromStageName: fromStage.name, toStageName: toStage.name })
      .from(dealStageChanges)
      .leftJoin(
        fromStage,
        and(eq(fromStage.organizationId, organizationId), eq(fromStage.id, dealStageChanges.fromStageId)),
      )
      .leftJoin(toStage, and(eq(toStage.organizationId, organizationId), eq(toStage.id, dealStageChanges.toStageId)))
      .where(and(...conditions))
      .orderBy(desc(dealStageChanges.id))
      .limit(query.limit + 1);
  });
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return {
    data: page.map(({ change, fromStageName, toStageName }) => ({
      id: change.id,
      dealId: change.dealId,
      fromStageId: change.fromStageId,
      fromStageName,
      toStageId: change.toStageId,
      toStageName,
      changedBy: change.changedBy,
      changedAt: change.changedAt.toISOString(),
      secondsInPreviousStage: change.secondsInPreviousStage,
    })),
    nextCursor: more ? encodeCursor(page[page.length - 1]!.change.id) : null,
  };
}
