import type { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { organizations } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';
import type { RetentionPatch } from '../../openapi/schemas/privacy.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';

/** How long the organization keeps personal data; admins only (settings:manage), as they are who change it. */
export async function getRetention(ctx: RegionContext, { principal }: Actor) {
  assertCan(principal, 'settings:manage');
  return ctx.shards.withTenant(principal.organizationId, async (tx) => {
    const [row] = await tx
      .select({ retentionDays: organizations.retentionDays })
      .from(organizations)
      .where(eq(organizations.id, principal.organizationId));
    if (!row) throw notFound('Organization');
    return row;
  });
}

export async function updateRetention(ctx: RegionContext, actor: Actor, patch: z.infer<typeof RetentionPatch>) {
  const { principal } = actor;
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [before] = await tx
      .select({ retentionDays: organizations.retentionDays })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
      .for('update');
    if (!before) throw notFound('Organization');
    await tx
      .update(organizations)
      .set({ retentionDays: patch.retentionDays, updatedAt: new Date() })
      .where(eq(organizations.id, organizationId));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'organization.retention_updated',
      target: { type: 'organization', id: organizationId },
      changes: { retentionDays: [before.retentionDays, patch.retentionDays] },
      event: {
        type: 'organization.retention_updated',
        payload: { organizationId, retentionDays: patch.retentionDays },
      },
    });
    return { retentionDays: patch.retentionDays };
  });
}
