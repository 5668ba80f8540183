import { createHash } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Job } from 'pg-boss';
import type { Tx } from '../../db/database.ts';
import { contacts, deals, leads, processedEvents, workflows } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import { contactView } from '../../regions/contacts/view.ts';
import { dealView } from '../../regions/deals/view.ts';
import type { JobSender } from '../../regions/emails/queue.ts';
import { leadView } from '../../regions/support/views.ts';
import { evaluateGroup } from '../../regions/workflows/conditions.ts';
import type { Entity } from '../../regions/workflows/origin.ts';
import { type ScheduleJob, scheduleNext } from '../../regions/workflows/schedule.ts';
import { recordRun, type StartedRun } from './trigger.ts';

/**
 * How many of the most recently created records one firing looks at. Conditions are evaluated as they are for
 * events (on the record as the API shows it), so a schedule over a larger organization sees its newest records.
 */
export const SCHEDULE_SCAN = 5000;

async function newestRecords(tx: Tx, organizationId: string, entity: Entity): Promise<Record<string, unknown>[]> {
  switch (entity) {
    case 'lead': {
      const rows = await tx
        .select()
        .from(leads)
        .where(eq(leads.organizationId, organizationId))
        .orderBy(desc(leads.id))
        .limit(SCHEDULE_SCAN);
      return rows.map(leadView);
    }
    case 'contact': {
      const rows = await tx
        .select()
        .from(contacts)
        .where(eq(contacts.organizationId, organizationId))
        .orderBy(desc(contacts.id))
        .limit(SCHEDULE_SCAN);
      return rows.map(contactView);
    }
    case 'deal': {
      const rows = await tx
        .select()
        .from(deals)
        .where(eq(deals.organizationId, organizationId))
        .orderBy(desc(deals.id))
        .limit(SCHEDULE_SCAN);
      return rows.map(dealView);
    }
  }
}

/** A firing's identity as a UUID (a SHA-256 of workflow, version and time), to record it as processed. */
export function firingId({ workflowId, version, fireAt }: ScheduleJob): string {
  const hex = createHash('sha256').update(`${workflowId}:${version}:${fireAt}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * One firing of a schedule trigger, in one transaction: a run for each record that meets the conditions (at most
 * the trigger's limit), and the next firing queued. A firing queued for an older version of the workflow, or for a
 * workflow since disabled or deleted, does nothing (the edit queued its own); the firing's id, recorded like a
 * processed event, makes a retried (or twice queued) firing start nothing twice.
 */
export async function fireSchedule(
  deps: { shards: ShardSet; jobs: JobSender },
  job: Pick<Job<ScheduleJob>, 'data'>,
): Promise<StartedRun[]> {
  const { organizationId, workflowId, version, fireAt } = job.data;
  return deps.shards.withTenant(organizationId, async (tx) => {
    const fresh = await tx
      .insert(processedEvents)
      .values({ organizationId, consumer: 'automation.schedule', eventId: firingId(job.data) })
      .onConflictDoNothing()
      .returning({ eventId: processedEvents.eventId });
    if (fresh.length === 0) return [];
    const [workflow] = await tx
      .select()
      .from(workflows)
      .where(and(eq(workflows.organizationId, organizationId), eq(workflows.id, workflowId)));
    if (!workflow?.enabled || workflow.version !== version || workflow.trigger.type !== 'schedule') return [];
    const { trigger } = workflow;
    const started: StartedRun[] = [];
    for (const record of await newestRecords(tx, organizationId, trigger.entity)) {
      if (started.length >= trigger.limit) break;
      const outcome = evaluateGroup(trigger.conditions, { record });
      if (!outcome.matched) continue;
      const run = {
        type: 'schedule',
        cron: trigger.cron,
        timezone: trigger.timezone,
        firedAt: fireAt,
        aggregateType: trigger.entity,
        aggregateId: String(record.id),
        conditions: outcome.conditions,
      };
      const verdict = { run: true as const, chain: [workflow.id] };
      started.push(await recordRun(tx, deps.jobs, workflow, { trigger: run, record, verdict, depth: 1 }));
    }
    // From the firing's own time, not the clock: a late firing does not skip or repeat the next one.
    await scheduleNext(tx, deps.jobs, workflow, new Date(Math.max(Date.parse(fireAt), Date.now() - 1000)));
    return started;
  });
}
