import { and, eq, sql } from 'drizzle-orm';
import { imports } from '../../db/schema/index.ts';
import { conflict } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { findImport } from './access.ts';
import { customFieldKeys } from './custom-fields.ts';
import { forgetKeys } from './keys.ts';
import { LEASE_MS } from './lease.ts';
import { finished, importView } from './view.ts';

/**
 * Cancels an import. One not yet running is cancelled at once; a running one stops before its next batch (the
 * batches already committed stay), so the answer may still say `running` with `cancelRequested`. One whose run
 * has gone quiet past its lease (its process died) has nobody to stop it: it is cancelled at once too, its run
 * token dropped, so a run that was only stalled finds the import no longer its own and writes nothing more.
 */
export async function cancelImport(ctx: RegionContext, actor: Actor, id: string) {
  const { principal } = actor;
  const { organizationId } = principal;
  assertCan(principal, 'data:import');
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findImport(tx, organizationId, id, true);
    if (finished(current.status)) throw conflict('import_finished', `The import is already ${current.status}`);
    const now = new Date();
    const abandoned = current.status === 'running' && now.getTime() - current.updatedAt.getTime() > LEASE_MS;
    const immediately = current.status !== 'running' || abandoned;
    const [row] = await tx
      .update(imports)
      .set({
        cancelRequested: true,
        updatedAt: now,
        ...(immediately
          ? { status: 'cancelled' as const, finishedAt: now, options: sql`${imports.options} - 'runToken'` }
          : {}),
      })
      .where(and(eq(imports.organizationId, organizationId), eq(imports.id, id)))
      .returning();
    if (immediately) await forgetKeys(tx, { organizationId, importId: id });
    const view = importView(row!, await customFieldKeys(tx, organizationId, row!.entity));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'import.cancel_requested',
      target: { type: 'import', id },
      changes: { status: [current.status, row!.status] },
      event: { type: 'import.cancel_requested', payload: view },
    });
    return view;
  });
}
