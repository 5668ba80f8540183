import * as client from 'openid-client';
import type { ssoConnections } from '../../db/schema/index.ts';
import type { RegionContext } from '../context.ts';
import { ssoFailed } from './errors.ts';
import { insecureIssuersAllowed, refuseIssuerUrl } from './issuer-url.ts';
import { oidcRedirectUri, oidcSecretContext } from './urls.ts';

type Connection = typeof ssoConnections.$inferSelect;

/** The provider's configuration from its discovery document, with the client's sealed secret opened. */
async function configurationOf(ctx: RegionContext, connection: Connection) {
  const issuer = connection.oidcIssuer ?? '';
  const refused = refuseIssuerUrl(issuer);
  if (refused) throw ssoFailed(`the issuer URL is refused (${refused})`);
  if (!connection.oidcClientId || !connection.oidcClientSecretSealed) throw ssoFailed('the connection is incomplete');
  const secret = await ctx.secrets.open(connection.oidcClientSecretSealed, oidcSecretContext(connection.id));
  try {
    return await client.discovery(
      new URL(issuer),
      connection.oidcClientId,
      secret,
      client.ClientSecretPost(secret),
      insecureIssuersAllowed() ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
    );
  } catch (error) {
    throw ssoFailed(`the identity provider's discovery document could not be read (${(error as Error).message})`);
  }
}

/**
 * The authorization request: code flow with PKCE (S256), `state` the sign-in's routable token and a fresh `nonce`
 * the ID token must carry back. Answers what the state row keeps and where to send the browser.
 */
export async function beginOidc(ctx: RegionContext, connection: Connection, state: string, loginHint: string) {
  const config = await configurationOf(ctx, connection);
  const codeVerifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirectUri(),
    scope: 'openid email profile',
    response_type: 'code',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    login_hint: loginHint,
  });
  return { redirectUrl: url.href, nonce, codeVerifier };
}

/**
 * The provider's answer: the code is exchanged with the PKCE verifier, and openid-client checks the state, the
 * issuer (RFC 9207 `iss` when sent), the ID token's signature, audience, expiry and nonce. Answers the identity.
 */
export async function finishOidc(
  ctx: RegionContext,
  connection: Connection,
  answer: { state: string; code: string; iss?: string },
  checks: { nonce: string; codeVerifier: string },
) {
  const config = await configurationOf(ctx, connection);
  const callback = new URL(oidcRedirectUri());
  callback.searchParams.set('code', answer.code);
  callback.searchParams.set('state', answer.state);
  if (answer.iss) callback.searchParams.set('iss', answer.iss);
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: answer.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw ssoFailed((error as Error).message);
  }
  const claims = tokens.claims();
  if (!claims) throw ssoFailed('no ID token');
  let profile: Record<string, unknown> = claims;
  if (typeof claims.email !== 'string') {
    // Some providers keep the email out of the ID token and in the UserInfo answer only.
    profile = await client.fetchUserInfo(config, tokens.access_token, claims.sub).catch((error: Error) => {
      throw ssoFailed(`the user's profile could not be read (${error.message})`);
    });
  }
  if (typeof profile.email !== 'string') throw ssoFailed('the identity provider sent no email');
  if (profile.email_verified === false) throw ssoFailed('the identity provider says the email is not verified');
  const name = typeof profile.name === 'string' ? profile.name : '';
  return { email: profile.email, name, subject: claims.sub };
}
