import { and, eq, type SQL } from 'drizzle-orm';
import { emailMessages } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { forbidden } from '../../openapi/errors.ts';
import { can } from '../auth/permissions.ts';
import { actorId } from '../support/actor.ts';

/**
 * Which emails a principal may read: `emails:manage` (admins, managers) every email of the organization;
 * `emails:send` the ones they sent themselves; anyone else none (403).
 */
export function visibleEmails(principal: Principal): SQL {
  const organization = eq(emailMessages.organizationId, principal.organizationId);
  if (can(principal, 'emails:manage')) return organization;
  if (can(principal, 'emails:send')) return and(organization, eq(emailMessages.createdBy, actorId(principal)))!;
  throw forbidden('This needs the emails:send or emails:manage permission');
}
