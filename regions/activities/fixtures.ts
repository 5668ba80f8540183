import { and, asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { newId } from '../../db/ids.ts';
import { activities, auditLog, companies, contacts, deals, outbox, pipelineStages } from '../../db/schema/index.ts';
import type { apiClient } from '../../test/support/api.ts';
import type { TestStack } from '../../test/support/stack.ts';

/** Test helpers for the activity suites (not a suite itself). */
export type Api = ReturnType<typeof apiClient>;
export type Session = Awaited<ReturnType<Api['signup']>>;
export type Org = { organization: { id: string; homeRegion: string } };
// biome-ignore lint/suspicious/noExplicitAny: suites assert the fields of an answer one by one
export type Activity = Record<string, any> & { id: string; version: number };

const shardsOf = (stack: TestStack, org: Org) => stack.regions[org.organization.homeRegion]!.ctx.shards;

/**
 * Contacts, companies and deals written straight to the organization's shard, so these suites do not depend on
 * those resources' own endpoints; only ids, owners and the organization matter to an activity link.
 */
export async function insertRecord(
  stack: TestStack,
  org: Org,
  kind: 'contact' | 'company' | 'deal',
  ownerId: string | null = null,
): Promise<string> {
  const organizationId = org.organization.id;
  const id = newId();
  await shardsOf(stack, org).withTenant(organizationId, async (tx) => {
    if (kind === 'contact') await tx.insert(contacts).values({ organizationId, id, firstName: 'Linked', ownerId });
    if (kind === 'company') await tx.insert(companies).values({ organizationId, id, name: `Co ${id}`, ownerId });
    if (kind === 'deal') {
      const [stage] = await tx
        .select()
        .from(pipelineStages)
        .where(eq(pipelineStages.organizationId, organizationId))
        .orderBy(asc(pipelineStages.position))
        .limit(1);
      await tx.insert(deals).values({
        organizationId,
        id,
        name: `Deal ${id}`,
        pipelineId: stage?.pipelineId ?? newId(),
        stageId: stage?.id ?? newId(),
        ownerId,
      });
    }
  });
  return id;
}

export async function newLead(api: Api, token: string, body: Record<string, unknown> = {}): Promise<string> {
  const made = await api.call('POST', '/api/v1/leads', { token, body: { firstName: api.unique('lead'), ...body } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data.id;
}

export async function newActivity(api: Api, token: string, body: Record<string, unknown>): Promise<Activity> {
  const made = await api.call('POST', '/api/v1/activities', { token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data;
}

/** The outbox events and audit actions written for one activity, oldest first, read around the edge cache. */
export async function trail(stack: TestStack, org: Org, activityId: string) {
  const organizationId = org.organization.id;
  return shardsOf(stack, org).withTenant(organizationId, async (tx) => ({
    events: (
      await tx
        .select()
        .from(outbox)
        .where(and(eq(outbox.organizationId, organizationId), eq(outbox.aggregateId, activityId)))
        .orderBy(asc(outbox.id))
    ).map((e) => ({ type: e.eventType, payload: e.payload as Record<string, unknown> })),
    audit: (
      await tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.organizationId, organizationId), eq(auditLog.targetId, activityId)))
        .orderBy(asc(auditLog.id))
    ).map((a) => a.action),
  }));
}

export async function storedActivities(stack: TestStack, org: Org) {
  const organizationId = org.organization.id;
  return shardsOf(stack, org).withTenant(organizationId, (tx) =>
    tx.select().from(activities).where(eq(activities.organizationId, organizationId)),
  );
}

export const ids = (list: { id: string }[]) => list.map((item) => item.id);
