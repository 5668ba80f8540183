import { describe, expect, it } from 'vitest';
import type { Principal } from '../protocol/principal.ts';
import { createVerifiedTokenMemo, VERIFIED_TOKEN_SECONDS } from './access-tokens.ts';

const principal: Principal = {
  type: 'user',
  organizationId: 'org',
  region: 'us',
  userId: 'user',
  role: 'admin',
  sessionId: 'session',
};

describe('the verified-token memo', () => {
  it('trusts a verified token until it expires', () => {
    let now = 1_000_000;
    const memo = createVerifiedTokenMemo(() => now);
    memo.remember('t', principal, now / 1000 + 30);
    expect(memo.get('t')).toEqual(principal);
    expect(memo.get('other')).toBeNull();
    now += 29_999;
    expect(memo.get('t')).toEqual(principal);
    now += 1;
    expect(memo.get('t')).toBeNull();
  });

  it('checks a long-lived token against the key set again after a minute', () => {
    let now = 5_000_000;
    const memo = createVerifiedTokenMemo(() => now);
    memo.remember('t', principal, now / 1000 + 24 * 3600);
    now += VERIFIED_TOKEN_SECONDS * 1000 - 1;
    expect(memo.get('t')).toEqual(principal);
    now += 1;
    expect(memo.get('t')).toBeNull();
  });

  it('does not keep an expired token, and forgets the oldest when full', () => {
    const now = 9_000_000;
    const memo = createVerifiedTokenMemo(() => now);
    memo.remember('expired', principal, now / 1000 - 1);
    expect(memo.get('expired')).toBeNull();
    for (let i = 0; i <= 10_000; i++) memo.remember(`t${i}`, principal, now / 1000 + 60);
    expect(memo.get('t0')).toBeNull();
    expect(memo.get('t1')).toEqual(principal);
    expect(memo.get('t10000')).toEqual(principal);
  });
});
