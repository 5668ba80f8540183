import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { workflowRuns, workflows } from '../../db/schema/index.ts';
import type { JobSender } from '../../regions/emails/queue.ts';
import type { BusEvent } from '../../regions/events/bus.ts';
import { triggerMatches } from '../../regions/workflows/conditions.ts';
import { type LoopVerdict, loopVerdict, originOf, subjectOf } from '../../regions/workflows/origin.ts';
import { type RunJob, runJobOptions, WORKFLOW_RUN_QUEUE } from './queue.ts';

/** The event types a workflow can start on (every record event), read by the bus subscription. */
export { workflowEvents as automatedEventTypes } from '../../openapi/schemas/workflows.ts';

export type StartedRun = { runId: string; workflowId: string; status: 'running' | 'skipped'; reason: string | null };

/** The organization's enabled workflows that listen for this event type (a read, no lock: runs copy what they use). */
export async function listeningWorkflows(tx: Tx, organizationId: string, eventType: string) {
  const rows = await tx
    .select()
    .from(workflows)
    .where(and(eq(workflows.organizationId, organizationId), eq(workflows.enabled, true)));
  return rows.filter((w) => w.trigger.type === 'event' && w.trigger.event === eventType);
}

type WorkflowRow = typeof workflows.$inferSelect;

/**
 * Records one run of a workflow and, unless loop protection stops it (then it is `skipped`, with the reason),
 * queues its `workflow.run` job in the same transaction.
 */
export async function recordRun(
  tx: Tx,
  jobs: JobSender,
  workflow: WorkflowRow,
  run: { trigger: Record<string, unknown>; record: Record<string, unknown>; verdict: LoopVerdict; depth: number },
): Promise<StartedRun> {
  const { organizationId } = workflow;
  const { verdict } = run;
  const runId = newId();
  const now = new Date();
  await tx.insert(workflowRuns).values({
    organizationId,
    id: runId,
    workflowId: workflow.id,
    workflowVersion: workflow.version,
    status: verdict.run ? 'running' : 'skipped',
    reason: verdict.run ? null : verdict.reason,
    trigger: run.trigger,
    record: run.record,
    actions: workflow.actions,
    depth: run.depth,
    createdAt: now,
    updatedAt: now,
    finishedAt: verdict.run ? null : now,
  });
  if (verdict.run) {
    const job: RunJob = { organizationId, runId, chain: verdict.chain };
    await jobs.send(tx, WORKFLOW_RUN_QUEUE, job, runJobOptions);
  }
  const status = verdict.run ? ('running' as const) : ('skipped' as const);
  return { runId, workflowId: workflow.id, status, reason: verdict.run ? null : verdict.reason };
}

/**
 * Starts a run of every enabled workflow whose trigger the event meets, inside the consumer's transaction: the run
 * row and its `workflow.run` job commit together (and with the processed-event row, so a redelivered event starts
 * nothing twice). A run that loop protection stops is recorded as `skipped`, with the reason, and queues nothing.
 */
export async function startRuns(tx: Tx, jobs: JobSender, event: BusEvent): Promise<StartedRun[]> {
  const subject = subjectOf(event);
  if (!subject) return [];
  const origin = originOf(event.payload);
  const started: StartedRun[] = [];
  for (const workflow of await listeningWorkflows(tx, event.organizationId, event.type)) {
    const outcome = triggerMatches(workflow.trigger, event.type, { record: subject.record, changes: subject.changes });
    if (!outcome.matched) continue;
    const verdict = loopVerdict(workflow.id, origin);
    const trigger = {
      eventId: event.id,
      type: event.type,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      recordType: subject.actsOn?.entity ?? null,
      recordId: subject.actsOn?.id ?? null,
      occurredAt: event.occurredAt,
      ...(origin ? { origin } : {}),
      conditions: outcome.conditions,
    };
    const depth = verdict.run ? verdict.chain.length : (origin?.chain.length ?? 0) + 1;
    started.push(await recordRun(tx, jobs, workflow, { trigger, record: subject.record, verdict, depth }));
  }
  return started;
}
