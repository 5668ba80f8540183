import { describe, expect, it } from 'vitest';
import { regionOfToken } from './routable-token.ts';
import { parseSamlSpPublicId, samlSpPublicId } from './saml-sp-id.ts';

const organizationId = '0193a5f6-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const connectionId = '0193a5f6-2b3c-7d4e-8f5a-6b7c8d9e0f1a';

describe('a SAML connection public id', () => {
  it('names the region, organization and connection, and the edge routes it by its region', () => {
    const id = samlSpPublicId('eu', organizationId, connectionId);
    expect(id).toBe('sp_eu_0193a5f61a2b7c3d8e4f5a6b7c8d9e0f0193a5f62b3c7d4e8f5a6b7c8d9e0f1a');
    expect(parseSamlSpPublicId(id)).toEqual({ region: 'eu', organizationId, connectionId });
    expect(regionOfToken(id)).toBe('eu');
  });

  it('is nothing else', () => {
    for (const value of [
      '',
      'sp_eu_',
      `sp_EU_${'0'.repeat(64)}`,
      `sp_eu_${'0'.repeat(63)}`,
      `frm_eu_${'0'.repeat(64)}`,
    ]) {
      expect(parseSamlSpPublicId(value)).toBeNull();
    }
  });
});
