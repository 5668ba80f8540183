import {
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeJson } from '../../edge/protocol/encoding.ts';
import {
  ACCESS_AUDIENCE,
  type AccessClaims,
  issuerFor,
  keyIdFor,
  type Principal,
} from '../../edge/protocol/principal.ts';
import { importSigningSecret, SIGNATURE_HEADERS, signRequest } from '../../edge/protocol/signature.ts';
import { apiClient } from '../support/api.ts';
import { expectError } from '../support/envelope.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../support/stack.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type RegionKey = { privateKey: CryptoKey; publicKey: CryptoKey; publicJwk: JWK; kid: string };

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
/** The regions' real signing keys, handed to them at start so this suite can sign exactly as they do. */
const keys: Record<string, RegionKey> = {};
let admin: Session;
let viewer: { token: string; user: { id: string } };
let other: Session;

async function regionKey(region: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = keyIdFor(region, await calculateJwkThumbprint(publicJwk));
  return { key: { privateKey, publicKey, publicJwk, kid }, privateJwk: JSON.stringify(await exportJWK(privateKey)) };
}

/** Claims a region puts in an access token, taken from a real one so the user, org and session exist. */
function claimsOf(token: string): AccessClaims {
  const { sub, org, region, role, sid } = decodeJwt(token) as JWTPayload & AccessClaims;
  return { sub, org, region, role, sid };
}

/** Signs the way a region does, with every part overridable so one thing at a time can be wrong. */
async function forge(
  token: string,
  overrides: {
    key?: CryptoKey;
    header?: Record<string, unknown>;
    claims?: Record<string, unknown>;
    issuer?: string;
    audience?: string;
    expiresAt?: number | null;
    notBefore?: number;
  } = {},
) {
  const real = keys.us!;
  const jwt = new SignJWT({ ...claimsOf(token), ...overrides.claims } as JWTPayload)
    .setProtectedHeader({ alg: 'ES256', kid: real.kid, typ: 'JWT', ...overrides.header })
    .setIssuer(overrides.issuer ?? issuerFor('us'))
    .setAudience(overrides.audience ?? ACCESS_AUDIENCE)
    .setIssuedAt();
  if (overrides.expiresAt !== null) jwt.setExpirationTime(overrides.expiresAt ?? Math.floor(Date.now() / 1000) + 300);
  if (overrides.notBefore !== undefined) jwt.setNotBefore(overrides.notBefore);
  return jwt.sign(overrides.key ?? real.privateKey);
}

const b64url = (text: string) => Buffer.from(text).toString('base64url');

/** A token refused on a read and on a write, with the envelope and a Bearer challenge. */
async function expectRefused(token: string, label: string) {
  const me = await api.call('GET', '/api/v1/me', { token });
  expectError(me, 401, 'invalid_token', label);
  expect(me.headers.get('www-authenticate'), label).toMatch(/^Bearer/);
  const write = await api.call('POST', '/api/v1/leads', { token, body: { firstName: 'Forged' } });
  expectError(write, 401, 'invalid_token', label);
}

beforeAll(async () => {
  const us = await regionKey('us');
  const eu = await regionKey('eu');
  keys.us = us.key;
  keys.eu = eu.key;
  stack = await startTestStack({ signingKeys: { us: us.privateJwk, eu: eu.privateJwk } });
  api = apiClient(stack.edgeUrl);
  [admin, other] = await Promise.all([api.signup('tok-admin'), api.signup('tok-other')]);
  viewer = await api.member(admin.token, 'viewer');
});
afterAll(() => stack?.stop());

