import { and, eq, inArray, lt, not } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, attachments, contacts, leads, organizations } from '../../db/schema/index.ts';
import type { RegionContext } from '../context.ts';
import { ERASED_NAME, erasePersonData, tombstoneTrail } from '../privacy/erase.ts';
import { recordErasure } from '../privacy/erase-person.ts';
import { organizationsPlacedIn } from '../support/placed.ts';
import { recordChange } from '../support/record.ts';
import { retentionCutoff } from './cutoff.ts';

/** What a run needs: the region's shards and where its files live (a region process or the scheduler worker). */
export type RetentionDeps = Pick<RegionContext, 'region' | 'shards' | 'log' | 'storage'>;

/** People erased per organization per run; a larger backlog is worked off by the next runs. */
const BATCH = 200;

export type RetentionResult = { organizationId: string; erased: number; activitiesDeleted: number };

/**
 * Applies every organization's retention period on this region's shards: leads and contacts untouched since the
 * cutoff are erased (as an erasure request would), and activities older than it deleted. Each organization runs in
 * its own RLS transaction, so one failing does not hold back the others; files go after each commit.
 */
export async function runRetention(ctx: RetentionDeps, now: Date): Promise<RetentionResult[]> {
  const organizationIds = await organizationsPlacedIn(ctx.shards, ctx.region);
  const results: RetentionResult[] = [];
  for (const organizationId of organizationIds) {
    try {
      const { result, storageKeys } = await ctx.shards.withTenant(organizationId, (tx) =>
        retainOrganization(tx, organizationId, now),
      );
      for (const key of storageKeys) {
        await ctx.storage
          .delete(key)
          .catch((err) => ctx.log.error({ err, key }, 'could not delete a removed attachment’s file'));
      }
      if (result.erased || result.activitiesDeleted) results.push(result);
    } catch (err) {
      ctx.log.error({ err, organizationId }, 'retention run failed for an organization');
    }
  }
  return results;
}

async function retainOrganization(tx: Tx, organizationId: string, now: Date) {
  const [organization] = await tx
    .select({ retentionDays: organizations.retentionDays })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  const none = { result: { organizationId, erased: 0, activitiesDeleted: 0 }, storageKeys: [] as string[] };
  if (!organization) return none;
  const cutoff = retentionCutoff(now, organization.retentionDays);
  const actor = { principal: null };
  const storageKeys: string[] = [];
  // An erased record is updated by its erasure; without this it would be erased again one period later.
  const notErasedLead = not(and(eq(leads.firstName, ERASED_NAME), eq(leads.lastName, ERASED_NAME))!);
  const notErasedContact = not(and(eq(contacts.firstName, ERASED_NAME), eq(contacts.lastName, ERASED_NAME))!);
  const staleLeads = await tx
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.organizationId, organizationId), lt(leads.updatedAt, cutoff), notErasedLead))
    .limit(BATCH);
  const staleContacts = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.organizationId, organizationId), lt(contacts.updatedAt, cutoff), notErasedContact))
    .limit(BATCH);
  const people = [
    ...staleLeads.map((l) => ({ type: 'lead' as const, ids: { leadIds: [l.id], contactIds: [] } })),
    ...staleContacts.map((c) => ({ type: 'contact' as const, ids: { leadIds: [], contactIds: [c.id] } })),
  ];
  for (const person of people) {
    const erased = await erasePersonData(tx, organizationId, person.ids, now);
    const id = person.type === 'lead' ? person.ids.leadIds[0]! : person.ids.contactIds[0]!;
    await recordErasure(tx, organizationId, actor, person.type, id, erased);
    storageKeys.push(...erased.storageKeys);
  }
  const old = await tx
    .delete(activities)
    .where(and(eq(activities.organizationId, organizationId), lt(activities.createdAt, cutoff)))
    .returning({ id: activities.id });
  const oldIds = old.map((a) => a.id);
  if (oldIds.length) {
    const files = await tx
      .delete(attachments)
      .where(
        and(
          eq(attachments.organizationId, organizationId),
          eq(attachments.recordType, 'activity'),
          inArray(attachments.recordId, oldIds),
        ),
      )
      .returning({ id: attachments.id, storageKey: attachments.storageKey });
    storageKeys.push(...files.map((f) => f.storageKey));
    await tombstoneTrail(tx, organizationId, [...oldIds, ...files.map((f) => f.id)]);
  }
  const result = { organizationId, erased: people.length, activitiesDeleted: oldIds.length };
  if (result.erased || result.activitiesDeleted) {
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'retention.applied',
      target: { type: 'organization', id: organizationId },
      changes: { cutoff: cutoff.toISOString(), erased: result.erased, activitiesDeleted: result.activitiesDeleted },
    });
  }
  return { result, storageKeys };
}
