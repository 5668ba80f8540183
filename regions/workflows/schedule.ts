import { CronExpressionParser } from 'cron-parser';
import type { Tx } from '../../db/database.ts';
import type { workflows } from '../../db/schema/index.ts';
import type { WorkflowTrigger } from '../../openapi/schemas/workflows.ts';
import type { JobSender } from '../emails/queue.ts';

/** The queue of schedule firings: one job per workflow, for its next time, queued again as each one fires. */
export const WORKFLOW_SCHEDULE_QUEUE = 'workflow.schedule';

/** `version` ties a firing to the definition it was queued for: an edit queues a new one and orphans the old. */
export type ScheduleJob = { organizationId: string; workflowId: string; version: number; fireAt: string };

type Schedule = Extract<WorkflowTrigger, { type: 'schedule' }>;

/** Why a cron expression cannot be used, or null. */
export function cronProblem(cron: string, timezone: string): string | null {
  try {
    CronExpressionParser.parse(cron, { tz: timezone });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The first time strictly after `after` that the schedule names, in its time zone. */
export function nextFire(trigger: Pick<Schedule, 'cron' | 'timezone'>, after: Date): Date {
  return CronExpressionParser.parse(trigger.cron, { currentDate: after, tz: trigger.timezone }).next().toDate();
}

/**
 * Queues the workflow's next firing in the caller's transaction (its creation, an edit, or the firing before), when
 * it is an enabled schedule. A firing queued twice fires once (workers/automation/schedule.ts).
 */
export async function scheduleNext(
  tx: Tx,
  jobs: JobSender,
  workflow: Pick<typeof workflows.$inferSelect, 'organizationId' | 'id' | 'version' | 'enabled' | 'trigger'>,
  after: Date = new Date(),
): Promise<Date | null> {
  const { trigger } = workflow;
  if (!workflow.enabled || trigger.type !== 'schedule') return null;
  const fireAt = nextFire(trigger, after);
  const job: ScheduleJob = {
    organizationId: workflow.organizationId,
    workflowId: workflow.id,
    version: workflow.version,
    fireAt: fireAt.toISOString(),
  };
  await jobs.send(tx, WORKFLOW_SCHEDULE_QUEUE, job, {
    startAfter: fireAt,
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
  });
  return fireAt;
}
