import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, ssoLoginStates } from '../../db/schema/index.ts';
import { hashToken } from '../../edge/protocol/routable-token.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import {
  IDP_CERT,
  IDP_ENTITY,
  IDP_SSO_URL,
  iso8601 as iso,
  OTHER_KEY,
  samlResponseXml,
  signAssertion as sign,
} from './test-saml-idp.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let admin: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let domain: string;
let connection: { id: string; saml: { spEntityId: string; acsUrl: string; metadataUrl: string } };

const shards = () => stack.regions.eu!.ctx.shards;
const orgId = () => admin.organization.id;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us', 'eu'] });
  api = apiClient(stack.edgeUrl);
  process.env.PUBLIC_BASE_URL = stack.edgeUrl;
  admin = await api.signup('saml-admin', { region: 'eu' });
  domain = `${api.unique('saml')}.example`;
  const created = await api.call('POST', '/api/v1/sso/connections', {
    token: admin.token,
    body: {
      protocol: 'saml',
      name: 'Test SAML IdP',
      defaultRole: 'manager',
      saml: { idpEntityId: IDP_ENTITY, idpSsoUrl: IDP_SSO_URL, idpCertificate: IDP_CERT },
    },
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.data));
  connection = created.data;
  const added = await api.call('POST', '/api/v1/sso/domains', {
    token: admin.token,
    body: { domain, verificationMethod: 'admin', connectionId: connection.id },
  });
  await api.call('POST', `/api/v1/sso/domains/${added.data.id}/verify`, {
    token: admin.token,
    body: { confirm: true },
  });
}, 600_000);
afterAll(() => stack?.stop());

/** Starts a sign-in and answers its RelayState and the AuthnRequest id the response must answer. */
async function start(email: string) {
  const started = await api.call('POST', '/api/v1/auth/sso/start', { body: { email } });
  expect(started.status, JSON.stringify(started.data)).toBe(200);
  expect(started.data.protocol).toBe('saml');
  const redirect = new URL(started.data.redirectUrl);
  expect(redirect.origin + redirect.pathname).toBe(IDP_SSO_URL);
  expect(redirect.searchParams.get('RelayState')).toBe(started.data.state);
  const stateHash = await hashToken(started.data.state);
  const [row] = await shards().withTenant(orgId(), (tx) =>
    tx
      .select()
      .from(ssoLoginStates)
      .where(and(eq(ssoLoginStates.organizationId, orgId()), eq(ssoLoginStates.stateHash, stateHash))),
  );
  return {
    relayState: started.data.state as string,
    browserBinding: started.data.browserBinding as string,
    requestId: row!.requestId!,
  };
}

type Options = { email: string; requestId: string; audience?: string; notOnOrAfter?: string; assertionId?: string };

const responseXml = (o: Options) =>
  samlResponseXml({ acsUrl: connection.saml.acsUrl, audience: connection.saml.spEntityId, ...o });

const b64 = (xml: string) => Buffer.from(xml).toString('base64');
const acs = (started: { relayState: string; browserBinding?: string }, xml: string) =>
  api.call('POST', '/api/v1/auth/sso/saml/acs', {
    headers: { 'user-agent': 'saml-suite/1.0' },
    body: { relayState: started.relayState, browserBinding: started.browserBinding, samlResponse: b64(xml) },
  });

