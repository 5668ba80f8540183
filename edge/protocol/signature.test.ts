import { describe, expect, it } from 'vitest';
import { importSigningSecret, SIGNATURE_HEADERS, signRequest, verifyRequest } from './signature.ts';

const secret = 'a-test-secret-that-is-long-enough-0123456789';
const request = { method: 'POST', pathAndQuery: '/api/v1/leads?x=1', body: '{"a":1}', context: { requestId: 'r1' } };

async function signed(now = Date.now()) {
  const key = await importSigningSecret(secret);
  return { key, headers: new Headers(await signRequest(key, request, now)) };
}

describe('edge → region request signatures', () => {
  it('accepts what it signed and hands back the context', async () => {
    const { key, headers } = await signed();
    const result = await verifyRequest(key, { ...request, headers });
    expect(result).toEqual({ ok: true, context: { requestId: 'r1' } });
  });

  it('refuses a changed body, path, method or context', async () => {
    const { key, headers } = await signed();
    expect((await verifyRequest(key, { ...request, body: '{"a":2}', headers })).ok).toBe(false);
    expect((await verifyRequest(key, { ...request, pathAndQuery: '/api/v1/leads', headers })).ok).toBe(false);
    expect((await verifyRequest(key, { ...request, method: 'PATCH', headers })).ok).toBe(false);
    const forged = new Headers(headers);
    forged.set(SIGNATURE_HEADERS.context, btoa('{"requestId":"r1","principal":{"type":"user"}}'));
    expect((await verifyRequest(key, { ...request, headers: forged })).ok).toBe(false);
  });

  it('refuses another secret, a stale timestamp and a missing signature', async () => {
    const { headers } = await signed();
    const other = await importSigningSecret(`${secret}-other`);
    expect(await verifyRequest(other, { ...request, headers })).toEqual({ ok: false, reason: 'bad signature' });
    const old = await signed(Date.now() - 120_000);
    expect(await verifyRequest(old.key, { ...request, headers: old.headers })).toEqual({
      ok: false,
      reason: 'stale signature',
    });
    expect(await verifyRequest(old.key, { ...request, headers: new Headers() })).toEqual({
      ok: false,
      reason: 'unsigned request',
    });
  });

  it('signs bytes as it signs their text, and binary bodies byte for byte', async () => {
    const key = await importSigningSecret(secret);
    const asText = new Headers(await signRequest(key, request));
    const bytes = new TextEncoder().encode(request.body);
    expect((await verifyRequest(key, { ...request, body: bytes, headers: asText })).ok).toBe(true);
    expect((await verifyRequest(key, { ...request, body: bytes.buffer, headers: asText })).ok).toBe(true);
    const binary = Uint8Array.from([0xff, 0xfe, 0x00, 0x80, 0xc3]);
    const signed = new Headers(await signRequest(key, { ...request, body: binary }));
    expect((await verifyRequest(key, { ...request, body: binary, headers: signed })).ok).toBe(true);
    // Decoded as text, invalid UTF-8 turns into replacement characters: the signature must not survive that.
    const decoded = new TextDecoder().decode(binary);
    expect((await verifyRequest(key, { ...request, body: decoded, headers: signed })).ok).toBe(false);
  });

  it('insists on a secret of useful length', async () => {
    await expect(importSigningSecret('short')).rejects.toThrow(/at least 32/);
  });
});
