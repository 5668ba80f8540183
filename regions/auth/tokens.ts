import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { ACCESS_AUDIENCE, type AccessClaims, issuerFor, keyIdFor } from '../../edge/protocol/principal.ts';

export type TokenIssuer = {
  /** The public keys the edge verifies access tokens with: every configured key, the signing one first. */
  jwks(): { keys: JWK[] };
  /** The `kid` of the key that signs now. */
  signingKeyId: string;
  signAccessToken(claims: AccessClaims, ttlSeconds: number): Promise<string>;
};

/**
 * A private ES256 JWK as kept in a key file. `added_at` (Unix seconds, our own member: RFC 7517 lets a JWK carry
 * members a reader does not know) says when `npm run keys -- rotate` made it, so `retire` can wait out the TTL.
 */
export type SigningKey = JWK & { added_at?: number };

/**
 * The region's ES256 keys, the first of which signs and all of which are published, so a rotation never strands
 * a token: `SIGNING_KEYS` (a JSON array of private JWKs), else `SIGNING_KEY` (one), else a key file holding the
 * list (one key is made on first start). A file from before rotations existed holds a single JWK object.
 */
export async function loadTokenIssuer(
  region: string,
  options: { keys?: string; jwk?: string; file?: string },
): Promise<TokenIssuer> {
  const privateJwks = options.keys
    ? parseSigningKeys(options.keys, 'SIGNING_KEYS')
    : options.jwk
      ? parseSigningKeys(options.jwk, 'SIGNING_KEY')
      : await keysFromFile(options.file);
  const keys = await Promise.all(
    privateJwks.map(async ({ added_at: _added, ...privateJwk }) => {
      const { d: _private, ...publicJwk } = privateJwk;
      if (!_private) throw new Error('a signing key must be a private JWK (with "d")');
      const kid = keyIdFor(region, await calculateJwkThumbprint(publicJwk));
      return {
        kid,
        key: await importJWK(privateJwk, 'ES256'),
        published: { ...publicJwk, kid, alg: 'ES256', use: 'sig' } as JWK,
      };
    }),
  );
  const kids = new Set(keys.map((k) => k.kid));
  if (kids.size !== keys.length) throw new Error('the same signing key is configured twice');
  const signing = keys[0]!;
  return {
    jwks: () => ({ keys: keys.map((k) => k.published) }),
    signingKeyId: signing.kid,
    signAccessToken: (claims, ttlSeconds) =>
      new SignJWT({ org: claims.org, region: claims.region, role: claims.role, sid: claims.sid })
        .setProtectedHeader({ alg: 'ES256', kid: signing.kid, typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(issuerFor(region))
        .setAudience(ACCESS_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(signing.key),
  };
}

/** One private JWK or a non-empty array of them, as JSON. */
export function parseSigningKeys(text: string, source: string): SigningKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not JSON: give a private JWK or an array of them`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0 || list.some((k) => !k || typeof k !== 'object' || Array.isArray(k))) {
    throw new Error(`${source} must hold a private JWK or a non-empty array of them`);
  }
  return list as SigningKey[];
}

export async function newSigningKey(now = Date.now()): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), added_at: Math.floor(now / 1000) };
}

export function readKeyFile(file: string): SigningKey[] {
  return parseSigningKeys(readFileSync(file, 'utf8'), file);
}

/** Replaces the file whole (a rename), so a region starting meanwhile reads the old list or the new, never half. */
export function writeKeyFile(file: string, keys: readonly SigningKey[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const next = `${file}.${process.pid}.tmp`;
  writeFileSync(next, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  renameSync(next, file);
}

async function keysFromFile(file: string | undefined): Promise<SigningKey[]> {
  if (file && existsSync(file)) return readKeyFile(file);
  const key = await newSigningKey();
  if (file) writeKeyFile(file, [key]);
  return [key];
}
