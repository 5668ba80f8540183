import type { Principal, Role } from '../../edge/protocol/principal.ts';
import { forbidden } from '../../openapi/errors.ts';
import { type Permission, permissions } from '../../openapi/schemas/permissions.ts';

/** The spec's roles: admin (everything), manager (team and reports), sales rep (assigned leads only), viewer (read-only). */
const crud = (resource: string, actions: string[]) => actions.map((action) => `${resource}:${action}` as Permission);
const records = ['leads', 'contacts', 'companies', 'deals', 'activities'];
const everyRecord = (actions: string[]) => records.flatMap((resource) => crud(resource, actions));

/**
 * The spec's roles: admin (everything), manager (the team's records and reports), sales rep (their own leads,
 * contacts, deals and activities; companies are shared), viewer (read-only).
 */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  admin: [...permissions],
  manager: [
    ...everyRecord(['create', 'read', 'update', 'delete']),
    'pipelines:manage',
    'reports:view',
    'reports:export',
    'data:import',
    'data:export',
    'users:read',
    'assignment_rules:read',
    'assignment_rules:manage',
    'emails:send',
    'emails:manage',
    'forms:read',
    'workflows:read',
  ],
  sales_rep: [
    ...everyRecord(['create', 'read', 'update']),
    'activities:delete',
    'reports:view',
    'users:read',
    'assignment_rules:read',
    'emails:send',
    'forms:read',
  ],
  viewer: [...everyRecord(['read']), 'reports:view', 'users:read', 'assignment_rules:read', 'forms:read'],
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
