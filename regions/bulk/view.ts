import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { bulkJobs } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { notFound } from '../../openapi/errors.ts';
import type { BulkJobSchema } from '../../openapi/schemas/bulk.ts';
import { actorId } from '../support/actor.ts';
import type { BulkResult } from './run.ts';

export type BulkJobRow = typeof bulkJobs.$inferSelect;

const finishedStatuses = new Set(['completed', 'failed', 'cancelled']);
export const finished = (status: BulkJobRow['status']) => finishedStatuses.has(status);

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** A job as the API shows it: the results only once it is finished (they are large, and partial before). */
export function bulkJobView(row: BulkJobRow): z.output<typeof BulkJobSchema> {
  return {
    id: row.id,
    resource: row.resource,
    action: row.action,
    status: row.status,
    total: row.total,
    processed: row.done,
    updated: row.updated,
    unchanged: row.unchanged,
    failed: row.failed,
    notFound: row.notFound,
    results: finished(row.status) ? (row.results as BulkResult[]) : null,
    error: row.error ?? null,
    createdAt: row.createdAt.toISOString(),
    startedAt: isoOrNull(row.startedAt),
    finishedAt: isoOrNull(row.finishedAt),
  };
}

/** Who started the job: its stored principal. */
export const starterOf = (row: BulkJobRow) => (row.actor as { principal: Principal }).principal;

/**
 * A job of the organization that the principal may see, optionally locked: the one who started it, or an admin or
 * manager. Any other is 404, like another organization's (which RLS hides), so a job's existence does not leak.
 */
export async function findBulkJob(tx: Tx, principal: Principal, id: string, lock = false) {
  const query = tx
    .select()
    .from(bulkJobs)
    .where(and(eq(bulkJobs.organizationId, principal.organizationId), eq(bulkJobs.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('Bulk job');
  const starter = starterOf(row);
  const oversees = principal.type === 'user' && (principal.role === 'admin' || principal.role === 'manager');
  const own = starter.type === principal.type && actorId(starter) === actorId(principal);
  if (!oversees && !own) throw notFound('Bulk job');
  return row;
}
