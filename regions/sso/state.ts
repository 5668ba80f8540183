import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { ssoLoginStates } from '../../db/schema/index.ts';
import { randomHex, sha256Hex } from '../../edge/protocol/encoding.ts';
import type { RegionContext } from '../context.ts';
import { issueSingleUseToken, readSingleUseToken } from '../support/single-use-token.ts';
import { ssoStateInvalid } from './errors.ts';

/** How long the user may spend at the identity provider. */
export const SSO_STATE_SECONDS = 600;

type Row = typeof ssoLoginStates.$inferSelect;

/**
 * A new sign-in in flight: a routable `sso_<region>_…` token (the OIDC `state`, the SAML `RelayState`), so the
 * provider's answer reaches this region and shard through any edge. Only its SHA-256 is kept.
 *
 * The browser binding is a second random value the web app keeps in an httpOnly cookie of the browser that started
 * (web/sso-binding.ts), its SHA-256 kept here: the state travels through the identity provider and may end in any
 * browser it is handed to, the cookie stays in this one, so nobody can finish their own sign-in in someone else's
 * browser (login CSRF).
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
  const { token, tokenHash, expiresAt } = await issueSingleUseToken(
    'sso',
    ctx.region,
    fields.organizationId,
    SSO_STATE_SECONDS,
  );
  const browserBinding = randomHex(32);
  const id = newId();
  await tx.insert(ssoLoginStates).values({
    organizationId: fields.organizationId,
    id,
    connectionId: fields.connectionId,
    stateHash: tokenHash,
    browserBindingHash: await sha256Hex(browserBinding),
    expiresAt,
    ip: fields.ip,
    ...(await fields.prepare(id, token)),
  });
  return { token, id, browserBinding };
}

/**
 * Spends a sign-in's state, in a transaction of its own that commits before the provider's answer is checked: a
 * state is good once, whatever the answer turns out to be. Only with the binding of the browser that started it:
 * without it, or with another's, the state is refused and left unspent (the browser that holds it may still finish).
 */
export async function takeState(ctx: RegionContext, token: string, browserBinding: string | undefined) {
  const presented = await readSingleUseToken('sso', ctx.region, token);
  if (!presented || !browserBinding) throw ssoStateInvalid();
  const { organizationId, tokenHash } = presented;
  const bindingHash = await sha256Hex(browserBinding);
  const row = await ctx.shards.withTenant(organizationId, async (tx) => {
    const [taken] = await tx
      .update(ssoLoginStates)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(ssoLoginStates.organizationId, organizationId),
          eq(ssoLoginStates.stateHash, tokenHash),
          eq(ssoLoginStates.browserBindingHash, bindingHash),
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
