import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { importKeys } from '../../db/schema/index.ts';
import type { ImportJob } from './job.ts';

/**
 * The lines on which an import first met the given dedupe keys, among the rows of its committed batches. The run
 * keeps no key of the file in memory: each batch asks here about its own (at most a batch's worth), through the
 * table's primary key.
 */
export async function firstLines(tx: Tx, job: ImportJob, keys: readonly string[]): Promise<Map<string, number>> {
  const lines = new Map<string, number>();
  const distinct = [...new Set(keys)];
  if (distinct.length === 0) return lines;
  const found = await tx
    .select({ key: importKeys.key, line: importKeys.line })
    .from(importKeys)
    .where(
      and(
        eq(importKeys.organizationId, job.organizationId),
        eq(importKeys.importId, job.importId),
        inArray(importKeys.key, distinct),
      ),
    );
  for (const { key, line } of found) lines.set(key, line);
  return lines;
}

/** Records the keys a batch met first, in the batch's transaction: they commit (or not) with its rows. */
export async function rememberKeys(tx: Tx, job: ImportJob, first: ReadonlyMap<string, number>): Promise<void> {
  if (first.size === 0) return;
  const { organizationId, importId } = job;
  await tx
    .insert(importKeys)
    .values([...first].map(([key, line]) => ({ organizationId, importId, key, line })))
    .onConflictDoNothing();
}

/** An import that has ended needs its keys no more. */
export async function forgetKeys(tx: Tx, job: ImportJob): Promise<void> {
  await tx
    .delete(importKeys)
    .where(and(eq(importKeys.organizationId, job.organizationId), eq(importKeys.importId, job.importId)));
}
