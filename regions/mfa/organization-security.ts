import type { z } from '@hono/zod-openapi';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { organizations, userMfa, users } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';
import type { OrganizationSecurityPatch } from '../../openapi/schemas/mfa.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';

/** How many active members there are and how many of them have MFA on, for the admin deciding to require it. */
async function securityOf(tx: Tx, organizationId: string, mfaRequired: boolean) {
  const active = and(eq(users.organizationId, organizationId), eq(users.status, 'active'));
  const [members] = await tx.select({ n: count() }).from(users).where(active);
  const [withMfa] = await tx
    .select({ n: count() })
    .from(users)
    .innerJoin(userMfa, and(eq(userMfa.organizationId, users.organizationId), eq(userMfa.userId, users.id)))
    .where(and(active, isNotNull(userMfa.enabledAt)));
  return { mfaRequired, activeMembers: Number(members?.n ?? 0), membersWithMfa: Number(withMfa?.n ?? 0) };
}

/** The organization's security settings; admins only (settings:manage), like its other settings. */
export async function getOrganizationSecurity(ctx: RegionContext, { principal }: Actor) {
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .select({ mfaRequired: organizations.mfaRequired })
      .from(organizations)
      .where(eq(organizations.id, organizationId));
    if (!row) throw notFound('Organization');
    return securityOf(tx, organizationId, row.mfaRequired);
  });
}

/**
 * Requires MFA of every member (or stops requiring it). Members without it still sign in, but are told to enrol
 * (`mfaEnrolmentRequired`) and the web app takes them to enrol before anything else. Audited.
 */
export async function updateOrganizationSecurity(
  ctx: RegionContext,
  actor: Actor,
  patch: z.infer<typeof OrganizationSecurityPatch>,
) {
  const { principal } = actor;
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [before] = await tx
      .select({ mfaRequired: organizations.mfaRequired })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
      .for('update');
    if (!before) throw notFound('Organization');
    if (before.mfaRequired !== patch.mfaRequired) {
      await tx
        .update(organizations)
        .set({ mfaRequired: patch.mfaRequired, updatedAt: new Date() })
        .where(eq(organizations.id, organizationId));
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'organization.mfa_required_changed',
        target: { type: 'organization', id: organizationId },
        changes: { mfaRequired: [before.mfaRequired, patch.mfaRequired] },
      });
    }
    return securityOf(tx, organizationId, patch.mfaRequired);
  });
}
