import type { Permission } from '../../openapi/schemas/permissions.ts';

export type Role = 'admin' | 'manager' | 'sales_rep' | 'viewer';

/** Who a request acts for, as the edge verified it and the region trusts it (inside the signed context). */
export type Principal =
  | { type: 'user'; organizationId: string; region: string; userId: string; role: Role; sessionId: string }
  | { type: 'api_key'; organizationId: string; region: string; keyId: string; scopes: Permission[] };

/** What travels with every forwarded request, signed by the edge. */
export type RequestContext = {
  requestId: string;
  principal?: Principal;
  clientIp?: string;
  userAgent?: string;
};

/** Claims of an access token; regions sign them, the edge verifies them. */
export type AccessClaims = { sub: string; org: string; region: string; role: Role; sid: string };

export const ACCESS_AUDIENCE = 'crm-api';
export const issuerFor = (region: string) => `crm/${region}`;
/** `kid` is `<region>.<thumbprint>`, so the edge knows whose keys verify a token before it trusts anything in it. */
export const keyIdFor = (region: string, thumbprint: string) => `${region}.${thumbprint.slice(0, 16)}`;
export const regionOfKeyId = (kid: string) => kid.split('.')[0] ?? '';
