import type { z } from '@hono/zod-openapi';
import { and, eq, ne, sql } from 'drizzle-orm';
import { memberships, organizations, users } from '../../db/schema/index.ts';
import { conflict, notFound } from '../../openapi/errors.ts';
import type { UserPatch } from '../../openapi/schemas/auth.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { diff, recordChange } from '../support/record.ts';
import { userView } from '../support/views.ts';

/** Changes a user's role, name or status; the organization always keeps at least one active admin. */
export async function updateUser(ctx: RegionContext, actor: Actor, userId: string, patch: z.infer<typeof UserPatch>) {
  assertCan(actor.principal, 'users:manage');
  const { organizationId } = actor.principal;
  const updated = await ctx.shards.withTenant(organizationId, async (tx) => {
    const [current] = await tx
      .select({ user: users, role: memberships.role })
      .from(users)
      .innerJoin(
        memberships,
        and(eq(memberships.organizationId, users.organizationId), eq(memberships.userId, users.id)),
      )
      .where(and(eq(users.organizationId, organizationId), eq(users.id, userId)))
      .for('update');
    if (!current) throw notFound('User');
    const losesAdmin =
      current.role === 'admin' &&
      current.user.status === 'active' &&
      ((patch.role && patch.role !== 'admin') || patch.status === 'disabled');
    if (losesAdmin) {
      // Row locks on the target alone let two admins demote each other at once, each counting the other as
      // the admin who remains; the organization's row serializes every change that could remove an admin.
      await tx
        .select({ id: organizations.id })
        .from(organizations)
        .where(eq(organizations.id, organizationId))
        .for('update');
      const [others] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(memberships)
        .innerJoin(users, and(eq(users.organizationId, memberships.organizationId), eq(users.id, memberships.userId)))
        .where(
          and(
            eq(memberships.organizationId, organizationId),
            eq(memberships.role, 'admin'),
            eq(users.status, 'active'),
            ne(users.id, userId),
          ),
        );
      if (!others || others.n === 0) throw conflict('last_admin', 'The organization needs at least one active admin');
    }
    if (patch.role && patch.role !== current.role) {
      await tx
        .update(memberships)
        .set({ role: patch.role, updatedAt: new Date() })
        .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
    }
    const fields = { name: patch.name, status: patch.status };
    const [user] = await tx
      .update(users)
      .set({ ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)), updatedAt: new Date() })
      .where(and(eq(users.organizationId, organizationId), eq(users.id, userId)))
      .returning();
    const role = patch.role ?? current.role;
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'user.updated',
      target: { type: 'user', id: userId },
      changes: diff({ ...current.user, role: current.role } as Record<string, unknown>, {
        ...fields,
        role: patch.role,
      }),
      event: { type: 'user.updated', payload: { userId, role } },
    });
    return userView(user!, role);
  });
  // After the commit, so no request can re-read the old standing in between.
  ctx.principals.forget(organizationId, userId);
  return updated;
}
