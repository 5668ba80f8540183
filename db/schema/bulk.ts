import { boolean, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, organizationId, updatedAt } from './columns.ts';

export const bulkJobStatuses = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export const bulkJobResources = ['leads', 'contacts', 'companies', 'deals'] as const;

/**
 * A bulk action too large to answer within the request, run by the batch worker (`bulk.run`). The selection is
 * resolved when the job is made, so `ids` is what the caller saw then; `done` is the offset in it of the next chunk,
 * committed with each chunk's writes and counters, so a retry resumes after the last committed chunk and never
 * applies one twice. `actor` is the starter's principal and request origin: the run checks visibility and writes
 * audit rows as them. `results` gathers one small object per record (10,000 at most).
 */
export const bulkJobs = pgTable(
  'bulk_jobs',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    resource: text('resource', { enum: bulkJobResources }).notNull(),
    action: text('action').notNull(),
    /** `{ value }` as the request gave it (`{}` when it gave none), prepared again in each chunk's transaction. */
    value: jsonb('value').$type<{ value?: unknown }>(),
    ids: uuid('ids').array().notNull(),
    status: text('status', { enum: bulkJobStatuses }).notNull().default('queued'),
    total: integer('total').notNull(),
    done: integer('done').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    notFound: integer('not_found').notNull().default(0),
    results: jsonb('results').$type<unknown[]>().notNull().default([]),
    actor: jsonb('actor').$type<Record<string, unknown>>().notNull(),
    error: jsonb('error').$type<{ code: string; message: string }>(),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    createdBy: uuid('created_by'),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] })],
);
