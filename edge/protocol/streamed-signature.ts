import { decodeJson, encodeJson, fromBase64Url, randomHex, toBase64Url, utf8 } from './encoding.ts';
import type { RequestContext } from './principal.ts';
import { MAX_SKEW_MS, SIGNATURE_HEADERS } from './signature.ts';

/**
 * Signatures for requests whose body streams through the edge unread (multipart uploads of up to hundreds of MiB).
 *
 * The ordinary signature (signature.ts) covers a hash of the body, which the edge can only compute after holding the
 * whole body. An upload is instead forwarded while it arrives, so its signature cannot cover its bytes. What it does
 * cover, and why that is enough:
 *
 * - `v1-stream` first, then what a v1 signature covers (timestamp, method, path and query, the caller's context with
 *   its principal) — a different first line, so a streamed signature can never pass as a buffered one or back;
 * - the request's Content-Type (its multipart boundary) and the length the client declared, or `-` if it declared
 *   none; the region counts the body and refuses one of another length, so a declared body cannot be extended;
 * - a random nonce: the region accepts each nonce once while its timestamp is fresh (replay-guard.ts), so a captured
 *   request cannot be sent again, not even with another body — the only thing an attacker between edge and region
 *   could otherwise change;
 * - the marker header `x-crm-body: unsigned-stream` itself tells the region which form to check, and the region
 *   accepts this form on the upload routes alone (their body is one file the principal may store anyway, parsed as
 *   a stream and size-limited); on any other route it is 401, whatever the signature.
 */
export const STREAMED_HEADERS = {
  body: 'x-crm-body',
  nonce: 'x-crm-nonce',
  length: 'x-crm-body-length',
} as const;

export const UNSIGNED_STREAM = 'unsigned-stream';

export type StreamedRequest = {
  method: string;
  pathAndQuery: string;
  context: RequestContext;
  contentType: string;
  /** The length the client declared (Content-Length), or null when it sent its body chunked. */
  contentLength: number | null;
};

const canonical = (
  ts: string,
  nonce: string,
  request: { method: string; pathAndQuery: string; contentType: string; contentLength: string },
  context: string,
) =>
  [
    'v1-stream',
    ts,
    nonce,
    request.method.toUpperCase(),
    request.pathAndQuery,
    context,
    request.contentType,
    request.contentLength,
    UNSIGNED_STREAM,
  ].join('\n');

/** Whether a request says its body was streamed unsigned (and so must be checked by verifyStreamedRequest). */
export const isStreamedRequest = (headers: Headers) => headers.has(STREAMED_HEADERS.body);

/** Headers for a streamed request: the v1 names for timestamp, context and MAC, plus marker, nonce and length. */
export async function signStreamedRequest(
  key: CryptoKey,
  request: StreamedRequest,
  now = Date.now(),
): Promise<Record<string, string>> {
  const ts = String(now);
  const nonce = randomHex(16);
  const context = encodeJson(request.context);
  const contentLength = request.contentLength === null ? '-' : String(request.contentLength);
  const data = utf8.encode(canonical(ts, nonce, { ...request, contentLength }, context));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, data));
  return {
    [SIGNATURE_HEADERS.timestamp]: ts,
    [SIGNATURE_HEADERS.context]: context,
    [SIGNATURE_HEADERS.signature]: toBase64Url(mac),
    [STREAMED_HEADERS.body]: UNSIGNED_STREAM,
    [STREAMED_HEADERS.nonce]: nonce,
    [STREAMED_HEADERS.length]: contentLength,
  };
}

export type StreamedVerifyResult =
  | {
      ok: true;
      context: RequestContext;
      /** Accept it once (replay-guard.ts) until this time, after which its timestamp is stale anyway. */
      nonce: string;
      expiresAt: number;
      /** The body must have exactly this many bytes; null when the client sent it chunked. */
      contentLength: number | null;
    }
  | { ok: false; reason: string };

/**
 * Checks a streamed request's MAC (constant time, crypto.subtle.verify) and freshness. `uploadRoute` is the
 * caller's word that the route takes a streamed body; without it the request is refused before anything else.
 * The nonce is not remembered here: the caller must accept it once (a ReplayGuard).
 */
export async function verifyStreamedRequest(
  key: CryptoKey,
  request: { method: string; pathAndQuery: string; headers: Headers; uploadRoute: boolean },
  now = Date.now(),
): Promise<StreamedVerifyResult> {
  const { headers } = request;
  if (headers.get(STREAMED_HEADERS.body) !== UNSIGNED_STREAM) return { ok: false, reason: 'unknown body marker' };
  if (!request.uploadRoute) return { ok: false, reason: 'streamed body on a route that takes none' };
  const ts = headers.get(SIGNATURE_HEADERS.timestamp);
  const context = headers.get(SIGNATURE_HEADERS.context);
  const signature = headers.get(SIGNATURE_HEADERS.signature);
  const nonce = headers.get(STREAMED_HEADERS.nonce);
  const length = headers.get(STREAMED_HEADERS.length);
  if (!ts || !context || !signature || !nonce || !length) return { ok: false, reason: 'unsigned request' };
  if (!/^[0-9a-f]{32}$/.test(nonce)) return { ok: false, reason: 'malformed nonce' };
  if (length !== '-' && !/^(0|[1-9][0-9]{0,15})$/.test(length)) return { ok: false, reason: 'malformed length' };
  const sent = Number(ts);
  if (!Number.isFinite(sent) || Math.abs(now - sent) > MAX_SKEW_MS) return { ok: false, reason: 'stale signature' };
  let mac: Uint8Array;
  try {
    mac = fromBase64Url(signature);
  } catch {
    return { ok: false, reason: 'malformed signature' };
  }
  const contentType = headers.get('content-type') ?? '';
  const data = utf8.encode(
    canonical(
      ts,
      nonce,
      { method: request.method, pathAndQuery: request.pathAndQuery, contentType, contentLength: length },
      context,
    ),
  );
  const valid = await crypto.subtle.verify('HMAC', key, mac as Uint8Array<ArrayBuffer>, data);
  if (!valid) return { ok: false, reason: 'bad signature' };
  try {
    return {
      ok: true,
      context: decodeJson<RequestContext>(context),
      nonce,
      expiresAt: sent + MAX_SKEW_MS,
      contentLength: length === '-' ? null : Number(length),
    };
  } catch {
    return { ok: false, reason: 'malformed context' };
  }
}
