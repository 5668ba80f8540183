import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, ssoConnections, ssoLoginStates, users } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { startTestOidcProvider } from './test-oidc-provider.ts';

const USER_AGENT = 'sso-suite/1.0';
const headers = { 'user-agent': USER_AGENT };
const CLIENT = { clientId: 'crm-test', clientSecret: 'a-client-secret-of-the-idp-0123456789' };

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let idp: Awaited<ReturnType<typeof startTestOidcProvider>>;
let admin: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let domain: string;
let domainId: string;
let connectionId: string;

const shards = () => stack.regions.eu!.ctx.shards;
const orgId = () => admin.organization.id;
const audit = (action: string) =>
  shards().withTenant(orgId(), (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, orgId()), eq(auditLog.action, action))),
  );

beforeAll(async () => {
  // Two regions: the organization lives in eu, the edge's default is us, so every SSO step must be routed.
  stack = await startTestStack({ regions: ['us', 'eu'] });
  api = apiClient(stack.edgeUrl);
  process.env.PUBLIC_BASE_URL = stack.edgeUrl;
  process.env.SSO_ALLOW_INSECURE_ISSUERS = 'true';
  idp = await startTestOidcProvider({ ...CLIENT, redirectUri: `${stack.edgeUrl}/sso/callback` });
  admin = await api.signup('sso-admin', { region: 'eu' });
  domain = `${api.unique('corp')}.example`;
}, 600_000);
afterAll(async () => {
  await idp?.stop();
  await stack?.stop();
  delete process.env.SSO_ALLOW_INSECURE_ISSUERS;
});

/** Starts a sign-in by email and follows the provider until it sends the browser back to us. */
async function signInAtIdp(email: string) {
  const started = await api.call('POST', '/api/v1/auth/sso/start', { headers, body: { email } });
  expect(started.status, JSON.stringify(started.data)).toBe(200);
  expect(started.data.protocol).toBe('oidc');
  expect(started.data.state).toMatch(/^sso_eu_/);
  const redirect = new URL(started.data.redirectUrl);
  expect(redirect.origin).toBe(idp.issuer);
  expect(redirect.searchParams.get('code_challenge_method')).toBe('S256');
  expect(redirect.searchParams.get('nonce')).toBeTruthy();
  idp.as.email = email;
  expect(started.data.browserBinding).toMatch(/^[0-9a-f]{64}$/);
  const back = await idp.authorize(started.data.redirectUrl);
  return { state: started.data.state as string, browserBinding: started.data.browserBinding as string, back };
}

const callback = (body: Record<string, unknown>) =>
  api.call('POST', '/api/v1/auth/sso/oidc/callback', { headers, body });
/** The provider's redirect as the callback takes it, with the binding of the browser that started. */
const answerOf = (
  { back, browserBinding }: { back: URL; browserBinding?: string },
  state = back.searchParams.get('state')!,
) => ({
  state,
  browserBinding,
  code: back.searchParams.get('code')!,
  iss: back.searchParams.get('iss') ?? undefined,
});

