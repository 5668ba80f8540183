import { and, eq } from 'drizzle-orm';
import { newId } from '../../db/ids.ts';
import { imports } from '../../db/schema/index.ts';
import type { ImportEntity } from '../../openapi/schemas/imports.ts';
import type { RegionContext } from '../context.ts';
import { storageKeys } from '../storage/keys.ts';
import { recordChange } from '../support/record.ts';
import { type CsvRow, csvRecords } from './csv.ts';
import { importCustomFields } from './custom-fields.ts';
import { openErrorReport } from './error-report.ts';
import { claimImport, lockHeld, releaseImport, settleAbandonedCancel, starter } from './lease.ts';
import { readOptions } from './options.ts';
import type { ImportJob, StopSignal } from './runner.ts';
import { triage } from './triage.ts';
import { writeCompanies } from './writers/companies.ts';
import { writeContacts } from './writers/contacts.ts';
import { writeLeads } from './writers/leads.ts';
import type { BatchWriter } from './writers/types.ts';

export const BATCH_ROWS = 500;

const writers: { [E in ImportEntity]: BatchWriter<E> } = {
  lead: writeLeads,
  contact: writeContacts,
  company: writeCompanies,
};

type Ending = 'completed' | 'cancelled' | 'stopped' | 'lost';

/**
 * Imports a stored CSV: streams it through the parser (never the whole file in memory) and writes it in batches of
 * BATCH_ROWS rows, one transaction each, with the import's counters, an audit row and an `import.progress` event.
 * Between batches it honours a cancel (cancelled) and a shutdown (back to queued). A resumed run skips the rows
 * already committed, re-reading them only to rebuild the in-file duplicate keys and the error report. A run that
 * finds another has taken the import over (lease.ts) stops without writing, and leaves the ending to that one.
 */
export async function runImport(ctx: RegionContext, job: ImportJob, signal: StopSignal): Promise<void> {
  const token = newId();
  const claim = await claimImport(ctx, job, token);
  if (!claim) {
    await settleAbandonedCancel(ctx, job);
    return;
  }
  const { row: claimed, customFields: initialCustomFields } = claim;
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
      const current = await lockHeld(tx, job, token);
      if (!current) return 'lost' as const;
      if (current.cancelRequested) return 'cancelled' as const;
      // Read with the batch, so the values it writes fit the definitions as they are when it commits.
      const customFields = await importCustomFields(tx, organizationId, entity);
      const sorted = triage(entity, headers, mapping, batch, seen, customFields);
      const write = writers[entity] as BatchWriter<ImportEntity>;
      const outcome = await write(tx, {
        organizationId,
        createdBy: claimed.createdBy,
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
    if (typeof result === 'string') return result;
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
        for (const failure of triage(entity, headers, mapping, [row], seen, initialCustomFields).failures)
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
    await releaseImport(ctx, job, token, { status: 'failed', finishedAt: new Date() }).catch(() => {});
    throw error;
  }
  if (ending === 'lost') {
    await report.abort();
    ctx.log.warn({ ...job }, 'import taken over by another run; this one stopped without writing');
    return;
  }
  if (ending === 'stopped') {
    await report.abort();
    await releaseImport(ctx, job, token, { status: 'queued' });
    return;
  }
  await report.finish();
  await releaseImport(ctx, job, token, {
    status: ending,
    finishedAt: new Date(),
    errorReportKey: reportKey,
    ...(ending === 'completed' ? { totalRows: rows } : {}),
  });
}
