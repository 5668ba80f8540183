import type { workflowRunSteps, workflowRuns, workflows } from '../../db/schema/index.ts';
import { SECRET_MASK, type WorkflowAction } from '../../openapi/schemas/workflows.ts';

type WorkflowRow = typeof workflows.$inferSelect;
type RunRow = typeof workflowRuns.$inferSelect;
type StepRow = typeof workflowRunSteps.$inferSelect;

/** Webhook secrets are write-only: they read back masked. */
export const maskSecrets = (actions: readonly WorkflowAction[]): WorkflowAction[] =>
  actions.map((a) => (a.type === 'call_webhook' && a.secret ? { ...a, secret: SECRET_MASK } : a));

/**
 * A patch's actions with each masked secret replaced by the one stored for the same URL, so a client that sends
 * back what it read keeps the secret it cannot see.
 */
export function unmaskSecrets(actions: readonly WorkflowAction[], stored: readonly WorkflowAction[]): WorkflowAction[] {
  const secrets = new Map(stored.flatMap((a) => (a.type === 'call_webhook' && a.secret ? [[a.url, a.secret]] : [])));
  return actions.map((a) =>
    a.type === 'call_webhook' && a.secret === SECRET_MASK ? { ...a, secret: secrets.get(a.url) ?? SECRET_MASK } : a,
  );
}

/** A workflow as the API shows it. */
export const workflowView = (w: WorkflowRow) => ({
  id: w.id,
  name: w.name,
  description: w.description,
  enabled: w.enabled,
  trigger: w.trigger,
  actions: maskSecrets(w.actions),
  version: w.version,
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});

export type WorkflowView = ReturnType<typeof workflowView>;

export const stepView = (s: StepRow) => ({
  position: s.position,
  type: s.type,
  status: s.status,
  result: s.result ?? null,
  error: s.error,
  attempts: s.attempts,
  startedAt: s.startedAt.toISOString(),
  finishedAt: s.finishedAt?.toISOString() ?? null,
});

/** A run of the log; with its steps when one run is read. */
export const runView = (r: RunRow, steps?: readonly StepRow[]) => ({
  id: r.id,
  workflowId: r.workflowId,
  workflowVersion: r.workflowVersion,
  status: r.status,
  reason: r.reason,
  trigger: r.trigger,
  depth: r.depth,
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
  ...(steps ? { steps: [...steps].sort((a, b) => a.position - b.position).map(stepView) } : {}),
});
