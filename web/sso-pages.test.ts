import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ssoLoginStates } from '../db/schema/index.ts';
import { hashToken } from '../edge/protocol/routable-token.ts';
import { startTestOidcProvider } from '../regions/sso/test-oidc-provider.ts';
import { IDP_CERT, IDP_ENTITY, IDP_SSO_URL, samlResponseXml, signAssertion } from '../regions/sso/test-saml-idp.ts';
import { apiClient } from '../test/support/api.ts';
import { startTestStack, type TestStack } from '../test/support/stack.ts';

/**
 * The SSO pages served by the edge, without a browser: "Sign in with SSO" from the login page to the provider
 * and back into the same httpOnly session cookies as a password sign-in (OIDC through /sso/callback, SAML through
 * the ACS the IdP posts to from its own origin), and the admins' settings page.
 */
const CLIENT = { clientId: 'crm-web', clientSecret: 'another-client-secret-0123456789abcdef' };
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let idp: Awaited<ReturnType<typeof startTestOidcProvider>>;
let admin: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let oidcDomain: string;
let samlDomain: string;
let saml: { id: string; saml: { spEntityId: string; acsUrl: string } };

function browser() {
  const jar = new Map<string, string>();
  async function go(path: string, form?: Record<string, string>, withCsrf = true) {
    const headers = new Headers();
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    if (form) headers.set('content-type', 'application/x-www-form-urlencoded');
    const fields = withCsrf ? { _csrf: jar.get('crm_csrf') ?? '', ...form } : form;
    const response = await fetch(stack.edgeUrl + path, {
      method: form ? 'POST' : 'GET',
      headers,
      body: form ? new URLSearchParams(fields).toString() : undefined,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      if (/max-age=0/i.test(line)) jar.delete(name!);
      else jar.set(name!, value.join('='));
    }
    return response;
  }
  return { go, jar };
}

async function verifiedDomain(domain: string, connectionId: string) {
  const added = await api.call('POST', '/api/v1/sso/domains', {
    token: admin.token,
    body: { domain, verificationMethod: 'admin', connectionId },
  });
  await api.call('POST', `/api/v1/sso/domains/${added.data.id}/verify`, {
    token: admin.token,
    body: { confirm: true },
  });
  return added.data.id as string;
}

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  process.env.PUBLIC_BASE_URL = stack.edgeUrl;
  process.env.SSO_ALLOW_INSECURE_ISSUERS = 'true';
  idp = await startTestOidcProvider({ ...CLIENT, redirectUri: `${stack.edgeUrl}/sso/callback` });
  admin = await api.signup('sso-pages');
  oidcDomain = `${api.unique('web-oidc')}.example`;
  samlDomain = `${api.unique('web-saml')}.example`;
  const oidc = await api.call('POST', '/api/v1/sso/connections', {
    token: admin.token,
    body: {
      protocol: 'oidc',
      name: 'Web IdP',
      oidc: { issuer: idp.issuer, clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret },
    },
  });
  const samlCreated = await api.call('POST', '/api/v1/sso/connections', {
    token: admin.token,
    body: {
      protocol: 'saml',
      name: 'Web SAML',
      saml: { idpEntityId: IDP_ENTITY, idpSsoUrl: IDP_SSO_URL, idpCertificate: IDP_CERT },
    },
  });
  saml = samlCreated.data;
  await verifiedDomain(oidcDomain, oidc.data.id);
  await verifiedDomain(samlDomain, saml.id);
}, 600_000);
afterAll(async () => {
  await idp?.stop();
  await stack?.stop();
  delete process.env.SSO_ALLOW_INSECURE_ISSUERS;
});

