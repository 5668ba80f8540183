import { and, eq } from 'drizzle-orm';
import type { Job } from 'pg-boss';
import type { Tx } from '../../db/database.ts';
import { workflowRunSteps, workflowRuns, workflows } from '../../db/schema/index.ts';
import type { WorkflowStepStatus } from '../../db/schema/workflows.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import type { JobSender } from '../../regions/emails/queue.ts';
import type { SecretBox } from '../../regions/support/secret-box.ts';
import { isPermanent, performAction, type RunScope, StepSkipped } from '../../regions/workflows/actions.ts';
import type { Entity } from '../../regions/workflows/origin.ts';
import { openActionSecret } from '../../regions/workflows/secrets.ts';
import type { WebhookConfig } from '../webhooks/config.ts';
import { type RunJob, runJobOptions, WORKFLOW_RUN_QUEUE } from './queue.ts';
import { callWebhook, PermanentStepError } from './webhook.ts';

export type ExecuteDeps = {
  shards: ShardSet;
  jobs: JobSender;
  region: string;
  webhook: Pick<WebhookConfig, 'timeoutMs' | 'allowPrivate'>;
  /** Opens the steps' sealed signing secrets. */
  secrets: SecretBox;
};

type RunRow = typeof workflowRuns.$inferSelect;

/** What a step's transaction leaves to do: more steps, and maybe a webhook to call before the next. */
type Next = { more: boolean; webhook?: { run: RunRow; startedAt: Date } };
const done: Next = { more: false };

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 2000);

/** Locks the run; null once it has nothing left to do (finished, skipped, or taken by another attempt). */
async function lockRun(tx: Tx, organizationId: string, runId: string): Promise<RunRow | null> {
  const [run] = await tx
    .select()
    .from(workflowRuns)
    .where(and(eq(workflowRuns.organizationId, organizationId), eq(workflowRuns.id, runId)))
    .for('update');
  return run && (run.status === 'running' || run.status === 'waiting') ? run : null;
}

async function logStep(
  tx: Tx,
  run: RunRow,
  step: { status: WorkflowStepStatus; result?: unknown; error?: string | null; startedAt: Date; attempts: number },
) {
  const values = {
    type: run.actions[run.nextStep]!.type,
    status: step.status,
    result: step.result ?? null,
    error: step.error ?? null,
    attempts: step.attempts,
    startedAt: step.startedAt,
    finishedAt: step.status === 'waiting' ? null : new Date(),
  };
  await tx
    .insert(workflowRunSteps)
    .values({ organizationId: run.organizationId, runId: run.id, position: run.nextStep, ...values })
    .onConflictDoUpdate({
      target: [workflowRunSteps.organizationId, workflowRunSteps.runId, workflowRunSteps.position],
      set: values,
    });
}

async function setRun(tx: Tx, run: RunRow, set: Partial<typeof workflowRuns.$inferInsert>) {
  await tx
    .update(workflowRuns)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(workflowRuns.organizationId, run.organizationId), eq(workflowRuns.id, run.id)));
}

const finished = (status: 'succeeded' | 'failed' | 'skipped', reason: string | null = null) => ({
  status,
  reason,
  finishedAt: new Date(),
});

/**
 * Runs a run's steps in order from where it stands, each in its own transaction with its log row, so a crash
 * between steps never repeats a finished one. A step the service refuses (4xx), or that has nothing to act on, is
 * logged failed (the run stops) or skipped (the run goes on); any other error rolls the step back, is logged on
 * the run, and is thrown for pg-boss to retry with backoff; after the last retry the run is failed. A `wait` logs
 * itself, queues the rest for later and returns. A workflow disabled or deleted meanwhile runs no further step.
 */
export async function executeRun(deps: ExecuteDeps, job: Pick<Job<RunJob>, 'data' | 'retryCount'>): Promise<void> {
  const { organizationId, runId, chain } = job.data;
  const attempts = job.retryCount + 1;
  const lastAttempt = job.retryCount >= runJobOptions.retryLimit;
  for (;;) {
    try {
      const next = await deps.shards.withTenant(organizationId, async (tx): Promise<Next> => {
        const run = await lockRun(tx, organizationId, runId);
        if (!run) return done;
        const [workflow] = await tx
          .select({ enabled: workflows.enabled })
          .from(workflows)
          .where(and(eq(workflows.organizationId, organizationId), eq(workflows.id, run.workflowId)));
        if (!workflow?.enabled) {
          const why = workflow ? 'disabled' : 'deleted';
          await setRun(tx, run, finished('skipped', `The workflow was ${why} before step ${run.nextStep + 1}`));
          return done;
        }
        const action = run.actions[run.nextStep];
        if (!action) {
          await setRun(tx, run, finished('succeeded'));
          return done;
        }
        const startedAt = new Date();
        if (action.type === 'wait') {
          const resumeAt = new Date(startedAt.getTime() + action.minutes * 60_000);
          await logStep(tx, run, { status: 'waiting', result: { resumeAt }, startedAt, attempts });
          await setRun(tx, run, { status: 'waiting', nextStep: run.nextStep + 1 });
          await deps.jobs.send(tx, WORKFLOW_RUN_QUEUE, job.data, { ...runJobOptions, startAfter: resumeAt });
          return done;
        }
        if (run.status === 'waiting') {
          // The wait is over: its step is done.
          await tx
            .update(workflowRunSteps)
            .set({ status: 'ok', finishedAt: startedAt })
            .where(
              and(
                eq(workflowRunSteps.organizationId, organizationId),
                eq(workflowRunSteps.runId, runId),
                eq(workflowRunSteps.position, run.nextStep - 1),
              ),
            );
          await setRun(tx, run, { status: 'running' });
        }
        if (action.type === 'call_webhook') {
          // Nothing waits on a network call with a transaction open: the POST happens between two.
          return { more: true, webhook: { run, startedAt } };
        }
        const scope = scopeOf(deps, run, chain);
        try {
          // A savepoint: a refused step undoes its own writes and nothing else.
          const result = await tx.transaction((step) => performAction(step, deps, scope, action));
          await logStep(tx, run, { status: 'ok', result, startedAt, attempts });
          await setRun(tx, run, { nextStep: run.nextStep + 1 });
        } catch (error) {
          if (!isPermanent(error)) throw error;
          await stopOrSkip(tx, run, error, startedAt, attempts);
        }
        return { more: true };
      });
      if (next.webhook) await runWebhook(deps, next.webhook, attempts);
      if (!next.more) return;
    } catch (error) {
      await recordAttempt(deps, organizationId, runId, error, attempts, lastAttempt);
      throw error;
    }
  }
}

