import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { newId } from '../../db/ids.ts';
import { imports } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import type { ImportEntity } from '../../openapi/schemas/imports.ts';
import type { JobQueues } from '../jobs/queue.ts';
import { storageKeys } from '../storage/keys.ts';
import type { FileStorage } from '../storage/port.ts';
import { recordChange } from '../support/record.ts';
import { type CsvRow, csvRecords } from './csv.ts';
import type { ImportCustomField } from './custom-fields.ts';
import { importCustomFields } from './custom-fields.ts';
import { openErrorReport } from './error-report.ts';
import { IMPORT_QUEUE, type ImportJob, type StopSignal } from './job.ts';
import { firstLines, rememberKeys } from './keys.ts';
import { claimImport, lockHeld, releaseImport, settleAbandonedCancel, starter } from './lease.ts';
import { readOptions } from './options.ts';
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

/** What a run needs of its process: the region's shards, its files, a log, and the job queues to hand back to. */
export type ImportDeps = { shards: ShardSet; storage: FileStorage; log: Logger; jobs: JobQueues };

/** How this attempt of the job stands: a retry may take the import from its dead predecessor; the last one fails it. */
export type Attempt = { takeOver: boolean; last: boolean };

/**
 * How a run ended: `idle` when there was nothing to run (finished, cancelled, or held by a live run of another
 * job), `lost` when another run took it over mid-way.
 */
export type RunOutcome = Ending | 'idle';

/**
 * Whether this process can read the import's upload: false when it cannot (while the import exists). Every process
 * of a region shares its storage, so one that cannot see an upload could only fail an import that another process
 * would complete; the batch worker hands such a job back instead (test stacks, each with files of their own, share
 * the job queue of the same databases).
 */
export async function uploadVisible(ctx: ImportDeps, job: ImportJob): Promise<boolean> {
  const [row] = await ctx.shards.withTenant(job.organizationId, (tx) =>
    tx
      .select({ storageKey: imports.storageKey })
      .from(imports)
      .where(and(eq(imports.organizationId, job.organizationId), eq(imports.id, job.importId))),
  );
  return !row || (await ctx.storage.size(row.storageKey)) !== null;
}

/**
 * Imports a stored CSV: streams it through the parser (never the whole file in memory) and writes it in batches of
 * BATCH_ROWS rows, one transaction each, with the import's counters, the keys it met first (keys.ts: in-file
 * duplicates are found through the database, so memory stays flat), an audit row and an `import.progress` event.
 * Between batches it honours a cancel (cancelled) and a shutdown (back to queued, with a new job enqueued in the
 * same transaction). A resumed run skips the rows already committed, re-reading them only for the error report. A
 * run that finds another has taken the import over (lease.ts) stops without writing, and leaves the ending to that
 * one. A failure puts the import back in the queue and throws, for the job's retry; on the last attempt it fails.
 */
export async function runImport(
  ctx: ImportDeps,
  job: ImportJob,
  signal: StopSignal,
  attempt: Attempt = { takeOver: false, last: true },
): Promise<RunOutcome> {
  const token = newId();
  const claim = await claimImport(ctx, job, token, attempt.takeOver);
  if (!claim) {
    await settleAbandonedCancel(ctx, job, attempt.takeOver);
    return 'idle';
  }
  const { row: claimed, customFields: initialCustomFields } = claim;
  const { organizationId, importId } = job;
  const { entity, storageKey } = claimed;
  const { headers, onDuplicate } = readOptions(claimed.options);
  const mapping = claimed.mapping ?? {};
  const actor = starter(claimed);
  const reportKey = storageKeys.importErrors(organizationId, importId);
  const report = openErrorReport(ctx.storage, reportKey, headers);

  async function flush(batch: CsvRow[]): Promise<Ending> {
    const now = new Date();
    const result = await ctx.shards.withTenant(organizationId, async (tx) => {
      const current = await lockHeld(tx, job, token);
      if (!current) return 'lost' as const;
      if (current.cancelRequested) return 'cancelled' as const;
      // Read with the batch, so the values it writes fit the definitions as they are when it commits.
      const customFields = await importCustomFields(tx, organizationId, entity);
      const sorted = await triage(entity, headers, mapping, batch, (keys) => firstLines(tx, job, keys), customFields);
      await rememberKeys(tx, job, sorted.firstSeen);
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

  /** The failures of rows a resumed run skips (committed before), for its report: validation and duplicates. */
  async function reportSkipped(skipped: CsvRow[], customFields: ImportCustomField[]) {
    const sorted = await ctx.shards.withTenant(organizationId, (tx) =>
      triage(entity, headers, mapping, skipped, (keys) => firstLines(tx, job, keys), customFields),
    );
    for (const failure of sorted.failures) report.add(failure.row, failure.reason);
  }

  let ending: Ending = 'completed';
  let rows = 0;
  try {
    let batch: CsvRow[] = [];
    let skipped: CsvRow[] = [];
    let header = true;
    for await (const row of csvRecords(await ctx.storage.get(storageKey))) {
      if (header) {
        header = false;
        continue;
      }
      rows++;
      if (rows <= claimed.processedRows) {
        skipped.push(row);
        if (skipped.length < BATCH_ROWS && rows < claimed.processedRows) continue;
        await reportSkipped(skipped, initialCustomFields);
        skipped = [];
        continue;
      }
      batch.push(row);
      if (batch.length < BATCH_ROWS) continue;
      ending = await flush(batch);
      batch = [];
      if (ending === 'completed' && signal.stopping) ending = 'stopped';
      if (ending !== 'completed') break;
    }
    if (skipped.length) await reportSkipped(skipped, initialCustomFields);
    if (ending === 'completed' && batch.length) ending = await flush(batch);
  } catch (error) {
    await report.abort();
    // Back to the queue for the job's next attempt, or failed on the last. Best effort: the error that stopped
    // the run (a shard gone, a storage fault) may stop this write too; the retry's claim then takes it over.
    const set = attempt.last ? { status: 'failed' as const, finishedAt: new Date() } : { status: 'queued' as const };
    await releaseImport(ctx, job, token, set).catch(() => {});
    throw error;
  }
  if (ending === 'lost') {
    await report.abort();
    ctx.log.warn({ ...job }, 'import taken over by another run; this one stopped without writing');
    return ending;
  }
  if (ending === 'stopped') {
    await report.abort();
    // Returned to the queue with a job of its own, so any process's batch worker resumes it after this batch.
    await releaseImport(ctx, job, token, { status: 'queued' }, (tx) => ctx.jobs.send(tx, IMPORT_QUEUE, job));
    return ending;
  }
  await report.finish();
  await releaseImport(ctx, job, token, {
    status: ending,
    finishedAt: new Date(),
    errorReportKey: reportKey,
    ...(ending === 'completed' ? { totalRows: rows } : {}),
  });
  return ending;
}
