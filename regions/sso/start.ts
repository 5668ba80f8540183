import type { z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import { ssoConnections, ssoDomains } from '../../db/schema/index.ts';
import type { SsoStartInput } from '../../openapi/schemas/sso.ts';
import type { RegionContext } from '../context.ts';
import { recordChange } from '../support/record.ts';
import { normaliseEmail } from '../support/views.ts';
import { findConnection } from './connections.ts';
import { emailDomainOf } from './domain-name.ts';
import { ssoNotConfigured } from './errors.ts';
import { beginOidc } from './oidc.ts';
import { beginSaml } from './saml.ts';
import { createState, SSO_STATE_SECONDS } from './state.ts';
import { pkceContext } from './urls.ts';

type Origin = { ip: string | null; userAgent: string | null };

/**
 * "Sign in with SSO": the email's verified domain names the organization (through the directory, which is how the
 * edge routed this here) and its connection (the domain's own, else the organization's first enabled one); the
 * answer is where to send the browser, and the binding the answer must come back with (see state.ts).
 */
export async function startSso(ctx: RegionContext, input: z.infer<typeof SsoStartInput>, origin: Origin) {
  const email = normaliseEmail(input.email);
  const domain = emailDomainOf(email);
  const entry = domain ? await ctx.directory.findSsoDomain(domain) : null;
  if (!entry || entry.region !== ctx.region) throw ssoNotConfigured();
  const { organizationId } = entry;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [claimed] = await tx
      .select()
      .from(ssoDomains)
      .where(and(eq(ssoDomains.organizationId, organizationId), eq(ssoDomains.domain, domain!)));
    if (!claimed?.verifiedAt) throw ssoNotConfigured();
    const chosen = claimed.connectionId ? await findConnection(tx, organizationId, claimed.connectionId) : null;
    const [fallback] = chosen
      ? [chosen]
      : await tx
          .select()
          .from(ssoConnections)
          .where(and(eq(ssoConnections.organizationId, organizationId), eq(ssoConnections.enabled, true)))
          .orderBy(asc(ssoConnections.createdAt))
          .limit(1);
    const connection = fallback;
    if (!connection?.enabled) throw ssoNotConfigured();
    let redirectUrl = '';
    const state = await createState(ctx, tx, {
      organizationId,
      connectionId: connection.id,
      ip: origin.ip,
      prepare: async (stateId, token) => {
        if (connection.protocol === 'oidc') {
          const begun = await beginOidc(ctx, connection, token, email);
          redirectUrl = begun.redirectUrl;
          return {
            nonce: begun.nonce,
            codeVerifierSealed: await ctx.secrets.seal(begun.codeVerifier, pkceContext(stateId)),
          };
        }
        const begun = await beginSaml(ctx, connection, token);
        redirectUrl = begun.redirectUrl;
        return { requestId: begun.requestId };
      },
    });
    await recordChange(tx, {
      organizationId,
      actor: { principal: null, ...origin },
      action: 'sso.sign_in_started',
      target: { type: 'sso_connection', id: connection.id },
      changes: { protocol: connection.protocol, stateId: state.id },
    });
    return {
      redirectUrl,
      protocol: connection.protocol,
      state: state.token,
      browserBinding: state.browserBinding,
      expiresIn: SSO_STATE_SECONDS,
    };
  });
}
