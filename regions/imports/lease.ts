import { and, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { imports } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import type { RegionContext } from '../context.ts';
import { recordChange } from '../support/record.ts';
import { type ImportCustomField, importCustomFields } from './custom-fields.ts';
import { readOptions } from './options.ts';
import type { ImportJob } from './runner.ts';
import type { ImportRow } from './view.ts';

/**
 * A run commits a batch far more often than this; an import `running` longer without one has lost its runner
 * (its process died), and another run may take it over. The lease is only about liveness: the run token below
 * keeps a run that was merely slow from writing once another has taken over.
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
 * Takes the import for a run holding `token`: queued, or running with an expired lease. Null when it is not to be
 * run (another run holds it, it finished, or a cancel awaits). The custom field definitions come in the same
 * transaction, for the rows a resumed run skips.
 */
export async function claimImport(
  ctx: RegionContext,
  job: ImportJob,
  token: string,
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
          or(eq(imports.status, 'queued'), and(eq(imports.status, 'running'), leaseExpired(now))),
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
export async function settleAbandonedCancel(ctx: RegionContext, job: ImportJob): Promise<void> {
  const now = new Date();
  await ctx.shards.withTenant(job.organizationId, async (tx) => {
    const [row] = await tx
      .update(imports)
      .set({ status: 'cancelled', finishedAt: now, updatedAt: now, options: sql`${imports.options} - 'runToken'` })
      .where(
        and(
          thisImport(job),
          eq(imports.cancelRequested, true),
          or(eq(imports.status, 'queued'), and(eq(imports.status, 'running'), leaseExpired(now))),
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
 * Ends a run: back to `queued` (its process is stopping; the next start resumes it) or finished, giving up the
 * token. Nothing happens when the run no longer holds the import: the run that took it over ends it.
 */
export async function releaseImport(
  ctx: RegionContext,
  job: ImportJob,
  token: string,
  set: Partial<Pick<ImportRow, 'status' | 'finishedAt' | 'errorReportKey' | 'totalRows'>>,
): Promise<boolean> {
  return ctx.shards.withTenant(job.organizationId, async (tx) => {
    const [row] = await tx
      .update(imports)
      .set({ ...set, options: sql`${imports.options} - 'runToken'`, updatedAt: new Date() })
      .where(and(thisImport(job), holds(token)))
      .returning();
    if (!row) return false;
    if (row.status !== 'queued') await recordEnding(tx, row);
    return true;
  });
}

/** The audit row and `import.<status>` event of an import that has finished. */
async function recordEnding(tx: Tx, row: ImportRow) {
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
