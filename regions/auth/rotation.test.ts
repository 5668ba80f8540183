import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAccessTokenVerifier } from '../../edge/auth/access-tokens.ts';
import type { AccessClaims } from '../../edge/protocol/principal.ts';
import { KeysError, promoteSigningKey, retireSigningKeys, rotateSigningKeys } from '../../scripts/keys.ts';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { loadTokenIssuer, newSigningKey, readKeyFile, type TokenIssuer, writeKeyFile } from './tokens.ts';

const claims: AccessClaims = {
  sub: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e',
  org: '0193a5f2-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
  region: 'us',
  role: 'admin',
  sid: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
};
const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;

/** A region's JWKS endpoint whose key set the test swaps, as a region restarted with new keys would. */
function regionServing(initial: TokenIssuer) {
  let current = initial;
  const fetches: string[] = [];
  const fetchImpl = (async () => {
    fetches.push(current.signingKeyId);
    return Response.json(current.jwks());
  }) as unknown as typeof fetch;
  return {
    serve: (issuer: TokenIssuer) => {
      current = issuer;
    },
    fetches,
    edge: () => createAccessTokenVerifier({ us: 'http://us.test' }, fetchImpl),
  };
}

const folder = mkdtempSync(join(tmpdir(), 'signing-keys-'));
let oldKey: string;
let newKey: string;
beforeAll(async () => {
  oldKey = JSON.stringify(await newSigningKey());
  newKey = JSON.stringify(await newSigningKey());
});
afterEach(() => vi.useRealTimers());
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('signing keys', () => {
  it('sign with the first key and publish all of them', async () => {
    const rotated = await loadTokenIssuer('us', { keys: `[${newKey},${oldKey}]` });
    const before = await loadTokenIssuer('us', { jwk: oldKey });
    expect(rotated.jwks().keys.map((k) => k.kid)).toEqual([
      (await loadTokenIssuer('us', { jwk: newKey })).signingKeyId,
      before.signingKeyId,
    ]);
    for (const published of rotated.jwks().keys) {
      expect(published).not.toHaveProperty('d');
      expect(published).not.toHaveProperty('added_at');
      expect(published).toMatchObject({ alg: 'ES256', use: 'sig', kty: 'EC', crv: 'P-256' });
    }
    expect(kidOf(await rotated.signAccessToken(claims, 60))).toBe(rotated.signingKeyId);
    await expect(loadTokenIssuer('us', { keys: `[${oldKey},${oldKey}]` })).rejects.toThrow(/twice/);
    await expect(loadTokenIssuer('us', { keys: '[]' })).rejects.toThrow(/non-empty/);
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    await expect(loadTokenIssuer('us', { keys: JSON.stringify([await exportJWK(publicKey)]) })).rejects.toThrow(
      /private/,
    );
  });

  it("keep the old key's tokens valid during a rotation, at an edge old or new", async () => {
    const before = await loadTokenIssuer('us', { jwk: oldKey });
    const during = await loadTokenIssuer('us', { keys: `[${newKey},${oldKey}]` });
    const oldToken = await before.signAccessToken(claims, 900);
    const region = regionServing(during);
    expect(await region.edge()(oldToken)).toMatchObject({ userId: claims.sub, sessionId: claims.sid });
    expect(await region.edge()(await during.signAccessToken(claims, 900))).toMatchObject({ userId: claims.sub });
  });

  it('verify a new key’s token at an edge that cached the old key set, once jose’s 30 s cooldown has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const before = await loadTokenIssuer('us', { jwk: oldKey });
    const during = await loadTokenIssuer('us', { keys: `[${newKey},${oldKey}]` });
    const region = regionServing(before);
    const edge = region.edge();
    expect(await edge(await before.signAccessToken(claims, 900))).not.toBeNull();
    expect(region.fetches).toHaveLength(1);

    region.serve(during);
    const newToken = await during.signAccessToken(claims, 900);
    // Within the cooldown jose does not refetch for an unknown kid (so forged kids cannot make it hammer the region).
    vi.advanceTimersByTime(5_000);
    expect(await edge(newToken)).toBeNull();
    expect(region.fetches).toHaveLength(1);
    // After it, the unknown kid makes it fetch the key set again, and the token verifies; no restart, no 10 min wait.
    vi.advanceTimersByTime(26_000);
    expect(await edge(newToken)).toMatchObject({ userId: claims.sub });
    expect(region.fetches).toHaveLength(2);
    expect(await edge(await before.signAccessToken(claims, 900))).not.toBeNull();
  });

  it("refuse the old key's tokens once it is retired", async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const before = await loadTokenIssuer('us', { jwk: oldKey });
    const during = await loadTokenIssuer('us', { keys: `[${newKey},${oldKey}]` });
    const after = await loadTokenIssuer('us', { keys: `[${newKey}]` });
    // A long-lived token, so it is the key and not the expiry that refuses it.
    const oldToken = await before.signAccessToken(claims, 24 * 3600);
    const region = regionServing(during);
    const edge = region.edge();
    expect(await edge(oldToken)).not.toBeNull();
    region.serve(after);
    expect(await region.edge()(oldToken)).toBeNull();
    // An edge that cached the set with the old key drops it when its cache ages out (10 minutes).
    vi.advanceTimersByTime(10 * 60_000 + 1_000);
    expect(await edge(oldToken)).toBeNull();
    expect(await edge(await after.signAccessToken(claims, 900))).toMatchObject({ userId: claims.sub });
  });
});