describe('SSO administration', () => {
  it('adds an OIDC connection with its secret sealed, never shown, audited', async () => {
    const created = await api.call('POST', '/api/v1/sso/connections', {
      token: admin.token,
      headers,
      body: {
        protocol: 'oidc',
        name: 'Test IdP',
        defaultRole: 'viewer',
        oidc: { issuer: idp.issuer, clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret },
      },
    });
    expect(created.status, JSON.stringify(created.data)).toBe(201);
    expect(created.data).toMatchObject({
      protocol: 'oidc',
      defaultRole: 'viewer',
      oidc: { clientSecretSet: true, redirectUri: `${stack.edgeUrl}/sso/callback` },
    });
    expect(JSON.stringify(created.data)).not.toContain(CLIENT.clientSecret);
    connectionId = created.data.id;
    const [row] = await shards().withTenant(orgId(), (tx) =>
      tx.select().from(ssoConnections).where(eq(ssoConnections.id, connectionId)),
    );
    expect(row!.oidcClientSecretSealed).toMatch(/^sb1:/);
    expect(row!.oidcClientSecretSealed).not.toContain(CLIENT.clientSecret);
    const [entry] = await audit('sso.connection_created');
    expect(entry).toMatchObject({ actorId: admin.user.id, ip: '127.0.0.1', userAgent: USER_AGENT });
    const list = await api.call('GET', '/api/v1/sso/connections', { token: admin.token });
    expect(list.data.data).toHaveLength(1);
  });

  it('refuses bad input with 400 and members without the permission with 403', async () => {
    expectError(
      await api.call('POST', '/api/v1/sso/connections', {
        token: admin.token,
        body: { protocol: 'oidc', name: 'x', oidc: { issuer: 'not a url', clientId: 'a', clientSecret: 'b' } },
      }),
      400,
      'validation_failed',
    );
    expectError(
      await api.call('POST', '/api/v1/sso/domains', {
        token: admin.token,
        body: { domain: 'not_a_domain', verificationMethod: 'admin' },
      }),
      400,
      'validation_failed',
    );
    const rep = await api.member(admin.token, 'sales_rep');
    expectError(await api.call('GET', '/api/v1/sso/connections', { token: rep.token }), 403, 'forbidden');
  });

  it('verifies a domain by admin confirmation, and refuses a DNS one without its record', async () => {
    const added = await api.call('POST', '/api/v1/sso/domains', {
      token: admin.token,
      headers,
      body: { domain: domain.toUpperCase(), verificationMethod: 'admin', connectionId },
    });
    expect(added.status, JSON.stringify(added.data)).toBe(201);
    expect(added.data).toMatchObject({ domain, verified: false });
    domainId = added.data.id;
    // Not verified yet: no SSO for it.
    expectError(
      await api.call('POST', '/api/v1/auth/sso/start', { body: { email: `x@${domain}` } }),
      404,
      'sso_not_configured',
    );
    expectError(
      await api.call('POST', `/api/v1/sso/domains/${domainId}/verify`, { token: admin.token, body: {} }),
      400,
      'validation_failed',
    );
    const verified = await api.call('POST', `/api/v1/sso/domains/${domainId}/verify`, {
      token: admin.token,
      headers,
      body: { confirm: true },
    });
    expect(verified.status, JSON.stringify(verified.data)).toBe(200);
    expect(verified.data.verified).toBe(true);
    expect(await audit('sso.domain_verified')).toHaveLength(1);

    const dns = await api.call('POST', '/api/v1/sso/domains', {
      token: admin.token,
      body: { domain: `dns.${domain}.invalid`, verificationMethod: 'dns_txt' },
    });
    expect(dns.data.dnsRecord).toMatchObject({ type: 'TXT', name: `_crm-verification.dns.${domain}.invalid` });
    expectError(
      await api.call('POST', `/api/v1/sso/domains/${dns.data.id}/verify`, { token: admin.token, body: {} }),
      409,
      'domain_not_verified',
    );
    // Another organization cannot take a verified domain.
    const other = await api.signup('sso-other');
    const taken = await api.call('POST', '/api/v1/sso/domains', {
      token: other.token,
      body: { domain, verificationMethod: 'admin' },
    });
    expectError(taken, 409, 'domain_taken');
  });
});

