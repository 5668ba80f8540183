import { and, asc, eq } from 'drizzle-orm';
import { memberships, users } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { userView } from '../support/views.ts';

export async function listUsers(ctx: RegionContext, actor: Actor) {
  assertCan(actor.principal, 'users:read');
  const { organizationId } = actor.principal;
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select({ user: users, role: memberships.role })
      .from(users)
      .innerJoin(
        memberships,
        and(eq(memberships.organizationId, users.organizationId), eq(memberships.userId, users.id)),
      )
      .where(eq(users.organizationId, organizationId))
      .orderBy(asc(users.id)),
  );
  return { data: rows.map((r) => userView(r.user, r.role)) };
}
