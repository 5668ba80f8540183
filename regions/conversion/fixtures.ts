import { and, asc, count, eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { expect } from 'vitest';
import { newId } from '../../db/ids.ts';
import {
  activities,
  attachments,
  auditLog,
  companies,
  contacts,
  dealStageChanges,
  deals,
  leads,
  outbox,
  pipelineStages,
  pipelines,
} from '../../db/schema/index.ts';
import type { apiClient } from '../../test/support/api.ts';
import type { TestStack } from '../../test/support/stack.ts';
import { ensureDefaultPipeline } from '../pipelines/defaults.ts';

/** Shared set-up for the conversion and duplicate suites: rows written straight to the shard, and counts read there. */
export type Api = ReturnType<typeof apiClient>;
export type Session = { token: string; user: { id: string }; organization: { id: string; homeRegion: string } };

export function shardOf(stack: TestStack, session: Session) {
  return stack.regions[session.organization.homeRegion]!.ctx.shards;
}

/** What the organization's shard holds, read under its own RLS scope and around the edge's response cache. */
export async function stored(stack: TestStack, session: Session) {
  return shardOf(stack, session).withTenant(session.organization.id, async (tx) => {
    const n = async (table: PgTable) => (await tx.select({ n: count() }).from(table))[0]!.n;
    return {
      leads: await n(leads),
      contacts: await n(contacts),
      companies: await n(companies),
      deals: await n(deals),
      dealStageChanges: await n(dealStageChanges),
      activities: await n(activities),
      audit: await n(auditLog),
      outbox: await n(outbox),
    };
  });
}

export async function storedLead(stack: TestStack, session: Session, id: string) {
  const [row] = await shardOf(stack, session).withTenant(session.organization.id, (tx) =>
    tx.select().from(leads).where(eq(leads.id, id)),
  );
  return row;
}

export async function auditOf(stack: TestStack, session: Session, targetId: string) {
  return shardOf(stack, session).withTenant(session.organization.id, (tx) =>
    tx.select().from(auditLog).where(eq(auditLog.targetId, targetId)),
  );
}

export async function eventsOf(stack: TestStack, session: Session, aggregateId: string) {
  return shardOf(stack, session).withTenant(session.organization.id, (tx) =>
    tx.select().from(outbox).where(eq(outbox.aggregateId, aggregateId)).orderBy(asc(outbox.id)),
  );
}

export async function newLead(api: Api, token: string, body: Record<string, unknown> = {}) {
  const made = await api.call('POST', '/api/v1/leads', { token, body: { firstName: api.unique('lead'), ...body } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { id: string; version: number; ownerId: string | null } & Record<string, unknown>;
}

type ContactFields = Partial<typeof contacts.$inferInsert>;

/** A contact written straight to the shard (the contacts API is another suite's subject). */
export async function insertContact(stack: TestStack, session: Session, fields: ContactFields = {}) {
  const [row] = await shardOf(stack, session).withTenant(session.organization.id, (tx) =>
    tx
      .insert(contacts)
      .values({ organizationId: session.organization.id, id: newId(), firstName: 'Someone', ...fields })
      .returning(),
  );
  return row!;
}

export async function insertCompany(stack: TestStack, session: Session, name: string, domain: string | null = null) {
  const [row] = await shardOf(stack, session).withTenant(session.organization.id, (tx) =>
    tx.insert(companies).values({ organizationId: session.organization.id, id: newId(), name, domain }).returning(),
  );
  return row!;
}

/** A second pipeline of the organization, with one open stage, straight on the shard. */
export async function insertPipeline(stack: TestStack, session: Session) {
  return shardOf(stack, session).withTenant(session.organization.id, async (tx) => {
    const organizationId = session.organization.id;
    const pipelineId = newId();
    await tx.insert(pipelines).values({ organizationId, id: pipelineId, name: 'Other', position: 1 });
    const [open, won] = await tx
      .insert(pipelineStages)
      .values([
        { organizationId, id: newId(), pipelineId, name: 'Intro', position: 0, kind: 'open' as const },
        {
          organizationId,
          id: newId(),
          pipelineId,
          name: 'Signed',
          position: 1,
          kind: 'won' as const,
          probability: 100,
        },
      ])
      .returning();
    return { pipelineId, openStageId: open!.id, wonStageId: won!.id };
  });
}

export async function defaultPipelineOf(stack: TestStack, session: Session) {
  return shardOf(stack, session).withTenant(session.organization.id, (tx) =>
    ensureDefaultPipeline(tx, session.organization.id),
  );
}

/** An activity, a deal and an attachment hanging off a lead or a contact, for the merge suites to see move. */
export async function insertRelated(stack: TestStack, session: Session, link: { leadId?: string; contactId?: string }) {
  const organizationId = session.organization.id;
  return shardOf(stack, session).withTenant(organizationId, async (tx) => {
    const { pipeline, stages } = await ensureDefaultPipeline(tx, organizationId);
    const [activity] = await tx
      .insert(activities)
      .values({ organizationId, id: newId(), type: 'call', subject: 'Intro call', ...link })
      .returning();
    const [deal] = await tx
      .insert(deals)
      .values({ organizationId, id: newId(), name: 'Deal', pipelineId: pipeline.id, stageId: stages[0]!.id, ...link })
      .returning();
    const recordType = link.leadId ? ('lead' as const) : ('contact' as const);
    const [attachment] = await tx
      .insert(attachments)
      .values({
        organizationId,
        id: newId(),
        recordType,
        recordId: (link.leadId ?? link.contactId)!,
        filename: 'notes.txt',
        contentType: 'text/plain',
        sizeBytes: 12,
        storageKey: `test/${newId()}`,
      })
      .returning();
    return { activityId: activity!.id, dealId: deal!.id, attachmentId: attachment!.id };
  });
}

/** How many activities, deals and attachments point at a record, by kind. */
export async function relatedTo(stack: TestStack, session: Session, link: { leadId?: string; contactId?: string }) {
  const organizationId = session.organization.id;
  return shardOf(stack, session).withTenant(organizationId, async (tx) => {
    const id = (link.leadId ?? link.contactId)!;
    const byLead = Boolean(link.leadId);
    const activityRows = await tx
      .select({ id: activities.id })
      .from(activities)
      .where(byLead ? eq(activities.leadId, id) : eq(activities.contactId, id));
    const dealRows = await tx
      .select({ id: deals.id })
      .from(deals)
      .where(byLead ? eq(deals.leadId, id) : eq(deals.contactId, id));
    const attachmentRows = await tx
      .select({ id: attachments.id })
      .from(attachments)
      .where(and(eq(attachments.recordType, byLead ? 'lead' : 'contact'), eq(attachments.recordId, id)));
    return {
      activities: activityRows.map((r) => r.id).sort(),
      deals: dealRows.map((r) => r.id).sort(),
      attachments: attachmentRows.map((r) => r.id).sort(),
    };
  });
}
