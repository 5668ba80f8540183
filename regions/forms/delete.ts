import { and, eq } from 'drizzle-orm';
import { forms } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { findForm } from './access.ts';

/** Deletes a form: its embed stops rendering (404). Its submissions stay, as the record of consent given. */
export async function deleteForm(ctx: RegionContext, actor: Actor, id: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'forms:manage');
  const { organizationId } = principal;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findForm(tx, organizationId, id, { lock: true });
    await tx.delete(forms).where(and(eq(forms.organizationId, organizationId), eq(forms.id, id)));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'form.deleted',
      target: { type: 'form', id },
      changes: { name: current.name },
      event: { type: 'form.deleted', payload: { formId: id, name: current.name } },
    });
  });
}