describe('signing in with SAML 2.0', () => {
  it('serves SP metadata to anyone with its public URL, cacheable, and a 404 for any other id', async () => {
    const url = new URL(connection.saml.metadataUrl);
    expect(url.pathname).toMatch(/^\/api\/v1\/sso\/saml\/sp_eu_[0-9a-f]{64}\/metadata$/);
    const metadata = await api.call('GET', url.pathname);
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('content-type')).toContain('application/samlmetadata+xml');
    expect(metadata.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(metadata.data).toContain(connection.saml.spEntityId);
    expect(metadata.data).toContain(connection.saml.acsUrl);
    expect(metadata.data).toContain('WantAssertionsSigned="true"');
    expect(metadata.data).not.toContain('BEGIN CERTIFICATE');
    const etag = metadata.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const unchanged = await api.call('GET', url.pathname, { headers: { 'if-none-match': etag } });
    expect(unchanged.status).toBe(304);

    // Another organization's id with this connection's, this organization with a made-up connection, another region,
    // an OIDC connection and a malformed id: the same 404 envelope.
    const [, , , , , , publicId] = url.pathname.split('/');
    const orgHex = publicId!.slice(6, 38);
    const connectionHex = publicId!.slice(38);
    const oidc = await api.call('POST', '/api/v1/sso/connections', {
      token: admin.token,
      body: {
        protocol: 'oidc',
        name: 'Not SAML',
        oidc: { issuer: 'https://idp.test.example', clientId: 'c', clientSecret: 's' },
      },
    });
    const ids = [
      `sp_eu_${'1'.repeat(32)}${connectionHex}`,
      `sp_eu_${orgHex}${'2'.repeat(32)}`,
      `sp_us_${orgHex}${connectionHex}`,
      `sp_eu_${orgHex}${(oidc.data.id as string).replace(/-/g, '')}`,
      'not-an-id',
    ];
    for (const id of ids) expectError(await api.call('GET', `/api/v1/sso/saml/${id}/metadata`), 404, 'not_found', id);
    await api.call('DELETE', `/api/v1/sso/connections/${oidc.data.id}`, { token: admin.token });
  });

  it('takes a valid signed assertion, provisions the user with the default role, and never twice', async () => {
    const email = `ada@${domain}`;
    const started = await start(email);
    const { requestId } = started;
    const xml = sign(responseXml({ email, requestId, assertionId: '_replayed-assertion' }));
    const signedIn = await acs(started, xml);
    expect(signedIn.status, JSON.stringify(signedIn.data)).toBe(200);
    expect(signedIn.data.user).toMatchObject({ email, role: 'manager', name: 'Test Person' });
    expect(signedIn.data.refreshToken).toMatch(/^rt_eu_/);
    // The same post again: its RelayState is spent.
    expectError(await acs(started, xml), 400, 'sso_state_invalid');
    // Under a fresh sign-in made to answer the same request id, the assertion id is known: a replay.
    const next = await start(email);
    await shards().withTenant(orgId(), (tx) =>
      tx
        .update(ssoLoginStates)
        .set({ requestId })
        .where(and(eq(ssoLoginStates.organizationId, orgId()), eq(ssoLoginStates.requestId, next.requestId))),
    );
    const replayed = await acs(next, xml);
    expectError(replayed, 401, 'sso_failed');
    expect(replayed.data.error.message).toContain('already used');
    const logins = await shards().withTenant(orgId(), (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.organizationId, orgId()), eq(auditLog.action, 'auth.login'))),
    );
    expect(logins.some((row) => (row.changes as { protocol?: string } | null)?.protocol === 'saml')).toBe(true);
  });

  it('takes the response only with the binding of the browser that started, which a refusal leaves unspent', async () => {
    const email = `alan@${domain}`;
    const mine = await start(email);
    const theirs = await start(email);
    const xml = sign(responseXml({ email, requestId: mine.requestId }));
    expectError(await acs({ relayState: mine.relayState }, xml), 400, 'sso_state_invalid');
    expectError(await acs({ ...mine, browserBinding: theirs.browserBinding }, xml), 400, 'sso_state_invalid');
    const signedIn = await acs(mine, xml);
    expect(signedIn.status, JSON.stringify(signedIn.data)).toBe(200);
    expect(signedIn.data.user.email).toBe(email);
  });

  it('refuses tampered, unsigned, wrongly signed, expired, wrong-audience and unsolicited responses', async () => {
    const email = `grace@${domain}`;
    const cases: [string, (requestId: string) => string][] = [
      ['tampered', (requestId) => sign(responseXml({ email, requestId })).replace(email, `admin@${domain}`)],
      ['unsigned', (requestId) => responseXml({ email, requestId })],
      ['other key', (requestId) => sign(responseXml({ email, requestId }), OTHER_KEY)],
      ['expired', (requestId) => sign(responseXml({ email, requestId, notOnOrAfter: iso(-10 * 60_000) }))],
      [
        'wrong audience',
        (requestId) => sign(responseXml({ email, requestId, audience: 'https://someone-else.example/sp' })),
      ],
      ['another request', () => sign(responseXml({ email, requestId: '_not-our-request' }))],
    ];
    for (const [label, make] of cases) {
      const started = await start(email);
      expectError(await acs(started, make(started.requestId)), 401, 'sso_failed', label);
    }
    expectError(
      await acs({ relayState: 'sso_eu_garbage' }, sign(responseXml({ email, requestId: '_x' }))),
      400,
      'sso_state_invalid',
    );
    expectError(
      await api.call('POST', '/api/v1/auth/sso/saml/acs', { body: { relayState: 'x' } }),
      400,
      'validation_failed',
    );
  });
});
