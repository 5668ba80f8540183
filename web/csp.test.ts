import { h, type VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import CopyButton from '../islands/CopyButton.tsx';
import { createNonce, pagePolicy } from './csp.ts';
import { renderPage } from './render.tsx';

const page = (nonce?: string) => ({
  title: 'Test',
  me: null,
  csrf: 'c'.repeat(64),
  path: '/test',
  body: h(CopyButton, { text: 'secret', label: 'Copy' }) as VNode,
  nonce,
});

describe('page CSP', () => {
  it('makes a fresh 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(atob(nonce)).toHaveLength(16);
  });

  it('runs scripts by nonce only, never inline, and is never framed', () => {
    const policy = pagePolicy('abc123');
    const directives = Object.fromEntries(
      policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives['script-src']).toBe("'nonce-abc123' 'strict-dynamic'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
    expect(directives['style-src']).toBe("'self'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['base-uri']).toBe("'none'");
    expect(directives['connect-src']).toBe("'self'");
  });

  it('puts the nonce on every script and module preload an island page loads', () => {
    const nonce = createNonce();
    const html = renderPage(page(nonce));
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) {
      expect(tag).toContain(`nonce="${nonce}"`);
      expect(tag).toMatch(/\ssrc="\/static\//);
    }
    for (const tag of html.match(/<link\b[^>]*rel="modulepreload"[^>]*>/g) ?? []) {
      expect(tag).toContain(`nonce="${nonce}"`);
    }
  });

  it('refuses to render islands without a nonce, which the browser would block', () => {
    expect(() => renderPage(page())).toThrow(/nonce/);
  });
});