const entities: readonly string[] = ['lead', 'contact', 'deal'] satisfies Entity[];

/**
 * The record a run acts on: the one its trigger names (`recordType`, `recordId`: a form submission's lead, a stage
 * change's deal), or, for runs started before those were recorded, the event's aggregate when it is such a record.
 */
export function actsOn(trigger: Record<string, unknown>): { entity: Entity | null; recordId: string | null } {
  if ('recordType' in trigger) {
    const { recordType, recordId } = trigger as { recordType: Entity | null; recordId: string | null };
    return { entity: recordType, recordId };
  }
  const { aggregateType, aggregateId } = trigger as { aggregateType?: string; aggregateId?: string };
  return aggregateType && entities.includes(aggregateType) && aggregateId
    ? { entity: aggregateType as Entity, recordId: aggregateId }
    : { entity: null, recordId: null };
}

function scopeOf(deps: ExecuteDeps, run: RunRow, chain: string[]): RunScope {
  return {
    organizationId: run.organizationId,
    region: deps.region,
    workflowId: run.workflowId,
    runId: run.id,
    chain,
    ...actsOn(run.trigger),
    snapshot: run.record ?? {},
  };
}

/** A skipped step lets the run go on; a refused one ends it. */
async function stopOrSkip(tx: Tx, run: RunRow, error: unknown, startedAt: Date, attempts: number) {
  const skipped = error instanceof StepSkipped;
  await logStep(tx, run, { status: skipped ? 'skipped' : 'failed', error: errorText(error), startedAt, attempts });
  await setRun(
    tx,
    run,
    skipped
      ? { nextStep: run.nextStep + 1 }
      : finished('failed', `Step ${run.nextStep + 1} (${run.actions[run.nextStep]!.type}) failed: ${errorText(error)}`),
  );
}

async function runWebhook(deps: ExecuteDeps, at: { run: RunRow; startedAt: Date }, attempts: number) {
  const { run, startedAt } = at;
  const action = run.actions[run.nextStep]!;
  if (action.type !== 'call_webhook') return;
  let outcome: unknown;
  let refusal: unknown = null;
  try {
    const secret = action.secret ? await openActionSecret(deps.secrets, run.workflowId, action.secret) : undefined;
    outcome = await callWebhook(
      { ...action, secret },
      { runId: run.id, position: run.nextStep, workflowId: run.workflowId, trigger: run.trigger, record: run.record },
      deps.webhook,
    );
  } catch (error) {
    if (!(error instanceof PermanentStepError)) throw error;
    refusal = error;
  }
  await deps.shards.withTenant(run.organizationId, async (tx) => {
    const current = await lockRun(tx, run.organizationId, run.id);
    // Another attempt moved the run on meanwhile: its log stands.
    if (!current || current.nextStep !== run.nextStep) return;
    if (refusal) return stopOrSkip(tx, current, refusal, startedAt, attempts);
    await logStep(tx, current, { status: 'ok', result: outcome, startedAt, attempts });
    await setRun(tx, current, { nextStep: current.nextStep + 1 });
  });
}

/** Logs a failed attempt on the step it was on; the last one fails the run (its job goes to the dead letters). */
async function recordAttempt(
  deps: ExecuteDeps,
  organizationId: string,
  runId: string,
  error: unknown,
  attempts: number,
  lastAttempt: boolean,
) {
  await deps.shards
    .withTenant(organizationId, async (tx) => {
      const run = await lockRun(tx, organizationId, runId);
      if (!run?.actions[run.nextStep]) return;
      const text = errorText(error);
      await logStep(tx, run, { status: 'failed', error: text, startedAt: new Date(), attempts });
      const reason = `Step ${run.nextStep + 1} (${run.actions[run.nextStep]!.type}) failed on attempt ${attempts}: ${text}`;
      await setRun(tx, run, lastAttempt ? finished('failed', reason) : { reason: `${reason}; retrying` });
    })
    .catch(() => {
      // The database itself may be what failed; pg-boss keeps the attempt count either way.
    });
}
