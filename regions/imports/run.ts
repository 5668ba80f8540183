import { and, eq, lt, or, sql } from 'drizzle-orm';
import { imports } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import type { ImportEntity } from '../../openapi/schemas/imports.ts';
import type { RegionContext } from '../context.ts';
import { storageKeys } from '../storage/keys.ts';
import { recordChange } from '../support/record.ts';
import { findImport } from './access.ts';
import { type CsvRow, csvRecords } from './csv.ts';
import { openErrorReport } from './error-report.ts';
import { readOptions } from './options.ts';
import type { ImportJob, StopSignal } from './runner.ts';
import { triage } from './triage.ts';
import type { ImportRow } from './view.ts';
import { writeCompanies } from './writers/companies.ts';
import { writeContacts } from './writers/contacts.ts';
import { writeLeads } from './writers/leads.ts';
import type { BatchWriter } from './writers/types.ts';

export const BATCH_ROWS = 500;
/** A run commits a batch far more often than this; an import `running` longer without one has lost its runner. */
export const LEASE_MS = 5 * 60_000;

const writers: { [E in ImportEntity]: BatchWriter<E> } = {
  lead: writeLeads,
  contact: writeContacts,
  company: writeCompanies,
};

/** Takes the import for this run: queued, or running but abandoned (its process died). Null when another has it. */
async function claim(ctx: RegionContext, { organizationId, importId }: ImportJob) {
  const now = new Date();
  const [row] = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .update(imports)
      .set({ status: 'running', startedAt: sql`coalesce(${imports.startedAt}, now())`, updatedAt: now })
      .where(
        and(
          eq(imports.organizationId, organizationId),
          eq(imports.id, importId),
          eq(imports.cancelRequested, false),
          or(
            eq(imports.status, 'queued'),
            and(eq(imports.status, 'running'), lt(imports.updatedAt, new Date(now.getTime() - LEASE_MS))),
          ),
        ),
      )
      .returning(),
  );
  return row ?? null;
}

/** The audit rows of a background run name whoever started the import. */
function starter(row: ImportRow): { principal: Principal | null } {
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

type Ending = 'completed' | 'cancelled' | 'stopped';

/**
 * Imports a stored CSV: streams it through the parser (never the whole file in memory) and writes it in batches of
 * BATCH_ROWS rows, one transaction each, with the import's counters, an audit row and an `import.progress` event.
 * Between batches it honours a cancel (cancelled) and a shutdown (back to queued). A resumed run skips the rows
 * already committed, re-reading them only to rebuild the in-file duplicate keys and the error report.
 */
export async function runImport(ctx: RegionContext, job: ImportJob, signal: StopSignal): Promise<void> {
  const claimed = await claim(ctx, job);
  if (!claimed) return;
  const { organizationId, importId } = job;
  const { entity, storageKey } = claimed;
  const { headers, onDuplicate } = readOptions(claimed.options);
  const mapping = claimed.mapping ?? {};
  const actor = starter(claimed);
  const reportKey = storageKeys.importErrors(organizationId, importId);
  const report = openErrorReport(ctx.storage, reportKey, headers);
  const seen = new Map<string, number>();

  async function flush(batch: CsvRow[]): Promise<Ending> {
    const now = new Date();
    const result = await ctx.shards.withTenant(organizationId, async (tx) => {
      const current = await findImport(tx, organizationId, importId, true);
      if (current.cancelRequested || current.status !== 'running') return null;
      const sorted = triage(entity, headers, mapping, batch, seen);
      const write = writers[entity] as BatchWriter<ImportEntity>;
      const outcome = await write(tx, {
        organizationId,
        createdBy: claimed!.createdBy,
        onDuplicate,
        rows: sorted.valid,
        now,
      });
      const failures = [...sorted.failures, ...outcome.failures];
      const [row] = await tx
        .update(imports)
        .set({
          processedRows: current.processedRows + batch.length,
          createdRows: current.createdRows + outcome.createdIds.length,
          updatedRows: current.updatedRows + outcome.updatedIds.length,
          failedRows: current.failedRows + failures.length,
          updatedAt: now,
        })
        .where(and(eq(imports.organizationId, organizationId), eq(imports.id, importId)))
        .returning();
      const progress = {
        importId,
        entity,
        fromLine: batch[0]!.line,
        toLine: batch[batch.length - 1]!.line,
        processedRows: row!.processedRows,
        totalRows: row!.totalRows,
        createdRows: row!.createdRows,
        updatedRows: row!.updatedRows,
        failedRows: row!.failedRows,
        createdIds: outcome.createdIds,
        updatedIds: outcome.updatedIds,
      };
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'import.batch',
        target: { type: 'import', id: importId },
        changes: {
          fromLine: progress.fromLine,
          toLine: progress.toLine,
          created: outcome.createdIds.length,
          updated: outcome.updatedIds.length,
          skipped: outcome.skipped,
          failed: failures.length,
        },
        event: { type: 'import.progress', payload: progress },
      });
      return failures;
    });
    if (result === null) return 'cancelled';
    for (const failure of result) report.add(failure.row, failure.reason);
    return 'completed';
  }

  let ending: Ending = 'completed';
  let rows = 0;
  try {
    let batch: CsvRow[] = [];
    let header = true;
    for await (const row of csvRecords(await ctx.storage.get(storageKey))) {
      if (header) {
        header = false;
        continue;
      }
      rows++;
      if (rows <= claimed.processedRows) {
        for (const failure of triage(entity, headers, mapping, [row], seen).failures)
          report.add(failure.row, failure.reason);
        continue;
      }
      batch.push(row);
      if (batch.length < BATCH_ROWS) continue;
      ending = await flush(batch);
      batch = [];
      if (ending === 'completed' && signal.stopping) ending = 'stopped';
      if (ending !== 'completed') break;
    }
    if (ending === 'completed' && batch.length) ending = await flush(batch);
  } catch (error) {
    await report.abort();
    // Best effort: the error that stopped the run (a shard gone, a storage fault) may stop this write too.
    await finish(ctx, job, actor, { status: 'failed', finishedAt: new Date() }).catch(() => {});
    throw error;
  }
  if (ending === 'stopped') {
    await report.abort();
    await finish(ctx, job, actor, { status: 'queued' });
    return;
  }
  await report.finish();
  await finish(ctx, job, actor, {
    status: ending,
    finishedAt: new Date(),
    errorReportKey: reportKey,
    ...(ending === 'completed' ? { totalRows: rows } : {}),
  });
}

async function finish(
  ctx: RegionContext,
  { organizationId, importId }: ImportJob,
  actor: { principal: Principal | null },
  set: Partial<ImportRow>,
) {
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .update(imports)
      .set({ ...set, updatedAt: new Date() })
      .where(and(eq(imports.organizationId, organizationId), eq(imports.id, importId)))
      .returning();
    if (set.status === 'queued') return;
    await recordChange(tx, {
      organizationId,
      actor,
      action: `import.${set.status}`,
      target: { type: 'import', id: importId },
      changes: { processedRows: row!.processedRows, createdRows: row!.createdRows, failedRows: row!.failedRows },
      event: {
        type: `import.${set.status}`,
        payload: { importId, status: set.status, processedRows: row!.processedRows },
      },
    });
  });
}
