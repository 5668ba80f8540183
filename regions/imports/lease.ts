import { and, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { imports } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { recordChange } from '../support/record.ts';
import { type ImportCustomField, importCustomFields } from './custom-fields.ts';
import type { ImportJob } from './job.ts';
import { forgetKeys } from './keys.ts';
import { readOptions } from './options.ts';
import type { ImportRow } from './view.ts';

type Shards = { shards: ShardSet };

/**
 * A run commits a batch far more often than this; an import `running` longer without one has lost its runner
 * (its process died), and another job's run may take it over (a retry of the run's own job, which pg-boss hands
 * out once that job's heartbeats stop, takes it over at once). The lease is only about liveness: the run token
 * below keeps a run that was merely slow from writing once another has taken over.
 */
export const LEASE_MS = 5 * 60_000;

/**
 * Each run holds the import by a token of its own, kept in `options.runToken` while it runs. Every batch commits
 * only if the import (locked) still holds the run's token, so of two runs of one import (a region restarted while
 * the old process still ran, a lease taken over from a stalled run) only the latest claimant writes: no row is
 * imported twice. The run that lost the token stops at its next batch, writing nothing.
 */
export const runTokenOf = (row: Pick<ImportRow, 'options'>): string | null =>
  typeof row.options.runToken === 'string' ? row.options.runToken : null;

const holds = (token: string): SQL => sql`${imports.options}->>'runToken' = ${token}`;
const leaseExpired = (now: Date) => lt(imports.updatedAt, new Date(now.getTime() - LEASE_MS));
const thisImport = ({ organizationId, importId }: ImportJob) =>
  and(eq(imports.organizationId, organizationId), eq(imports.id, importId));

/** The audit rows of a background run name whoever started the import. */
export function starter(row: ImportRow): { principal: Principal | null } {
  const { startedBy } = readOptions(row.options);
  if (!startedBy) return { principal: null };
  const base = { organizationId: row.organizationId, region: '' };
  return {
    principal:
      startedBy.type === 'user'
        ? { ...base, type: 'user', userId: startedBy.id, role: 'admin', sessionId: '' }
        : { ...base, type: 'api_key', keyId: startedBy.id, scopes: [] },
  };
}

/**
 * Takes the import for a run holding `token`: queued, or running with an expired lease (or running at all when
 * `takeOver`: the retry of a job whose previous attempt pg-boss gave up on). Null when it is not to be run
 * (another run holds it, it finished, or a cancel awaits). The custom field definitions come in the same
 * transaction, for the rows a resumed run skips.
 */
export async function claimImport(
  ctx: Shards,
  job: ImportJob,
  token: string,
  takeOver = false,
): Promise<{ row: ImportRow; customFields: ImportCustomField[] } | null> {
  const now = new Date();
  return ctx.shards.withTenant(job.organizationId, async (tx) => {
    const [row] = await tx
      .update(imports)
      .set({
        status: 'running',
        startedAt: sql`coalesce(${imports.startedAt}, now())`,
        options: sql`${imports.options} || jsonb_build_object('runToken', ${token}::text)`,
        updatedAt: now,
      })
      .where(
        and(
          thisImport(job),
          eq(imports.cancelRequested, false),
          or(
            eq(imports.status, 'queued'),
            and(eq(imports.status, 'running'), takeOver ? undefined : leaseExpired(now)),
          ),
        ),
      )
      .returning();
    if (!row) return null;
    return { row, customFields: await importCustomFields(tx, job.organizationId, row.entity) };
  });
}

/**
 * A cancel asked of an import that nobody runs any more (its run stopped or died before seeing it) would leave it
 * unfinished for ever, as no run claims it: it ends as cancelled here, with the batches committed before.
 */
export async function settleAbandonedCancel(ctx: Shards, job: ImportJob, takeOver = false): Promise<void> {
  const now = new Date();
  await ctx.shards.withTenant(job.organizationId, async (tx) => {
    const [row] = await tx
      .update(imports)
      .set({ status: 'cancelled', finishedAt: now, updatedAt: now, options: sql`${imports.options} - 'runToken'` })
      .where(
        and(
          thisImport(job),
          eq(imports.cancelRequested, true),
          or(
            eq(imports.status, 'queued'),
            and(eq(imports.status, 'running'), takeOver ? undefined : leaseExpired(now)),
          ),
        ),
      )
      .returning();
    if (row) await recordEnding(tx, row);
  });
}

/** The row locked for a batch, when the run still holds it; null once another run has taken it over. */
export async function lockHeld(tx: Tx, job: ImportJob, token: string): Promise<ImportRow | null> {
  const [row] = await tx.select().from(imports).where(thisImport(job)).for('update');
  return row && runTokenOf(row) === token ? row : null;
}

/**
 * Ends a run: back to `queued` (its process is stopping, or the attempt failed; a job resumes it) or finished,
 * giving up the token; `within` runs in the same transaction (the job that resumes it). Nothing happens when the
 * run no longer holds the import: the run that took it over ends it.
 */
export async function releaseImport(
  ctx: Shards,
  job: ImportJob,
  token: string,
  set: Partial<Pick<ImportRow, 'status' | 'finishedAt' | 'errorReportKey' | 'totalRows'>>,
  within?: (tx: Tx) => Promise<unknown>,
): Promise<boolean> {
  return ctx.shards.withTenant(job.organizationId, async (tx) => {
    const [row] = await tx
      .update(imports)
      .set({ ...set, options: sql`${imports.options} - 'runToken'`, updatedAt: new Date() })
      .where(and(thisImport(job), holds(token)))
      .returning();
    if (!row) return false;
    if (row.status !== 'queued') await recordEnding(tx, row);
    await within?.(tx);
    return true;
  });
}

/** The audit row and `import.<status>` event of an import that has finished; its dedupe keys go. */
async function recordEnding(tx: Tx, row: ImportRow) {
  await forgetKeys(tx, { organizationId: row.organizationId, importId: row.id });
  await recordChange(tx, {
    organizationId: row.organizationId,
    actor: starter(row),
    action: `import.${row.status}`,
    target: { type: 'import', id: row.id },
    changes: { processedRows: row.processedRows, createdRows: row.createdRows, failedRows: row.failedRows },
    event: {
      type: `import.${row.status}`,
      payload: { importId: row.id, status: row.status, processedRows: row.processedRows },
    },
  });
}
