import { and, eq } from 'drizzle-orm';
import { customFieldDefinitions } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { lockCustomField } from './access.ts';
import { removeValues } from './records.ts';

/** Deletes a definition and, in the same transaction, every value records held for it. */
export async function deleteCustomField(ctx: RegionContext, actor: Actor, id: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await lockCustomField(tx, organizationId, id);
    const t = customFieldDefinitions;
    await tx.delete(t).where(and(eq(t.organizationId, organizationId), eq(t.id, id)));
    const cleared = await removeValues(tx, organizationId, current.entity, current.key);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'custom_field.deleted',
      target: { type: 'custom_field', id },
      changes: { entity: current.entity, key: current.key, recordsCleared: cleared },
      event: { type: 'custom_field.deleted', payload: { customFieldId: id, entity: current.entity, key: current.key } },
    });
  });
}