describe('signing in with OpenID Connect', () => {
  it('runs the code + PKCE flow through the edge and provisions the user with the default role', async () => {
    const email = `grace@${domain}`;
    const started = await signInAtIdp(email);
    const { back } = started;
    expect(back.searchParams.get('code')).toBeTruthy();
    const signedIn = await callback(answerOf(started));
    expect(signedIn.status, JSON.stringify(signedIn.data)).toBe(200);
    expect(signedIn.data).toMatchObject({ tokenType: 'Bearer', mfaEnrolmentRequired: false });
    expect(signedIn.data.refreshToken).toMatch(/^rt_eu_/);
    expect(signedIn.data.user).toMatchObject({ email, role: 'viewer' });
    const me = await api.call('GET', '/api/v1/me', { token: signedIn.data.accessToken });
    expect(me.status).toBe(200);
    const [user] = await shards().withTenant(orgId(), (tx) => tx.select().from(users).where(eq(users.email, email)));
    expect(user!.passwordHash).toBeNull();
    const [provisioned] = await audit('sso.user_provisioned');
    expect(provisioned).toMatchObject({ targetId: user!.id, ip: '127.0.0.1', userAgent: USER_AGENT });
    const logins = (await audit('auth.login')).filter((row) => row.targetId === user!.id);
    expect(logins[0]!.changes).toMatchObject({ method: 'sso', protocol: 'oidc', provisioned: true });

    // The state works once.
    expectError(await callback(answerOf(started)), 400, 'sso_state_invalid');
    // A second sign-in finds the user and creates nobody.
    const again = await signInAtIdp(email);
    const second = await callback(answerOf(again));
    expect(second.status, JSON.stringify(second.data)).toBe(200);
    expect(second.data.user.id).toBe(user!.id);
    expect(await audit('sso.user_provisioned')).toHaveLength(1);
  });

  it('finishes only with the binding of the browser that started, which a refusal leaves unspent', async () => {
    const email = `grace@${domain}`;
    const mine = await signInAtIdp(email);
    const theirs = await signInAtIdp(email);
    const withoutBinding = await callback({ ...answerOf(mine), browserBinding: undefined });
    expectError(withoutBinding, 400, 'sso_state_invalid');
    expect(withoutBinding.data.error.message).toContain('another browser');
    expectError(
      await callback(answerOf({ back: mine.back, browserBinding: theirs.browserBinding })),
      400,
      'sso_state_invalid',
    );
    expectError(
      await callback(answerOf({ back: mine.back, browserBinding: 'f'.repeat(64) })),
      400,
      'sso_state_invalid',
    );
    const signedIn = await callback(answerOf(mine));
    expect(signedIn.status, JSON.stringify(signedIn.data)).toBe(200);
    expect(signedIn.data.user.email).toBe(email);
    expectError(await callback(answerOf(mine)), 400, 'sso_state_invalid');
  });

  it("refuses another sign-in's state, an unknown state and a changed nonce", async () => {
    const email = `ada@${domain}`;
    const first = await signInAtIdp(email);
    const second = await signInAtIdp(email);
    // The code of the first sign-in with the state of the second: PKCE and state do not match.
    expectError(
      await callback(answerOf({ back: first.back, browserBinding: second.browserBinding }, second.state)),
      401,
      'sso_failed',
    );
    expectError(
      await callback({ state: `sso_eu_${orgId().replace(/-/g, '')}${'0'.repeat(48)}`, code: 'x' }),
      400,
      'sso_state_invalid',
    );
    expectError(await callback({ state: 'garbage', code: 'x' }), 400, 'sso_state_invalid');

    const third = await signInAtIdp(email);
    await shards().withTenant(orgId(), (tx) =>
      tx.update(ssoLoginStates).set({ nonce: 'not-the-nonce-sent' }).where(eq(ssoLoginStates.organizationId, orgId())),
    );
    const refused = await callback(answerOf(third));
    expectError(refused, 401, 'sso_failed');
    // openid-client names the claim only in the error's cause: the message says a claim did not match.
    expect(refused.data.error.message).toMatch(/claim/i);
    expect((await audit('auth.sso_failed')).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses an email the organization has not verified, and no provisioning when it is off', async () => {
    const elsewhere = await signInAtIdp(`ada@${domain}`);
    idp.as.email = 'ada@unverified.example';
    // The provider is asked for the claims at the token exchange, so the swapped email is what it vouches for.
    const refused = await callback(answerOf(elsewhere));
    expectError(refused, 403, 'sso_domain_not_verified');

    await api.call('PATCH', `/api/v1/sso/connections/${connectionId}`, {
      token: admin.token,
      body: { jitProvisioning: false },
    });
    const unknown = await signInAtIdp(`newcomer@${domain}`);
    expectError(await callback(answerOf(unknown)), 403, 'sso_user_unknown');
    await api.call('PATCH', `/api/v1/sso/connections/${connectionId}`, {
      token: admin.token,
      body: { jitProvisioning: true },
    });
  });

  it('refuses password sign-in for a domain that requires SSO', async () => {
    const email = `alan@${domain}`;
    const before = await api.call('POST', '/api/v1/auth/login', { body: { email, password: 'Whatever-123456!' } });
    expectError(before, 401, 'invalid_credentials');
    expectError(
      await api.call('PATCH', `/api/v1/sso/domains/${domainId}`, { token: admin.token, body: { requireSso: 'yes' } }),
      400,
      'validation_failed',
    );
    const required = await api.call('PATCH', `/api/v1/sso/domains/${domainId}`, {
      token: admin.token,
      headers,
      body: { requireSso: true },
    });
    expect(required.status, JSON.stringify(required.data)).toBe(200);
    const [changed] = await audit('sso.domain_updated');
    expect(changed).toMatchObject({ userAgent: USER_AGENT, changes: { requireSso: [false, true] } });
    const after = await api.call('POST', '/api/v1/auth/login', { body: { email, password: 'Whatever-123456!' } });
    expectError(after, 403, 'sso_required');
    // Other domains sign in with passwords as before.
    const own = await api.call('POST', '/api/v1/auth/login', {
      body: { email: admin.user.email, password: admin.password },
    });
    expect(own.status).toBe(200);
    await api.call('PATCH', `/api/v1/sso/domains/${domainId}`, { token: admin.token, body: { requireSso: false } });
  });
});
