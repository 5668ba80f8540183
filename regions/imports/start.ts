import { and, eq } from 'drizzle-orm';
import { imports } from '../../db/schema/index.ts';
import { badRequest, conflict } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { findImport } from './access.ts';
import { entityPermission } from './create.ts';
import { customFieldKeys } from './custom-fields.ts';
import { identityFields } from './fields.ts';
import { IMPORT_QUEUE, type ImportJob } from './job.ts';
import { LEASE_MS } from './lease.ts';
import { readOptions, starterOf } from './options.ts';
import { checkMapping } from './update.ts';
import { importView } from './view.ts';

/**
 * Queues the import: marks it queued and enqueues its `import.run` job (workers/batch) in the same transaction, so
 * the job exists exactly when the import is queued. Starting again is harmless: a queued import gets one more job
 * (the run's claim lets one through; the other finds nothing to do), and a running one only when its run has gone
 * quiet for longer than the lease (its process died and its job is spent), so it resumes after the last committed
 * batch.
 */
export async function startImport(ctx: RegionContext, actor: Actor, id: string) {
  const { principal } = actor;
  const { organizationId } = principal;
  assertCan(principal, 'data:import');
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findImport(tx, organizationId, id, true);
    const options = readOptions(current.options);
    assertCan(principal, entityPermission(current.entity, 'create'));
    if (options.onDuplicate === 'update') assertCan(principal, entityPermission(current.entity, 'update'));
    const abandoned = current.status === 'running' && Date.now() - current.updatedAt.getTime() > LEASE_MS;
    if (current.status !== 'uploaded' && current.status !== 'queued' && !abandoned) {
      throw conflict('import_not_startable', `The import is ${current.status}; only an uploaded import can start`);
    }
    const mapped = new Set(Object.values(current.mapping ?? {}));
    if (!identityFields[current.entity].some((field) => mapped.has(field))) {
      throw badRequest('mapping_incomplete', 'Map a column that names the record before starting', [
        { path: 'mapping', message: `Map at least one of ${identityFields[current.entity].join(', ')}` },
      ]);
    }
    const customKeys = await customFieldKeys(tx, organizationId, current.entity);
    // A custom field mapped when the import was set up may have been deleted since: say so now, not in every row.
    checkMapping(current.entity, options.headers, current.mapping ?? {}, customKeys);
    const job: ImportJob = { organizationId, importId: id };
    await ctx.jobs.send(tx, IMPORT_QUEUE, job);
    if (current.status !== 'uploaded') return importView(current, customKeys);
    const [row] = await tx
      .update(imports)
      .set({ status: 'queued', options: { ...options, startedBy: starterOf(principal) }, updatedAt: new Date() })
      .where(and(eq(imports.organizationId, organizationId), eq(imports.id, id)))
      .returning();
    const queued = importView(row!, customKeys);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'import.started',
      target: { type: 'import', id },
      changes: { mapping: row!.mapping, onDuplicate: options.onDuplicate },
      event: { type: 'import.started', payload: queued },
    });
    return queued;
  });
}
