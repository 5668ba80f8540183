import type { WorkflowAction } from '../../openapi/schemas/workflows.ts';
import { StepSkipped } from '../../regions/workflows/actions.ts';
import type { WebhookConfig } from '../webhooks/config.ts';
import { postWebhook } from '../webhooks/post.ts';
import { signWebhook } from '../webhooks/signature.ts';

/** A failure worth retrying: no answer, a 5xx, a 429 or a 408. */
export class TransientStepError extends Error {}

type Call = Extract<WorkflowAction, { type: 'call_webhook' }>;

/**
 * POSTs the run's event and the record it is about, through the webhooks module's guarded POST (no private
 * addresses unless allowed, no redirects, a timeout), signed like a webhook delivery when the step has a secret.
 * `webhook-id` is the run and step, the same on every retry, so a receiver can drop a repeat.
 */
export async function callWebhook(
  action: Call,
  message: { runId: string; position: number; workflowId: string; trigger: unknown; record: unknown },
  config: Pick<WebhookConfig, 'timeoutMs' | 'allowPrivate'>,
) {
  const body = JSON.stringify({
    type: 'workflow.webhook',
    workflowId: message.workflowId,
    runId: message.runId,
    trigger: message.trigger,
    record: message.record,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'user-agent': 'crm-workflows/1',
    'webhook-id': `${message.runId}.${message.position}`,
    'webhook-timestamp': String(timestamp),
    ...(action.secret ? { 'webhook-signature': signWebhook(action.secret, timestamp, body) } : {}),
  };
  const result = await postWebhook(action.url, headers, body, config);
  const outcome = {
    status: result.status,
    excerpt: result.excerpt?.slice(0, 200) ?? null,
    durationMs: result.durationMs,
  };
  if (result.status !== null && result.status >= 200 && result.status < 300) return outcome;
  const retry = result.status === null || result.status >= 500 || result.status === 429 || result.status === 408;
  const message_ = result.error ?? `The receiver answered ${result.status}`;
  // A refused private address will not become public on a retry: that is a permanent failure like a 4xx.
  if (result.error?.includes('private address')) throw new PermanentStepError(message_);
  throw retry ? new TransientStepError(message_) : new PermanentStepError(message_);
}

/** A failure no retry would change (the receiver refused with a 4xx, a blocked address). */
export class PermanentStepError extends Error {}

export { StepSkipped };
