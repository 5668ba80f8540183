import type { Principal } from '../../edge/protocol/principal.ts';
import { forbidden } from '../../openapi/errors.ts';

/** Notifications belong to members; an API key has none, and no preferences to set. */
export function memberOf(principal: Principal): { organizationId: string; userId: string } {
  if (principal.type !== 'user') throw forbidden('Notifications belong to users; an API key has none');
  return { organizationId: principal.organizationId, userId: principal.userId };
}
