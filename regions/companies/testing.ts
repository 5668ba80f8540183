import { and, eq } from 'drizzle-orm';
import { newId } from '../../db/ids.ts';
import { activities, auditLog, deals, outbox } from '../../db/schema/index.ts';
import type { TestStack } from '../../test/support/stack.ts';
import { ensureDefaultPipeline } from '../pipelines/defaults.ts';

/**
 * Test support for the suites of companies and contacts: deals and activities belong to other services, so these
 * suites write them straight into the organization's shard (under its RLS scope) instead of through their API.
 * Suites that use it turn the edge's read cache off, since writes that bypass the edge do not invalidate it.
 */
export type Org = { organization: { id: string; homeRegion: string } };

type DealFields = Partial<typeof deals.$inferInsert> & { stage?: number };

export async function seedDeal(stack: TestStack, org: Org, fields: DealFields = {}) {
  const organizationId = org.organization.id;
  const { stage = 2, ...rest } = fields;
  return stack.regions[org.organization.homeRegion]!.ctx.shards.withTenant(organizationId, async (tx) => {
    const { pipeline, stages } = await ensureDefaultPipeline(tx, organizationId);
    const [row] = await tx
      .insert(deals)
      .values({
        organizationId,
        id: newId(),
        name: 'Deal',
        pipelineId: pipeline.id,
        stageId: stages[stage]!.id,
        ...rest,
      })
      .returning();
    return { ...row!, stage: stages[stage]! };
  });
}

export async function seedActivity(stack: TestStack, org: Org, fields: Partial<typeof activities.$inferInsert> = {}) {
  const organizationId = org.organization.id;
  return stack.regions[org.organization.homeRegion]!.ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .insert(activities)
      .values({ organizationId, id: newId(), type: 'call', subject: 'Call', ...fields })
      .returning();
    return row!;
  });
}

export async function storedDeal(stack: TestStack, org: Org, id: string) {
  const organizationId = org.organization.id;
  const [row] = await stack.regions[org.organization.homeRegion]!.ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(deals)
      .where(and(eq(deals.organizationId, organizationId), eq(deals.id, id))),
  );
  return row;
}

export async function storedActivity(stack: TestStack, org: Org, id: string) {
  const organizationId = org.organization.id;
  const [row] = await stack.regions[org.organization.homeRegion]!.ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(activities)
      .where(and(eq(activities.organizationId, organizationId), eq(activities.id, id))),
  );
  return row;
}

/** The audit rows and outbox events written for one record, oldest first. */
export async function trailOf(stack: TestStack, org: Org, targetId: string) {
  const organizationId = org.organization.id;
  return stack.regions[org.organization.homeRegion]!.ctx.shards.withTenant(organizationId, async (tx) => ({
    audit: await tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, organizationId), eq(auditLog.targetId, targetId)))
      .orderBy(auditLog.id),
    events: await tx
      .select()
      .from(outbox)
      .where(and(eq(outbox.organizationId, organizationId), eq(outbox.aggregateId, targetId)))
      .orderBy(outbox.id),
  }));
}