describe('access tokens the edge refuses', () => {
  it('accepts a token signed the region way (the control every attack below differs from)', async () => {
    expect(decodeProtectedHeader(admin.token).kid).toBe(keys.us!.kid);
    const me = await api.call('GET', '/api/v1/me', { token: await forge(viewer.token) });
    expect(me.status).toBe(200);
    expect(me.data).toMatchObject({ role: 'viewer', user: { id: viewer.user.id } });
  });

  it('refuses alg none, with or without a signature', async () => {
    const payload = b64url(JSON.stringify({ ...decodeJwt(admin.token) }));
    for (const header of [
      { alg: 'none', typ: 'JWT', kid: keys.us!.kid },
      { alg: 'none', typ: 'JWT' },
      { alg: 'None', kid: keys.us!.kid },
    ]) {
      const unsigned = `${b64url(JSON.stringify(header))}.${payload}.`;
      await expectRefused(unsigned, `alg ${header.alg}`);
      await expectRefused(`${unsigned}${admin.token.split('.')[2]}`, `alg ${header.alg} + signature`);
    }
  });

  it('refuses HMAC tokens keyed with the public key, the shared secret or anything else', async () => {
    const publicPem = await exportSPKI(keys.us!.publicKey);
    const secrets = [JSON.stringify(keys.us!.publicJwk), publicPem, TEST_SECRET, 'secret', keys.us!.kid];
    for (const secret of secrets) {
      for (const alg of ['HS256', 'HS512']) {
        const token = await new SignJWT({ ...claimsOf(viewer.token), role: 'admin' })
          .setProtectedHeader({ alg, kid: keys.us!.kid, typ: 'JWT' })
          .setIssuer(issuerFor('us'))
          .setAudience(ACCESS_AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(secret));
        await expectRefused(token, `${alg} with ${secret.slice(0, 20)}`);
      }
    }
  });

  it("refuses a stranger's ES256 key, whatever kid it claims or key it embeds", async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const strangerJwk = await exportJWK(publicKey);
    const strangerKid = keyIdFor('us', await calculateJwkThumbprint(strangerJwk));
    const cases: [string, Record<string, unknown>][] = [
      ["the region's real kid", {}],
      ['a real-looking kid of its own', { kid: strangerKid }],
      ['its key embedded in the header', { kid: strangerKid, jwk: strangerJwk }],
      ['a jku pointing elsewhere', { kid: strangerKid, jku: `${stack.regionUrls.eu}/.well-known/jwks.json` }],
      ['a jku to its own keys', { jku: 'https://attacker.example/jwks.json' }],
    ];
    for (const [label, header] of cases) {
      await expectRefused(await forge(admin.token, { key: privateKey, header }), label);
    }
  });

  it('refuses kids that name an unknown region, another region, or carry path and injection text', async () => {
    const thumb = keys.us!.kid.split('.')[1]!;
    const kids: unknown[] = [
      `ap.${thumb}`,
      `zz.${thumb}`,
      `eu.${thumb}`,
      keys.eu!.kid,
      thumb,
      '',
      '../../../../etc/passwd',
      `us/../../internal/auth/api-key.${thumb}`,
      `us.${thumb}/../../`,
      `us.${thumb}' OR '1'='1`,
      `__proto__.${thumb}`,
      `constructor.${thumb}`,
      `hasOwnProperty.${thumb}`,
      `http://127.0.0.1:1/.well-known/jwks.json`,
      `us.${thumb}\u0000`,
      42,
      null,
      { region: 'us' },
    ];
    for (const kid of kids) await expectRefused(await forge(admin.token, { header: { kid } }), `kid ${String(kid)}`);
    const noKid = await new SignJWT({ ...claimsOf(admin.token) })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setIssuer(issuerFor('us'))
      .setAudience(ACCESS_AUDIENCE)
      .setExpirationTime('5m')
      .sign(keys.us!.privateKey);
    await expectRefused(noKid, 'no kid');
  });

  it('refuses one region minting tokens in the name of another', async () => {
    const euKey = keys.eu!;
    await expectRefused(
      await forge(admin.token, { key: euKey.privateKey, header: { kid: euKey.kid } }),
      'eu key, us issuer and region',
    );
    await expectRefused(
      await forge(admin.token, { key: euKey.privateKey, header: { kid: euKey.kid }, issuer: issuerFor('eu') }),
      'eu key and issuer, us region claim',
    );
    await expectRefused(await forge(admin.token, { key: euKey.privateKey }), 'eu key behind the us kid');
  });

  it('refuses expired tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await forge(admin.token, { expiresAt: now - 1 }), 'expired a second ago');
    await expectRefused(await forge(admin.token, { expiresAt: now - 3600 }), 'expired an hour ago');
    await expectRefused(await forge(admin.token, { expiresAt: null }), 'no expiry');
    await expectRefused(await forge(admin.token, { notBefore: now + 3600 }), 'not valid yet');

    const shortLived = await stack.regions.us!.ctx.tokens.signAccessToken(claimsOf(admin.token), 1);
    expect((await api.call('GET', '/api/v1/me', { token: shortLived })).status).toBe(200);
    await new Promise((done) => setTimeout(done, 2_100));
    await expectRefused(shortLived, 'region-issued, expired');
  });

  it('refuses a real token whose payload was edited', async () => {
    const [header, , signature] = viewer.token.split('.');
    const tampered = (changes: Record<string, unknown>) =>
      `${header}.${b64url(JSON.stringify({ ...decodeJwt(viewer.token), ...changes }))}.${signature}`;
    await expectRefused(tampered({ role: 'admin' }), 'role raised to admin');
    await expectRefused(tampered({ org: other.organization.id }), "org changed to another's");
    await expectRefused(tampered({ sub: admin.user.id }), 'sub changed to the admin');
    await expectRefused(tampered({ exp: Math.floor(Date.now() / 1000) + 86_400 * 365 }), 'expiry extended');
    const [, payload] = viewer.token.split('.');
    await expectRefused(`${header}.${payload}.${signature!.slice(0, -4)}AAAA`, 'signature altered');
    await expectRefused(`${header}.${payload}`, 'signature dropped');
  });

  it('refuses the wrong audience, issuer or claims even under the real key', async () => {
    const cases: [string, Parameters<typeof forge>[1]][] = [
      ['audience of another service', { audience: 'crm-admin' }],
      ['issuer of another region', { issuer: issuerFor('eu') }],
      ['foreign issuer', { issuer: 'https://attacker.example' }],
      ['region claim of another region', { claims: { region: 'eu' } }],
      ['role that does not exist', { claims: { role: 'superadmin' } }],
      ['no subject', { claims: { sub: undefined } }],
      ['no organization', { claims: { org: undefined } }],
      ['no session', { claims: { sid: undefined } }],
    ];
    for (const [label, overrides] of cases) await expectRefused(await forge(admin.token, overrides), label);
  });

  it('answers a missing or malformed Authorization header with 401', async () => {
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'Bearer' },
      { authorization: 'Bearer short' },
      { authorization: `Basic ${b64url('a:b')}` },
      { authorization: `Bearer ${'x'.repeat(5000)}` },
      { authorization: `Bearer ${admin.token} ${admin.token}` },
    ];
    for (const headers of cases) {
      const reply = await api.call('GET', '/api/v1/me', { headers });
      expectError(reply, 401, 'unauthorized', JSON.stringify(headers).slice(0, 40));
    }
    expectError(await api.call('GET', '/api/v1/me', { token: 'ck_us_not-a-real-key-at-all' }), 401, 'invalid_token');
  });
});

