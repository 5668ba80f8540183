import { and, eq } from 'drizzle-orm';
import { imports } from '../../db/schema/index.ts';
import { conflict } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { findImport } from './access.ts';
import { finished, importView } from './view.ts';

/**
 * Cancels an import. One not yet running is cancelled at once; a running one stops before its next batch (the
 * batches already committed stay), so the answer may still say `running` with `cancelRequested`.
 */
export async function cancelImport(ctx: RegionContext, actor: Actor, id: string) {
  const { principal } = actor;
  const { organizationId } = principal;
  assertCan(principal, 'data:import');
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findImport(tx, organizationId, id, true);
    if (finished(current.status)) throw conflict('import_finished', `The import is already ${current.status}`);
    const now = new Date();
    const immediately = current.status !== 'running';
    const [row] = await tx
      .update(imports)
      .set({
        cancelRequested: true,
        updatedAt: now,
        ...(immediately ? { status: 'cancelled' as const, finishedAt: now } : {}),
      })
      .where(and(eq(imports.organizationId, organizationId), eq(imports.id, id)))
      .returning();
    const view = importView(row!);
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
