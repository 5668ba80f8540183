import type { z } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import { invitations, users } from '../../db/schema/index.ts';
import { hashToken, parseRoutableToken } from '../../edge/protocol/routable-token.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { AcceptInviteInput } from '../../openapi/schemas/auth.ts';
import { loadAccount } from '../auth/load.ts';
import { assertStrongPassword, passwordUserInputs } from '../auth/password-strength.ts';
import { hashPassword } from '../auth/passwords.ts';
import { issueSession } from '../auth/session.ts';
import type { RegionContext } from '../context.ts';
import { recordChange } from '../support/record.ts';

type Origin = { ip: string | null; userAgent: string | null };

const invalid = () => new ApiError(401, 'invalid_invitation', 'This invitation is not valid or has expired');

export async function acceptInvite(ctx: RegionContext, input: z.infer<typeof AcceptInviteInput>, origin: Origin) {
  const parsed = parseRoutableToken(input.token);
  if (parsed?.kind !== 'inv' || parsed.region !== ctx.region) throw invalid();
  const { organizationId } = parsed;
  const tokenHash = await hashToken(input.token);
  // The invitee's own names count against their password: read them first (the invitation is taken below).
  const invitee = await ctx.shards.withTenant(organizationId, async (tx) => {
    const [pending] = await tx
      .select({ userId: invitations.userId, expiresAt: invitations.expiresAt })
      .from(invitations)
      .where(
        and(
          eq(invitations.organizationId, organizationId),
          eq(invitations.tokenHash, tokenHash),
          isNull(invitations.acceptedAt),
        ),
      );
    return pending && pending.expiresAt.getTime() > Date.now() ? loadAccount(tx, organizationId, pending.userId) : null;
  });
  if (!invitee) throw invalid();
  const { user, organization } = invitee;
  await assertStrongPassword(input.password, passwordUserInputs(user.email, user.name, input.name, organization.name));
  const passwordHash = await hashPassword(input.password);
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [invitation] = await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(
        and(
          eq(invitations.organizationId, organizationId),
          eq(invitations.tokenHash, tokenHash),
          isNull(invitations.acceptedAt),
        ),
      )
      .returning();
    if (!invitation || invitation.expiresAt.getTime() <= Date.now()) throw invalid();
    await tx
      .update(users)
      .set({ passwordHash, status: 'active', updatedAt: new Date(), ...(input.name ? { name: input.name } : {}) })
      .where(
        and(eq(users.organizationId, organizationId), eq(users.id, invitation.userId), eq(users.status, 'invited')),
      );
    const account = await loadAccount(tx, organizationId, invitation.userId);
    if (account?.user.status !== 'active') throw invalid();
    await recordChange(tx, {
      organizationId,
      actor: { principal: null, ...origin },
      action: 'user.invitation_accepted',
      target: { type: 'user', id: invitation.userId },
      event: { type: 'user.activated', payload: { userId: invitation.userId } },
    });
    return issueSession(ctx, tx, { ...account, origin });
  });
}
