import { createHash } from 'node:crypto';
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Job } from 'pg-boss';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import {
  contacts,
  deals,
  leads,
  processedEvents,
  workflowRunSteps,
  workflowRuns,
  workflows,
} from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import { contactView } from '../../regions/contacts/view.ts';
import { dealView } from '../../regions/deals/view.ts';
import type { JobSender } from '../../regions/emails/queue.ts';
import { leadView } from '../../regions/support/views.ts';
import { evaluateGroup } from '../../regions/workflows/conditions.ts';
import type { Entity } from '../../regions/workflows/origin.ts';
import { type ScheduleJob, scheduleNext } from '../../regions/workflows/schedule.ts';
import { type ScheduleBatchJob, scheduleBatchOptions, WORKFLOW_SCHEDULE_BATCH_QUEUE } from './queue.ts';
import { recordRun, type StartedRun } from './trigger.ts';

/** Records one batch job reads (`WORKFLOW_SCHEDULE_BATCH_SIZE`): each batch is one transaction. */
export const DEFAULT_SCHEDULE_BATCH_SIZE = 500;

export function scheduleBatchSize(env: NodeJS.ProcessEnv): number {
  const n = Number(env.WORKFLOW_SCHEDULE_BATCH_SIZE ?? DEFAULT_SCHEDULE_BATCH_SIZE);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 10_000) : DEFAULT_SCHEDULE_BATCH_SIZE;
}

export type ScheduleDeps = { shards: ShardSet; jobs: JobSender; scheduleBatchSize?: number };

type WorkflowRow = typeof workflows.$inferSelect;

/** The next `size` records of the kind, newest first, created before `before` (the keyset: ids are UUIDv7). */
async function recordsBefore(
  tx: Tx,
  organizationId: string,
  entity: Entity,
  before: string | null,
  size: number,
): Promise<Record<string, unknown>[]> {
  switch (entity) {
    case 'lead': {
      const where = and(eq(leads.organizationId, organizationId), before ? lt(leads.id, before) : undefined);
      return (await tx.select().from(leads).where(where).orderBy(desc(leads.id)).limit(size)).map(leadView);
    }
    case 'contact': {
      const where = and(eq(contacts.organizationId, organizationId), before ? lt(contacts.id, before) : undefined);
      return (await tx.select().from(contacts).where(where).orderBy(desc(contacts.id)).limit(size)).map(contactView);
    }
    case 'deal': {
      const where = and(eq(deals.organizationId, organizationId), before ? lt(deals.id, before) : undefined);
      return (await tx.select().from(deals).where(where).orderBy(desc(deals.id)).limit(size)).map(dealView);
    }
  }
}

/** A name as a UUID (SHA-256), to record a firing, a batch or a record's run as processed. */
export function keyId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Records `key` for `consumer` in the transaction; false when it was already there (the work was done). */
async function once(tx: Tx, organizationId: string, consumer: string, key: string): Promise<boolean> {
  const fresh = await tx
    .insert(processedEvents)
    .values({ organizationId, consumer, eventId: keyId(key) })
    .onConflictDoNothing()
    .returning({ eventId: processedEvents.eventId });
  return fresh.length > 0;
}

async function currentWorkflow(tx: Tx, organizationId: string, workflowId: string) {
  const [workflow] = await tx
    .select()
    .from(workflows)
    .where(and(eq(workflows.organizationId, organizationId), eq(workflows.id, workflowId)));
  return workflow;
}

/**
 * One firing of a schedule trigger, in one transaction: the firing's own entry in the run log (`schedule.firing`,
 * whose steps are its batches), its first batch job, and the next firing queued. A firing queued for an older
 * version of the workflow, or for a workflow since disabled or deleted, does nothing (the edit queued its own); the
 * firing's id, recorded like a processed event, makes a retried (or twice queued) firing start nothing twice.
 */
export async function fireSchedule(
  deps: ScheduleDeps,
  job: Pick<Job<ScheduleJob>, 'data'>,
): Promise<{ firingRunId: string } | null> {
  const { organizationId, workflowId, version, fireAt } = job.data;
  return deps.shards.withTenant(organizationId, async (tx) => {
    if (!(await once(tx, organizationId, 'automation.schedule', `${workflowId}:${version}:${fireAt}`))) return null;
    const workflow = await currentWorkflow(tx, organizationId, workflowId);
    if (!workflow?.enabled || workflow.version !== version || workflow.trigger.type !== 'schedule') return null;
    const { trigger } = workflow;
    const firingRunId = newId();
    const now = new Date();
    const batchSize = deps.scheduleBatchSize ?? DEFAULT_SCHEDULE_BATCH_SIZE;
    await tx.insert(workflowRuns).values({
      organizationId,
      id: firingRunId,
      workflowId,
      workflowVersion: version,
      status: 'running',
      trigger: {
        type: 'schedule.firing',
        cron: trigger.cron,
        timezone: trigger.timezone,
        firedAt: fireAt,
        entity: trigger.entity,
        limit: trigger.limit ?? null,
        batchSize,
      },
      record: null,
      actions: workflow.actions,
      depth: 0,
      createdAt: now,
      updatedAt: now,
    });
    const first: ScheduleBatchJob = {
      organizationId,
      workflowId,
      version,
      fireAt,
      firingRunId,
      batch: 0,
      before: null,
      batchSize,
      started: 0,
    };
    await deps.jobs.send(tx, WORKFLOW_SCHEDULE_BATCH_QUEUE, first, scheduleBatchOptions);
    // From the firing's own time, not the clock: a late firing does not skip or repeat the next one.
    await scheduleNext(tx, deps.jobs, workflow, new Date(Math.max(Date.parse(fireAt), Date.now() - 1000)));
    return { firingRunId };
  });
}

