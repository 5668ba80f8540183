import { describe, expect, it } from 'vitest';
import { regionOfToken } from '../../edge/protocol/routable-token.ts';
import { importSigningSecret } from '../../edge/protocol/signature.ts';
import { makeUnsubscribeToken, maskAddress, readUnsubscribeToken } from './unsubscribe-token.ts';

const claims = {
  organizationId: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e',
  address: 'ada@analytical.example',
  contactId: '0193a5f5-4d5e-7f6a-8b7c-8d9e0f1a2b3c',
};

describe('unsubscribe tokens', () => {
  it('round-trips its claims and names its region for the edge', async () => {
    const key = await importSigningSecret('k'.repeat(40));
    const token = await makeUnsubscribeToken(key, 'eu', claims);
    expect(token.startsWith('uns_eu_')).toBe(true);
    expect(regionOfToken(token)).toBe('eu');
    expect(await readUnsubscribeToken(key, 'eu', token)).toEqual(claims);
  });

  it('refuses a tampered token, another key, another region and garbage', async () => {
    const key = await importSigningSecret('k'.repeat(40));
    const other = await importSigningSecret('o'.repeat(40));
    const token = await makeUnsubscribeToken(key, 'us', claims);
    const [head, signature] = token.split('.') as [string, string];
    const forged = await makeUnsubscribeToken(key, 'us', { ...claims, address: 'grace@navy.example' });
    expect(await readUnsubscribeToken(key, 'us', `${forged.split('.')[0]}.${signature}`)).toBeNull();
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    expect(await readUnsubscribeToken(key, 'us', `${head}.${flipped}`)).toBeNull();
    expect(await readUnsubscribeToken(other, 'us', token)).toBeNull();
    expect(await readUnsubscribeToken(key, 'eu', token)).toBeNull();
    expect(await readUnsubscribeToken(key, 'us', 'uns_us_not-a-token')).toBeNull();
  });

  it('masks the address it shows', () => {
    expect(maskAddress('ada@analytical.example')).toBe('a***@analytical.example');
    expect(maskAddress('g@navy.example')).toBe('g***@navy.example');
  });
});
