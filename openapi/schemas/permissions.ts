/** Every permission the API checks, named as in the spec (`resource:action`). */
export const permissions = [
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
] as const;

export type Permission = (typeof permissions)[number];
