import { decodeJson, encodeJson, fromBase64Url, toBase64Url, utf8 } from './encoding.ts';
import type { RequestContext } from './principal.ts';

export const SIGNATURE_HEADERS = {
  timestamp: 'x-crm-timestamp',
  context: 'x-crm-context',
  signature: 'x-crm-signature',
} as const;

/** How far a signed request's clock may be from the region's before it is refused as a replay. */
export const MAX_SKEW_MS = 60_000;

export async function importSigningSecret(secret: string): Promise<CryptoKey> {
  if (secret.length < 32) throw new Error('the edge/region shared secret must be at least 32 characters');
  return crypto.subtle.importKey('raw', utf8.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

/**
 * A body as it is signed: the text of a JSON request, or the raw bytes of any other (multipart uploads), which
 * must not pass through a text decoder. A string is hashed as its UTF-8 bytes, exactly what goes on the wire, so
 * the region may verify either form against the bytes it receives.
 */
export type SignedBody = string | Uint8Array | ArrayBuffer;

const sha256 = async (bytes: Uint8Array | ArrayBuffer) =>
  toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));

/** Most requests (every GET) have no body: its digest is worked out once, not on every request. */
let emptyBodyDigest: Promise<string> | undefined;

function bodyDigest(body: SignedBody): Promise<string> {
  const bytes = typeof body === 'string' ? utf8.encode(body) : body;
  if (bytes.byteLength === 0) {
    emptyBodyDigest ??= sha256(bytes);
    return emptyBodyDigest;
  }
  return sha256(bytes);
}

const canonical = async (ts: string, method: string, pathAndQuery: string, context: string, body: SignedBody) =>
  ['v1', ts, method.toUpperCase(), pathAndQuery, context, await bodyDigest(body)].join('\n');

/** Headers that let a region trust a request the edge forwards (and a region's call to another region). */
export async function signRequest(
  key: CryptoKey,
  request: { method: string; pathAndQuery: string; body: SignedBody; context: RequestContext },
  now = Date.now(),
): Promise<Record<string, string>> {
  const ts = String(now);
  const context = encodeJson(request.context);
  const data = utf8.encode(await canonical(ts, request.method, request.pathAndQuery, context, request.body));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, data));
  return {
    [SIGNATURE_HEADERS.timestamp]: ts,
    [SIGNATURE_HEADERS.context]: context,
    [SIGNATURE_HEADERS.signature]: toBase64Url(mac),
  };
}

export type VerifyResult = { ok: true; context: RequestContext } | { ok: false; reason: string };

/** Checks the signature in constant time (crypto.subtle.verify) and the timestamp's freshness. */
export async function verifyRequest(
  key: CryptoKey,
  request: { method: string; pathAndQuery: string; body: SignedBody; headers: Headers },
  now = Date.now(),
): Promise<VerifyResult> {
  const ts = request.headers.get(SIGNATURE_HEADERS.timestamp);
  const context = request.headers.get(SIGNATURE_HEADERS.context);
  const signature = request.headers.get(SIGNATURE_HEADERS.signature);
  if (!ts || !context || !signature) return { ok: false, reason: 'unsigned request' };
  const sent = Number(ts);
  if (!Number.isFinite(sent) || Math.abs(now - sent) > MAX_SKEW_MS) return { ok: false, reason: 'stale signature' };
  let mac: Uint8Array;
  try {
    mac = fromBase64Url(signature);
  } catch {
    return { ok: false, reason: 'malformed signature' };
  }
  const data = utf8.encode(await canonical(ts, request.method, request.pathAndQuery, context, request.body));
  const valid = await crypto.subtle.verify('HMAC', key, mac as Uint8Array<ArrayBuffer>, data);
  if (!valid) return { ok: false, reason: 'bad signature' };
  try {
    return { ok: true, context: decodeJson<RequestContext>(context) };
  } catch {
    return { ok: false, reason: 'malformed context' };
  }
}
