import { badRequest } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';

/** The caller's organization, once they may manage its background jobs (admins, or a key with the scope). */
export function jobsAdminOrganization(actor: Actor): string {
  assertCan(actor.principal, 'jobs:manage');
  return actor.principal.organizationId;
}

/** Only the queues this region runs have a dead-letter list; any other name is a mistake in the request. */
export function assertKnownQueue(ctx: RegionContext, queue: string, field: string): void {
  if (ctx.jobs.hasQueue(queue)) return;
  throw badRequest('unknown_queue', `${queue} is not a queue of this API`, [
    { path: field, message: 'not a queue of this API' },
  ]);
}
