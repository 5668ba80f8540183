import type { Tx } from '../../db/database.ts';
import type { WatchTargetType } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { forbidden, notFound } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import { assertMayUse, findVisibleView } from '../saved-views/access.ts';
import { findRecord, maySee, recordReadPermission } from './records.ts';

const names = { lead: 'Lead', contact: 'Contact', company: 'Company', deal: 'Deal' } as const;

/** Watches belong to members: an API key has nobody to notify. */
export function watcherOf(principal: Principal): string {
  if (principal.type !== 'user') throw forbidden('Only members can watch records; an API key has nobody to notify');
  return principal.userId;
}

/**
 * Refuses a target the caller may not read, with the resource's own answers: 403 for a kind of record their role
 * cannot read, 404 for a record or saved view that does not exist or that they cannot see.
 */
export async function assertMayWatch(tx: Tx, principal: Principal, type: WatchTargetType, id: string): Promise<void> {
  if (type === 'saved_view') {
    const view = await findVisibleView(tx, principal, id);
    assertMayUse(principal, view.entity);
    return;
  }
  assertCan(principal, recordReadPermission[type]);
  const record = await findRecord(tx, principal.organizationId, type, id);
  if (!record || !maySee(principal, type, record.ownerId)) throw notFound(names[type]);
}