describe('SSO pages', () => {
  it('signs in through the OpenID provider from the login page into session cookies', async () => {
    const b = browser();
    const login = await (await b.go('/login')).text();
    expect(login).toContain('href="/sso"');
    await b.go('/sso');
    const email = `ada@${oidcDomain}`;
    const started = await b.go('/sso', { email });
    expect(started.status).toBe(200);
    const page = await started.text();
    const target = /<a href="([^"]+)" class="btn-primary/.exec(page)?.[1]?.replaceAll('&amp;', '&');
    expect(target?.startsWith(idp.issuer)).toBe(true);
    expect(page).toContain('http-equiv="refresh"');
    idp.as.email = email;
    const back = await idp.authorize(target!);
    const landed = await b.go(back.pathname + back.search);
    expect(landed.status, await landed.clone().text()).toBe(303);
    expect(landed.headers.get('location')).toBe('/');
    expect(b.jar.has('crm_at')).toBe(true);
    expect((await b.go('/')).status).toBe(200);
    // Coming back with the same answer again shows why it failed, and signs nobody in.
    const fresh = browser();
    const again = await fresh.go(back.pathname + back.search);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('Single sign-on did not work');
    expect(fresh.jar.has('crm_at')).toBe(false);
  });

  it('takes the SAML response the IdP posts from its own origin, without our CSRF token', async () => {
    const email = `grace@${samlDomain}`;
    const started = await api.call('POST', '/api/v1/auth/sso/start', { body: { email } });
    const relayState = started.data.state as string;
    const [row] = await stack.regions.us!.ctx.shards.withTenant(admin.organization.id, async (tx) =>
      tx
        .select()
        .from(ssoLoginStates)
        .where(
          and(
            eq(ssoLoginStates.organizationId, admin.organization.id),
            eq(ssoLoginStates.stateHash, await hashToken(relayState)),
          ),
        ),
    );
    const xml = (emailAs: string) =>
      signAssertion(
        samlResponseXml({
          email: emailAs,
          requestId: row!.requestId!,
          acsUrl: saml.saml.acsUrl,
          audience: saml.saml.spEntityId,
        }),
      );
    const b = browser();
    const tampered = xml(email).replace(email, `admin@${samlDomain}`);
    const refused = await b.go(
      '/sso/saml/acs',
      { SAMLResponse: Buffer.from(tampered).toString('base64'), RelayState: relayState },
      false,
    );
    expect(refused.status).toBe(401);
    expect(b.jar.has('crm_at')).toBe(false);

    const next = await api.call('POST', '/api/v1/auth/sso/start', { body: { email } });
    const [nextRow] = await stack.regions.us!.ctx.shards.withTenant(admin.organization.id, async (tx) =>
      tx
        .select()
        .from(ssoLoginStates)
        .where(
          and(
            eq(ssoLoginStates.organizationId, admin.organization.id),
            eq(ssoLoginStates.stateHash, await hashToken(next.data.state)),
          ),
        ),
    );
    const good = signAssertion(
      samlResponseXml({
        email,
        requestId: nextRow!.requestId!,
        acsUrl: saml.saml.acsUrl,
        audience: saml.saml.spEntityId,
      }),
    );
    const landed = await b.go(
      '/sso/saml/acs',
      { SAMLResponse: Buffer.from(good).toString('base64'), RelayState: next.data.state },
      false,
    );
    expect(landed.status, await landed.clone().text()).toBe(303);
    expect(b.jar.has('crm_at')).toBe(true);
  });

  it("shows admins the SSO settings and refuses other members, and sends a require-SSO domain's login to SSO", async () => {
    const b = browser();
    await b.go('/login');
    await b.go('/login', { email: admin.user.email, password: admin.password, next: '/settings/sso' });
    const settings = await b.go('/settings/sso');
    expect(settings.status).toBe(200);
    const html = await settings.text();
    expect(html).toContain(oidcDomain);
    expect(html).toContain('Web SAML');
    expect(html).toContain(`${stack.edgeUrl}/sso/callback`);

    const added = await b.go('/settings/sso', {
      intent: 'add-domain',
      domain: 'not a domain',
      verificationMethod: 'admin',
    });
    expect(added.status).toBe(400);
    expect(await added.text()).toContain('A domain such as');

    const domains = await api.call('GET', '/api/v1/sso/domains', { token: admin.token });
    const id = domains.data.data.find((d: { domain: string }) => d.domain === oidcDomain).id;
    const required = await b.go('/settings/sso', { intent: 'update-domain', id, requireSso: 'on', connectionId: '' });
    expect(required.status).toBe(200);
    const visitor = browser();
    await visitor.go('/login');
    const sent = await visitor.go('/login', {
      email: `someone@${oidcDomain}`,
      password: 'Whatever-123456!',
      next: '/',
    });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`/sso?email=${encodeURIComponent(`someone@${oidcDomain}`)}`);

    const rep = await api.member(admin.token, 'sales_rep');
    const repBrowser = browser();
    await repBrowser.go('/login');
    await repBrowser.go('/login', { email: rep.email, password: rep.password, next: '/' });
    expect((await repBrowser.go('/settings/sso')).status).toBe(403);
  });
});