describe('refresh tokens', () => {
  const refresh = (refreshToken: string) => api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken } });

  it('rotate once; reusing the old one is refused and revokes the whole family', async () => {
    const session = await api.signup('rotate');
    const first = await refresh(session.refreshToken);
    expect(first.status).toBe(200);
    expect(first.data.refreshToken).not.toBe(session.refreshToken);
    expect((await api.call('GET', '/api/v1/me', { token: first.data.accessToken })).status).toBe(200);

    expectError(await refresh(session.refreshToken), 401, 'refresh_token_reused');
    // The newer token is as suspect as the copied one: whoever holds it must sign in again.
    expectError(await refresh(first.data.refreshToken), 401, ['refresh_token_reused', 'invalid_refresh_token']);
    expectError(await refresh(session.refreshToken), 401, ['refresh_token_reused', 'invalid_refresh_token']);
  });

  it('are all revoked by logging out, and only those of that session', async () => {
    const session = await api.signup('logout');
    const login = async () => {
      const reply = await api.call('POST', '/api/v1/auth/login', {
        body: { email: session.user.email, password: session.password },
      });
      expect(reply.status).toBe(200);
      return reply.data as { accessToken: string; refreshToken: string };
    };
    const [first, second] = [await login(), await login()];
    const rotated = await refresh(first.refreshToken);
    expect(rotated.status).toBe(200);

    expect((await api.call('POST', '/api/v1/auth/logout', { token: rotated.data.accessToken })).status).toBe(204);
    // The signed-out session's access token stops working too, before it would expire.
    expectError(await api.call('GET', '/api/v1/leads', { token: rotated.data.accessToken }), 401, 'unauthorized');
    expect((await api.call('GET', '/api/v1/leads', { token: second.accessToken })).status).toBe(200);
    // An ended session is not a theft: the code says so, unlike a reused token's.
    expectError(await refresh(rotated.data.refreshToken), 401, 'invalid_refresh_token');
    expectError(await refresh(first.refreshToken), 401, 'refresh_token_reused');
    const elsewhere = await refresh(second.refreshToken);
    expect(elsewhere.status).toBe(200);
  });

  it('refuse forged and foreign refresh tokens', async () => {
    const session = await api.signup('forged-rt');
    const otherHex = other.organization.id.replace(/-/g, '');
    const relabelled = session.refreshToken.replace(/^(rt_us_)[0-9a-f]{32}/, `$1${otherHex}`);
    expectError(await refresh(relabelled), 401, 'invalid_refresh_token');
    expectError(await refresh(session.refreshToken.replace(/^rt_us_/, 'rt_eu_')), 401, 'invalid_refresh_token');
    expectError(await refresh(session.refreshToken.replace(/^rt_/, 'ck_')), 401, 'invalid_refresh_token');
    expectError(await refresh(`rt_us_${'0'.repeat(80)}`), 401, 'invalid_refresh_token');
    expectError(await refresh(session.token.slice(0, 200)), 401, 'invalid_refresh_token');
    expect((await refresh(session.refreshToken)).status).toBe(200);
  });
});

