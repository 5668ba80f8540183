import type { z } from '@hono/zod-openapi';
import type { DeadJobSchema } from '../../openapi/schemas/jobs.ts';
import type { DeadJob } from './queue.ts';

/** Keys whose values are credentials (a webhook secret, an invitation token, a password), never shown back. */
const secretKey = /secret|token|password|passwd|credential|authorization|api_?key/i;
/** …unless the key names an id, which points at a credential without being one (`tokenId`, `api_key_id`). */
const idKey = /(^id|Id|_id|Ids|_ids)$/;

/** The job's input with every secret-named key dropped, at any depth; ids and everything else kept as stored. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => idKey.test(key) || !secretKey.test(key))
      .map(([key, inner]) => [key, withoutSecrets(inner)]),
  );
}

/**
 * What the last attempt failed with: only the message. pg-boss stores a thrown error's stack beside it, which
 * tells a client about our code, not about their data.
 */
export function errorOf(output: unknown): { message: string } | null {
  if (output === null || output === undefined) return null;
  if (typeof output === 'string') return { message: output };
  if (typeof output === 'object' && 'message' in output && typeof output.message === 'string') {
    return { message: output.message };
  }
  return { message: JSON.stringify(output) };
}

export function deadJobView(job: DeadJob): z.output<typeof DeadJobSchema> {
  return {
    queue: job.queue,
    id: job.id,
    failedAt: job.failedAt?.toISOString() ?? null,
    error: errorOf(job.output),
    data: withoutSecrets(job.data) as Record<string, unknown>,
  };
}
