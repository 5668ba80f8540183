import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { ssoLoginStates } from '../../db/schema/index.ts';
import { hashToken, makeRoutableToken, parseRoutableToken } from '../../edge/protocol/routable-token.ts';
import type { RegionContext } from '../context.ts';
import { ssoStateInvalid } from './errors.ts';

/** How long the user may spend at the identity provider. */
export const SSO_STATE_SECONDS = 600;

type Row = typeof ssoLoginStates.$inferSelect;

/**
 * A new sign-in in flight: a routable `sso_<region>_…` token (the OIDC `state`, the SAML `RelayState`), so the
 * provider's answer reaches this region and shard through any edge. Only its SHA-256 is kept.
 */
export async function createState(
  ctx: RegionContext,
  tx: Tx,
  fields: {
    organizationId: string;
    connectionId: string;
    ip: string | null;
    prepare: (id: string, token: string) => Promise<Partial<Row>>;
  },
) {
  const { token } = makeRoutableToken('sso', ctx.region, fields.organizationId);
  const id = newId();
  await tx.insert(ssoLoginStates).values({
    organizationId: fields.organizationId,
    id,
    connectionId: fields.connectionId,
    stateHash: await hashToken(token),
    expiresAt: new Date(Date.now() + SSO_STATE_SECONDS * 1000),
    ip: fields.ip,
    ...(await fields.prepare(id, token)),
  });
  return { token, id };
}

/**
 * Spends a sign-in's state, in a transaction of its own that commits before the provider's answer is checked: a
 * state is good once, whatever the answer turns out to be.
 */
export async function takeState(ctx: RegionContext, token: string) {
  const parsed = parseRoutableToken(token);
  if (parsed?.kind !== 'sso' || parsed.region !== ctx.region) throw ssoStateInvalid();
  const { organizationId } = parsed;
  const stateHash = await hashToken(token);
  const row = await ctx.shards.withTenant(organizationId, async (tx) => {
    const now = new Date();
    const [taken] = await tx
      .update(ssoLoginStates)
      .set({ usedAt: now })
      .where(
        and(
          eq(ssoLoginStates.organizationId, organizationId),
          eq(ssoLoginStates.stateHash, stateHash),
          isNull(ssoLoginStates.usedAt),
        ),
      )
      .returning();
    return taken;
  });
  // Only an unused state is taken; an expired one is spent all the same.
  if (!row || row.expiresAt <= new Date()) throw ssoStateInvalid();
  return { organizationId, row };
}
