import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { ssoConnections } from '../../db/schema/index.ts';
import { oidcSecretContext, samlCertificateContext } from './urls.ts';

/**
 * `npm run keys -- reseal` for SSO: each connection's OIDC client secret and SAML certificate sealed anew with the
 * current key, rewritten only if still the value read. (PKCE verifiers live 10 minutes and are not worth it.)
 */
export async function resealSsoSecrets(
  tx: Tx,
  organizationId: string,
  needsSealing: (value: string) => boolean,
  reseal: (value: string, context: string) => Promise<string | null>,
) {
  let count = 0;
  const rows = await tx
    .select({
      id: ssoConnections.id,
      secret: ssoConnections.oidcClientSecretSealed,
      certificate: ssoConnections.samlIdpCertificateSealed,
    })
    .from(ssoConnections)
    .where(eq(ssoConnections.organizationId, organizationId));
  for (const { id, secret, certificate } of rows) {
    const where = (
      column: typeof ssoConnections.oidcClientSecretSealed | typeof ssoConnections.samlIdpCertificateSealed,
      value: string,
    ) => and(eq(ssoConnections.organizationId, organizationId), eq(ssoConnections.id, id), eq(column, value));
    if (secret && needsSealing(secret)) {
      const sealed = await reseal(secret, oidcSecretContext(id));
      if (sealed) {
        const changed = await tx
          .update(ssoConnections)
          .set({ oidcClientSecretSealed: sealed })
          .where(where(ssoConnections.oidcClientSecretSealed, secret))
          .returning({ id: ssoConnections.id });
        count += changed.length;
      }
    }
    if (certificate && needsSealing(certificate)) {
      const sealed = await reseal(certificate, samlCertificateContext(id));
      if (sealed) {
        const changed = await tx
          .update(ssoConnections)
          .set({ samlIdpCertificateSealed: sealed })
          .where(where(ssoConnections.samlIdpCertificateSealed, certificate))
          .returning({ id: ssoConnections.id });
        count += changed.length;
      }
    }
  }
  return count;
}
