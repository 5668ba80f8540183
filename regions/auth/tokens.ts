import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { ACCESS_AUDIENCE, type AccessClaims, issuerFor, keyIdFor } from '../../edge/protocol/principal.ts';

export type TokenIssuer = {
  /** The public keys the edge verifies access tokens with. */
  jwks(): { keys: JWK[] };
  signAccessToken(claims: AccessClaims, ttlSeconds: number): Promise<string>;
};

/** The region's ES256 key: from SIGNING_KEY (a private JWK as JSON), else a file made on first start. */
export async function loadTokenIssuer(region: string, options: { jwk?: string; file?: string }): Promise<TokenIssuer> {
  const privateJwk = options.jwk ? (JSON.parse(options.jwk) as JWK) : await keyFromFile(options.file);
  const { d: _private, ...publicJwk } = privateJwk;
  const kid = keyIdFor(region, await calculateJwkThumbprint(publicJwk));
  const key = await importJWK(privateJwk, 'ES256');
  const published: JWK = { ...publicJwk, kid, alg: 'ES256', use: 'sig' };
  return {
    jwks: () => ({ keys: [published] }),
    signAccessToken: (claims, ttlSeconds) =>
      new SignJWT({ org: claims.org, region: claims.region, role: claims.role, sid: claims.sid })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(issuerFor(region))
        .setAudience(ACCESS_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key),
  };
}

async function keyFromFile(file: string | undefined): Promise<JWK> {
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  }
  return jwk;
}
