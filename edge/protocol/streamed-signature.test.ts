import { describe, expect, it } from 'vitest';
import { ReplayGuard } from './replay-guard.ts';
import { importSigningSecret, MAX_SKEW_MS, SIGNATURE_HEADERS, signRequest, verifyRequest } from './signature.ts';
import {
  isStreamedRequest,
  STREAMED_HEADERS,
  signStreamedRequest,
  verifyStreamedRequest,
} from './streamed-signature.ts';

const secret = 'a-test-secret-that-is-long-enough-0123456789';
const upload = {
  method: 'POST',
  pathAndQuery: '/api/v1/imports',
  context: { requestId: 'r1', principal: { type: 'user', organizationId: 'o1' } } as never,
  contentType: 'multipart/form-data; boundary=abc',
  contentLength: 1234,
};

async function signed(overrides: Partial<typeof upload> = {}, now = Date.now()) {
  const key = await importSigningSecret(secret);
  const headers = new Headers(await signStreamedRequest(key, { ...upload, ...overrides }, now));
  headers.set('content-type', overrides.contentType ?? upload.contentType);
  return { key, headers };
}

const verify = (key: CryptoKey, headers: Headers, extra: Partial<{ pathAndQuery: string; method: string }> = {}) =>
  verifyStreamedRequest(key, {
    method: 'POST',
    pathAndQuery: upload.pathAndQuery,
    headers,
    uploadRoute: true,
    ...extra,
  });

describe('streamed-body signatures (uploads)', () => {
  it('accepts what it signed: context, nonce, the declared length', async () => {
    const { key, headers } = await signed();
    expect(isStreamedRequest(headers)).toBe(true);
    const result = await verify(key, headers);
    expect(result).toMatchObject({ ok: true, context: upload.context, contentLength: 1234 });
    if (result.ok) expect(result.nonce).toBe(headers.get(STREAMED_HEADERS.nonce));
    const chunked = await signed({ contentLength: null as never });
    expect(await verify(chunked.key, chunked.headers)).toMatchObject({ ok: true, contentLength: null });
  });

  it('refuses tampered headers: path, method, context, content type, length, nonce, marker', async () => {
    const { key, headers } = await signed();
    expect((await verify(key, headers, { pathAndQuery: '/api/v1/imports?x=1' })).ok).toBe(false);
    expect((await verify(key, headers, { method: 'PUT' })).ok).toBe(false);
    const tamper = async (name: string, value: string) => {
      const forged = new Headers(headers);
      forged.set(name, value);
      return verify(key, forged);
    };
    expect(await tamper(SIGNATURE_HEADERS.context, btoa('{"requestId":"r1"}'))).toMatchObject({ ok: false });
    expect(await tamper('content-type', 'multipart/form-data; boundary=other')).toEqual({
      ok: false,
      reason: 'bad signature',
    });
    expect(await tamper(STREAMED_HEADERS.length, '99999')).toEqual({ ok: false, reason: 'bad signature' });
    expect(await tamper(STREAMED_HEADERS.length, '-')).toEqual({ ok: false, reason: 'bad signature' });
    expect(await tamper(STREAMED_HEADERS.nonce, '0'.repeat(32))).toEqual({ ok: false, reason: 'bad signature' });
    expect(await tamper(STREAMED_HEADERS.nonce, 'not hex')).toEqual({ ok: false, reason: 'malformed nonce' });
    expect(await tamper(STREAMED_HEADERS.body, 'signed')).toEqual({ ok: false, reason: 'unknown body marker' });
    expect(await tamper(SIGNATURE_HEADERS.timestamp, String(Date.now() + 1))).toMatchObject({ ok: false });
  });

  it('is accepted on upload routes only', async () => {
    const { key, headers } = await signed({ pathAndQuery: '/api/v1/leads' });
    const refused = await verifyStreamedRequest(key, {
      method: 'POST',
      pathAndQuery: '/api/v1/leads',
      headers,
      uploadRoute: false,
    });
    expect(refused).toEqual({ ok: false, reason: 'streamed body on a route that takes none' });
  });

  it('refuses a stale timestamp, another secret, and cannot pass as a buffered signature or back', async () => {
    const old = await signed({}, Date.now() - MAX_SKEW_MS - 1000);
    expect(await verify(old.key, old.headers)).toEqual({ ok: false, reason: 'stale signature' });
    const { headers } = await signed();
    const other = await importSigningSecret(`${secret}-other`);
    expect(await verify(other, headers)).toEqual({ ok: false, reason: 'bad signature' });
    // The streamed MAC over the same timestamp, path and context is not a buffered one for an empty body.
    const key = await importSigningSecret(secret);
    const buffered = await verifyRequest(key, { method: 'POST', pathAndQuery: upload.pathAndQuery, body: '', headers });
    expect(buffered.ok).toBe(false);
    // A buffered signature with the marker added is not a streamed one.
    const plain = new Headers(
      await signRequest(key, { method: 'POST', pathAndQuery: upload.pathAndQuery, body: '', context: upload.context }),
    );
    plain.set(STREAMED_HEADERS.body, 'unsigned-stream');
    plain.set(STREAMED_HEADERS.nonce, 'a'.repeat(32));
    plain.set(STREAMED_HEADERS.length, '-');
    plain.set('content-type', upload.contentType);
    expect(await verify(key, plain)).toEqual({ ok: false, reason: 'bad signature' });
  });
});

describe('the replay guard', () => {
  it('accepts a nonce once until it expires, and forgets it after', () => {
    const guard = new ReplayGuard();
    const now = 1_000_000;
    expect(guard.accept('n1', now + 60_000, now)).toBe(true);
    expect(guard.accept('n1', now + 60_000, now + 30_000)).toBe(false);
    expect(guard.accept('n2', now + 60_000, now)).toBe(true);
    expect(guard.accept('n3', now - 1, now)).toBe(false);
  });

  it('fails closed when full of fresh nonces, and makes room from expired ones', () => {
    const guard = new ReplayGuard(3);
    const now = 1_000_000;
    for (const nonce of ['a', 'b', 'c']) expect(guard.accept(nonce, now + 1_000, now)).toBe(true);
    expect(guard.accept('d', now + 1_000, now)).toBe(false);
    expect(guard.accept('d', now + 90_000, now + 2_000)).toBe(true);
    expect(guard.size).toBe(1);
  });
});
