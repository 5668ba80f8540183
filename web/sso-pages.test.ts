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

/** "Sign in with SSO" in a browser: where the page sends it, and the binding cookie it set. */
async function startIn(b: ReturnType<typeof browser>, email: string) {
  await b.go('/sso');
  const started = await b.go('/sso', { email });
  expect(started.status).toBe(200);
  const setCookie = started.headers.getSetCookie().find((line) => line.startsWith('crm_sso='));
  const page = await started.text();
  expect(page).toContain('http-equiv="refresh"');
  const target = /<a href="([^"]+)" class="btn-primary/.exec(page)?.[1]?.replaceAll('&amp;', '&');
  expect(b.jar.has('crm_sso')).toBe(true);
  return { target: target!, setCookie };
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
    const { target, setCookie } = await startIn(b, email);
    expect(target.startsWith(idp.issuer)).toBe(true);
    expect(setCookie).toMatch(/^crm_sso=[0-9a-f]{64}; Max-Age=600; Path=\/sso; HttpOnly; SameSite=Lax$/);
    idp.as.email = email;
    const back = await idp.authorize(target);
    const answer = back.pathname + back.search;
    // Handed to a browser that did not start it, without the cookie or with its own sign-in's: refused, unspent.
    const stranger = browser();
    await stranger.go('/login');
    const withoutCookie = await stranger.go(answer);
    expect(withoutCookie.status).toBe(400);
    expect(await withoutCookie.text()).toContain('started in another browser');
    const other = browser();
    await startIn(other, `alan@${oidcDomain}`);
    const withOthers = await other.go(answer);
    expect(withOthers.status).toBe(400);
    expect(other.jar.has('crm_at')).toBe(false);
    expect(other.jar.has('crm_sso')).toBe(false);

    const landed = await b.go(answer);
    expect(landed.status, await landed.clone().text()).toBe(303);
    expect(landed.headers.get('location')).toBe('/');
    expect(b.jar.has('crm_at')).toBe(true);
    expect(b.jar.has('crm_sso')).toBe(false);
    expect((await b.go('/')).status).toBe(200);
    // Coming back with the same answer again shows why it failed, and signs nobody in.
    const fresh = browser();
    const again = await fresh.go(answer);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('Single sign-on did not work');
    expect(fresh.jar.has('crm_at')).toBe(false);
  });

  it('takes the SAML response the IdP posts from its own origin, without our CSRF token, in the starting browser only', async () => {
    const email = `grace@${samlDomain}`;
    const responseFor = async (target: string, emailAs = email) => {
      const relayState = new URL(target).searchParams.get('RelayState')!;
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
      const xml = signAssertion(
        samlResponseXml({
          email: emailAs,
          requestId: row!.requestId!,
          acsUrl: saml.saml.acsUrl,
          audience: saml.saml.spEntityId,
        }),
      );
      return { RelayState: relayState, SAMLResponse: Buffer.from(xml).toString('base64') };
    };
    const b = browser();
    const first = await startIn(b, email);
    expect(first.target.startsWith(IDP_SSO_URL)).toBe(true);
    // Over http the cookie cannot be SameSite=None (that needs Secure), so it stays Lax.
    expect(first.setCookie).toMatch(/Path=\/sso; HttpOnly; SameSite=Lax$/);
    const posted = await responseFor(first.target);

    // Without the cookie (a Lax one is not sent with another site's POST) the page posts the answer again from our
    // origin; a browser that has no cookie then either is refused.
    const stranger = browser();
    const withoutCookie = await stranger.go('/sso/saml/acs', posted, false);
    expect(withoutCookie.status).toBe(200);
    const repost = await withoutCookie.text();
    expect(repost).toContain('name="reposted" value="1"');
    expect(repost).toContain('action="/sso/saml/acs"');
    expect((await stranger.go('/sso/saml/acs', { ...posted, reposted: '1' }, false)).status).toBe(400);
    expect(stranger.jar.has('crm_at')).toBe(false);
    const other = browser();
    await startIn(other, `ada@${samlDomain}`);
    expect((await other.go('/sso/saml/acs', posted, false)).status).toBe(400);
    expect(other.jar.has('crm_at')).toBe(false);

    const tampered = Buffer.from(
      Buffer.from(posted.SAMLResponse, 'base64').toString().replace(email, `admin@${samlDomain}`),
    );
    const refused = await b.go('/sso/saml/acs', { ...posted, SAMLResponse: tampered.toString('base64') }, false);
    expect(refused.status).toBe(401);
    expect(b.jar.has('crm_at')).toBe(false);
    expect(b.jar.has('crm_sso')).toBe(false);

    // The starting browser's answer arriving without its cookie (as a Lax cookie does from the IdP's site) is
    // posted again from our page, with the cookie, and signs in.
    const next = await startIn(b, email);
    const answer = await responseFor(next.target);
    const kept = b.jar.get('crm_sso')!;
    b.jar.delete('crm_sso');
    expect((await b.go('/sso/saml/acs', answer, false)).status).toBe(200);
    b.jar.set('crm_sso', kept);
    const landed = await b.go('/sso/saml/acs', { ...answer, reposted: '1' }, false);
    expect(landed.status, await landed.clone().text()).toBe(303);
    expect(b.jar.has('crm_at')).toBe(true);
    expect(b.jar.has('crm_sso')).toBe(false);
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
