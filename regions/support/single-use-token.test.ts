import { describe, expect, it } from 'vitest';
import { hashToken } from '../../edge/protocol/routable-token.ts';
import { issueSingleUseToken, readSingleUseToken } from './single-use-token.ts';

const organizationId = '0193a5f6-1a2b-7c3d-8e4f-5a6b7c8d9e0f';

describe('single-use tokens', () => {
  it('are routable, stored as their SHA-256, and expire after the seconds given', async () => {
    const before = Date.now();
    const issued = await issueSingleUseToken('sso', 'eu', organizationId, 600);
    expect(issued.token).toMatch(/^sso_eu_0193a5f61a2b7c3d8e4f5a6b7c8d9e0f[0-9a-f]{48}$/);
    expect(issued.tokenHash).toBe(await hashToken(issued.token));
    expect(issued.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 600_000);
    expect(issued.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 600_000);
    expect(await readSingleUseToken('sso', 'eu', issued.token)).toEqual({
      organizationId,
      tokenHash: issued.tokenHash,
    });
  });

  it('read as nothing when of another kind, another region, or not a token', async () => {
    const { token } = await issueSingleUseToken('mfa', 'eu', organizationId, 300);
    expect(await readSingleUseToken('sso', 'eu', token)).toBeNull();
    expect(await readSingleUseToken('mfa', 'us', token)).toBeNull();
    expect(await readSingleUseToken('mfa', 'eu', 'garbage')).toBeNull();
  });
});
