import { SAML, type SamlConfig, ValidateInResponseTo } from '@node-saml/node-saml';
import { and, eq, lt } from 'drizzle-orm';
import { type ssoConnections, ssoSeenAssertions } from '../../db/schema/index.ts';
import { randomHex } from '../../edge/protocol/encoding.ts';
import type { RegionContext } from '../context.ts';
import { ssoFailed } from './errors.ts';
import { samlAcsUrl, samlCertificateContext, samlSpEntityId } from './urls.ts';

type Connection = typeof ssoConnections.$inferSelect;

/** Clock difference tolerated between the IdP and us on NotBefore / NotOnOrAfter. */
const CLOCK_SKEW_MS = 60_000;
/** How long a taken assertion id is remembered when the assertion names no end of its own. */
const REMEMBER_ASSERTION_MS = 24 * 3600_000;

/**
 * node-saml set up for one connection: the IdP's certificate (opened from the secret box), signed assertions
 * required, the audience our entity id, the recipient our ACS URL, and the IdP's entity id as the issuer. The
 * AuthnRequest id is ours (kept on the sign-in's state) and compared with InResponseTo below.
 */
async function samlOf(ctx: RegionContext, connection: Connection, requestId?: string) {
  if (!connection.samlIdpCertificateSealed || !connection.samlIdpSsoUrl || !connection.samlIdpEntityId) {
    throw ssoFailed('the connection is incomplete');
  }
  const idpCert = await ctx.secrets.open(connection.samlIdpCertificateSealed, samlCertificateContext(connection.id));
  const config: SamlConfig = {
    callbackUrl: samlAcsUrl(),
    entryPoint: connection.samlIdpSsoUrl,
    issuer: samlSpEntityId(connection.id),
    audience: samlSpEntityId(connection.id),
    idpIssuer: connection.samlIdpEntityId,
    idpCert,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    validateInResponseTo: ValidateInResponseTo.never,
    identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    disableRequestedAuthnContext: true,
    ...(requestId ? { generateUniqueId: () => requestId } : {}),
  };
  return new SAML(config);
}

/** The AuthnRequest (HTTP-Redirect binding) with the sign-in's state as RelayState. */
export async function beginSaml(ctx: RegionContext, connection: Connection, relayState: string) {
  const requestId = `_${randomHex(20)}`;
  const saml = await samlOf(ctx, connection, requestId);
  const redirectUrl = await saml.getAuthorizeUrlAsync(relayState, undefined, {});
  return { redirectUrl, requestId };
}

/**
 * Our service provider metadata, for the IdP and its administrator. Its document ID is the connection's, not a
 * random one, so the same metadata is the same bytes (and ETag) at every fetch.
 */
export async function samlMetadataOf(ctx: RegionContext, connection: Connection) {
  const documentId = `_${connection.id.replace(/-/g, '')}`;
  return (await samlOf(ctx, connection, documentId)).generateServiceProviderMetadata(null, null);
}

/**
 * Checks the IdP's answer: node-saml verifies the assertion's signature against the IdP's certificate (unsigned
 * or altered → refused), the audience, the recipient and destination, NotBefore / NotOnOrAfter and the issuer;
 * then it must answer this sign-in's AuthnRequest, and its assertion id must not have been taken before (replay).
 */
export async function finishSaml(
  ctx: RegionContext,
  organizationId: string,
  connection: Connection,
  answer: { samlResponse: string; relayState: string },
  requestId: string,
) {
  const saml = await samlOf(ctx, connection);
  let profile: Awaited<ReturnType<SAML['validatePostResponseAsync']>>['profile'];
  try {
    ({ profile } = await saml.validatePostResponseAsync({
      SAMLResponse: answer.samlResponse,
      RelayState: answer.relayState,
    }));
  } catch (error) {
    throw ssoFailed((error as Error).message);
  }
  if (!profile) throw ssoFailed('no assertion');
  if (profile.inResponseTo !== requestId) throw ssoFailed('the response does not answer this sign-in');
  const assertion = profile.getAssertion?.() as
    | { Assertion?: { $?: { ID?: string }; Conditions?: { $?: { NotOnOrAfter?: string } }[] } }
    | undefined;
  const assertionId = assertion?.Assertion?.$?.ID;
  if (!assertionId) throw ssoFailed('the assertion has no id');
  const notOnOrAfter = assertion?.Assertion?.Conditions?.[0]?.$?.NotOnOrAfter;
  const until = notOnOrAfter ? new Date(Date.parse(notOnOrAfter) + CLOCK_SKEW_MS) : null;
  const expiresAt = until && !Number.isNaN(until.getTime()) ? until : new Date(Date.now() + REMEMBER_ASSERTION_MS);
  const fresh = await ctx.shards.withTenant(organizationId, async (tx) => {
    await tx
      .delete(ssoSeenAssertions)
      .where(and(eq(ssoSeenAssertions.organizationId, organizationId), lt(ssoSeenAssertions.expiresAt, new Date())));
    const rows = await tx
      .insert(ssoSeenAssertions)
      .values({ organizationId, connectionId: connection.id, assertionId, expiresAt })
      .onConflictDoNothing()
      .returning();
    return rows.length === 1;
  });
  if (!fresh) throw ssoFailed('this assertion was already used');
  const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
  const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
  const email = [profile.email, profile.mail, first(attributes.email), profile.nameID].find(
    (value): value is string => typeof value === 'string' && value.includes('@'),
  );
  if (!email) throw ssoFailed('the assertion carries no email');
  const name = first(attributes.name ?? attributes.displayName);
  return { email, name: typeof name === 'string' ? name : '', subject: profile.nameID };
}