describe('npm run keys -- rotate / retire', () => {
  const lines: string[] = [];
  const out = (line: string) => lines.push(line);

  it('puts a new key first in the file, keeps the old one published, and retires it after the token TTL', async () => {
    const dataDir = join(folder, 'cli');
    mkdirSync(join(dataDir, 'us'), { recursive: true });
    const file = join(dataDir, 'us', 'signing-key.json');
    // A file from before rotations: one JWK object, as regions made on first start.
    const { added_at: _, ...legacy } = JSON.parse(oldKey);
    writeFileSync(file, JSON.stringify(legacy));
    const env = { REGION: 'us', DATA_DIR: dataDir, ACCESS_TOKEN_TTL: '900' };
    const before = await loadTokenIssuer('us', { file });
    const now = Date.now();
    await rotateSigningKeys(env, out, now);
    const rotated = await loadTokenIssuer('us', { file });
    expect(rotated.jwks().keys).toHaveLength(2);
    expect(rotated.jwks().keys[1]!.kid).toBe(before.signingKeyId);
    expect(rotated.signingKeyId).not.toBe(before.signingKeyId);
    expect(readKeyFile(file)[0]!.added_at).toBe(Math.floor(now / 1000));

    expect(() => retireSigningKeys(env, out, { now: now + 60_000 })).toThrow(KeysError);
    expect(readKeyFile(file)).toHaveLength(2);
    retireSigningKeys(env, out, { now: now + 901_000 });
    const retired = await loadTokenIssuer('us', { file });
    expect(retired.jwks().keys.map((k) => k.kid)).toEqual([rotated.signingKeyId]);
    retireSigningKeys(env, out, { now: now + 902_000 });
    expect(lines.at(-1)).toMatch(/nothing to retire/);
  });

  it('publishes a new key without signing with it first, then promotes it, for regions of several processes', async () => {
    const file = join(folder, 'staged', 'signing-key.json');
    writeKeyFile(file, [JSON.parse(oldKey)]);
    const env = { REGION: 'us', SIGNING_KEY_FILE: file };
    const before = await loadTokenIssuer('us', { file });
    const now = Date.now();
    await rotateSigningKeys(env, out, now, true);
    const staged = await loadTokenIssuer('us', { file });
    expect(staged.signingKeyId).toBe(before.signingKeyId);
    expect(staged.jwks().keys).toHaveLength(2);
    await promoteSigningKey(env, out, now + 120_000);
    const promoted = await loadTokenIssuer('us', { file });
    expect(promoted.signingKeyId).toBe(staged.jwks().keys[1]!.kid);
    expect(promoted.jwks().keys.map((k) => k.kid)).toEqual([staged.jwks().keys[1]!.kid, before.signingKeyId]);
    // The old key signed until the promotion: retire waits a TTL from then.
    expect(() => retireSigningKeys(env, out, { now: now + 120_000 + 600_000 })).toThrow(KeysError);
    retireSigningKeys(env, out, { now: now + 120_000 + 901_000 });
    expect(readKeyFile(file)).toHaveLength(1);
  });

  it('prints the new SIGNING_KEYS value instead when the keys live in the environment', async () => {
    lines.length = 0;
    await rotateSigningKeys({ SIGNING_KEYS: `[${oldKey}]` }, out);
    const printed = JSON.parse(lines.at(-1)!);
    expect(printed).toHaveLength(2);
    expect(printed[1]).toEqual(JSON.parse(oldKey));
    retireSigningKeys({ SIGNING_KEYS: lines.at(-1)! }, out, { force: true });
    expect(JSON.parse(lines.at(-1)!)).toEqual([printed[0]]);
  });
});

describe('a region during a rotation', () => {
  let stack: TestStack;
  let before: TokenIssuer;
  beforeAll(async () => {
    before = await loadTokenIssuer('us', { jwk: oldKey });
    stack = await startTestStack({ regions: ['us'], signingKeys: { us: `[${newKey},${oldKey}]` } });
  }, 300_000);
  afterAll(() => stack?.stop());

  it('publishes both keys, signs with the new one, and the edge takes tokens of either', async () => {
    const jwks = await (await fetch(`${stack.regionUrls.us}/.well-known/jwks.json`)).json();
    expect(jwks.keys).toHaveLength(2);
    const api = apiClient(stack.edgeUrl);
    const admin = await api.signup('rotation', { region: 'us' });
    expect(kidOf(admin.token)).toBe(jwks.keys[0].kid);
    const payload = JSON.parse(Buffer.from(admin.token.split('.')[1]!, 'base64url').toString());
    // The same session, as a token the region signed before it restarted with the new key.
    const oldToken = await before.signAccessToken(
      { sub: payload.sub, org: payload.org, region: 'us', role: payload.role, sid: payload.sid },
      900,
    );
    expect(kidOf(oldToken)).toBe(jwks.keys[1].kid);
    for (const token of [admin.token, oldToken]) {
      const me = await api.call('GET', '/api/v1/me/sessions', { token });
      expect(me.status, JSON.stringify(me.data)).toBe(200);
    }
  });
});
