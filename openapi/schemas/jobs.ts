import { z } from '@hono/zod-openapi';
import { Timestamp } from './common.ts';

const exampleJob = '6f1c2a9e-4b7d-4e2a-9c3f-1a2b3c4d5e6f';
const exampleOrganization = '0193a5f2-1a2b-7c3d-8e4f-5a6b7c8d9e0f';

/** A queue's name as the workers register it (`email.send`, `webhooks.deliver`, …). */
const QueueName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a queue name: letters, digits, dots, dashes and underscores');

export const DeadJobSchema = z
  .object({
    queue: z.string().openapi({ description: 'The queue the job ran on (and goes back to when retried)' }),
    id: z.uuid().openapi({ description: "The dead-letter copy's id" }),
    failedAt: Timestamp.nullable().openapi({ description: 'When the job used up its retries' }),
    error: z
      .object({ message: z.string() })
      .nullable()
      .openapi({ description: 'What the last attempt failed with, as the worker reported it (never a stack trace)' }),
    data: z.record(z.string(), z.unknown()).openapi({
      description: "The job's input, without anything secret (keys named like secret, token or password)",
    }),
  })
  .openapi('DeadJob');

export const DeadJobList = z.object({ data: z.array(DeadJobSchema) }).openapi('DeadJobList');

export const DeadJobQuery = z.object({
  queue: QueueName.optional().openapi({
    param: { name: 'queue', in: 'query', description: "Only this queue's dead jobs" },
    example: 'email.send',
  }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query', description: 'How many, 1–100' }, example: 50 }),
});

export const DeadJobParams = z.object({
  queue: QueueName.openapi({
    param: { name: 'queue', in: 'path', description: 'The queue the job ran on' },
    example: 'email.send',
  }),
  id: z.uuid().openapi({
    param: { name: 'id', in: 'path', description: "The dead-letter copy's id" },
    example: exampleJob,
  }),
});

export const RetriedJobSchema = z
  .object({
    queue: z.string(),
    id: z.uuid().openapi({ description: 'The new job, queued to run again' }),
    retriedId: z.uuid().openapi({ description: 'The dead-letter copy it replaces (now deleted)' }),
  })
  .openapi('RetriedJob');

export const deadJobExample = {
  queue: 'email.send',
  id: exampleJob,
  failedAt: '2026-11-25T15:06:50.000Z',
  error: { message: 'connect ECONNREFUSED 10.0.0.7:587' },
  data: { organizationId: exampleOrganization, emailId: '0193a601-1a2b-7c3d-8e4f-5a6b7c8d9e0f' },
} satisfies z.output<typeof DeadJobSchema>;

export const retriedJobExample = {
  queue: 'email.send',
  id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  retriedId: exampleJob,
} satisfies z.output<typeof RetriedJobSchema>;
