import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, companies, contacts, deals, leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { forbidden, notFound } from '../../openapi/errors.ts';
import { type AttachableRecord, attachableRecords } from '../../openapi/schemas/attachments.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import { visibleTo } from '../support/owner.ts';

const tables = { lead: leads, contact: contacts, company: companies, deal: deals, activity: activities };
const labels = { lead: 'Lead', contact: 'Contact', company: 'Company', deal: 'Deal', activity: 'Activity' };

/** The permission a kind of record needs for an action, e.g. `deals:update`. */
export const permissionFor = (type: AttachableRecord, action: 'read' | 'update') =>
  `${attachableRecords[type]}:${action}` as Permission;

/**
 * The record a file hangs off, if the principal may see it: a sales rep sees only the leads, contacts, deals and
 * activities they own (anything else is 404, which does not confirm it exists); companies are shared. The row is
 * locked against deletion (FOR SHARE) when `lock` is set, so an attachment cannot outlive a concurrent delete.
 */
export async function findVisibleRecord(
  tx: Tx,
  principal: Principal,
  type: AttachableRecord,
  id: string,
  lock = false,
): Promise<{ ownerId: string | null }> {
  const table = tables[type];
  const query = tx
    .select({ ownerId: table.ownerId })
    .from(table)
    .where(and(eq(table.organizationId, principal.organizationId), eq(table.id, id)));
  const [record] = lock ? await query.for('share') : await query;
  if (!record) throw notFound(labels[type]);
  if (type !== 'company' && !visibleTo(principal, record.ownerId)) throw notFound(labels[type]);
  return record;
}

/**
 * Attaching or removing a file changes the record, so it needs the record's update permission; a sales rep may
 * change only the companies they own (they see the others, so that refusal is an honest 403, as for companies).
 */
export function assertMayChange(principal: Principal, type: AttachableRecord, record: { ownerId: string | null }) {
  assertCan(principal, permissionFor(type, 'update'));
  const own = ownRecordsOnly(principal);
  if (type === 'company' && own && record.ownerId !== own) {
    throw forbidden('Sales reps may change only the companies they own');
  }
}
