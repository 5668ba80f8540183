import type { Principal, Role } from '../../edge/protocol/principal.ts';
import { forbidden } from '../../openapi/errors.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';

/** The spec's roles: admin (everything), manager (team and reports), sales rep (assigned leads only), viewer (read-only). */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  admin: [
    'leads:create',
    'leads:read',
    'leads:update',
    'leads:delete',
    'deals:read',
    'deals:update',
    'reports:view',
    'reports:export',
    'users:read',
    'users:manage',
    'api_keys:manage',
  ],
  manager: [
    'leads:create',
    'leads:read',
    'leads:update',
    'leads:delete',
    'deals:read',
    'deals:update',
    'reports:view',
    'reports:export',
    'users:read',
  ],
  sales_rep: ['leads:create', 'leads:read', 'leads:update', 'deals:read', 'deals:update', 'users:read'],
  viewer: ['leads:read', 'deals:read', 'reports:view', 'users:read'],
};

export function permissionsOf(principal: Principal): Permission[] {
  return principal.type === 'user' ? [...rolePermissions[principal.role]] : [...principal.scopes];
}

export function can(principal: Principal, permission: Permission): boolean {
  return permissionsOf(principal).includes(permission);
}

export function assertCan(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) throw forbidden(`This needs the ${permission} permission`);
}

/** A sales rep works only the records assigned to them; everyone else (and API keys) sees the organization. */
export function ownRecordsOnly(principal: Principal): string | null {
  return principal.type === 'user' && principal.role === 'sales_rep' ? principal.userId : null;
}

/** The role an API key is shown as: it has no role, only scopes. */
export const displayRole = (principal: Principal): Role => (principal.type === 'user' ? principal.role : 'viewer');
