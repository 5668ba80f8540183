import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { HSTS, NON_PAGE_POLICY, SCRIPTLESS_PAGE_POLICY, securityHeaders } from './security-headers.ts';

function app(options?: Parameters<typeof securityHeaders>[0]) {
  const edge = new Hono();
  edge.onError((_error, c) => c.json({ error: 'boom' }, 500));
  edge.use('*', securityHeaders(options));
  edge.get('/json', (c) => c.json({ ok: true }));
  edge.get('/page', (c) => c.html('<!doctype html><p>hi</p>'));
  edge.get('/own-policy', (c) =>
    c.html('<!doctype html><p>hi</p>', 200, { 'Content-Security-Policy': "script-src 'nonce-abc'" }),
  );
  edge.get('/throws', () => {
    throw new Error('boom');
  });
  return edge;
}

describe('security headers', () => {
  it('sets the fixed headers on every response, errors and misses included', async () => {
    for (const path of ['/json', '/page', '/throws', '/nowhere']) {
      const response = await app().request(path);
      const headers = response.headers;
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('x-frame-options'), path).toBe('DENY');
      expect(headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(headers.get('cross-origin-resource-policy'), path).toBe('same-origin');
      expect(headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(headers.get('permissions-policy'), path).toContain('camera=()');
      expect(headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
  });

  it('gives a response without a policy the one for its kind, and keeps a policy a page brought', async () => {
    const edge = app();
    expect((await edge.request('/json')).headers.get('content-security-policy')).toBe(NON_PAGE_POLICY);
    expect((await edge.request('/page')).headers.get('content-security-policy')).toBe(SCRIPTLESS_PAGE_POLICY);
    expect(SCRIPTLESS_PAGE_POLICY).toContain("script-src 'none'");
    expect((await edge.request('/own-policy')).headers.get('content-security-policy')).toBe("script-src 'nonce-abc'");
  });

  it('sends HSTS over https only: the request URL, or the proxy in front saying so', async () => {
    const edge = app();
    expect((await edge.request('http://crm.example/json')).headers.get('strict-transport-security')).toBeNull();
    expect((await edge.request('https://crm.example/json')).headers.get('strict-transport-security')).toBe(HSTS);
    expect(HSTS).toBe('max-age=31536000; includeSubDomains');
    const viaProxy = async (headers: Record<string, string>) =>
      (await edge.request('http://crm.example/json', { headers })).headers.get('strict-transport-security');
    expect(await viaProxy({ 'x-forwarded-proto': 'https' })).toBe(HSTS);
    expect(await viaProxy({ 'x-forwarded-proto': 'https, http' })).toBe(HSTS);
    expect(await viaProxy({ 'x-forwarded-proto': 'http' })).toBeNull();
    expect(await viaProxy({ forwarded: 'for=192.0.2.60;proto=https;by=203.0.113.43' })).toBe(HSTS);
    expect(await viaProxy({ forwarded: 'for=192.0.2.60;proto=http' })).toBeNull();
  });

  it('lets other sites load what is meant for them, and nothing else changes', async () => {
    const response = await app({ crossOriginResourcePolicy: 'cross-origin' }).request('/json');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
