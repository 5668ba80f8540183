import type { Context } from 'hono';
import type { Principal, RequestContext } from '../../edge/protocol/principal.ts';
import { unauthorized } from '../../openapi/errors.ts';
import type { WriteOrigin } from './record.ts';

export type RegionEnv = { Variables: { requestId: string; request: RequestContext } };

/** Who acts and from where: the principal and the request's origin, for checks and the audit log. */
export type Actor = {
  principal: Principal;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  /** Set when a workflow run acts: its writes' events carry it (regions/support/record.ts). */
  origin?: WriteOrigin;
};

export function requestMeta(c: Context<RegionEnv>) {
  const request = c.get('request');
  return { ip: request.clientIp ?? null, userAgent: request.userAgent ?? null, requestId: request.requestId };
}

export function actorOf(c: Context<RegionEnv>): Actor {
  const principal = c.get('request').principal;
  if (!principal) throw unauthorized();
  return { principal, ...requestMeta(c) };
}

export const actorId = (principal: Principal) => (principal.type === 'user' ? principal.userId : principal.keyId);
