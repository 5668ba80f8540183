import type { z } from '@hono/zod-openapi';
import type { OidcCallbackInput, SamlAcsInput } from '../../openapi/schemas/sso.ts';
import type { RegionContext } from '../context.ts';
import { recordChange } from '../support/record.ts';
import { findConnection } from './connections.ts';
import { ssoFailed } from './errors.ts';
import { finishOidc } from './oidc.ts';
import { signInWithIdentity } from './provision.ts';
import { finishSaml } from './saml.ts';
import { takeState } from './state.ts';
import { pkceContext } from './urls.ts';

type Origin = { ip: string | null; userAgent: string | null };

/** A refused answer from the IdP is audited in the organization (`auth.sso_failed`) before it is answered. */
async function audited<T>(
  ctx: RegionContext,
  where: { organizationId: string; connectionId: string; origin: Origin },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const { organizationId, connectionId, origin } = where;
    await ctx.shards
      .withTenant(organizationId, (tx) =>
        recordChange(tx, {
          organizationId,
          actor: { principal: null, ...origin },
          action: 'auth.sso_failed',
          target: { type: 'sso_connection', id: connectionId },
          changes: { reason: (error as Error).message.slice(0, 500) },
        }),
      )
      .catch(() => {});
    throw error;
  }
}

async function connectionFor(ctx: RegionContext, organizationId: string, connectionId: string, protocol: string) {
  const connection = await ctx.shards.withTenant(organizationId, (tx) =>
    findConnection(tx, organizationId, connectionId),
  );
  if (!connection?.enabled || connection.protocol !== protocol) throw ssoFailed('the connection is off or gone');
  return connection;
}

/** OpenID Connect: the browser came back from the provider with `code` and `state`. */
export async function finishOidcSignIn(ctx: RegionContext, input: z.infer<typeof OidcCallbackInput>, origin: Origin) {
  const { organizationId, row } = await takeState(ctx, input.state, input.browserBinding);
  return audited(ctx, { organizationId, connectionId: row.connectionId, origin }, async () => {
    if (input.error) throw ssoFailed(`the identity provider answered ${input.error}`);
    if (!input.code || !row.nonce || !row.codeVerifierSealed) throw ssoFailed('the answer carries no code');
    const connection = await connectionFor(ctx, organizationId, row.connectionId, 'oidc');
    const codeVerifier = await ctx.secrets.open(row.codeVerifierSealed, pkceContext(row.id));
    const identity = await finishOidc(
      ctx,
      connection,
      { state: input.state, code: input.code, iss: input.iss },
      { nonce: row.nonce, codeVerifier },
    );
    return signInWithIdentity(ctx, organizationId, connection, identity, origin);
  });
}

/** SAML 2.0: the IdP posted its response to our ACS, with the sign-in's state as RelayState. */
export async function finishSamlSignIn(ctx: RegionContext, input: z.infer<typeof SamlAcsInput>, origin: Origin) {
  const { organizationId, row } = await takeState(ctx, input.relayState, input.browserBinding);
  return audited(ctx, { organizationId, connectionId: row.connectionId, origin }, async () => {
    if (!row.requestId) throw ssoFailed('this sign-in was not a SAML one');
    const connection = await connectionFor(ctx, organizationId, row.connectionId, 'saml');
    const identity = await finishSaml(ctx, organizationId, connection, input, row.requestId);
    return signInWithIdentity(ctx, organizationId, connection, identity, origin);
  });
}
