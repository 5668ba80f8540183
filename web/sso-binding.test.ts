import { describe, expect, it } from 'vitest';
import { keepSsoBinding, takeSsoBinding } from './sso-binding.ts';

/** A browser's cookies as a page sees them: what it sent, and what the answer sets. */
function cookiesOf(secure: boolean, sent: Record<string, string> = {}) {
  const set: { name: string; value: string; options: Record<string, unknown> }[] = [];
  return {
    secure,
    cookie: (name: string) => sent[name],
    setCookie: (name: string, value: string, options: Record<string, unknown>) => set.push({ name, value, options }),
    set,
  };
}

describe('the SSO browser binding cookie', () => {
  it('is httpOnly, scoped to /sso, SameSite=Lax, for as long as the sign-in', () => {
    const page = cookiesOf(false);
    keepSsoBinding(page, 'abc', 'oidc', 600);
    expect(page.set).toEqual([
      {
        name: 'crm_sso',
        value: 'abc',
        options: { path: '/sso', httpOnly: true, secure: false, sameSite: 'Lax', maxAge: 600 },
      },
    ]);
  });

  it('is Secure with a __Secure- name over https, and SameSite=None for SAML, whose IdP posts from its origin', () => {
    const oidc = cookiesOf(true);
    keepSsoBinding(oidc, 'abc', 'oidc', 600);
    expect(oidc.set[0]).toMatchObject({ name: '__Secure-crm_sso', options: { secure: true, sameSite: 'Lax' } });
    const saml = cookiesOf(true);
    keepSsoBinding(saml, 'abc', 'saml', 600);
    expect(saml.set[0]).toMatchObject({ name: '__Secure-crm_sso', options: { secure: true, sameSite: 'None' } });
    const plain = cookiesOf(false);
    keepSsoBinding(plain, 'abc', 'saml', 600);
    expect(plain.set[0]).toMatchObject({ options: { secure: false, sameSite: 'Lax' } });
  });

  it('is taken once: read and cleared; nothing when the browser has none', () => {
    const page = cookiesOf(true, { '__Secure-crm_sso': 'abc' });
    expect(takeSsoBinding(page)).toBe('abc');
    expect(page.set).toEqual([
      { name: '__Secure-crm_sso', value: '', options: { path: '/sso', httpOnly: true, secure: true, maxAge: 0 } },
    ]);
    const none = cookiesOf(false, { '__Secure-crm_sso': 'not over http' });
    expect(takeSsoBinding(none)).toBeUndefined();
    expect(none.set).toEqual([]);
  });
});