describe('calls straight to a region', () => {
  let key: CryptoKey;
  let principal: Principal;
  const body = JSON.stringify({ firstName: 'Direct' });

  beforeAll(async () => {
    key = await importSigningSecret(TEST_SECRET);
    const claims = decodeJwt(admin.token) as Record<string, string>;
    principal = {
      type: 'user',
      organizationId: claims.org!,
      region: 'us',
      userId: claims.sub!,
      role: 'admin',
      sessionId: claims.sid!,
    };
  });

  const post = async (headers: Record<string, string>, sent = body, path = '/api/v1/leads') => {
    const response = await fetch(`${stack.regionUrls.us}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: sent,
    });
    return { status: response.status, data: await response.json(), headers: response.headers };
  };
  const signed = (now = Date.now(), signingKey = key, context: object = { requestId: 'direct', principal }) =>
    signRequest(signingKey, { method: 'POST', pathAndQuery: '/api/v1/leads', body, context: context as never }, now);

  it('go through when signed with the shared secret (the control)', async () => {
    const reply = await post(await signed());
    expect(reply.status).toBe(201);
  });

  it('are refused without the signature, even with a valid access token', async () => {
    expectError(await post({ authorization: `Bearer ${admin.token}` }), 401, 'unsigned_request');
    const list = await fetch(`${stack.regionUrls.us}/api/v1/leads`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(list.status).toBe(401);
    expect(await list.json()).toMatchObject({ error: { code: 'unsigned_request' } });
    for (const [path, payload] of [
      ['/internal/auth/api-key', { key: 'ck_us_x' }],
      ['/internal/directory/find-login', { email: admin.user.email }],
      ['/internal/directory/claim-login', {}],
    ] as const) {
      expectError(await post({}, JSON.stringify(payload), path), 401, 'unsigned_request', path);
    }
  });

  it('are refused when stale, from the future, re-bodied, re-contexted or signed with another secret', async () => {
    expectError(await post(await signed(Date.now() - 120_000)), 401, 'unsigned_request');
    expectError(await post(await signed(Date.now() + 120_000)), 401, 'unsigned_request');
    expectError(await post(await signed(), JSON.stringify({ firstName: 'Changed' })), 401, 'unsigned_request');
    const forgedContext = {
      ...(await signed()),
      [SIGNATURE_HEADERS.context]: encodeJson({
        requestId: 'direct',
        principal: { ...principal, organizationId: other.organization.id },
      }),
    };
    expectError(await post(forgedContext), 401, 'unsigned_request');
    const wrongKey = await importSigningSecret(`${TEST_SECRET}-but-not-quite`);
    expectError(await post(await signed(Date.now(), wrongKey)), 401, 'unsigned_request');
    expectError(
      await post({ ...(await signed()), [SIGNATURE_HEADERS.signature]: '!!!not-base64!!!' }),
      401,
      'unsigned_request',
    );
  });
});
