import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, watches } from '../../db/schema/index.ts';
import type { BusEvent } from '../../regions/events/bus.ts';
import { type NotifyDeps, notify } from '../../regions/notifications/notify.ts';
import {
  findRecord,
  isWatchedRecordType,
  maySee,
  memberPrincipal,
  type WatchedRecordType,
} from '../../regions/watches/records.ts';
import { changedBy } from './actor.ts';

/** The events the scheduler hears: every change of a watchable record, and activities (logged on records, tasks). */
export const schedulerEventTypes = ['lead.*', 'contact.*', 'company.*', 'deal.*', 'activity.*'];

const verbs: Record<string, string> = {
  created: 'was created',
  updated: 'was updated',
  deleted: 'was deleted',
  assigned: 'was reassigned',
  converted: 'was converted',
  merged: 'had a duplicate merged into it',
  stage_changed: 'moved to another stage',
};

const labels: Record<WatchedRecordType, string> = {
  lead: 'lead',
  contact: 'contact',
  company: 'company',
  deal: 'deal',
};

type Change = { type: WatchedRecordType; id: string; title: (name: string) => string; body: string };

/** What an event changed, as the watchers of each touched record are told; none for an event of no record. */
async function changesOf(tx: Tx, event: BusEvent): Promise<Change[]> {
  const verb = event.type.slice(event.type.indexOf('.') + 1);
  if (isWatchedRecordType(event.aggregateType)) {
    const said = verbs[verb] ?? `changed (${verb.replaceAll('_', ' ')})`;
    return [{ type: event.aggregateType, id: event.aggregateId, title: (name) => `${name} ${said}`, body: '' }];
  }
  if (event.aggregateType !== 'activity' || verb === 'deleted') return [];
  const [activity] = await tx
    .select()
    .from(activities)
    .where(and(eq(activities.organizationId, event.organizationId), eq(activities.id, event.aggregateId)));
  if (!activity) return [];
  const what =
    verb === 'completed'
      ? `${activity.type} completed`
      : verb === 'created'
        ? `new ${activity.type}`
        : `${activity.type} updated`;
  const links: [WatchedRecordType, string | null][] = [
    ['lead', activity.leadId],
    ['contact', activity.contactId],
    ['company', activity.companyId],
    ['deal', activity.dealId],
  ];
  return links
    .filter((link): link is [WatchedRecordType, string] => link[1] !== null)
    .map(([type, id]) => ({ type, id, title: (name: string) => `${name}: ${what}`, body: activity.subject }));
}

/**
 * Tells the watchers of every record an event touched, except the member who made the change, and only those who
 * may still see the record (current role, active, a sales rep's own records). A deleted record can no longer be
 * checked for its owner: only watchers who see every record of its kind are told, and its watches end.
 */
export async function notifyWatchers(tx: Tx, deps: NotifyDeps, event: BusEvent): Promise<number> {
  const changes = await changesOf(tx, event);
  if (changes.length === 0) return 0;
  // Most changed records have no watcher: the change's author is looked up only for one that has.
  let actor: Promise<string | null> | undefined;
  const { organizationId } = event;
  // The event's time is rounded to the millisecond; the watch's is to the microsecond.
  const occurredBefore = new Date(Date.parse(event.occurredAt) + 1);
  let told = 0;
  for (const change of changes) {
    const watchers = await tx
      .select({ userId: watches.userId })
      .from(watches)
      .where(
        and(
          eq(watches.organizationId, organizationId),
          eq(watches.targetId, change.id),
          eq(watches.targetType, change.type),
          // A change made before the member started watching is not theirs to hear of (the bus may be behind).
          lt(watches.createdAt, occurredBefore),
        ),
      );
    if (watchers.length === 0) continue;
    const deleted = event.type === `${change.type}.deleted`;
    const record = deleted ? null : await findRecord(tx, organizationId, change.type, change.id);
    if (!record && !deleted) continue;
    actor ??= changedBy(tx, event);
    for (const { userId } of watchers) {
      if (userId === (await actor)) continue;
      const principal = await memberPrincipal(tx, organizationId, event.region, userId);
      if (!principal) continue;
      // A deleted record's owner is unknown: only a watcher who sees every record of the kind may hear of it.
      const ownerId = record ? record.ownerId : `${userId}:unknown`;
      if (!maySee(principal, change.type, ownerId)) continue;
      const name = record?.name ?? `A ${labels[change.type]} you watch`;
      await notify(tx, deps, {
        organizationId,
        userId,
        type: 'record_changed',
        title: change.title(name),
        body: change.body,
        link: deleted ? null : { type: change.type, id: change.id },
      });
      told++;
    }
    if (deleted) {
      await tx
        .delete(watches)
        .where(
          and(
            eq(watches.organizationId, organizationId),
            eq(watches.targetId, change.id),
            eq(watches.targetType, change.type),
          ),
        );
    }
  }
  return told;
}

/**
 * Of the records these events are about (their aggregates), those someone watches: a batch's events about records
 * nobody watches need no look-up each (activities are about the records they link, so they are not filtered).
 */
export async function watchedAggregates(tx: Tx, organizationId: string, events: readonly BusEvent[]) {
  const ids = [...new Set(events.filter((e) => isWatchedRecordType(e.aggregateType)).map((e) => e.aggregateId))];
  if (ids.length === 0) return new Set<string>();
  const rows = await tx
    .selectDistinct({ targetId: watches.targetId })
    .from(watches)
    .where(and(eq(watches.organizationId, organizationId), inArray(watches.targetId, ids)));
  return new Set(rows.map((row) => row.targetId));
}

/** Whether notifyWatchers has anything to do for the event, given watchedAggregates of its batch. */
export const mayConcernWatchers = (event: BusEvent, watched: ReadonlySet<string>): boolean =>
  !isWatchedRecordType(event.aggregateType) || watched.has(event.aggregateId);
