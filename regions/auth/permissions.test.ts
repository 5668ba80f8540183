import { describe, expect, it } from 'vitest';
import type { Principal } from '../../edge/protocol/principal.ts';
import { assertCan, can, ownRecordsOnly, permissionsOf } from './permissions.ts';

const user = (role: 'admin' | 'manager' | 'sales_rep' | 'viewer'): Principal => ({
  type: 'user',
  organizationId: 'o',
  region: 'us',
  userId: `u-${role}`,
  role,
  sessionId: 's',
});

describe('role permissions', () => {
  it('lets admins do everything and viewers only read', () => {
    expect(can(user('admin'), 'api_keys:manage')).toBe(true);
    expect(can(user('viewer'), 'leads:read')).toBe(true);
    expect(can(user('viewer'), 'leads:create')).toBe(false);
    expect(can(user('viewer'), 'leads:update')).toBe(false);
  });

  it('keeps user and key management with admins', () => {
    for (const role of ['manager', 'sales_rep', 'viewer'] as const) {
      expect(can(user(role), 'users:manage')).toBe(false);
      expect(can(user(role), 'api_keys:manage')).toBe(false);
    }
  });

  it('lets sales reps work leads but not delete them, and only their own', () => {
    expect(can(user('sales_rep'), 'leads:update')).toBe(true);
    expect(can(user('sales_rep'), 'leads:delete')).toBe(false);
    expect(ownRecordsOnly(user('sales_rep'))).toBe('u-sales_rep');
    expect(ownRecordsOnly(user('manager'))).toBeNull();
  });

  it('gives an API key exactly its scopes and organization-wide visibility', () => {
    const key: Principal = { type: 'api_key', organizationId: 'o', region: 'us', keyId: 'k', scopes: ['leads:read'] };
    expect(permissionsOf(key)).toEqual(['leads:read']);
    expect(ownRecordsOnly(key)).toBeNull();
    expect(() => assertCan(key, 'leads:create')).toThrow(/leads:create/);
  });
});
