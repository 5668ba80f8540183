import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { users } from '../../db/schema/index.ts';
import { forbidden, unauthorized } from '../../openapi/errors.ts';
import type { ProfilePatch } from '../../openapi/schemas/profile.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { diff, recordChange } from '../support/record.ts';
import { me } from './me.ts';

/**
 * A signed-in user changes their own name and display preferences. No permission is needed (everyone has a
 * profile), but only these fields: the role, status and organization are the admins' business (PATCH /users/{id}).
 */
export async function updateMe(ctx: RegionContext, actor: Actor, patch: z.infer<typeof ProfilePatch>) {
  const { principal } = actor;
  if (principal.type !== 'user') throw forbidden('An API key has no profile to change');
  const { organizationId, userId } = principal;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const [current] = await tx
      .select()
      .from(users)
      .where(and(eq(users.organizationId, organizationId), eq(users.id, userId)))
      .for('update');
    if (current?.status !== 'active') throw unauthorized('This account is no longer active');
    const fields = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    await tx
      .update(users)
      .set({ ...fields, updatedAt: new Date() })
      .where(and(eq(users.organizationId, organizationId), eq(users.id, userId)));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'user.profile_updated',
      target: { type: 'user', id: userId },
      changes: diff(current as Record<string, unknown>, fields),
      event: { type: 'user.updated', payload: { userId, fields: Object.keys(fields) } },
    });
  });
  return me(ctx, actor);
}