async function finishFiring(tx: Tx, job: ScheduleBatchJob, status: 'succeeded' | 'skipped', reason: string | null) {
  const now = new Date();
  await tx
    .update(workflowRuns)
    .set({ status, reason, finishedAt: now, updatedAt: now })
    .where(and(eq(workflowRuns.organizationId, job.organizationId), eq(workflowRuns.id, job.firingRunId)));
}

/** Whether the firing may go on: the workflow it was fired for is still enabled, at that version, a schedule. */
function stillFiring(workflow: WorkflowRow | undefined, job: ScheduleBatchJob): boolean {
  return Boolean(workflow?.enabled && workflow.version === job.version && workflow.trigger.type === 'schedule');
}

/**
 * One batch of a firing, in one transaction: the next `batchSize` records (newest first, after the previous
 * batch's last), a run for each that meets the conditions (until the trigger's limit, if it has one), the batch's
 * step in the firing's run log (what it scanned, matched and started), and the next batch's job, or the firing's
 * end. Each batch and each record's run are recorded as processed in that transaction, so a retried batch starts
 * nothing twice. Loop protection is the event runs': each run's chain starts with this workflow.
 */
export async function runScheduleBatch(
  deps: Pick<ScheduleDeps, 'shards' | 'jobs'>,
  job: Pick<Job<ScheduleBatchJob>, 'data'>,
): Promise<StartedRun[] | null> {
  const data = job.data;
  const { organizationId, firingRunId, batch } = data;
  return deps.shards.withTenant(organizationId, async (tx) => {
    if (!(await once(tx, organizationId, 'automation.schedule.batch', `${firingRunId}:${batch}`))) return null;
    const workflow = await currentWorkflow(tx, organizationId, data.workflowId);
    if (!workflow || !stillFiring(workflow, data)) {
      const why = !workflow ? 'deleted' : workflow.enabled ? 'changed' : 'disabled';
      const reason = `The workflow was ${why} after ${data.started} runs had started`;
      await finishFiring(tx, data, 'skipped', reason);
      return null;
    }
    const trigger = workflow.trigger as Extract<WorkflowRow['trigger'], { type: 'schedule' }>;
    const startedAt = new Date();
    const records = await recordsBefore(tx, organizationId, trigger.entity, data.before, data.batchSize);
    const started: StartedRun[] = [];
    const reached = () => trigger.limit !== undefined && data.started + started.length >= trigger.limit;
    let scanned = 0;
    let matched = 0;
    let last: string | null = null;
    for (const record of records) {
      if (reached()) break;
      scanned += 1;
      last = String(record.id);
      const outcome = evaluateGroup(trigger.conditions, { record });
      if (!outcome.matched) continue;
      matched += 1;
      if (!(await once(tx, organizationId, 'automation.schedule.record', `${firingRunId}:${record.id}`))) continue;
      const run = {
        type: 'schedule',
        cron: trigger.cron,
        timezone: trigger.timezone,
        firedAt: data.fireAt,
        firingRunId,
        aggregateType: trigger.entity,
        aggregateId: String(record.id),
        recordType: trigger.entity,
        recordId: String(record.id),
        conditions: outcome.conditions,
      };
      const verdict = { run: true as const, chain: [workflow.id] };
      started.push(await recordRun(tx, deps.jobs, workflow, { trigger: run, record, verdict, depth: 1 }));
    }
    const total = data.started + started.length;
    const more = !reached() && records.length === data.batchSize && last !== null;
    await tx.insert(workflowRunSteps).values({
      organizationId,
      runId: firingRunId,
      position: batch,
      type: 'schedule_batch',
      status: 'ok',
      result: { scanned, matched, started: started.length, totalStarted: total, after: data.before, last },
      attempts: 1,
      startedAt,
      finishedAt: new Date(),
    });
    if (more) {
      const next: ScheduleBatchJob = { ...data, batch: batch + 1, before: last, started: total };
      await deps.jobs.send(tx, WORKFLOW_SCHEDULE_BATCH_QUEUE, next, scheduleBatchOptions);
    } else {
      await finishFiring(tx, data, 'succeeded', null);
    }
    return started;
  });
}
