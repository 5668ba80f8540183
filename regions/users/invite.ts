import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { invitations, memberships, users } from '../../db/schema/index.ts';
import { hashToken, makeRoutableToken } from '../../edge/protocol/routable-token.ts';
import { conflict } from '../../openapi/errors.ts';
import type { InviteInput } from '../../openapi/schemas/auth.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { normaliseEmail, userView } from '../support/views.ts';

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

/** Creates an invited user with a role and a single-use invitation token (shown once). */
export async function inviteUser(ctx: RegionContext, actor: Actor, input: z.infer<typeof InviteInput>) {
  assertCan(actor.principal, 'users:manage');
  const { organizationId } = actor.principal;
  const email = normaliseEmail(input.email);
  const userId = newId();
  if (!(await ctx.directory.claimLogin({ email, organizationId, userId, region: ctx.region }))) {
    throw conflict('email_taken', 'This email is already registered');
  }
  try {
    const { token, prefix: _ } = makeRoutableToken('inv', ctx.region, organizationId);
    const expiresAt = new Date(Date.now() + INVITE_TTL_MS);
    return await ctx.shards.withTenant(organizationId, async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ organizationId, id: userId, email, name: input.name ?? '', status: 'invited' })
        .returning();
      await tx.insert(memberships).values({ organizationId, userId, role: input.role });
      await tx.insert(invitations).values({
        organizationId,
        id: newId(),
        userId,
        tokenHash: await hashToken(token),
        createdBy: actorId(actor.principal),
        expiresAt,
      });
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'user.invited',
        target: { type: 'user', id: userId },
        changes: { role: input.role },
        event: { type: 'user.invited', payload: { userId, role: input.role } },
      });
      return { user: userView(user!, input.role), inviteToken: token, inviteExpiresAt: expiresAt.toISOString() };
    });
  } catch (error) {
    await ctx.directory.release({ email }).catch(() => {});
    throw error;
  }
}
